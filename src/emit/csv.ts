/**
 * CSV as RFC 4180 writes it: CRLF line ends, and a field in double quotes
 * (with inner quotes doubled) when it holds a comma, a quote or a line break.
 * The explorer's client writes its downloads with it too (it imports
 * nothing, so the browser bundle can take it).
 */

/** A CSV file's rows, the header first. */
export type CsvRows = ReadonlyArray<ReadonlyArray<string | number | boolean | null>>

/** The columns of `actions.csv`, one row per role and action; the explorer's exports of actions use them too. */
export const actionsCsvHeader = ['role_id', 'role_name', 'template_id', 'action', 'privileged'] as const

/** The rows as CSV text, each row ended by CRLF. */
export function emitCsv(rows: CsvRows): string {
  return rows.map((row) => row.map(csvField).join(',') + '\r\n').join('')
}

function csvField(value: string | number | boolean | null): string {
  const text = value === null ? '' : String(value)
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
