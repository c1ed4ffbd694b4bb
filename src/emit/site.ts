/**
 * The explorer page: one self-contained, static HTML file (data, styles and
 * script inlined, no network access) to browse the roles, search the actions
 * and read the changes since a previous dataset. Pure and deterministic: the
 * same records and options give the same bytes.
 */
import assert from 'node:assert/strict'
import {createHash} from 'node:crypto'
import {isPrivilegeChange, type Change, type ChangeKind, type DiffResult, type DiffSummary} from '../diff.js'
import {compareStrings} from '../messages.js'
import {clientScript} from '../site/client.js'
import {siteStyle} from '../site/style.js'
import type {DatasetRecord, RoleRecord} from '../types.js'

export interface SiteOptions {
  /** roledoc's version, shown in the page header. */
  version: string
  /** The diff against a previous dataset; without it the page has no changes view. */
  changes?: DiffResult
  /**
   * Prefix of the links to a role's source file and line (`<baseUrl><source.path>#L<line>`),
   * for example `https://github.com/MicrosoftDocs/entra-docs/blob/main/docs/identity/role-based-access-control/`;
   * a `/` is added when missing. Default: `../`, relative to `site/index.html`, which
   * only works when the docs are published beside the output folder's contents.
   */
  baseUrl?: string
}

/**
 * A permission in the page data: `[action, description, privileged, line]`,
 * the action and description as indexes into `SiteData.actions` and
 * `SiteData.descriptions` (most appear in many roles).
 */
type SitePermission = [number, number, boolean, number]

interface SiteRole {
  id: string
  name: string | null
  description: string | null
  templateId: string | null
  privileged: boolean
  deprecated: boolean
  summary: string
  callouts: Array<{type: string; text: string; line: number}>
  tables: Array<{header: string[]; rows: string[][]}>
  /** `href`: the path percent-encoded, to put after `SiteData.sourceBase`. */
  source: {path: string; href: string}
  permissions: SitePermission[]
}

/** Where a change is listed: privilege changes first, then by what changed. */
type ChangeGroup = 'privilege' | 'roles' | 'permissions' | 'other'

interface SiteChange {
  kind: ChangeKind
  group: ChangeGroup
  /** Whether the change touches privilege (`isPrivilegeChange`). */
  privilege: boolean
  /** `+` added, `-` removed, `~` changed. */
  mark: '+' | '-' | '~'
  /** `present`: the role is in the records, so the page can link to it. */
  role: {id: string; name: string | null; present: boolean}
  text: string
  action: string | null
  note: string | null
  from: string | null
  to: string | null
}

interface SiteTotals {
  roles: number
  permissions: number
  privilegedPermissions: number
  privilegedRoles: number
  actions: number
}

/** What the page's script reads from `<script type="application/json" id="roledoc-data">`. */
interface SiteData {
  version: string
  /** Prefix of the source links: the base URL, with a final `/`. */
  sourceBase: string
  totals: SiteTotals
  /** Every distinct action, sorted. */
  actions: string[]
  /** Every distinct permission description, sorted. */
  descriptions: string[]
  /** Sorted by name, then id. */
  roles: SiteRole[]
  changes: {old: string; new: string; summary: DiffSummary; items: SiteChange[]} | null
}

const GROUP_ORDER: readonly ChangeGroup[] = ['privilege', 'roles', 'permissions', 'other']

/** The whole explorer page for `records` (fragments are left out). */
export function emitSite(records: readonly DatasetRecord[], options: SiteOptions): string {
  const data = createSiteData(records, options)
  const json = JSON.stringify(data).replace(/</g, '\\u003c')
  const script = clientScript
  const style = siteStyle
  const csp = [
    "default-src 'none'",
    `script-src '${sha256(script)}'`,
    `style-src '${sha256(style)}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'"
  ].join('; ')
  const version = escapeHtml(options.version)
  const totals = data.totals
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    '<meta name="color-scheme" content="light dark">',
    `<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">`,
    '<meta name="referrer" content="no-referrer">',
    `<meta name="generator" content="roledoc ${version}">`,
    '<title>roledoc explorer</title>',
    '<link rel="icon" href="data:,">',
    `<style>${style}</style>`,
    '</head>',
    '<body>',
    '<header class="site-header"><div class="wrap">',
    '<p class="brand"><a href="#/roles">roledoc explorer</a></p>',
    '<nav class="site-nav" aria-label="Views"><ul>',
    '<li><a href="#/roles" data-view="roles">Roles</a></li>',
    '<li><a href="#/actions" data-view="actions">Actions</a></li>',
    data.changes === null ? '' : `<li><a href="#/changes" data-view="changes">Changes (${data.changes.items.length})</a></li>`,
    '</ul></nav>',
    `<p class="totals">${totals.roles} roles (${totals.privilegedRoles} privileged) &middot; ` +
      `${totals.permissions} permissions (${totals.privilegedPermissions} privileged) &middot; ${totals.actions} distinct actions</p>`,
    '</div></header>',
    '<main id="main" class="wrap">',
    '<noscript><p>This page needs JavaScript to show the roles. The same data is in <code>roles.json</code> beside this folder.</p></noscript>',
    '</main>',
    `<footer class="site-footer wrap"><p>Generated by roledoc ${version} from the role documentation; ` +
      'the same records are in <code>roles.json</code> and <code>actions.json</code>.</p></footer>',
    `<script type="application/json" id="roledoc-data">${json}</script>`,
    `<script>${script}</script>`,
    '</body>',
    '</html>',
    ''
  ].join('\n')
}

function createSiteData(records: readonly DatasetRecord[], options: SiteOptions): SiteData {
  const roles = records.filter((record): record is RoleRecord => record.kind === 'role')
  const actions = createStringTable(roles.flatMap((role) => role.permissions.map((permission) => permission.action)))
  const descriptions = createStringTable(roles.flatMap((role) => role.permissions.map((permission) => permission.description)))
  const siteRoles: SiteRole[] = []
  for (const record of roles) siteRoles.push(createSiteRole(record, actions, descriptions))
  siteRoles.sort(compareRoles)
  return {
    version: options.version,
    sourceBase: normalizeBaseUrl(options.baseUrl),
    totals: countTotals(roles),
    actions: [...actions.keys()],
    descriptions: [...descriptions.keys()],
    roles: siteRoles,
    changes: options.changes ? createSiteChanges(options.changes, new Set(roles.map((role) => role.id))) : null
  }
}

/** Each distinct string, sorted, mapped to its index. */
function createStringTable(values: readonly string[]): Map<string, number> {
  const sorted = [...new Set(values)].sort(compareStrings)
  return new Map(sorted.map((value, index) => [value, index]))
}

function normalizeBaseUrl(baseUrl: string | undefined): string {
  if (baseUrl === undefined || baseUrl === '') return '../'
  return baseUrl.endsWith('/') ? baseUrl : baseUrl + '/'
}

function createSiteRole(record: RoleRecord, actions: ReadonlyMap<string, number>, descriptions: ReadonlyMap<string, number>): SiteRole {
  const permissions: SitePermission[] = []
  for (const permission of record.permissions) {
    const action = actions.get(permission.action)
    const description = descriptions.get(permission.description)
    assert(action !== undefined && description !== undefined, 'every action and description is in its table')
    permissions.push([action, description, permission.privileged, permission.position.line])
  }
  return {
    id: record.id,
    name: record.name,
    description: record.description,
    templateId: record.templateId,
    privileged: record.privileged,
    deprecated: record.deprecated,
    summary: record.summary,
    callouts: record.callouts.map((callout) => ({type: callout.type, text: callout.text, line: callout.position.line})),
    tables: record.tables.map((table) => ({header: table.header, rows: table.rows})),
    source: {path: record.source.path, href: encodePath(record.source.path)},
    permissions
  }
}

/** Percent-encode each segment of a posix path, keeping the slashes. */
function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/')
}

function compareRoles(a: SiteRole, b: SiteRole): number {
  return compareStrings((a.name ?? a.id).toLowerCase(), (b.name ?? b.id).toLowerCase()) || compareStrings(a.id, b.id)
}

function countTotals(roles: readonly RoleRecord[]): SiteTotals {
  const actions = new Set<string>()
  const totals: SiteTotals = {roles: roles.length, permissions: 0, privilegedPermissions: 0, privilegedRoles: 0, actions: 0}
  for (const role of roles) {
    if (role.privileged) totals.privilegedRoles++
    for (const permission of role.permissions) {
      totals.permissions++
      if (permission.privileged) totals.privilegedPermissions++
      actions.add(permission.action)
    }
  }
  totals.actions = actions.size
  return totals
}

/** The changes in display order: privilege changes first, then by group, each in the diff's order. */
function createSiteChanges(diff: DiffResult, present: ReadonlySet<string>): NonNullable<SiteData['changes']> {
  const items = diff.changes.map((change) => createSiteChange(change, present))
  const ordered: SiteChange[] = []
  for (const group of GROUP_ORDER) {
    for (const item of items) if (item.group === group) ordered.push(item)
  }
  return {old: diff.old, new: diff.new, summary: diff.summary, items: ordered}
}

function createSiteChange(change: Change, present: ReadonlySet<string>): SiteChange {
  const privilege = isPrivilegeChange(change)
  const item: SiteChange = {
    kind: change.kind,
    group: privilege ? 'privilege' : groupOf(change.kind),
    privilege,
    mark: '~',
    role: {id: change.role.id, name: change.role.name, present: present.has(change.role.id)},
    text: '',
    action: null,
    note: null,
    from: null,
    to: null
  }
  describeChange(change, item)
  return item
}

function groupOf(kind: ChangeKind): ChangeGroup {
  switch (kind) {
    case 'role-added':
    case 'role-removed':
    case 'role-renamed':
      return 'roles'
    case 'permission-added':
    case 'permission-removed':
      return 'permissions'
    default:
      return 'other'
  }
}

/** Fill in the words of one change. */
function describeChange(change: Change, item: SiteChange): void {
  switch (change.kind) {
    case 'role-added':
    case 'role-removed': {
      item.mark = change.kind === 'role-added' ? '+' : '-'
      item.text = change.kind === 'role-added' ? 'Role added' : 'Role removed'
      item.note = plural(change.permissionCount, 'permission') + (change.privileged ? ', privileged role' : '')
      return
    }
    case 'role-renamed': {
      item.text = 'Role renamed'
      item.from = roleLabel(change.from)
      item.to = roleLabel(change.to)
      return
    }
    case 'role-privileged': {
      item.text = change.to ? 'Role became privileged' : 'Role is no longer privileged'
      return
    }
    case 'deprecated': {
      item.text = change.to ? 'Role became deprecated' : 'Role is no longer deprecated'
      return
    }
    case 'description':
    case 'summary':
    case 'ms-date': {
      item.text = change.kind === 'description' ? 'Description changed' : change.kind === 'summary' ? 'Summary changed' : 'ms.date changed'
      item.from = change.from ?? '(none)'
      item.to = change.to ?? '(none)'
      return
    }
    case 'permission-added':
    case 'permission-removed': {
      item.mark = change.kind === 'permission-added' ? '+' : '-'
      item.text = change.kind === 'permission-added' ? 'Permission added' : 'Permission removed'
      item.action = change.action
      item.note = change.description === '' ? null : change.description
      return
    }
    case 'permission-privileged': {
      item.text = change.to ? 'Permission became privileged' : 'Permission is no longer privileged'
      item.action = change.action
      return
    }
    case 'permission-description': {
      item.text = 'Permission description changed'
      item.action = change.action
      item.from = change.from
      item.to = change.to
      return
    }
    case 'callout-added': {
      item.mark = '+'
      item.text = `Callout added (${change.callout.type})`
      item.to = change.callout.text
      return
    }
    case 'callout-removed': {
      item.mark = '-'
      item.text = `Callout removed (${change.callout.type})`
      item.from = change.callout.text
      return
    }
    case 'callout-changed': {
      item.text = `Callout changed (${change.to.type})`
      item.from = change.from.text
      item.to = change.to.text
      return
    }
    default: {
      const unknown: never = change
      return unknown
    }
  }
}

function roleLabel(role: {id: string; name: string | null}): string {
  return role.name === null ? role.id : `${role.name} (${role.id})`
}

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`
}

function sha256(text: string): string {
  return 'sha256-' + createHash('sha256').update(text, 'utf8').digest('base64')
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}
