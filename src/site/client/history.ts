/**
 * With `roledoc build --site --history REPO`: `#/history`, what changed
 * when (each commit that changed the data, newest first, its changes by
 * role), and each role's timeline on its page (the commits that changed it).
 */
import type {SiteHistory, SiteHistoryCommit} from '../page-data.js'
import {changeBlocks, changeItem} from './changes.js'
import {esc, plural} from './dom.js'
import {optionalView, type Explorer, type View} from './view.js'

/** `history`: the page's, `null` when it was built without `--history`. */
export function createHistoryView(explorer: Explorer, history: SiteHistory | null): View {
  return optionalView(explorer, 'history', history, historyHtml, {title: 'History', without: 'a git history', command: 'roledoc build --site --history REPO', toSee: 'what changed when'})
}

function historyHtml(history: SiteHistory): string {
  const changes = history.commits.reduce((total, commit) => total + commit.items.length, 0)
  const privilege = history.commits.reduce((total, commit) => total + commit.items.filter((item) => item.privilege).length, 0)
  const where = history.paths.length === 0 ? 'the repository' : history.paths.map((path) => `<code>${esc(path)}</code>`).join(', ')
  const html = [
    '<h1 tabindex="-1">What changed when</h1>',
    `<p class="lead">${plural(history.walked, 'commit', 'commits')} touched ${where}; ` +
      `<strong id="history-commits">${plural(history.commits.length, 'commit', 'commits')}</strong> changed the data: ` +
      `${plural(changes, 'change', 'changes')}, <strong>${privilege}</strong> touching privilege. Newest first.</p>`
  ]
  if (history.commits.length === 0) html.push('<p class="empty">No commit changed the data.</p>')
  for (const [index, commit] of history.commits.entries()) {
    html.push(
      `<section class="commit" aria-labelledby="commit-${index}" data-sha="${esc(commit.sha)}">` +
        `<h2 id="commit-${index}">${commitTitle(commit)}</h2>${changeBlocks(commit.items)}</section>`
    )
  }
  return html.join('')
}

/** `2025-06-20 · Update the helpdesk role · abc1234` */
function commitTitle(commit: SiteHistoryCommit): string {
  return (
    `<time datetime="${esc(commit.date)}">${esc(commit.date.slice(0, 10))}</time> &middot; ${esc(commit.subject)} ` +
    `<code title="${esc(commit.sha)}">${esc(commit.sha.slice(0, 7))}</code>`
  )
}

/** A role's timeline: the commits that changed it, newest first, with those changes. */
export function timelineHtml(id: string, history: SiteHistory): string {
  const entries: string[] = []
  for (const commit of history.commits) {
    const items = commit.items.filter((item) => item.role.id === id)
    if (items.length === 0) continue
    entries.push(`<li class="commit" data-sha="${esc(commit.sha)}"><h3>${commitTitle(commit)}</h3><ul class="changes">${items.map(changeItem).join('')}</ul></li>`)
  }
  const body = entries.length === 0 ? '<p class="empty">No commit of the history changed this role.</p>' : `<ol class="timeline">${entries.join('')}</ol>`
  return `<section aria-labelledby="timeline"><h2 id="timeline">Timeline (${plural(entries.length, 'commit', 'commits')})</h2>${body}</section>`
}
