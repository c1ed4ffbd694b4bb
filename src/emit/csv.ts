/**
 * CSV as RFC 4180 writes it: CRLF line ends, and a field in double quotes
 * (with inner quotes doubled) when it holds a comma, a quote or a line break.
 */
export function emitCsv(rows: ReadonlyArray<ReadonlyArray<string | number | boolean | null>>): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('')
}

function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
