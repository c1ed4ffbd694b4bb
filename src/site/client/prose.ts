/**
 * A role's text as markup: callouts (a long one folded to its first words),
 * plain tables, and the summary's paragraphs and lists.
 */
import type {SiteCallout, SiteTable} from '../page-data.js'
import {esc} from './dom.js'

/** A callout longer than this many characters is folded. */
const CALLOUT_FOLD = 320
/** About how many characters of a folded callout show. */
const CALLOUT_EXCERPT = 160

/** A callout with a link to its line in `sourceUrl` (its line alone without one); a long one opens with its summary (a button to the keyboard). */
export function renderCallout(callout: SiteCallout, sourceUrl: string | null): string {
  const type = callout.type
  const title = `<strong class="callout-title">${esc(type.charAt(0).toUpperCase() + type.slice(1))}</strong>`
  const where = `source, line ${callout.line}`
  const source =
    sourceUrl === null
      ? ` <span class="source-link">${where}</span>`
      : ` <a class="source-link" href="${esc(`${sourceUrl}#L${callout.line}`)}">${where}</a>`
  const body = `<div class="prose">${renderProse(callout.text)}</div>`
  const className = `callout callout-${esc(type)}`
  if (callout.text.length <= CALLOUT_FOLD) {
    return `<div class="${className}" role="note"><p class="callout-head">${title}${source}</p>${body}</div>`
  }
  const excerpt = callout.text.replace(/^- /gm, '').replace(/\s+/g, ' ').slice(0, CALLOUT_EXCERPT).replace(/\s+\S*$/, '')
  return (
    `<details class="${className}"><summary>${title} <span class="excerpt">${esc(excerpt)}&hellip;</span>` +
    ' <span class="more">Show all</span></summary>' +
    `<p class="callout-head">${source}</p>${body}</details>`
  )
}

export function renderTable(table: SiteTable): string {
  const head = table.header.map((cell) => `<th scope="col">${esc(cell)}</th>`)
  const body = table.rows.map((row) => '<tr>' + row.map((cell) => `<td>${esc(cell)}</td>`).join('') + '</tr>')
  return `<table class="plain-table"><thead><tr>${head.join('')}</tr></thead><tbody>${body.join('')}</tbody></table>`
}

/** Summary and callout text: paragraphs split by blank lines, `- ` lines as list items. */
export function renderProse(text: string): string {
  const out: string[] = []
  for (const block of text.split(/\n\s*\n/)) {
    let items: string[] = []
    let words: string[] = []
    for (const line of block.split('\n')) {
      if (line.startsWith('- ')) {
        if (words.length > 0) out.push(`<p>${esc(words.join(' '))}</p>`)
        words = []
        items.push(`<li>${esc(line.slice(2))}</li>`)
      } else if (line.trim() !== '') {
        if (items.length > 0) out.push(`<ul>${items.join('')}</ul>`)
        items = []
        words.push(line.trim())
      }
    }
    if (words.length > 0) out.push(`<p>${esc(words.join(' '))}</p>`)
    if (items.length > 0) out.push(`<ul>${items.join('')}</ul>`)
  }
  return out.join('')
}
