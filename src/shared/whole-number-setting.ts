/**
 * A whole-number deployment setting as wrangler.toml `[vars]` give it (a string). Null when it
 * is unset or blank (the caller's default applies), and null with a warning when it is not a
 * whole number in [min, max]: a deployment mistake falls back to the default rather than stop
 * whatever reads it.
 */
export function wholeNumberSetting(
  name: string,
  raw: string | undefined,
  range: { min: number; max: number },
  warn: (message: string) => void,
): number | null {
  if (raw === undefined || raw.trim() === "") return null;
  const value = Number(raw);
  if (Number.isSafeInteger(value) && value >= range.min && value <= range.max) return value;
  warn(`${name}=${raw} is not valid; using the default`);
  return null;
}
