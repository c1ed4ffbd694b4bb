/**
 * The page's data (`../page-data.ts`), read once and indexed for the views:
 * each role with its permissions unpacked and its search text, every action
 * with the roles that grant it, the namespaces, and the allTasks wildcards.
 */
import {DATA_ELEMENT_ID, type SiteCallout, type SiteData, type SiteRole, type SiteRoleFields, type SiteTable} from '../page-data.js'
import {byId} from './dom.js'

export interface RolePermission {
  action: string
  /** `action` in lower case, to search. */
  lowerAction: string
  description: string
  privileged: boolean
  /** The row's line in the source file. */
  line: number
}

/** A role as the views show it. */
export interface IndexedRole extends SiteRoleFields {
  /** The name, or the id of a role without one. */
  label: string
  callouts: SiteCallout[]
  tables: SiteTable[]
  /** `url`: where the source file is (`SiteData.sourceFolders`), `null` when the page cannot link to it. */
  source: {path: string; url: string | null}
  permissions: RolePermission[]
  privilegedCount: number
  /** The namespaces of its actions. */
  namespaces: Set<string>
  /** Label, id, template ID, description, actions and their descriptions, one per line, in lower case. */
  haystack: string
}

/** An action, with every role that grants it in list order. */
export interface ActionEntry {
  action: string
  lower: string
  /** Whether any role's row of it carries the privileged label. */
  privileged: boolean
  roles: IndexedRole[]
}

/** An allTasks action and the prefix of the actions it may cover. */
export interface Wildcard {
  entry: ActionEntry
  prefix: string
}

export interface ExplorerIndex {
  /** Sorted by name, then id (as in the data). */
  roles: IndexedRole[]
  roleById: Map<string, IndexedRole>
  /** Sorted by action. */
  actions: ActionEntry[]
  /** Sorted. */
  namespaces: string[]
  /** How many roles grant actions in each namespace. */
  rolesPerNamespace: Map<string, number>
  wildcards: Wildcard[]
}

/** The data the page embeds. */
export function readPageData(): SiteData {
  // Written by emitSite from the same types: JSON.parse cannot know them.
  return JSON.parse(byId(DATA_ELEMENT_ID, HTMLScriptElement).text) as SiteData
}

export function createIndex(data: SiteData): ExplorerIndex {
  const roles = data.roles.map((role) => indexRole(role, data))
  const actionByName = new Map<string, ActionEntry>()
  const rolesPerNamespace = new Map<string, number>()
  for (const role of roles) {
    for (const permission of role.permissions) addGrant(actionByName, permission, role)
    for (const namespace of role.namespaces) rolesPerNamespace.set(namespace, (rolesPerNamespace.get(namespace) ?? 0) + 1)
  }
  const actions = Array.from(actionByName.values()).sort((a, b) => compare(a.action, b.action))
  const wildcards: Wildcard[] = []
  for (const entry of actions) {
    const prefix = wildcardPrefix(entry.action)
    if (prefix !== null) wildcards.push({entry, prefix})
  }
  return {
    roles,
    roleById: new Map(roles.map((role) => [role.id, role])),
    actions,
    namespaces: Array.from(rolesPerNamespace.keys()).sort(compare),
    rolesPerNamespace,
    wildcards
  }
}

function indexRole(role: SiteRole, data: SiteData): IndexedRole {
  const label = role.name === null ? role.id : role.name
  const permissions: RolePermission[] = []
  const texts = [label, role.id, role.templateId ?? '', role.description ?? '']
  const namespaces = new Set<string>()
  let privilegedCount = 0
  for (const [action, description, privileged, line] of role.permissions) {
    const permission = {
      action: data.actions[action] ?? '',
      lowerAction: '',
      description: data.descriptions[description] ?? '',
      privileged,
      line
    }
    permission.lowerAction = permission.action.toLowerCase()
    permissions.push(permission)
    if (privileged) privilegedCount++
    namespaces.add(namespaceOf(permission.action))
    texts.push(permission.action, permission.description)
  }
  return {
    id: role.id,
    name: role.name,
    label,
    description: role.description,
    templateId: role.templateId,
    privileged: role.privileged,
    deprecated: role.deprecated,
    summary: role.summary,
    callouts: role.callouts,
    tables: role.tables,
    source: {path: role.source.path, url: sourceUrl(role, data)},
    permissions,
    privilegedCount,
    namespaces,
    haystack: texts.join('\n').toLowerCase()
  }
}

function sourceUrl(role: SiteRole, data: SiteData): string | null {
  const folder = role.source.folder === null ? undefined : data.sourceFolders[role.source.folder]
  return folder === undefined ? null : folder + role.source.href
}

function addGrant(actionByName: Map<string, ActionEntry>, permission: RolePermission, role: IndexedRole): void {
  let entry = actionByName.get(permission.action)
  if (entry === undefined) {
    entry = {action: permission.action, lower: permission.lowerAction, privileged: false, roles: []}
    actionByName.set(permission.action, entry)
  }
  if (permission.privileged) entry.privileged = true
  if (entry.roles[entry.roles.length - 1] !== role) entry.roles.push(role)
}

/** The first `/`-segment of an action. */
export function namespaceOf(action: string): string {
  const slash = action.indexOf('/')
  return slash === -1 ? action : action.slice(0, slash)
}

/** What an allTasks wildcard covers: `X/allProperties/allTasks` covers `X/…`, `ns/allEntities/allTasks` covers `ns/…`. */
export function wildcardPrefix(action: string): string | null {
  const parts = action.split('/')
  if (parts.length < 3 || parts[parts.length - 1] !== 'allTasks') return null
  const scope = parts[parts.length - 2]
  if (scope === 'allProperties') return parts.slice(0, -2).join('/') + '/'
  if (scope === 'allEntities' && parts.length === 3) return parts[0] + '/'
  return null
}

/** Code-unit order, as the data's own sorting. */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** The words of a query, in lower case. */
export function termsOf(query: string): string[] {
  return query
    .toLowerCase()
    .split(/\s+/)
    .filter((term) => term !== '')
}

/** Whether `text` contains every term. */
export function containsAll(text: string, terms: readonly string[]): boolean {
  return terms.every((term) => text.includes(term))
}
