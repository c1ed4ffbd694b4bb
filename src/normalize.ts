/**
 * Stage 3: raw parts to a `RoleRecord`. Validates and splits actions, finds
 * duplicates, normalizes `ms.date`, decides `deprecated`, and fixes the key
 * order of the record. Reports through the file; never touches mdast.
 */
import type {VFile} from 'vfile'
import type {RawRole} from './extract/index.js'
import {report} from './messages.js'
import type {FrontMatter, Permission, RoleRecord, SourceInfo, SourcePoint} from './types.js'

export interface NormalizeOptions {
  id: string
  source: SourceInfo
}

/** An action: a namespace, then at least one more `/`-separated segment. */
const actionPattern = /^[A-Za-z][\w.-]*(?:\/[\w.-]+)+$/
const guidPattern = /^[\da-f]{8}-[\da-f]{4}-[\da-f]{4}-[\da-f]{4}-[\da-f]{12}$/i
const usDatePattern = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/
const isoDatePattern = /^(\d{4})-(\d{2})-(\d{2})$/
/** Sentences that say the role itself is deprecated. */
const deprecatedPattern = /\b(?:is|has been|was|will be|being|now)\s+deprecated\b|\bdeprecated role\b/i

export function normalizeRole(raw: RawRole, file: VFile, options: NormalizeOptions): RoleRecord {
  const frontMatter = raw.frontMatter ? normalizeFrontMatter(raw.frontMatter.data, raw.frontMatter.places, file) : {}
  const name = requiredText(frontMatter, 'title', raw, file)
  const description = requiredText(frontMatter, 'description', raw, file)
  const summary = raw.prose.join('\n\n')
  const texts = [summary, ...raw.callouts.map((callout) => callout.text)]

  return {
    schemaVersion: 1,
    id: options.id,
    kind: 'role',
    name,
    description,
    templateId: normalizeTemplateId(raw, file),
    privileged: raw.privileged,
    deprecated: texts.some((text) => deprecatedPattern.test(text)),
    summary,
    callouts: raw.callouts,
    permissions: normalizePermissions(raw, file),
    frontMatter,
    source: options.source
  }
}

/** Split an action into namespace, resource and verb. */
export function splitAction(action: string): Pick<Permission, 'namespace' | 'resource' | 'verb'> {
  const segments = action.split('/')
  return {
    namespace: segments[0] ?? '',
    resource: segments.slice(1, -1).join('/'),
    verb: segments.length > 1 ? (segments.at(-1) ?? '') : ''
  }
}

/** Whether `value` reads as an action string. */
export function isAction(value: string): boolean {
  return actionPattern.test(value)
}

function normalizePermissions(raw: RawRole, file: VFile): Permission[] {
  const permissions: Permission[] = []
  const seen = new Map<string, SourcePoint>()
  for (const row of raw.permissions ?? []) {
    if (!isAction(row.action)) {
      report(
        file,
        'malformed-action',
        `Expected an action such as \`microsoft.directory/users/create\` in the first cell, found \`${row.action}\`; the row is left out`,
        row.position,
        {actual: row.action}
      )
      continue
    }
    const position = {line: row.position.start.line, column: row.position.start.column}
    const first = seen.get(row.action)
    if (first) {
      report(
        file,
        'duplicate-action',
        `Action \`${row.action}\` is already listed on line ${first.line}; remove this row`,
        row.position,
        {note: `first listed at ${first.line}:${first.column}`}
      )
      continue
    }
    seen.set(row.action, position)
    permissions.push({
      action: row.action,
      ...splitAction(row.action),
      description: row.description,
      privileged: row.privileged,
      position
    })
  }
  return permissions
}

function normalizeTemplateId(raw: RawRole, file: VFile): string | null {
  if (!raw.templateId) return null
  const {value, position} = raw.templateId
  if (!guidPattern.test(value)) {
    report(
      file,
      'invalid-template-id',
      `Expected a GUID after \`Template ID:\`, found \`${value}\`; write it as \`xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx\``,
      position,
      {actual: value}
    )
    return null
  }
  return value.toLowerCase()
}

function requiredText(frontMatter: FrontMatter, key: 'title' | 'description', raw: RawRole, file: VFile): string | null {
  if (!raw.frontMatter) return null
  const value = frontMatter[key]
  if (typeof value === 'string' && value.trim() !== '') return value.trim()
  report(
    file,
    'missing-front-matter-field',
    value === undefined
      ? `Expected \`${key}\` in the front matter; add \`${key}: …\``
      : `Expected \`${key}\` in the front matter to be text, found ${JSON.stringify(value)}`,
    raw.frontMatter.places.get(key) ?? raw.frontMatter.node.position
  )
  return null
}

/** A copy of the front matter with `ms.date` as ISO `YYYY-MM-DD`. */
function normalizeFrontMatter(data: FrontMatter, places: Map<string, {line: number; column: number}>, file: VFile): FrontMatter {
  const result: FrontMatter = {}
  for (const key of Object.keys(data)) {
    let value = data[key]
    if (key === 'ms.date') {
      const iso = isoDate(value)
      if (iso === null) {
        report(
          file,
          'invalid-ms-date',
          `Expected \`ms.date\` as a date written \`MM/DD/YYYY\`, found ${JSON.stringify(value)}; it is kept as written`,
          places.get(key),
          {actual: String(value), expected: ['MM/DD/YYYY']}
        )
      } else {
        value = iso
      }
    }
    Object.defineProperty(result, key, {value, enumerable: true, writable: true, configurable: true})
  }
  return result
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
