/**
 * `#/roles?q=&ns=&privileged=1&deprecated=1&sort=&dir=`: every role with
 * its permission counts, filters, an order chosen from the column headings,
 * and the roles shown as CSV. The list is built once; filters hide rows and
 * the order moves them, instead of rebuilding them.
 */
import type {CsvRows} from '../../emit/csv.js'
import {containsAll, termsOf, type IndexedRole} from './data.js'
import {actionCode, byId, childrenOf, esc, find, fromHtml, plural, setChildren, setTitle, timed} from './dom.js'
import {csvButton, downloadOnClick} from './export.js'
import {replaceHash, roleHref, viewHash} from './router.js'
import type {Explorer, Place, View} from './view.js'

interface RolesFilter {
  q: string
  ns: string
  privileged: boolean
  deprecated: boolean
}

/** What the list is sorted by: the name, the permission count, the privileged permission count. */
type SortKey = 'name' | 'permissions' | 'privileged'
type SortDirection = 'asc' | 'desc'

interface RolesOrder {
  sort: SortKey
  dir: SortDirection
}

/** Each key's heading, its first direction (names A to Z, counts most first), and how a direction reads. */
const SORT_KEYS: Readonly<Record<SortKey, {heading: string; first: SortDirection; asc: string; desc: string}>> = {
  name: {heading: 'Role', first: 'asc', asc: 'A to Z', desc: 'Z to A'},
  permissions: {heading: 'Permissions', first: 'desc', asc: 'fewest first', desc: 'most first'},
  privileged: {heading: 'Privileged permissions', first: 'desc', asc: 'fewest first', desc: 'most first'}
}

interface RoleRow {
  row: HTMLElement
  /** Where the matching actions are listed. */
  hits: HTMLElement
  /** What `hits` holds now. */
  html: string
}

interface RoleList {
  element: HTMLElement
  rows: Map<IndexedRole, RoleRow>
}

export function createRolesView(explorer: Explorer): View {
  let list: RoleList | null = null
  const listOnce = (): RoleList => (list ??= createRoleList(explorer.index.roles))
  return {nav: 'roles', render: (place) => renderRoles(explorer, place, listOnce)}
}

function renderRoles(explorer: Explorer, place: Place, listOnce: () => RoleList): void {
  const {index, main} = explorer
  setTitle('Roles')
  const options = ['<option value="">All namespaces</option>']
  for (const namespace of index.namespaces) {
    const count = plural(index.rolesPerNamespace.get(namespace) ?? 0, 'role', 'roles')
    options.push(`<option value="${esc(namespace)}">${esc(namespace)} (${count})</option>`)
  }
  main.innerHTML =
    '<h1 tabindex="-1">Roles</h1>' +
    '<form class="controls" role="search" aria-label="Filter roles">' +
    '<p class="field field-grow"><label for="role-q">Search names, IDs, template IDs, descriptions and actions</label>' +
    '<input id="role-q" type="search" autocomplete="off" spellcheck="false" placeholder="e.g. password, user-administrator, users/delete"></p>' +
    '<p class="field"><label for="role-ns">Grants actions in namespace</label><select id="role-ns">' + options.join('') + '</select></p>' +
    '<fieldset class="checks"><legend>Show only</legend>' +
    '<label><input id="role-privileged" type="checkbox">Privileged roles</label>' +
    '<label><input id="role-deprecated" type="checkbox">Deprecated roles</label>' +
    '</fieldset></form>' +
    `<div class="count-row"><p id="role-count" class="count" role="status"></p>${csvButton('role-csv')}</div>` +
    '<p id="role-empty" class="empty" hidden>No role matches these filters.</p>' +
    '<div id="role-results"><p class="list-head role-row" id="role-sort">' + sortHeadings() + '</p></div>'

  const form = find(main, 'form', HTMLFormElement)
  const query = byId('role-q', HTMLInputElement)
  const namespace = byId('role-ns', HTMLSelectElement)
  const privileged = byId('role-privileged', HTMLInputElement)
  const deprecated = byId('role-deprecated', HTMLInputElement)
  const params = place.params
  const ns = params.get('ns') ?? ''
  query.value = params.get('q') ?? ''
  namespace.value = index.rolesPerNamespace.has(ns) ? ns : ''
  privileged.checked = params.get('privileged') === '1'
  deprecated.checked = params.get('deprecated') === '1'
  let order = orderOf(params)
  let filter: RolesFilter = {q: '', ns: '', privileged: false, deprecated: false}

  const update = (): void => {
    filter = {q: query.value, ns: namespace.value, privileged: privileged.checked, deprecated: deprecated.checked}
    explorer.rolesHash = viewHash('roles', {...filter, ...orderParams(order)})
    replaceHash(explorer.rolesHash)
    timed(() => showRoles(explorer, filter, order, listOnce()))
  }
  downloadOnClick(byId('role-csv', HTMLButtonElement), () => 'roles.csv', () => rolesCsv(shownRoles(index.roles, filter, order)))
  form.addEventListener('input', update)
  form.addEventListener('submit', (event) => event.preventDefault())
  byId('role-sort', HTMLParagraphElement).addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-sort]') : null
    const sort = button?.getAttribute('data-sort')
    if (!isSortKey(sort)) return
    order = {sort, dir: order.sort === sort ? (order.dir === 'asc' ? 'desc' : 'asc') : SORT_KEYS[sort].first}
    update()
  })
  update()
}

function isSortKey(value: string | null | undefined): value is SortKey {
  return value === 'name' || value === 'permissions' || value === 'privileged'
}

/** The order the URL names; the default (names A to Z) for anything else. */
function orderOf(params: URLSearchParams): RolesOrder {
  const sort = params.get('sort')
  const key = isSortKey(sort) ? sort : 'name'
  const dir = params.get('dir')
  return {sort: key, dir: dir === 'asc' || dir === 'desc' ? dir : SORT_KEYS[key].first}
}

/** The order in the URL: nothing for names, no direction for a key's first one. */
function orderParams(order: RolesOrder): {sort: string; dir: string} {
  return {sort: order.sort === 'name' ? '' : order.sort, dir: order.dir === SORT_KEYS[order.sort].first ? '' : order.dir}
}

/** The column headings, each a button that sorts by it (`markSort` says which does). */
function sortHeadings(): string {
  const headings: string[] = []
  for (const key of ['name', 'permissions', 'privileged'] as const) {
    headings.push(
      `<span${key === 'name' ? '' : ' class="num"'}><button type="button" class="sort" data-sort="${key}">${SORT_KEYS[key].heading}` +
        '<span class="sort-mark" aria-hidden="true"></span><span class="visually-hidden"></span></button></span>'
    )
  }
  return headings.join('')
}

/** Mark the heading of the current order with an arrow, and say the order in words to a screen reader. */
function markSort(headings: HTMLElement, order: RolesOrder): void {
  for (const button of headings.querySelectorAll('button[data-sort]')) {
    const key = button.getAttribute('data-sort')
    const current = key === order.sort
    const [mark, words] = [find(button, '.sort-mark', HTMLSpanElement), find(button, '.visually-hidden', HTMLSpanElement)]
    mark.textContent = current ? (order.dir === 'asc' ? ' \u25b2' : ' \u25bc') : ''
    words.textContent = current && isSortKey(key) ? `, sorted, ${SORT_KEYS[key][order.dir]}` : ''
  }
}

/** The roles in this order; ties (and the name order itself) by name, then id, as the index lists them. */
function sortRoles(roles: readonly IndexedRole[], order: RolesOrder): IndexedRole[] {
  const sign = order.dir === 'asc' ? 1 : -1
  if (order.sort === 'name') return order.dir === 'asc' ? [...roles] : [...roles].reverse()
  const position = new Map(roles.map((role, index) => [role, index]))
  const value = (role: IndexedRole): number => (order.sort === 'permissions' ? role.permissions.length : role.privilegedCount)
  return [...roles].sort((a, b) => sign * (value(a) - value(b)) || (position.get(a) ?? 0) - (position.get(b) ?? 0))
}

function createRoleList(roles: readonly IndexedRole[]): RoleList {
  const items: string[] = []
  for (const role of roles) {
    items.push(
      `<li data-role="${esc(role.id)}" class="role-row${role.privileged ? ' privileged' : ''}">` +
        `<div><a class="role-name" href="${roleHref(role.id)}">${esc(role.label)}</a>${roleBadges(role)}` +
        (role.description ? `<p class="desc">${esc(role.description)}</p>` : '') +
        '<p class="hits" hidden></p></div>' +
        `<span class="num">${role.permissions.length}<span class="visually-hidden"> permissions,</span></span>` +
        `<span class="num">${role.privilegedCount}<span class="visually-hidden"> privileged</span></span></li>`
    )
  }
  const element = fromHtml('<ul class="role-rows" id="role-list">' + items.join('') + '</ul>')
  const rowElements = childrenOf(element, HTMLLIElement)
  const rows = new Map<IndexedRole, RoleRow>()
  roles.forEach((role, index) => {
    const row = rowElements[index]
    if (row === undefined) throw new Error('roledoc explorer: a role has no row')
    rows.set(role, {row, hits: find(row, '.hits', HTMLParagraphElement), html: ''})
  })
  return {element, rows}
}

/** The roles the list shows, in its order. */
function shownRoles(roles: readonly IndexedRole[], filter: RolesFilter, order: RolesOrder): IndexedRole[] {
  const terms = termsOf(filter.q)
  return sortRoles(roles, order).filter((role) => matchesRole(role, filter, terms))
}

/** The list as CSV: a row per role, with what the list shows of it. */
function rolesCsv(roles: readonly IndexedRole[]): CsvRows {
  const rows: Array<ReadonlyArray<string | number | boolean | null>> = [
    ['role_id', 'role_name', 'template_id', 'privileged', 'deprecated', 'permissions', 'privileged_permissions']
  ]
  for (const role of roles) {
    rows.push([role.id, role.name, role.templateId, role.privileged, role.deprecated, role.permissions.length, role.privilegedCount])
  }
  return rows
}

function rowOf(list: RoleList, role: IndexedRole): RoleRow {
  const row = list.rows.get(role)
  if (row === undefined) throw new Error('roledoc explorer: a role has no row')
  return row
}

function matchesRole(role: IndexedRole, filter: RolesFilter, terms: readonly string[]): boolean {
  if (filter.privileged && !role.privileged) return false
  if (filter.deprecated && !role.deprecated) return false
  if (filter.ns !== '' && !role.namespaces.has(filter.ns)) return false
  return containsAll(role.haystack, terms)
}

function showRoles(explorer: Explorer, filter: RolesFilter, order: RolesOrder, list: RoleList): void {
  const roles = explorer.index.roles
  const terms = termsOf(filter.q)
  const needle = filter.q.trim().toLowerCase()
  let shown = 0
  for (const [role, entry] of list.rows) {
    const visible = matchesRole(role, filter, terms)
    if (entry.row.hidden === visible) entry.row.hidden = !visible
    if (!visible) continue
    shown++
    const hits = roleHits(role, needle)
    if (hits !== entry.html) {
      entry.html = hits
      entry.hits.innerHTML = hits
      entry.hits.hidden = hits === ''
    }
  }
  byId('role-count', HTMLParagraphElement).innerHTML = `Showing <strong>${shown}</strong> of ${roles.length} roles`
  const results = byId('role-results', HTMLDivElement)
  markSort(byId('role-sort', HTMLParagraphElement), order)
  setChildren(list.element, sortRoles(roles, order).map((role) => rowOf(list, role).row))
  if (list.element.parentNode !== results) results.appendChild(list.element)
  results.hidden = shown === 0
  byId('role-empty', HTMLParagraphElement).hidden = shown !== 0
  byId('role-csv', HTMLButtonElement).disabled = shown === 0
}

/**
 * Why a role matches the whole query (3 characters or more), when its name
 * does not show it: its id, its template ID, the actions that contain it.
 */
function roleHits(role: IndexedRole, needle: string): string {
  if (needle.length < 3) return ''
  const hits: string[] = []
  if (role.id.toLowerCase().includes(needle) && !role.label.toLowerCase().includes(needle)) hits.push(`ID: <code>${esc(role.id)}</code>`)
  if (role.templateId?.toLowerCase().includes(needle)) hits.push(`Template ID: <code>${esc(role.templateId)}</code>`)
  const actions = role.permissions.filter((permission) => permission.lowerAction.includes(needle))
  if (actions.length > 0) {
    const listed = actions.slice(0, 3).map((permission) => actionCode(permission.action))
    const more = actions.length > 3 ? ` and ${actions.length - 3} more` : ''
    hits.push('Matching actions: ' + listed.join(', ') + more)
  }
  return hits.join('; ')
}

/** The Privileged and Deprecated labels after a role's name. */
export function roleBadges(role: IndexedRole): string {
  return (
    (role.privileged ? ' <span class="badge badge-privileged">Privileged</span>' : '') +
    (role.deprecated ? ' <span class="badge badge-deprecated">Deprecated</span>' : '')
  )
}
