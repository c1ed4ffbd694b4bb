/**
 * A diff as text for a terminal, Markdown for a pull-request comment, or
 * JSON for machines (`schema/diff.schema.json`). Privilege changes come
 * first and are marked.
 */
import type {Change, DiffResult, RoleRef} from '../compare/change.js'
import {isPrivilegeChange} from '../compare/diff.js'
import {compareStrings} from '../compile/messages.js'
import {changeMark, changeTitle, lowerFirst} from './changes.js'
import {emitJson} from './json.js'
import {count, groupByRole, markdownStyle, roleTitle, textStyle, type Style} from './style.js'

export type DiffFormat = 'text' | 'md' | 'json'

export const diffFormats: readonly DiffFormat[] = ['text', 'md', 'json']

export interface DiffEmitOptions {
  /**
   * What text and md title a role by, besides its name: `id` (default), or
   * `templateId` when the ids are file names that say nothing of the role
   * (`roledoc diff old.md new.md`): `Sample Role (0b1c2d3e-…)`, its name
   * alone without a template ID. JSON always holds all three.
   */
  titleBy?: 'id' | 'templateId'
}

export function emitDiff(result: DiffResult, format: DiffFormat, options: DiffEmitOptions = {}): string {
  if (format === 'json') return emitJson(result)
  return format === 'md' ? emitDiffMarkdown(result, options) : emitDiffText(result, options)
}

/** Text for a terminal: a summary line, then each role with its changes (`!` marks privilege changes). */
export function emitDiffText(result: DiffResult, options: DiffEmitOptions = {}): string {
  const lines = [`roledoc diff ${result.old} → ${result.new}`, summaryLine(result)]
  for (const [role, changes] of byRole(result.changes)) {
    lines.push('', `${changes.some(isPrivilegeChange) ? '! ' : ''}${title(role, textStyle, options)}`)
    for (const change of changes) lines.push(`  ${marker(change)} ${describe(change, textStyle)}`)
  }
  return lines.join('\n') + '\n'
}

/** Markdown ready to paste as a pull-request comment: a summary line, then a section per role. */
export function emitDiffMarkdown(result: DiffResult, options: DiffEmitOptions = {}): string {
  const lines = [`**roledoc diff** ${markdownStyle.code(result.old)} → ${markdownStyle.code(result.new)}: ${summaryLine(result)}`]
  lines.push(...markdownByRole(result.changes, options))
  return lines.join('\n') + '\n'
}

/** Changes as Markdown: a `###` heading per role (⚠️ when it holds a privilege change), its changes as a list. */
export function markdownByRole(changes: readonly Change[], options: DiffEmitOptions = {}): string[] {
  const lines: string[] = []
  for (const [role, ofRole] of byRole(changes)) {
    lines.push('', `### ${ofRole.some(isPrivilegeChange) ? '⚠️ ' : ''}${title(role, markdownStyle, options)}`, '')
    for (const change of ofRole) {
      const text = describe(change, markdownStyle)
      lines.push(`- ${isPrivilegeChange(change) ? `**Privilege:** ${text}` : text}`)
    }
  }
  return lines
}

function summaryLine(result: DiffResult): string {
  const {summary} = result
  if (summary.changes === 0) return 'no changes in meaning.'
  const parts = [
    count(summary.changed, 'role changed', 'roles changed'),
    count(summary.added, 'role added', 'roles added'),
    count(summary.removed, 'role removed', 'roles removed'),
    count(summary.renamed, 'role renamed', 'roles renamed')
  ]
  return `${parts.join(', ')}; ${count(summary.changes, 'change')}, ${summary.privilegeChanges} touching privilege.`
}

/** Changes grouped by role: roles with privilege changes first, then by id; privilege changes first within a role. */
export function byRole(changes: readonly Change[]): Array<[RoleRef, Change[]]> {
  const list = groupByRole(changes, (role) => `${role.id}\u0000${role.templateId ?? ''}`)
  for (const [, group] of list) {
    group.sort((a, b) => Number(isPrivilegeChange(b)) - Number(isPrivilegeChange(a)))
  }
  return list.sort(
    ([a, x], [b, y]) => Number(y.some(isPrivilegeChange)) - Number(x.some(isPrivilegeChange)) || compareStrings(a.id, b.id)
  )
}

/** `Name (id)`, or `Name (template ID)`; a role without a name (or with an empty one): its id or template ID; without a template ID to title it by, its name. */
export function title(role: RoleRef, style: Style, options: DiffEmitOptions = {}): string {
  const name = role.name || null
  if (options.titleBy !== 'templateId') return roleTitle(name, role.id, style)
  if (role.templateId !== null) return roleTitle(name, role.templateId, style)
  return name === null ? style.code(role.id) : style.name(name)
}

/** `!` a privilege change, else `+`, `-` or `~`. */
export function marker(change: Change): string {
  return isPrivilegeChange(change) ? '!' : changeMark(change.kind)
}

/** One change in words: what happened (`changeTitle`), then what it is about. */
export function describe(change: Change, style: Style = textStyle): string {
  const {code, quote} = style
  const what = lowerFirst(changeTitle(change))
  switch (change.kind) {
    case 'role-added':
    case 'role-removed':
      return `${what} (${change.privileged ? 'privileged, ' : ''}${count(change.permissionCount, 'permission')})`
    case 'role-renamed':
      return `renamed from ${change.from.name === null ? code(change.from.id) : `${quote(change.from.name)} (${code(change.from.id)})`}`
    case 'role-privileged':
    case 'deprecated':
      return what
    case 'description':
      return `description: ${delta(change.from ?? '', change.to ?? '', quote)}`
    case 'summary':
      return `summary: ${delta(change.from, change.to, quote)}`
    case 'ms-date':
      return `ms.date: ${change.from ?? 'none'} → ${change.to ?? 'none'}`
    case 'permission-added':
      return `${what}: ${code(change.action)}${change.privileged ? ' (privileged)' : ''}${change.description ? ` ${quote(change.description)}` : ''}`
    case 'permission-removed':
      return `${what}: ${code(change.action)}${change.privileged ? ' (privileged)' : ''}`
    case 'permission-privileged':
      return `${what}: ${code(change.action)}`
    case 'permission-description':
      return `permission description: ${code(change.action)}: ${delta(change.from, change.to, quote)}`
    case 'callout-added':
    case 'callout-removed':
      return `${what}: [!${change.callout.type.toUpperCase()}] ${quote(change.callout.text)}`
    case 'callout-changed':
      return `${what}: [!${change.to.type.toUpperCase()}] ${delta(change.from.text, change.to.text, quote)}`
  }
}

/** Context kept around the part of a long text that changed. */
const context = 24

/**
 * `"old" → "new"` for short texts; for long ones only the part that differs,
 * with a little context and `…` for what is left out.
 */
export function delta(from: string, to: string, quote: (text: string) => string): string {
  if (from.length + to.length <= 120) return `${quote(from)} → ${quote(to)}`
  let prefix = 0
  while (prefix < from.length && prefix < to.length && from[prefix] === to[prefix]) prefix++
  let suffix = 0
  while (
    suffix < from.length - prefix &&
    suffix < to.length - prefix &&
    from[from.length - 1 - suffix] === to[to.length - 1 - suffix]
  ) {
    suffix++
  }
  const start = Math.max(0, prefix - context)
  const cut = (text: string): string => {
    const end = Math.min(text.length, text.length - suffix + context)
    return (start > 0 ? '…' : '') + text.slice(start, end) + (end < text.length ? '…' : '')
  }
  return `${quote(cut(from))} → ${quote(cut(to))}`
}
