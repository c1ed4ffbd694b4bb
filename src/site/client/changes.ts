/**
 * `#/changes`: the diff against a previous dataset, by group (privilege
 * changes first), each role's changes under one heading.
 */
import {CHANGE_GROUPS, type ChangeGroup, type SiteChange, type SiteChanges} from '../page-data.js'
import {actionCode, esc, plural} from './dom.js'
import {roleHref} from './router.js'
import {optionalView, type Explorer, type View} from './view.js'

const GROUP_TEXT: Readonly<Record<ChangeGroup, {title: string; intro: string}>> = {
  privilege: {
    title: 'Privilege changes',
    intro: 'Privileged roles or permissions added or removed, and every change of a privileged label.'
  },
  roles: {title: 'Roles added, removed or renamed', intro: ''},
  permissions: {title: 'Permissions added or removed', intro: ''},
  other: {title: 'Other changes', intro: 'Descriptions, summaries, callouts, deprecation and dates.'}
}

/** `changes`: the page's, `null` when it was built without a previous dataset. */
export function createChangesView(explorer: Explorer, changes: SiteChanges | null): View {
  return optionalView(explorer, 'changes', changes, changesHtml, {title: 'Changes', without: 'a previous dataset', command: 'roledoc build --site --since DIR', toSee: 'what changed'})
}

function changesHtml(changes: SiteChanges): string {
  const s = changes.summary
  const html = ['<h1 tabindex="-1">Changes</h1>']
  html.push(
    `<p class="lead">From <code>${esc(changes.old)}</code> to <code>${esc(changes.new)}</code>: ` +
      `<strong id="change-total">${plural(s.changes, 'change', 'changes')}</strong>, <strong>${s.privilegeChanges}</strong> touching privilege. ` +
      `${plural(s.added, 'role', 'roles')} added, ${s.removed} removed, ${s.renamed} renamed, ${s.changed} changed.</p>`
  )
  if (changes.items.length === 0) html.push('<p class="empty">No changes.</p>')
  for (const group of CHANGE_GROUPS) {
    const items = changes.items.filter((item) => item.group === group)
    if (items.length === 0) continue
    const {title, intro} = GROUP_TEXT[group]
    html.push(`<section aria-labelledby="changes-${group}" data-group="${group}"><h2 id="changes-${group}">${title} (${items.length})</h2>`)
    if (intro) html.push(`<p class="intro">${intro}</p>`)
    html.push(changeBlocks(items))
    html.push('</section>')
  }
  return html.join('')
}

/** Consecutive changes of one role under one heading. */
export function changeBlocks(items: readonly SiteChange[]): string {
  const runs: SiteChange[][] = []
  for (const item of items) {
    const run = runs[runs.length - 1]
    if (run !== undefined && run[0]?.role.id === item.role.id) run.push(item)
    else runs.push([item])
  }
  return runs.map(changeBlock).join('')
}

function changeBlock(run: readonly SiteChange[]): string {
  const role = run[0]?.role
  if (role === undefined) return ''
  const name = esc(role.name === null ? role.id : role.name)
  return (
    `<div class="change-role"><h3>${role.present ? `<a href="${roleHref(role.id)}">${name}</a>` : name}` +
    ` <code>${esc(role.id)}</code></h3><ul class="changes">${run.map(changeItem).join('')}</ul></div>`
  )
}

export function changeItem(item: SiteChange): string {
  const mark = item.mark === '+' ? 'added' : item.mark === '-' ? 'removed' : 'changed'
  let html =
    `<li class="change" data-change="${esc(item.kind)}" data-privilege="${item.privilege}" data-role="${esc(item.role.id)}">` +
    `<span class="change-mark" aria-hidden="true">${esc(item.mark)}</span>` +
    `<span class="visually-hidden">${mark}: </span>${esc(item.text)}`
  if (item.action !== null) html += ` ${actionCode(item.action)}`
  if (item.note !== null) html += ` &mdash; ${esc(item.note)}`
  if (item.privilege) html += ' <span class="badge badge-privilege">Privilege</span>'
  if (item.from !== null || item.to !== null) {
    html += '<div class="change-detail">'
    if (item.from !== null) html += `<p><span class="was">Before:</span><del>${esc(item.from)}</del></p>`
    if (item.to !== null) html += `<p><span class="now">After:</span><ins>${esc(item.to)}</ins></p>`
    html += '</div>'
  }
  return html + '</li>'
}
