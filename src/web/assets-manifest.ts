/** Placeholder until the client build lands: no scripts. */
export async function clientScripts(
  _env: Env,
  _requestUrl: string,
): Promise<{ site?: string; auction?: string }> {
  return {};
}
