/** A parsed JSON object (not null, not an array): the one check the readers of saved answers share. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
