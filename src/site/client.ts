/**
 * The explorer page's script, inlined by `emitSite` into a `<script>`
 * element. Plain browser JavaScript, no framework, no network: it reads the
 * data from `<script type="application/json" id="roledoc-data">` (shape:
 * `SiteData` in `../emit/site.ts`; permissions are unpacked to
 * `[action, description, privileged, line]`), builds an action index once, and renders
 * one view per URL hash:
 *
 * - `#/roles?q=&ns=&privileged=1&deprecated=1`: the role list and filters
 * - `#/role/<id>?q=&privileged=1`: one role
 * - `#/actions?q=`: every role that grants the actions matching `q`
 * - `#/changes`: the diff against a previous dataset
 *
 * Filters replace the current history entry as you type, so Back leaves the
 * view rather than undoing keystrokes. Start-up and each render are timed
 * with `performance.measure('roledoc:start-up')` and `('roledoc:render')`.
 *
 * Kept as a string (no backticks, no dollar-brace inside) so that `tsc`
 * ships it in `dist/` unchanged; `test/site.test.ts` checks that it parses.
 */
export const clientScript = String.raw`(function () {
'use strict'

performance.mark('roledoc:start')
var data = JSON.parse(document.getElementById('roledoc-data').textContent)
var main = document.getElementById('main')
var TITLE = 'roledoc explorer'
var ACTION_ROWS = 200
var CALLOUT_FOLD = 320
var CALLOUT_EXCERPT = 160
var ESCAPES = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

// ---------------------------------------------------------------- the index

var roles = data.roles
var roleById = new Map()
var actionByName = new Map()
var rolesPerNamespace = new Map()

for (var r = 0; r < roles.length; r++) indexRole(roles[r])

var actions = Array.from(actionByName.values()).sort(function (a, b) { return compare(a.action, b.action) })
var namespaces = Array.from(rolesPerNamespace.keys()).sort(compare)
var wildcards = []
for (var w = 0; w < actions.length; w++) {
  var prefix = wildcardPrefix(actions[w].action)
  if (prefix !== null) wildcards.push({entry: actions[w], prefix: prefix})
}
var lastRolesHash = '#/roles'
var roleList = null
var actionItems = new Map()
var roleItems = new Map()
var template = document.createElement('template')

function indexRole(role) {
  role.label = role.name === null ? role.id : role.name
  role.source.url = data.sourceBase + role.source.href
  for (var p = 0; p < role.permissions.length; p++) {
    var packed = role.permissions[p]
    role.permissions[p] = [data.actions[packed[0]], data.descriptions[packed[1]], packed[2], packed[3]]
  }
  roleById.set(role.id, role)
  var texts = [role.label, role.id, role.description || '']
  role.actionsLower = []
  var own = new Set()
  var privilegedCount = 0
  for (var i = 0; i < role.permissions.length; i++) {
    var permission = role.permissions[i]
    var action = permission[0]
    if (permission[2]) privilegedCount++
    own.add(namespaceOf(action))
    role.actionsLower.push(action.toLowerCase())
    texts.push(action, permission[1])
    var entry = actionByName.get(action)
    if (entry === undefined) {
      entry = {action: action, lower: action.toLowerCase(), privileged: false, roles: []}
      actionByName.set(action, entry)
    }
    if (permission[2]) entry.privileged = true
    if (entry.roles[entry.roles.length - 1] !== role) entry.roles.push(role)
  }
  role.privilegedCount = privilegedCount
  role.namespaces = own
  role.haystack = texts.join('\n').toLowerCase()
  own.forEach(function (namespace) {
    rolesPerNamespace.set(namespace, (rolesPerNamespace.get(namespace) || 0) + 1)
  })
}

function namespaceOf(action) {
  var slash = action.indexOf('/')
  return slash === -1 ? action : action.slice(0, slash)
}

/** What an allTasks wildcard covers: X/allProperties/allTasks covers X/..., ns/allEntities/allTasks covers ns/... */
function wildcardPrefix(action) {
  var parts = action.split('/')
  if (parts.length < 3 || parts[parts.length - 1] !== 'allTasks') return null
  var scope = parts[parts.length - 2]
  if (scope === 'allProperties') return parts.slice(0, -2).join('/') + '/'
  if (scope === 'allEntities' && parts.length === 3) return parts[0] + '/'
  return null
}

// ---------------------------------------------------------------- routing

function parseLocation() {
  var hash = location.hash.replace(/^#\/?/, '')
  var mark = hash.indexOf('?')
  var path = mark === -1 ? hash : hash.slice(0, mark)
  var params = new URLSearchParams(mark === -1 ? '' : hash.slice(mark + 1))
  var slash = path.indexOf('/')
  var view = slash === -1 ? path : path.slice(0, slash)
  var argument = slash === -1 ? '' : decode(path.slice(slash + 1))
  return {view: view || 'roles', argument: argument, params: params}
}

function decode(text) {
  try {
    return decodeURIComponent(text)
  } catch (error) {
    return text
  }
}

/** '#/path?key=value': empty and false values left out, slashes kept readable. */
function createHash(path, params) {
  var pairs = []
  var keys = Object.keys(params)
  for (var i = 0; i < keys.length; i++) {
    var value = params[keys[i]]
    if (value === '' || value === false) continue
    pairs.push(keys[i] + '=' + encodeParam(value === true ? '1' : value))
  }
  return '#/' + path + (pairs.length === 0 ? '' : '?' + pairs.join('&'))
}

function encodeParam(value) {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%20/g, '+')
}

function replaceHash(hash) {
  if (location.hash === hash) return
  try {
    history.replaceState(history.state, '', hash)
  } catch (error) {
    location.replace(hash)
  }
}

function route(moveFocus) {
  var place = parseLocation()
  var view = place.view
  if (view === 'role') renderRole(place.argument, place.params)
  else if (view === 'actions') renderActions(place.params)
  else if (view === 'changes') renderChanges()
  else {
    view = 'roles'
    renderRoles(place.params)
  }
  markNav(view === 'role' ? 'roles' : view)
  if (moveFocus) {
    var heading = main.querySelector('h1')
    if (heading) heading.focus({preventScroll: true})
    window.scrollTo(0, 0)
  }
}

function markNav(view) {
  var links = document.querySelectorAll('.site-nav a[data-view]')
  for (var i = 0; i < links.length; i++) {
    if (links[i].getAttribute('data-view') === view) links[i].setAttribute('aria-current', 'page')
    else links[i].removeAttribute('aria-current')
  }
}

function setTitle(text) {
  document.title = text + ' \u00b7 ' + TITLE
}

/** Run a render and record how long it took. */
function timed(render) {
  var start = performance.now()
  render()
  performance.measure('roledoc:render', {start: start, end: performance.now()})
}

// ---------------------------------------------------------------- roles

function renderRoles(params) {
  setTitle('Roles')
  var options = ['<option value="">All namespaces</option>']
  for (var i = 0; i < namespaces.length; i++) {
    var namespace = namespaces[i]
    options.push('<option value="' + esc(namespace) + '">' + esc(namespace) + ' (' + plural(rolesPerNamespace.get(namespace), 'role', 'roles') + ')</option>')
  }
  main.innerHTML =
    '<h1 tabindex="-1">Roles</h1>' +
    '<form class="controls" role="search" aria-label="Filter roles">' +
    '<p class="field field-grow"><label for="role-q">Search names, descriptions and actions</label>' +
    '<input id="role-q" type="search" autocomplete="off" spellcheck="false" placeholder="e.g. password, Exchange, users/delete"></p>' +
    '<p class="field"><label for="role-ns">Grants actions in namespace</label><select id="role-ns">' + options.join('') + '</select></p>' +
    '<fieldset class="checks"><legend>Show only</legend>' +
    '<label><input id="role-privileged" type="checkbox">Privileged roles</label>' +
    '<label><input id="role-deprecated" type="checkbox">Deprecated roles</label>' +
    '</fieldset></form>' +
    '<p id="role-count" class="count" role="status"></p>' +
    '<p id="role-empty" class="empty" hidden>No role matches these filters.</p>' +
    '<div id="role-results"></div>'

  var form = main.querySelector('form')
  var query = byId('role-q')
  var namespaceSelect = byId('role-ns')
  var privileged = byId('role-privileged')
  var deprecated = byId('role-deprecated')
  query.value = params.get('q') || ''
  namespaceSelect.value = rolesPerNamespace.has(params.get('ns') || '') ? params.get('ns') : ''
  privileged.checked = params.get('privileged') === '1'
  deprecated.checked = params.get('deprecated') === '1'

  function update() {
    var state = {q: query.value, ns: namespaceSelect.value, privileged: privileged.checked, deprecated: deprecated.checked}
    lastRolesHash = createHash('roles', state)
    replaceHash(lastRolesHash)
    timed(function () { showRoles(state) })
  }
  form.addEventListener('input', update)
  form.addEventListener('submit', function (event) { event.preventDefault() })
  update()
}

/** The list of every role, built once; filters hide rows instead of rebuilding them. */
function roleListOnce() {
  if (roleList !== null) return roleList
  var rows = []
  for (var i = 0; i < roles.length; i++) {
    var role = roles[i]
    rows.push(
      '<li data-role="' + esc(role.id) + '" class="role-row' + (role.privileged ? ' privileged' : '') + '">' +
      '<div><a class="role-name" href="' + roleHref(role.id) + '">' + esc(role.label) + '</a>' + roleBadges(role) +
      (role.description ? '<p class="desc">' + esc(role.description) + '</p>' : '') +
      '<p class="hits" hidden></p></div>' +
      '<span class="num">' + role.permissions.length + '<span class="visually-hidden"> permissions,</span></span>' +
      '<span class="num">' + role.privilegedCount + '<span class="visually-hidden"> privileged</span></span></li>'
    )
  }
  var element = fromHtml(
    '<div><p class="list-head role-row" aria-hidden="true"><span>Role</span><span class="num">Permissions</span>' +
    '<span class="num">Privileged permissions</span></p><ul class="role-rows" id="role-list">' + rows.join('') + '</ul></div>'
  )
  var entries = new Map()
  var items = element.querySelector('ul').children
  for (var r = 0; r < roles.length; r++) entries.set(roles[r], {row: items[r], hits: items[r].querySelector('.hits'), html: ''})
  roleList = {element: element, entries: entries}
  return roleList
}

function matchesRole(role, state, terms) {
  if (state.privileged && !role.privileged) return false
  if (state.deprecated && !role.deprecated) return false
  if (state.ns !== '' && !role.namespaces.has(state.ns)) return false
  return containsAll(role.haystack, terms)
}

function showRoles(state) {
  var list = roleListOnce()
  var terms = termsOf(state.q)
  var needle = state.q.trim().toLowerCase()
  var shown = 0
  for (var i = 0; i < roles.length; i++) {
    var role = roles[i]
    var entry = list.entries.get(role)
    var visible = matchesRole(role, state, terms)
    if (entry.row.hidden === visible) entry.row.hidden = !visible
    if (!visible) continue
    shown++
    var hits = actionHits(role, needle)
    if (hits !== entry.html) {
      entry.html = hits
      entry.hits.innerHTML = hits
      entry.hits.hidden = hits === ''
    }
  }
  byId('role-count').innerHTML = 'Showing <strong>' + shown + '</strong> of ' + roles.length + ' roles'
  var results = byId('role-results')
  if (list.element.parentNode !== results) results.appendChild(list.element)
  list.element.hidden = shown === 0
  byId('role-empty').hidden = shown !== 0
}

/** The role's actions that contain the whole query, when there are any. */
function actionHits(role, needle) {
  if (needle.length < 3) return ''
  var hits = []
  for (var i = 0; i < role.permissions.length; i++) {
    if (role.actionsLower[i].indexOf(needle) !== -1) hits.push(role.permissions[i][0])
  }
  if (hits.length === 0) return ''
  var listed = []
  for (var j = 0; j < hits.length && j < 3; j++) listed.push('<code>' + esc(hits[j]) + '</code>')
  var more = hits.length > 3 ? ' and ' + (hits.length - 3) + ' more' : ''
  return 'Matching actions: ' + listed.join(', ') + more
}

function roleBadges(role) {
  return (role.privileged ? ' <span class="badge badge-privileged">Privileged</span>' : '') +
    (role.deprecated ? ' <span class="badge badge-deprecated">Deprecated</span>' : '')
}

// ---------------------------------------------------------------- one role

function renderRole(id, params) {
  var role = roleById.get(id)
  var back = '<p class="crumbs"><a href="' + esc(lastRolesHash) + '">&larr; All roles</a></p>'
  if (role === undefined) {
    setTitle('Role not found')
    main.innerHTML = back + '<h1 tabindex="-1">Role not found</h1><p>No role has the id <code>' + esc(id) + '</code>.</p>'
    return
  }
  setTitle(role.label)
  var html = [back]
  html.push('<h1 tabindex="-1">' + esc(role.label) + roleBadges(role) + '</h1>')
  if (role.description) html.push('<p class="lead">' + esc(role.description) + '</p>')
  html.push('<dl class="facts">')
  html.push('<dt>ID</dt><dd><code>' + esc(role.id) + '</code></dd>')
  if (role.templateId) html.push('<dt>Template ID</dt><dd><code>' + esc(role.templateId) + '</code></dd>')
  html.push(
    '<dt>Permissions</dt><dd id="permission-count" data-count="' + role.permissions.length + '" data-privileged="' + role.privilegedCount + '">' +
    plural(role.permissions.length, 'permission', 'permissions') + ', ' + role.privilegedCount + ' privileged</dd>'
  )
  html.push('<dt>Source</dt><dd><a href="' + esc(role.source.url) + '">' + esc(role.source.path) + '</a></dd>')
  html.push('</dl>')
  for (var i = 0; i < role.callouts.length; i++) html.push(renderCallout(role.callouts[i], role))
  html.push(
    '<section aria-labelledby="permissions"><h2 id="permissions">Permissions</h2>' +
    '<form class="controls" role="search" aria-label="Filter permissions">' +
    '<p class="field field-grow"><label for="permission-q">Filter actions and descriptions</label>' +
    '<input id="permission-q" type="search" autocomplete="off" spellcheck="false"></p>' +
    '<fieldset class="checks"><legend>Show only</legend><label><input id="permission-privileged" type="checkbox">Privileged permissions</label></fieldset>' +
    '</form><p id="permission-status" class="count" role="status"></p>' + permissionTable(role) + '</section>'
  )
  if (role.summary || role.tables.length > 0) {
    html.push('<section aria-labelledby="about"><h2 id="about">About this role</h2>')
    if (role.summary) html.push('<div class="prose">' + prose(role.summary) + '</div>')
    for (var t = 0; t < role.tables.length; t++) html.push(renderTable(role.tables[t]))
    html.push('</section>')
  }
  main.innerHTML = html.join('')

  var form = main.querySelector('form')
  var query = byId('permission-q')
  var privileged = byId('permission-privileged')
  query.value = params.get('q') || ''
  privileged.checked = params.get('privileged') === '1'
  function update() {
    var state = {q: query.value, privileged: privileged.checked}
    replaceHash(createHash('role/' + encodeURIComponent(role.id), state))
    timed(function () { showPermissions(role, state) })
  }
  form.addEventListener('input', update)
  form.addEventListener('submit', function (event) { event.preventDefault() })
  update()
}

function permissionTable(role) {
  var rows = []
  for (var i = 0; i < role.permissions.length; i++) {
    var permission = role.permissions[i]
    rows.push(
      '<tr data-action="' + esc(permission[0]) + '" data-privileged="' + permission[2] + '"' + (permission[2] ? ' class="privileged"' : '') + '>' +
      '<td><a class="action" href="' + esc(createHash('actions', {q: permission[0]})) + '" title="Every role that grants this action"><code>' +
      esc(permission[0]) + '</code></a></td>' +
      '<td>' + esc(permission[1]) + '</td>' +
      '<td class="perm-label">' + (permission[2] ? '<span class="badge badge-privileged">Privileged</span>' : '') + '</td>' +
      '<td class="line"><a href="' + esc(role.source.url + '#L' + permission[3]) + '" aria-label="Source, line ' + permission[3] + '">line ' + permission[3] + '</a></td></tr>'
    )
  }
  return '<p id="permission-empty" class="empty" hidden>No permission matches.</p>' +
    '<table class="perm-table" id="permission-table"><thead><tr><th scope="col">Action</th><th scope="col">Description</th>' +
    '<th scope="col">Label</th><th scope="col">Source</th></tr></thead><tbody>' + rows.join('') + '</tbody></table>'
}

function showPermissions(role, state) {
  var terms = termsOf(state.q)
  var table = byId('permission-table')
  var rows = table.tBodies[0].rows
  var shown = 0
  for (var i = 0; i < role.permissions.length; i++) {
    var permission = role.permissions[i]
    var visible = (!state.privileged || permission[2]) &&
      (terms.length === 0 || containsAll((permission[0] + '\n' + permission[1]).toLowerCase(), terms))
    if (rows[i].hidden === visible) rows[i].hidden = !visible
    if (visible) shown++
  }
  byId('permission-status').innerHTML = 'Showing <strong>' + shown + '</strong> of ' + plural(role.permissions.length, 'permission', 'permissions')
  table.hidden = shown === 0
  byId('permission-empty').hidden = shown !== 0
}

/** A callout; a long one is folded to its first words, and opens with its summary (a button to the keyboard). */
function renderCallout(callout, role) {
  var type = callout.type
  var title = '<strong class="callout-title">' + esc(type.charAt(0).toUpperCase() + type.slice(1)) + '</strong>'
  var source = ' <a class="source-link" href="' + esc(role.source.url + '#L' + callout.line) + '">source, line ' + callout.line + '</a>'
  var body = '<div class="prose">' + prose(callout.text) + '</div>'
  var className = 'callout callout-' + esc(type)
  if (callout.text.length <= CALLOUT_FOLD) {
    return '<div class="' + className + '" role="note"><p class="callout-head">' + title + source + '</p>' + body + '</div>'
  }
  var excerpt = callout.text.replace(/^- /gm, '').replace(/\s+/g, ' ').slice(0, CALLOUT_EXCERPT).replace(/\s+\S*$/, '')
  return '<details class="' + className + '"><summary>' + title + ' <span class="excerpt">' + esc(excerpt) + '&hellip;</span>' +
    ' <span class="more">Show all</span></summary>' +
    '<p class="callout-head">' + source + '</p>' + body + '</details>'
}

function renderTable(table) {
  var head = []
  for (var i = 0; i < table.header.length; i++) head.push('<th scope="col">' + esc(table.header[i]) + '</th>')
  var body = []
  for (var r = 0; r < table.rows.length; r++) {
    var cells = []
    for (var c = 0; c < table.rows[r].length; c++) cells.push('<td>' + esc(table.rows[r][c]) + '</td>')
    body.push('<tr>' + cells.join('') + '</tr>')
  }
  return '<table class="plain-table"><thead><tr>' + head.join('') + '</tr></thead><tbody>' + body.join('') + '</tbody></table>'
}

/** Summary and callout text: paragraphs split by blank lines, '- ' lines as list items. */
function prose(text) {
  var out = []
  var blocks = text.split(/\n\s*\n/)
  for (var b = 0; b < blocks.length; b++) {
    var lines = blocks[b].split('\n')
    var items = []
    var words = []
    for (var i = 0; i < lines.length; i++) {
      var line = lines[i]
      if (line.slice(0, 2) === '- ') {
        if (words.length > 0) out.push('<p>' + esc(words.join(' ')) + '</p>')
        words = []
        items.push('<li>' + esc(line.slice(2)) + '</li>')
      } else if (line.trim() !== '') {
        if (items.length > 0) out.push('<ul>' + items.join('') + '</ul>')
        items = []
        words.push(line.trim())
      }
    }
    if (words.length > 0) out.push('<p>' + esc(words.join(' ')) + '</p>')
    if (items.length > 0) out.push('<ul>' + items.join('') + '</ul>')
  }
  return out.join('')
}

// ---------------------------------------------------------------- actions

function renderActions(params) {
  setTitle('Actions')
  main.innerHTML =
    '<h1 tabindex="-1">Actions</h1>' +
    '<p class="intro">Which roles grant an action? Type a whole action or any part of one, such as a prefix: ' +
    'every action that contains the text matches, whatever the case.</p>' +
    '<form class="controls" role="search" aria-label="Search actions">' +
    '<p class="field field-grow"><label for="action-q">Action or part of one</label>' +
    '<input id="action-q" type="search" autocomplete="off" spellcheck="false" placeholder="microsoft.directory/users/password"></p></form>' +
    '<p id="action-count" class="count" role="status"></p>' +
    '<div id="action-help"></div>' +
    '<div id="action-results">' +
    '<section aria-labelledby="granting-heading"><h2 id="granting-heading"></h2><ul class="role-list" id="granting-roles"></ul></section>' +
    '<section aria-labelledby="matching-heading"><h2 id="matching-heading"></h2>' +
    actionListHead('Action') + '<ul class="action-list" id="matching-actions"></ul>' +
    '<p id="show-all" hidden><button type="button">Show all</button> <span></span></p></section>' +
    '<div id="wildcard-results"></div></div>'
  var form = main.querySelector('form')
  var query = byId('action-q')
  query.value = params.get('q') || ''
  var limit = ACTION_ROWS
  function update() {
    limit = ACTION_ROWS
    replaceHash(createHash('actions', {q: query.value}))
    timed(function () { showActions(query.value, limit) })
  }
  form.addEventListener('input', update)
  form.addEventListener('submit', function (event) { event.preventDefault() })
  main.querySelector('#show-all button').addEventListener('click', function () {
    limit = Infinity
    timed(function () { showActions(query.value, limit) })
    var next = main.querySelector('#matching-actions > li:nth-child(' + (ACTION_ROWS + 1) + ')')
    if (next) {
      next.tabIndex = -1
      next.focus()
    }
  })
  update()
}

function showActions(query, limit) {
  var needle = query.trim().toLowerCase()
  var help = byId('action-help')
  var results = byId('action-results')
  if (needle === '') {
    byId('action-count').innerHTML = '<strong>' + actions.length + '</strong> distinct actions in ' + namespaces.length + ' namespaces'
    if (help.firstChild === null) help.innerHTML = actionExamples()
    help.hidden = false
    results.hidden = true
    return
  }
  help.hidden = true
  var matched = []
  for (var i = 0; i < actions.length; i++) if (actions[i].lower.indexOf(needle) !== -1) matched.push(actions[i])
  var granting = rolesOf(matched)
  byId('action-count').innerHTML = '<strong>' + plural(matched.length, 'action', 'actions') + '</strong> match, granted by <strong>' +
    plural(granting.length, 'role', 'roles') + '</strong>'
  if (matched.length === 0) {
    help.innerHTML = '<p class="empty">No action contains <code>' + esc(query.trim()) + '</code>.</p>'
    help.hidden = false
    results.hidden = true
    return
  }
  results.hidden = false
  byId('granting-heading').textContent = 'Roles that grant a matching action (' + granting.length + ')'
  setChildren(byId('granting-roles'), roleItemsFor(granting))
  byId('matching-heading').textContent = 'Matching actions (' + matched.length + ')'
  setChildren(byId('matching-actions'), actionItemsFor(matched.length > limit ? matched.slice(0, limit) : matched))
  var showAll = byId('show-all')
  showAll.hidden = matched.length <= limit
  if (!showAll.hidden) {
    showAll.querySelector('button').textContent = 'Show all ' + matched.length + ' actions'
    showAll.querySelector('span').textContent = '(' + limit + ' shown)'
  }
  byId('wildcard-results').innerHTML = wildcardSection(matched, granting)
}

/** The list items of these actions, built once each. */
function actionItemsFor(entries) {
  var missing = []
  for (var i = 0; i < entries.length; i++) if (!actionItems.has(entries[i])) missing.push(entries[i])
  if (missing.length > 0) {
    var html = []
    for (var m = 0; m < missing.length; m++) html.push(actionItem(missing[m], null))
    var built = Array.from(fromHtml('<ul>' + html.join('') + '</ul>').children)
    for (var b = 0; b < built.length; b++) actionItems.set(missing[b], built[b])
  }
  var items = []
  for (var r = 0; r < entries.length; r++) items.push(actionItems.get(entries[r]))
  return items
}

/** Replace the children of a list, unless they are already these. */
function setChildren(parent, children) {
  var current = parent.children
  var same = current.length === children.length
  for (var i = 0; same && i < children.length; i++) same = current[i] === children[i]
  if (!same) parent.replaceChildren.apply(parent, children)
}

function actionListHead(first) {
  return '<p class="list-head action-row" aria-hidden="true"><span>' + first + '</span><span>Label</span><span>Granted by</span></p>'
}

/** The list items of these roles, built once each. */
function roleItemsFor(list) {
  var items = []
  for (var i = 0; i < list.length; i++) {
    var role = list[i]
    var item = roleItems.get(role)
    if (item === undefined) {
      item = fromHtml('<li data-role="' + esc(role.id) + '"><a href="' + roleHref(role.id) + '">' + esc(role.label) + '</a>' + roleBadges(role) + '</li>')
      roleItems.set(role, item)
    }
    items.push(item)
  }
  return items
}

/** One action and the roles that grant it (only those in 'only', when given). */
function actionItem(entry, only) {
  var items = []
  for (var i = 0; i < entry.roles.length; i++) {
    var role = entry.roles[i]
    if (only !== null && !only.has(role)) continue
    items.push('<li data-role="' + esc(role.id) + '"><a href="' + roleHref(role.id) + '">' + esc(role.label) + '</a></li>')
  }
  return '<li data-action="' + esc(entry.action) + '" class="action-row' + (entry.privileged ? ' privileged' : '') + '">' +
    '<code>' + esc(entry.action) + '</code>' +
    '<span>' + (entry.privileged ? '<span class="badge badge-privileged">Privileged</span>' : '') + '</span>' +
    '<div><span class="visually-hidden">Granted by: </span><ul class="action-roles">' + items.join('') + '</ul></div></li>'
}

/** Roles that grant none of the matches but an allTasks wildcard over one of them. */
function wildcardSection(matched, granting) {
  var exact = new Set(granting)
  var matchedSet = new Set(matched)
  var rows = []
  var extra = new Set()
  for (var i = 0; i < wildcards.length; i++) {
    var wildcard = wildcards[i]
    if (matchedSet.has(wildcard.entry)) continue
    if (!coversAny(wildcard.prefix, matched)) continue
    var others = new Set()
    for (var r = 0; r < wildcard.entry.roles.length; r++) {
      var role = wildcard.entry.roles[r]
      if (!exact.has(role)) others.add(role)
    }
    if (others.size === 0) continue
    others.forEach(function (role) { extra.add(role) })
    rows.push(actionItem(wildcard.entry, others))
  }
  if (rows.length === 0) return ''
  return '<section aria-labelledby="wildcard-heading" id="wildcards"><h2 id="wildcard-heading">Also covered by a wildcard action (' + plural(extra.size, 'more role', 'more roles') + ')</h2>' +
    '<p class="intro">These roles list no matching action, but grant an <code>allProperties/allTasks</code> or <code>allEntities/allTasks</code> ' +
    'action over the same resource or namespace, which may include it. Check the role documentation for exceptions.</p>' +
    actionListHead('Wildcard action') + '<ul class="action-list">' + rows.join('') + '</ul></section>'
}

function coversAny(prefix, matched) {
  for (var i = 0; i < matched.length; i++) if (matched[i].action.slice(0, prefix.length) === prefix) return true
  return false
}

/** The roles that grant any of the entries, in list order. */
function rolesOf(entries) {
  var seen = new Set()
  for (var i = 0; i < entries.length; i++) {
    for (var r = 0; r < entries[i].roles.length; r++) seen.add(entries[i].roles[r])
  }
  var list = []
  for (var j = 0; j < roles.length; j++) if (seen.has(roles[j])) list.push(roles[j])
  return list
}

function actionExamples() {
  var examples = ['microsoft.directory/users/password', 'microsoft.directory/applications/credentials', 'allTasks', 'microsoft.office365.exchange']
  var links = []
  for (var i = 0; i < examples.length; i++) {
    links.push('<a href="' + esc(createHash('actions', {q: examples[i]})) + '"><code>' + esc(examples[i]) + '</code></a>')
  }
  var counts = new Map()
  for (var a = 0; a < actions.length; a++) {
    var namespace = namespaceOf(actions[a].action)
    counts.set(namespace, (counts.get(namespace) || 0) + 1)
  }
  var list = []
  for (var n = 0; n < namespaces.length; n++) {
    list.push('<li><a href="' + esc(createHash('actions', {q: namespaces[n] + '/'})) + '"><code>' + esc(namespaces[n]) + '</code></a> <span class="nowrap">(' +
      plural(counts.get(namespaces[n]) || 0, 'action', 'actions') + ')</span></li>')
  }
  return '<p>Try ' + links.join(', ') + '.</p><h2>Namespaces</h2><ul class="namespace-list">' + list.join('') + '</ul>'
}

// ---------------------------------------------------------------- changes

var GROUPS = [
  ['privilege', 'Privilege changes', 'Privileged roles or permissions added or removed, and every change of a privileged label.'],
  ['roles', 'Roles added, removed or renamed', ''],
  ['permissions', 'Permissions added or removed', ''],
  ['other', 'Other changes', 'Descriptions, summaries, callouts, deprecation and dates.']
]

function renderChanges() {
  setTitle('Changes')
  var changes = data.changes
  if (changes === null) {
    main.innerHTML = '<h1 tabindex="-1">Changes</h1><p class="empty">This page was built without a previous dataset. ' +
      'Build it with <code>roledoc build --site --since DIR</code> to see what changed.</p>'
    return
  }
  var s = changes.summary
  var html = ['<h1 tabindex="-1">Changes</h1>']
  html.push('<p class="lead">From <code>' + esc(changes.old) + '</code> to <code>' + esc(changes.new) + '</code>: ' +
    '<strong id="change-total">' + plural(s.changes, 'change', 'changes') + '</strong>, <strong>' + s.privilegeChanges + '</strong> touching privilege. ' +
    plural(s.added, 'role', 'roles') + ' added, ' + s.removed + ' removed, ' + s.renamed + ' renamed, ' + s.changed + ' changed.</p>')
  if (changes.items.length === 0) html.push('<p class="empty">No changes.</p>')
  for (var g = 0; g < GROUPS.length; g++) {
    var items = changes.items.filter(function (item) { return item.group === GROUPS[g][0] })
    if (items.length === 0) continue
    html.push('<section aria-labelledby="changes-' + GROUPS[g][0] + '" data-group="' + GROUPS[g][0] + '">' +
      '<h2 id="changes-' + GROUPS[g][0] + '">' + GROUPS[g][1] + ' (' + items.length + ')</h2>')
    if (GROUPS[g][2]) html.push('<p class="intro">' + GROUPS[g][2] + '</p>')
    html.push(changeBlocks(items))
    html.push('</section>')
  }
  main.innerHTML = html.join('')
}

/** Consecutive changes of one role under one heading. */
function changeBlocks(items) {
  var html = []
  var i = 0
  while (i < items.length) {
    var role = items[i].role
    var name = esc(role.name === null ? role.id : role.name)
    html.push('<div class="change-role"><h3>' + (role.present ? '<a href="' + roleHref(role.id) + '">' + name + '</a>' : name) +
      ' <code>' + esc(role.id) + '</code></h3><ul class="changes">')
    while (i < items.length && items[i].role.id === role.id) {
      html.push(changeItem(items[i]))
      i++
    }
    html.push('</ul></div>')
  }
  return html.join('')
}

function changeItem(item) {
  var mark = item.mark === '+' ? 'added' : item.mark === '-' ? 'removed' : 'changed'
  var html = '<li class="change" data-change="' + esc(item.kind) + '" data-privilege="' + item.privilege + '" data-role="' + esc(item.role.id) + '">' +
    '<span class="change-mark" aria-hidden="true">' + esc(item.mark) + '</span>' +
    '<span class="visually-hidden">' + mark + ': </span>' + esc(item.text)
  if (item.action !== null) html += ' <code>' + esc(item.action) + '</code>'
  if (item.note !== null) html += ' &mdash; ' + esc(item.note)
  if (item.privilege) html += ' <span class="badge badge-privilege">Privilege</span>'
  if (item.from !== null || item.to !== null) {
    html += '<div class="change-detail">'
    if (item.from !== null) html += '<p><span class="was">Before:</span><del>' + esc(item.from) + '</del></p>'
    if (item.to !== null) html += '<p><span class="now">After:</span><ins>' + esc(item.to) + '</ins></p>'
    html += '</div>'
  }
  return html + '</li>'
}

// ---------------------------------------------------------------- helpers

/** The first element of an HTML fragment, parsed by a template element. */
function fromHtml(html) {
  template.innerHTML = html
  return template.content.firstElementChild
}

function byId(id) {
  return document.getElementById(id)
}

function esc(text) {
  return String(text).replace(/[&<>"']/g, function (character) { return ESCAPES[character] })
}

function compare(a, b) {
  return a < b ? -1 : a > b ? 1 : 0
}

function termsOf(query) {
  var terms = query.toLowerCase().split(/\s+/)
  var kept = []
  for (var i = 0; i < terms.length; i++) if (terms[i] !== '') kept.push(terms[i])
  return kept
}

function containsAll(text, terms) {
  for (var i = 0; i < terms.length; i++) if (text.indexOf(terms[i]) === -1) return false
  return true
}

function roleHref(id) {
  return '#/role/' + encodeURIComponent(id)
}

function plural(count, one, many) {
  return count + ' ' + (count === 1 ? one : many)
}

// ---------------------------------------------------------------- start

window.addEventListener('hashchange', function () { route(true) })
route(false)
document.documentElement.setAttribute('data-ready', '')
performance.measure('roledoc:start-up', 'roledoc:start')
})()
`
