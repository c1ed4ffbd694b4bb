/**
 * `#/role/<id>?q=&privileged=1`: one role's facts, callouts, permissions
 * (with a filter), the rest of its text, and with a git history its
 * timeline.
 */
import type {SiteHistory} from '../page-data.js'
import {containsAll, termsOf, type IndexedRole, type RolePermission} from './data.js'
import {timelineHtml} from './history.js'
import {actionCode, byId, esc, find, plural, setTitle, timed} from './dom.js'
import {actionRows, csvButton, downloadOnClick, fileNameOf} from './export.js'
import {renderCallout, renderProse, renderTable} from './prose.js'
import {roleBadges} from './roles.js'
import {replaceHash, viewHash} from './router.js'
import type {Explorer, Place, View} from './view.js'

interface PermissionFilter {
  q: string
  privileged: boolean
}

/** `history`: the page's git history, `null` when it was built without one (no timeline). */
export function createRoleView(explorer: Explorer, history: SiteHistory | null = null): View {
  return {nav: 'roles', render: (place) => renderRole(explorer, place, history)}
}

function renderRole(explorer: Explorer, place: Place, history: SiteHistory | null): void {
  const {main} = explorer
  const role = explorer.index.roleById.get(place.argument)
  const back = `<p class="crumbs"><a href="${esc(explorer.rolesHash)}">&larr; All roles</a></p>`
  if (role === undefined) {
    setTitle('Role not found')
    main.innerHTML = back + `<h1 tabindex="-1">Role not found</h1><p>No role has the id <code>${esc(place.argument)}</code>.</p>`
    return
  }
  setTitle(role.label)
  main.innerHTML = back + roleHtml(role) + (history === null ? '' : timelineHtml(role.id, history))

  const form = find(main, 'form', HTMLFormElement)
  const query = byId('permission-q', HTMLInputElement)
  const privileged = byId('permission-privileged', HTMLInputElement)
  query.value = place.params.get('q') ?? ''
  privileged.checked = place.params.get('privileged') === '1'
  let filter: PermissionFilter = {q: '', privileged: false}
  const update = (): void => {
    filter = {q: query.value, privileged: privileged.checked}
    replaceHash(viewHash('role/' + encodeURIComponent(role.id), {...filter}))
    timed(() => showPermissions(role, filter))
  }
  downloadOnClick(
    byId('permission-csv', HTMLButtonElement),
    () => fileNameOf(role.id, 'permissions'),
    () => actionRows(role.permissions.filter(isShown(filter)).map((permission) => ({role, permission})))
  )
  form.addEventListener('input', update)
  form.addEventListener('submit', (event) => event.preventDefault())
  update()
}

function roleHtml(role: IndexedRole): string {
  const html = [`<h1 tabindex="-1">${esc(role.label)}${roleBadges(role)}</h1>`]
  if (role.description) html.push(`<p class="lead">${esc(role.description)}</p>`)
  html.push('<dl class="facts">')
  html.push(`<dt>ID</dt><dd><code>${esc(role.id)}</code></dd>`)
  if (role.templateId) html.push(`<dt>Template ID</dt><dd><code>${esc(role.templateId)}</code></dd>`)
  const count = role.permissions.length
  html.push(
    `<dt>Permissions</dt><dd id="permission-count" data-count="${count}" data-privileged="${role.privilegedCount}">` +
      `${plural(count, 'permission', 'permissions')}, ${role.privilegedCount} privileged</dd>`
  )
  html.push(`<dt>Source</dt><dd>${sourceHtml(role)}</dd>`)
  html.push('</dl>')
  html.push(`<p class="role-tools"><a href="${esc(viewHash('compare', {a: role.id}))}">Compare with another role</a></p>`)
  for (const callout of role.callouts) html.push(renderCallout(callout, role.source.url))
  html.push(
    '<section aria-labelledby="permissions"><h2 id="permissions">Permissions</h2>' +
      '<form class="controls" role="search" aria-label="Filter permissions">' +
      '<p class="field field-grow"><label for="permission-q">Filter actions and descriptions</label>' +
      '<input id="permission-q" type="search" autocomplete="off" spellcheck="false"></p>' +
      '<fieldset class="checks"><legend>Show only</legend><label><input id="permission-privileged" type="checkbox">Privileged permissions</label></fieldset>' +
      `</form><div class="count-row"><p id="permission-status" class="count" role="status"></p>${csvButton('permission-csv')}</div>` +
      permissionTable(role) + '</section>'
  )
  if (role.summary || role.tables.length > 0) {
    html.push('<section aria-labelledby="about"><h2 id="about">About this role</h2>')
    if (role.summary) html.push(`<div class="prose">${renderProse(role.summary)}</div>`)
    for (const table of role.tables) html.push(renderTable(table))
    html.push('</section>')
  }
  return html.join('')
}

/** The source file's path, a link to it when the page has one. */
function sourceHtml(role: IndexedRole): string {
  const {path, url} = role.source
  if (url !== null) return `<a href="${esc(url)}">${esc(path)}</a>`
  return (
    `<code>${esc(path)}</code> <span class="note">(no link: this page was built away from the docs, ` +
    'and without <code>--site-base-url</code>)</span>'
  )
}

/** A link to a line of the role's source, or the line's number alone. */
function lineLink(url: string | null, line: number, text: string): string {
  return url === null ? text : `<a href="${esc(`${url}#L${line}`)}" aria-label="Source, line ${line}">${text}</a>`
}

function permissionTable(role: IndexedRole): string {
  const rows: string[] = []
  for (const permission of role.permissions) {
    const {action, privileged, line} = permission
    rows.push(
      `<tr data-action="${esc(action)}" data-privileged="${privileged}"${privileged ? ' class="privileged"' : ''}>` +
        `<td><a class="action" href="${esc(viewHash('actions', {q: action}))}" title="Every role that grants this action">` +
        `${actionCode(action)}</a></td>` +
        `<td>${esc(permission.description)}</td>` +
        `<td class="perm-label">${privileged ? '<span class="badge badge-privileged">Privileged</span>' : ''}</td>` +
        `<td class="line">${lineLink(role.source.url, line, `line ${line}`)}</td></tr>`
    )
  }
  return (
    '<p id="permission-empty" class="empty" hidden>No permission matches.</p>' +
    '<table class="perm-table" id="permission-table"><thead><tr><th scope="col">Action</th><th scope="col">Description</th>' +
    '<th scope="col">Label</th><th scope="col">Source</th></tr></thead><tbody>' + rows.join('') + '</tbody></table>'
  )
}

/** Whether the filter shows a permission row. */
function isShown(filter: PermissionFilter): (permission: RolePermission) => boolean {
  const terms = termsOf(filter.q)
  return (permission) =>
    (!filter.privileged || permission.privileged) &&
    (terms.length === 0 || containsAll(`${permission.action}\n${permission.description}`.toLowerCase(), terms))
}

function showPermissions(role: IndexedRole, filter: PermissionFilter): void {
  const shows = isShown(filter)
  const table = byId('permission-table', HTMLTableElement)
  const rows = find(table, 'tbody', HTMLTableSectionElement).rows
  let shown = 0
  role.permissions.forEach((permission, index) => {
    const row = rows[index]
    const visible = shows(permission)
    if (row !== undefined && row.hidden === visible) row.hidden = !visible
    if (visible) shown++
  })
  byId('permission-status', HTMLParagraphElement).innerHTML =
    `Showing <strong>${shown}</strong> of ${plural(role.permissions.length, 'permission', 'permissions')}`
  table.hidden = shown === 0
  byId('permission-empty', HTMLParagraphElement).hidden = shown !== 0
  byId('permission-csv', HTMLButtonElement).disabled = shown === 0
}
