/**
 * Drift as text for a terminal, Markdown for a pull-request comment or an
 * issue, or JSON for machines (`schema/drift.schema.json`). Names from the
 * Graph export are untrusted: control characters are escaped before they
 * reach a terminal.
 */
import {sectionOf, type Drift, type DriftResult, type DriftRole, type DriftSection, type DriftSummary} from '../compare/drift.js'
import {escapeControls} from '../compile/syntax.js'
import {diffFormats, type DiffFormat} from './diff.js'
import {emitJson} from './json.js'
import {count, groupByRole, markdownStyle, roleTitle, type Style} from './style.js'

export type DriftFormat = DiffFormat

export const driftFormats: readonly DriftFormat[] = diffFormats

export interface DriftEmitOptions {
  /**
   * The folder the docs' `source.path`s are relative to, as the reader should
   * see it (posix): text and md then print `docsRoot/path`, a path that opens
   * from where the command ran. JSON always keeps `source.path` as recorded.
   * Default: the paths as recorded.
   */
  docsRoot?: string
}

export function emitDrift(result: DriftResult, format: DriftFormat, options: DriftEmitOptions = {}): string {
  if (format === 'json') return emitJson(result)
  return format === 'md' ? emitDriftMarkdown(result, options) : emitDriftText(result, options)
}

/**
 * For a terminal: names from the Graph export are untrusted, so control
 * characters are escaped everywhere, and a quoted text keeps its line
 * breaks escaped that way too (not as JSON's `\n`).
 */
const textStyle: Style = {
  code: (text) => escapeControls(text),
  quote: (text) => `"${escapeControls(text.replace(/["\\]/g, '\\$&'))}"`,
  name: (text) => escapeControls(text)
}

/** Markdown's style, with control characters escaped first. */
const untrustedMarkdownStyle: Style = {
  code: (text) => markdownStyle.code(escapeControls(text)),
  quote: (text) => markdownStyle.quote(escapeControls(text)),
  name: (text) => markdownStyle.name(escapeControls(text))
}

/** The heading of each section of the list. */
const sectionTitles: Record<DriftSection, string> = {
  privilege: 'Privilege drift',
  actions: 'Action drift',
  names: 'Name drift',
  'one-side': 'Roles on one side only'
}

/** Text for a terminal: a header, a summary line, then each section (`== Privilege drift`) with its roles and their items. */
export function emitDriftText(result: DriftResult, options: DriftEmitOptions = {}): string {
  const places = createPlaces(result, options)
  const lines = [`roledoc drift ${escapeControls(result.docs)} ↔ ${escapeControls(result.graph)}`, summaryLine(result.summary)]
  for (const [section, drift] of bySection(result.drift)) {
    lines.push('', `== ${sectionTitles[section]}`)
    for (const [role, items] of byRole(drift)) {
      lines.push('', title(role, textStyle))
      for (const item of items) lines.push(`  ${marker(item)} ${describeText(item, places)}`)
    }
  }
  return lines.join('\n') + '\n'
}

/** Markdown: a summary line, then a section (`### Privilege drift`) with a part per role. */
export function emitDriftMarkdown(result: DriftResult, options: DriftEmitOptions = {}): string {
  const {code} = untrustedMarkdownStyle
  const places = createPlaces(result, options)
  const lines = [`**roledoc drift** ${code(result.docs)} ↔ ${code(result.graph)}: ${summaryLine(result.summary)}`]
  for (const [section, drift] of bySection(result.drift)) {
    lines.push('', `### ${sectionTitles[section]}`)
    for (const [role, items] of byRole(drift)) {
      lines.push('', `#### ${title(role, untrustedMarkdownStyle)}`, '')
      for (const item of items) lines.push(`- ${describeMarkdown(item, places)}`)
    }
  }
  return lines.join('\n') + '\n'
}

/** Items by section, in the result's order (`driftRecords` sorts them section by section). */
function bySection(drift: readonly Drift[]): Array<[DriftSection, Drift[]]> {
  const sections = new Map<DriftSection, Drift[]>()
  for (const item of drift) {
    const section = sectionOf(item.kind)
    const items = sections.get(section) ?? []
    items.push(item)
    sections.set(section, items)
  }
  return [...sections]
}

/** `139 roles in the docs, 3 in Graph, 2 matched; 142 differences: …`. */
export function summaryLine(summary: DriftSummary): string {
  const counts = `${count(summary.docsRoles, 'role')} in the docs, ${summary.graphRoles} in Graph${summary.ignored > 0 ? ` (${summary.ignored} custom ignored)` : ''}, ${summary.matched} matched`
  if (summary.total === 0) return `${counts}; no drift.`
  const parts: string[] = []
  const add = (value: number, one: string, many: string): void => {
    if (value > 0) parts.push(count(value, one, many))
  }
  // In the order of the list: privilege, actions, names, roles on one side.
  add(summary.privilegedDiffers, 'privileged flag differs', 'privileged flags differ')
  add(summary.actionNotGranted, 'action documented but not granted', 'actions documented but not granted')
  add(summary.actionNotDocumented, 'action granted but not documented', 'actions granted but not documented')
  add(summary.nameDiffers, 'name differs', 'names differ')
  add(summary.roleOnlyInDocs, 'role only in the docs', 'roles only in the docs')
  add(summary.roleOnlyInGraph, 'built-in role only in Graph', 'built-in roles only in Graph')
  return `${counts}; ${count(summary.total, 'difference')}: ${parts.join(', ')}.`
}

/** Items grouped by role, in the result's order (which `driftRecords` sorts). */
function byRole(drift: readonly Drift[]): Array<[DriftRole, Drift[]]> {
  return groupByRole(drift, (role) => `${role.id ?? ''}\u0000${role.templateId ?? ''}\u0000${role.name ?? ''}`)
}

/** `Name (id)`; a role only in Graph: `Name (template ID)`. */
function title(role: DriftRole, style: Style): string {
  return roleTitle(role.name, role.id ?? role.templateId ?? '', style)
}

/** `-` only in the docs, `+` only in Graph, `~` a name, `!` privilege. */
function marker(item: Drift): string {
  switch (item.kind) {
    case 'role-only-in-docs':
    case 'action-not-granted':
      return '-'
    case 'role-only-in-graph':
    case 'action-not-documented':
      return '+'
    case 'name-differs':
      return '~'
    case 'privileged-differs':
      return '!'
  }
}

/** Where an item points, as printed: `docs/file.md:21:3`, `graph.json:52:5`. */
interface Places {
  docs: (path: string, line?: number, column?: number) => string
  graph: (line: number, column: number) => string
}

function createPlaces(result: DriftResult, options: DriftEmitOptions): Places {
  const root = options.docsRoot === undefined ? '' : options.docsRoot.replace(/\/+$/, '')
  const prefix = root === '' || root === '.' ? '' : `${root}/`
  return {
    docs: (path, line, column) => `${prefix}${path}${line === undefined ? '' : `:${line}:${column ?? 1}`}`,
    graph: (line, column) => `${result.graph}:${line}:${column}`
  }
}

function describeText(item: Drift, places: Places): string {
  const {code, quote} = textStyle
  switch (item.kind) {
    case 'role-only-in-docs':
      return `only in the docs (${roleFacts(item.privileged, item.actionCount, item.role.templateId)})  ${code(places.docs(item.source.path))}`
    case 'role-only-in-graph':
      return `built-in role only in Graph (${graphFacts(item.privileged, item.actionCount)})  ${code(places.graph(item.position.line, item.position.column))}`
    case 'name-differs':
      return `name: docs ${item.docs === null ? 'none' : quote(item.docs)}, Graph ${quote(item.graph)}`
    case 'privileged-differs':
      return `privileged: docs ${yesNo(item.docs)}, Graph ${yesNo(item.graph)}`
    case 'action-not-granted':
      return `documented, not granted: ${code(item.action)}${item.privileged ? ' (privileged)' : ''}  ${code(places.docs(item.source.path, item.source.line, item.source.column))}`
    case 'action-not-documented':
      return `granted, not documented: ${code(item.action)}`
  }
}

function describeMarkdown(item: Drift, places: Places): string {
  const {code, quote} = untrustedMarkdownStyle
  switch (item.kind) {
    case 'role-only-in-docs':
      return `Only in the docs (${roleFacts(item.privileged, item.actionCount, item.role.templateId)}): ${code(places.docs(item.source.path))}`
    case 'role-only-in-graph':
      return `Built-in role only in Graph (${graphFacts(item.privileged, item.actionCount)}): ${code(places.graph(item.position.line, item.position.column))}`
    case 'name-differs':
      return `Name: docs ${item.docs === null ? 'none' : quote(item.docs)}, Graph ${quote(item.graph)}`
    case 'privileged-differs':
      return `**Privilege:** docs ${item.docs ? 'privileged' : 'not privileged'}, Graph ${item.graph ? 'privileged' : 'not privileged'}`
    case 'action-not-granted':
      return `Documented, not granted: ${code(item.action)}${item.privileged ? ' (privileged)' : ''} at ${code(places.docs(item.source.path, item.source.line, item.source.column))}`
    case 'action-not-documented':
      return `Granted, not documented: ${code(item.action)}`
  }
}

function roleFacts(privileged: boolean, actionCount: number, templateId: string | null): string {
  const facts = [templateId === null ? 'no template ID' : `template ID ${templateId}`]
  if (privileged) facts.push('privileged')
  facts.push(count(actionCount, 'action'))
  return facts.join(', ')
}

function graphFacts(privileged: boolean | null, actionCount: number): string {
  const facts = privileged === true ? ['privileged'] : []
  facts.push(count(actionCount, 'action'))
  return facts.join(', ')
}

function yesNo(value: boolean): string {
  return value ? 'yes' : 'no'
}
