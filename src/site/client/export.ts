/**
 * The "Download CSV" of a view: the rows it shows, written by the dataset's
 * own CSV writer (`../../emit/csv.ts`, RFC 4180, as `actions.csv`), and
 * saved from a `blob:` URL made in the page: no request leaves it, and the
 * page's Content-Security-Policy, which governs fetches, not downloads,
 * needs no change.
 */
import {actionsCsvHeader, emitCsv, type CsvRows} from '../../emit/csv.js'
import type {IndexedRole, RolePermission} from './data.js'

/** The button a view puts beside its count; `downloadOnClick` makes it work. */
export function csvButton(id: string): string {
  return `<button type="button" class="csv-button" id="${id}">Download CSV</button>`
}

/** On a click of `button`, download the rows `rowsNow` gives then (the view as it is at that moment) as `fileName`. */
export function downloadOnClick(button: HTMLButtonElement, fileName: () => string, rowsNow: () => CsvRows): void {
  button.addEventListener('click', () => downloadCsv(fileName(), rowsNow()))
}

function downloadCsv(fileName: string, rows: CsvRows): void {
  const url = URL.createObjectURL(new Blob([emitCsv(rows)], {type: 'text/csv;charset=utf-8'}))
  const link = document.createElement('a')
  link.href = url
  link.download = fileName
  link.hidden = true
  document.body.append(link)
  link.click()
  link.remove()
  // Revoked later, not at once: the download may read the URL after this task (FileSaver.js waits 40 s too).
  setTimeout(() => URL.revokeObjectURL(url), 40_000)
}

/** A file name from any text: letters, digits, `.`, `_` and `-` kept, anything else one `-`. */
export function fileNameOf(...parts: string[]): string {
  return parts.join('-').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') + '.csv'
}

/** Rows as `actions.csv` has them: one per role and permission row, `role_name` empty for a role without a name. */
export function actionRows(rows: ReadonlyArray<{role: IndexedRole; permission: RolePermission}>): CsvRows {
  const out: Array<ReadonlyArray<string | boolean | null>> = [actionsCsvHeader]
  for (const {role, permission} of rows) out.push([role.id, role.name, role.templateId, permission.action, permission.privileged])
  return out
}
