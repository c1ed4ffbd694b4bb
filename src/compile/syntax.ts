/**
 * The few string shapes roledoc recognises, shared by extraction,
 * normalization, the cache's checks and the Graph export reader: actions,
 * GUIDs, dates, safe ids; and text from outside made safe to print.
 */

/** An action: a namespace, then at least one more `/`-separated segment. */
const actionPattern = /^[A-Za-z][\w.-]*(?:\/[\w.-]+)+$/
const guidPattern = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i
const usDatePattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/

/** Whether `value` reads as an action string (`microsoft.directory/users/create`). */
export function isAction(value: string): boolean {
  return actionPattern.test(value)
}

/** Whether `value` is a GUID (`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx`). */
export function isGuid(value: string): boolean {
  return guidPattern.test(value)
}

/** Split an action into namespace (first segment), resource (middle) and verb (last). */
export function splitAction(action: string): {namespace: string; resource: string; verb: string} {
  const segments = action.split('/')
  return {
    namespace: segments[0] ?? '',
    resource: segments.slice(1, -1).join('/'),
    verb: segments.length > 1 ? (segments.at(-1) ?? '') : ''
  }
}

/** `MM/DD/YYYY` (or already `YYYY-MM-DD`) to `YYYY-MM-DD`; `null` when not a real date. */
export function isoDate(value: unknown): string | null {
  if (typeof value !== 'string') return null
  let year: number
  let month: number
  let day: number
  const us = usDatePattern.exec(value.trim())
  const iso = isoDatePattern.exec(value.trim())
  if (us) [month, day, year] = [Number(us[1]), Number(us[2]), Number(us[3])]
  else if (iso) [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])]
  else return null
  const date = new Date(Date.UTC(year, month - 1, day))
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`
}

/**
 * An id safe as a file name on any system: letters, digits, `.`, `_` and
 * `-`, not starting with `.` or `-`, at most 128 characters.
 */
export function toSafeId(id: string): string {
  const safe = id.replace(/[^\w.-]/g, '-').replace(/^[.-]+/, '').slice(0, 128)
  return safe === '' ? 'untitled' : safe
}

/** Control and bidirectional-override characters as `\uXXXX`, so that text from outside (a Graph export) cannot rewrite a terminal. */
export function escapeControls(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`
  )
}
