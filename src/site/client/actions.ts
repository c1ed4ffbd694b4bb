/**
 * `#/actions?q=`: every action that contains the query, the roles that grant
 * one, and the roles that only hold an allTasks wildcard over one. The list
 * items are built once per action and role, and only the first 200 actions
 * are listed until "Show all".
 */
import {namespaceOf, type ActionEntry, type ExplorerIndex, type IndexedRole, type RolePermission} from './data.js'
import {actionCode, byId, childrenOf, esc, find, fromHtml, plural, setChildren, setTitle, timed} from './dom.js'
import {actionRows, csvButton, downloadOnClick, fileNameOf} from './export.js'
import {roleBadges} from './roles.js'
import {replaceHash, roleHref, viewHash} from './router.js'
import type {Explorer, Place, View} from './view.js'

/** How many matching actions are listed before "Show all". */
const ACTION_ROWS = 200

const EXAMPLES = ['microsoft.directory/users/password', 'microsoft.directory/applications/credentials', 'allTasks', 'microsoft.office365.exchange']

/** List items already built, reused as the query changes. */
interface ItemCache {
  actions: Map<ActionEntry, HTMLElement>
  roles: Map<IndexedRole, HTMLElement>
}

export function createActionsView(explorer: Explorer): View {
  const cache: ItemCache = {actions: new Map(), roles: new Map()}
  return {nav: 'actions', render: (place) => renderActions(explorer, place, cache)}
}

function renderActions(explorer: Explorer, place: Place, cache: ItemCache): void {
  const {main, index} = explorer
  setTitle('Actions')
  main.innerHTML =
    '<h1 tabindex="-1">Actions</h1>' +
    '<p class="intro">Which roles grant an action? Type a whole action or any part of one, such as a prefix: ' +
    'every action that contains the text matches, whatever the case.</p>' +
    '<form class="controls" role="search" aria-label="Search actions">' +
    '<p class="field field-grow"><label for="action-q">Action or part of one</label>' +
    '<input id="action-q" type="search" autocomplete="off" spellcheck="false" placeholder="microsoft.directory/users/password"></p></form>' +
    `<div class="count-row"><p id="action-count" class="count" role="status"></p>${csvButton('action-csv')}</div>` +
    '<div id="action-help"></div>' +
    '<div id="action-results">' +
    '<section aria-labelledby="granting-heading"><h2 id="granting-heading"></h2><ul class="role-list" id="granting-roles"></ul></section>' +
    '<section aria-labelledby="matching-heading"><h2 id="matching-heading"></h2>' +
    actionListHead('Action') + '<ul class="action-list" id="matching-actions"></ul>' +
    '<p id="show-all" hidden><button type="button">Show all</button> <span></span></p></section>' +
    '<div id="wildcard-results"></div></div>'
  const form = find(main, 'form', HTMLFormElement)
  const query = byId('action-q', HTMLInputElement)
  query.value = place.params.get('q') ?? ''
  let limit = ACTION_ROWS
  const update = (): void => {
    limit = ACTION_ROWS
    replaceHash(viewHash('actions', {q: query.value}))
    timed(() => showActions(index, cache, query.value, limit))
  }
  form.addEventListener('input', update)
  form.addEventListener('submit', (event) => event.preventDefault())
  downloadOnClick(
    byId('action-csv', HTMLButtonElement),
    () => fileNameOf('actions', query.value.trim()),
    () => actionRows(grants(matchingActions(index, query.value)))
  )
  find(main, '#show-all button', HTMLButtonElement).addEventListener('click', () => {
    limit = Infinity
    timed(() => showActions(index, cache, query.value, limit))
    const next = main.querySelector<HTMLElement>(`#matching-actions > li:nth-child(${ACTION_ROWS + 1})`)
    if (next) {
      next.tabIndex = -1
      next.focus()
    }
  })
  update()
}

/** The actions that contain the query, whatever the case; none for an empty query. */
function matchingActions(index: ExplorerIndex, query: string): ActionEntry[] {
  const needle = query.trim().toLowerCase()
  return needle === '' ? [] : index.actions.filter((entry) => entry.lower.includes(needle))
}

/** Every permission row of these actions, by action, then by role in list order (all of them, past the first 200 shown too). */
function grants(entries: readonly ActionEntry[]): Array<{role: IndexedRole; permission: RolePermission}> {
  const rows: Array<{role: IndexedRole; permission: RolePermission}> = []
  for (const entry of entries) {
    for (const role of entry.roles) {
      for (const permission of role.permissions) if (permission.action === entry.action) rows.push({role, permission})
    }
  }
  return rows
}

function showActions(index: ExplorerIndex, cache: ItemCache, query: string, limit: number): void {
  const needle = query.trim().toLowerCase()
  const help = byId('action-help', HTMLDivElement)
  const results = byId('action-results', HTMLDivElement)
  const count = byId('action-count', HTMLParagraphElement)
  byId('action-csv', HTMLButtonElement).disabled = true
  if (needle === '') {
    count.innerHTML = `<strong>${index.actions.length}</strong> distinct actions in ${index.namespaces.length} namespaces`
    if (help.firstChild === null) help.innerHTML = actionExamples(index)
    help.hidden = false
    results.hidden = true
    return
  }
  help.hidden = true
  const matched = matchingActions(index, query)
  const granting = rolesOf(index, matched)
  count.innerHTML =
    `<strong>${plural(matched.length, 'action', 'actions')}</strong> match, granted by <strong>` +
    `${plural(granting.length, 'role', 'roles')}</strong>`
  if (matched.length === 0) {
    help.innerHTML = `<p class="empty">No action contains <code>${esc(query.trim())}</code>.</p>`
    help.hidden = false
    results.hidden = true
    return
  }
  results.hidden = false
  byId('action-csv', HTMLButtonElement).disabled = false
  byId('granting-heading', HTMLHeadingElement).textContent = `Roles that grant a matching action (${granting.length})`
  setChildren(byId('granting-roles', HTMLUListElement), roleItemsFor(cache, granting))
  byId('matching-heading', HTMLHeadingElement).textContent = `Matching actions (${matched.length})`
  setChildren(byId('matching-actions', HTMLUListElement), actionItemsFor(cache, matched.length > limit ? matched.slice(0, limit) : matched))
  const showAll = byId('show-all', HTMLParagraphElement)
  showAll.hidden = matched.length <= limit
  if (!showAll.hidden) {
    find(showAll, 'button', HTMLButtonElement).textContent = `Show all ${matched.length} actions`
    find(showAll, 'span', HTMLSpanElement).textContent = `(${limit} shown)`
  }
  byId('wildcard-results', HTMLDivElement).innerHTML = wildcardSection(index, matched, granting)
}

/** The list items of these actions, built once each. */
function actionItemsFor(cache: ItemCache, entries: readonly ActionEntry[]): HTMLElement[] {
  const missing = entries.filter((entry) => !cache.actions.has(entry))
  if (missing.length > 0) {
    const built = childrenOf(fromHtml('<ul>' + missing.map((entry) => actionItem(entry, null)).join('') + '</ul>'), HTMLLIElement)
    missing.forEach((entry, index) => {
      const item = built[index]
      if (item !== undefined) cache.actions.set(entry, item)
    })
  }
  return entries.map((entry) => cached(cache.actions, entry))
}

/** The list items of these roles, built once each. */
function roleItemsFor(cache: ItemCache, roles: readonly IndexedRole[]): HTMLElement[] {
  const items: HTMLElement[] = []
  for (const role of roles) {
    let item = cache.roles.get(role)
    if (item === undefined) {
      item = fromHtml(`<li data-role="${esc(role.id)}"><a href="${roleHref(role.id)}">${esc(role.label)}</a>${roleBadges(role)}</li>`)
      cache.roles.set(role, item)
    }
    items.push(item)
  }
  return items
}

function cached<K>(items: ReadonlyMap<K, HTMLElement>, key: K): HTMLElement {
  const item = items.get(key)
  if (item === undefined) throw new Error('roledoc explorer: a list item was not built')
  return item
}

function actionListHead(first: string): string {
  return `<p class="list-head action-row" aria-hidden="true"><span>${first}</span><span>Label</span><span>Granted by</span></p>`
}

/** One action and the roles that grant it (only those in `only`, when given). */
function actionItem(entry: ActionEntry, only: ReadonlySet<IndexedRole> | null): string {
  const items: string[] = []
  for (const role of entry.roles) {
    if (only !== null && !only.has(role)) continue
    items.push(`<li data-role="${esc(role.id)}"><a href="${roleHref(role.id)}">${esc(role.label)}</a></li>`)
  }
  return (
    `<li data-action="${esc(entry.action)}" class="action-row${entry.privileged ? ' privileged' : ''}">` +
    actionCode(entry.action) +
    `<span>${entry.privileged ? '<span class="badge badge-privileged">Privileged</span>' : ''}</span>` +
    `<div><span class="visually-hidden">Granted by: </span><ul class="action-roles">${items.join('')}</ul></div></li>`
  )
}

/** Roles that grant none of the matches but an allTasks wildcard over one of them. */
function wildcardSection(index: ExplorerIndex, matched: readonly ActionEntry[], granting: readonly IndexedRole[]): string {
  const exact = new Set(granting)
  const matchedSet = new Set(matched)
  const rows: string[] = []
  const extra = new Set<IndexedRole>()
  for (const wildcard of index.wildcards) {
    if (matchedSet.has(wildcard.entry)) continue
    if (!matched.some((entry) => entry.action.startsWith(wildcard.prefix))) continue
    const others = new Set(wildcard.entry.roles.filter((role) => !exact.has(role)))
    if (others.size === 0) continue
    for (const role of others) extra.add(role)
    rows.push(actionItem(wildcard.entry, others))
  }
  if (rows.length === 0) return ''
  return (
    '<section aria-labelledby="wildcard-heading" id="wildcards"><h2 id="wildcard-heading">Also covered by a wildcard action (' +
    plural(extra.size, 'more role', 'more roles') + ')</h2>' +
    '<p class="intro">These roles list no matching action, but grant an <code>allProperties/allTasks</code> or <code>allEntities/allTasks</code> ' +
    'action over the same resource or namespace, which may include it. Check the role documentation for exceptions.</p>' +
    actionListHead('Wildcard action') + '<ul class="action-list">' + rows.join('') + '</ul></section>'
  )
}

/** The roles that grant any of the entries, in list order. */
function rolesOf(index: ExplorerIndex, entries: readonly ActionEntry[]): IndexedRole[] {
  const seen = new Set<IndexedRole>()
  for (const entry of entries) for (const role of entry.roles) seen.add(role)
  return index.roles.filter((role) => seen.has(role))
}

/** Example queries, and every namespace with its number of actions. */
function actionExamples(index: ExplorerIndex): string {
  const links = EXAMPLES.map((example) => `<a href="${esc(viewHash('actions', {q: example}))}"><code>${esc(example)}</code></a>`)
  const counts = new Map<string, number>()
  for (const entry of index.actions) {
    const namespace = namespaceOf(entry.action)
    counts.set(namespace, (counts.get(namespace) ?? 0) + 1)
  }
  const list = index.namespaces.map(
    (namespace) =>
      `<li><a href="${esc(viewHash('actions', {q: namespace + '/'}))}"><code>${esc(namespace)}</code></a> <span class="nowrap">(` +
      `${plural(counts.get(namespace) ?? 0, 'action', 'actions')})</span></li>`
  )
  return `<p>Try ${links.join(', ')}.</p><h2>Namespaces</h2><ul class="namespace-list">${list.join('')}</ul>`
}
