/** JSON output: 2-space indent and a final newline; key order as built. */
export function emitJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + '\n'
}
