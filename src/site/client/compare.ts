/**
 * `#/compare?a=<id>&b=<id>`: two roles side by side, with what each grants
 * that the other does not (privileged permissions first, then by action),
 * and what both grant. An action that only one role lists may still be
 * covered by an allTasks wildcard of the other: the page says so.
 */
import {compare, wildcardPrefix, type IndexedRole, type RolePermission} from './data.js'
import {actionCode, byId, esc, find, plural, setTitle} from './dom.js'
import {actionRows, csvButton, downloadOnClick, fileNameOf} from './export.js'
import {roleBadges} from './roles.js'
import {replaceHash, roleHref, viewHash} from './router.js'
import type {Explorer, Place, View} from './view.js'

/** The two roles' permissions, split. */
export interface Comparison {
  a: IndexedRole
  b: IndexedRole
  /** Granted by `a` only, privileged first, then by action. */
  onlyA: RolePermission[]
  onlyB: RolePermission[]
  /** Granted by both, privileged first, then by action: `a`'s rows, privileged when either role's row is. */
  both: RolePermission[]
}

export function createCompareView(explorer: Explorer): View {
  return {nav: 'compare', render: (place) => renderCompare(explorer, place)}
}

function renderCompare(explorer: Explorer, place: Place): void {
  const {main, index} = explorer
  setTitle('Compare roles')
  main.innerHTML =
    '<h1 tabindex="-1">Compare roles</h1>' +
    '<p class="intro">What each of two roles grants that the other does not, privileged permissions first. ' +
    'An action that only one role lists may still be covered by an <code>allTasks</code> wildcard of the other: a note under it says so.</p>' +
    '<form class="controls" aria-label="Choose two roles">' +
    `<p class="field field-grow"><label for="compare-a">First role</label><select id="compare-a">${roleOptions(index.roles)}</select></p>` +
    `<p class="field field-grow"><label for="compare-b">Second role</label><select id="compare-b">${roleOptions(index.roles)}</select></p>` +
    '<p class="field"><button type="button" id="compare-swap">Swap</button></p></form>' +
    `<div class="count-row"><p class="count" role="status" id="compare-count"></p>${csvButton('compare-csv')}</div>` +
    '<div id="compare-result"></div>'
  const first = byId('compare-a', HTMLSelectElement)
  const second = byId('compare-b', HTMLSelectElement)
  const given = {a: place.params.get('a') ?? '', b: place.params.get('b') ?? ''}
  first.value = index.roleById.has(given.a) ? given.a : ''
  second.value = index.roleById.has(given.b) ? given.b : ''
  const unknown = [given.a, given.b].filter((id) => id !== '' && !index.roleById.has(id))

  let comparison: Comparison | null = null
  const update = (): void => {
    replaceHash(viewHash('compare', {a: first.value, b: second.value}))
    const a = index.roleById.get(first.value)
    const b = index.roleById.get(second.value)
    comparison = a !== undefined && b !== undefined && a !== b ? compareRoles(a, b) : null
    setTitle(comparison === null ? 'Compare roles' : `${comparison.a.label} and ${comparison.b.label}`)
    byId('compare-count', HTMLParagraphElement).innerHTML = comparison === null ? '' : countHtml(comparison)
    byId('compare-csv', HTMLButtonElement).disabled = comparison === null
    byId('compare-result', HTMLDivElement).innerHTML =
      comparison === null ? noComparisonHtml(a !== undefined && a === b, unknown) : comparisonHtml(comparison)
  }
  downloadOnClick(
    byId('compare-csv', HTMLButtonElement),
    () => (comparison === null ? 'compare.csv' : fileNameOf('compare', comparison.a.id, comparison.b.id)),
    () => actionRows(comparison === null ? [] : differenceRows(comparison))
  )
  find(main, 'form', HTMLFormElement).addEventListener('input', () => {
    unknown.length = 0
    update()
  })
  find(main, 'form', HTMLFormElement).addEventListener('submit', (event) => event.preventDefault())
  byId('compare-swap', HTMLButtonElement).addEventListener('click', () => {
    ;[first.value, second.value] = [second.value, first.value]
    update()
  })
  update()
}

function roleOptions(roles: readonly IndexedRole[]): string {
  const options = ['<option value="">Choose a role</option>']
  for (const role of roles) options.push(`<option value="${esc(role.id)}">${esc(role.label)}</option>`)
  return options.join('')
}

function noComparisonHtml(same: boolean, unknown: readonly string[]): string {
  const html: string[] = []
  for (const id of unknown) html.push(`<p class="empty">No role has the id <code>${esc(id)}</code>.</p>`)
  html.push(`<p class="empty">${same ? 'These are the same role: choose two different roles.' : 'Choose two roles to compare.'}</p>`)
  return html.join('')
}

/** What `a` grants that `b` does not, the other way round, and what both grant. */
export function compareRoles(a: IndexedRole, b: IndexedRole): Comparison {
  const inA = new Set(a.permissions.map((permission) => permission.action))
  const inB = new Map(uniqueActions(b.permissions).map((permission) => [permission.action, permission]))
  const both: RolePermission[] = []
  for (const permission of uniqueActions(a.permissions)) {
    const other = inB.get(permission.action)
    if (other !== undefined) both.push({...permission, privileged: permission.privileged || other.privileged})
  }
  return {
    a,
    b,
    onlyA: privilegedFirst(uniqueActions(a.permissions).filter((permission) => !inB.has(permission.action))),
    onlyB: privilegedFirst(uniqueActions(b.permissions).filter((permission) => !inA.has(permission.action))),
    both: privilegedFirst(both)
  }
}

/** Each action once (a role's table may list one twice): its first row. */
function uniqueActions(permissions: readonly RolePermission[]): RolePermission[] {
  const unique = new Map<string, RolePermission>()
  for (const permission of permissions) if (!unique.has(permission.action)) unique.set(permission.action, permission)
  return [...unique.values()]
}

function privilegedFirst(permissions: RolePermission[]): RolePermission[] {
  return permissions.sort((x, y) => Number(y.privileged) - Number(x.privileged) || compare(x.action, y.action))
}

/** The CSV rows of a comparison: what only the first role grants, then what only the second does. */
function differenceRows({a, b, onlyA, onlyB}: Comparison): Array<{role: IndexedRole; permission: RolePermission}> {
  return [...onlyA.map((permission) => ({role: a, permission})), ...onlyB.map((permission) => ({role: b, permission}))]
}

function countHtml({a, b, onlyA, onlyB, both}: Comparison): string {
  const privileged = (permissions: readonly RolePermission[]): number => permissions.filter((permission) => permission.privileged).length
  return (
    `<strong>${esc(a.label)}</strong> grants ${plural(onlyA.length, 'action', 'actions')} ` +
    `that the other does not (${privileged(onlyA)} privileged), <strong>${esc(b.label)}</strong> ${onlyB.length} ` +
    `(${privileged(onlyB)} privileged); both grant ${both.length}.`
  )
}

function comparisonHtml(comparison: Comparison): string {
  const {a, b, onlyA, onlyB, both} = comparison
  return (
    '<div class="compare-columns">' +
    onlySection('a', a, b, onlyA) +
    onlySection('b', b, a, onlyB) +
    '</div>' +
    `<details class="compare-both"><summary>Granted by both (${both.length})</summary><ul class="compare-list" id="compare-both">` +
    both.map(bothItem).join('') +
    '</ul></details>'
  )
}

/** What `role` grants and `other` does not. */
function onlySection(side: 'a' | 'b', role: IndexedRole, other: IndexedRole, permissions: readonly RolePermission[]): string {
  const items = permissions.map((permission) => onlyItem(permission, other))
  const body =
    items.length === 0
      ? `<p class="empty">Nothing: ${esc(other.label)} grants every action of this role.</p>`
      : `<ul class="compare-list" id="only-${side}-list">${items.join('')}</ul>`
  return (
    `<section aria-labelledby="only-${side}" data-role="${esc(role.id)}"><h2 id="only-${side}">Only <a href="${roleHref(role.id)}">${esc(role.label)}</a>` +
    `${roleBadges(role)} <span class="nowrap">(${permissions.length})</span></h2>${body}</section>`
  )
}

/** One action only one role lists, with the other role's wildcard that may cover it. */
function onlyItem(permission: RolePermission, other: IndexedRole): string {
  const wildcard = coveringWildcard(permission.action, other)
  return (
    `<li data-action="${esc(permission.action)}"${permission.privileged ? ' class="privileged"' : ''}>${actionCode(permission.action)}` +
    (permission.privileged ? ' <span class="badge badge-privileged">Privileged</span>' : '') +
    (wildcard === null ? '' : `<p class="wildcard-note">${esc(other.label)} grants ${actionCode(wildcard)}, which may include it.</p>`) +
    '</li>'
  )
}

function bothItem(permission: RolePermission): string {
  return (
    `<li data-action="${esc(permission.action)}"${permission.privileged ? ' class="privileged"' : ''}>${actionCode(permission.action)}` +
    (permission.privileged ? ' <span class="badge badge-privileged">Privileged</span>' : '') +
    '</li>'
  )
}

/** The first of `role`'s allTasks wildcards whose prefix covers `action`, if any. */
function coveringWildcard(action: string, role: IndexedRole): string | null {
  for (const permission of role.permissions) {
    const prefix = wildcardPrefix(permission.action)
    if (prefix !== null && action.startsWith(prefix)) return permission.action
  }
  return null
}
