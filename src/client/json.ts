/** JSON.parse that answers null for text that is not JSON (socket frames are untrusted). */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
