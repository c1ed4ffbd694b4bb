/**
 * A history as an Atom 1.0 feed (RFC 4287), so that a feed reader can
 * follow the changes to the built-in roles: one entry per commit that
 * changed the data, newest first. Ids are name-based UUIDs (RFC 9562,
 * version 5) of the history's root commit, its paths and the commit, so an
 * entry keeps its id whenever the feed is made again; `updated` is the
 * commit's date. The same history gives the same bytes.
 */
import {createHash} from 'node:crypto'
import {changedCommits, type History, type HistoryCommit} from '../compare/history.js'
import {isPrivilegeChange} from '../compare/diff.js'
import {byRole, describe} from './diff.js'
import {count, type Style} from './style.js'

export interface FeedOptions {
  /** The oldest commit of the revision's first-parent line: with the paths, it names the history. */
  root: string
  /** The feed's `updated` when no entry gives one (the walked revision's date). */
  updated: string
  /** Each commit's author, by sha (the entry's `author`); absent: the feed's. */
  authors?: ReadonlyMap<string, string>
}

/** The namespace of roledoc's name-based UUIDs: the version 5 UUID of `https://roledoc.dev/history` in the URL namespace. */
const namespace = uuid5(Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex'), 'https://roledoc.dev/history')

export function emitAtom(history: History, options: FeedOptions): string {
  const name = ['history', options.root, ...history.paths].join('\u0000')
  const entries = [...changedCommits(history)].reverse()
  const updated = entries.reduce((latest, entry) => (Date.parse(entry.date) > Date.parse(latest) ? entry.date : latest), entries[0]?.date ?? options.updated)
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>urn:uuid:${uuid5(namespace, name)}</id>`,
    `  <title>${xml(`Built-in role changes: ${history.paths.length === 0 ? 'the whole repository' : history.paths.join(', ')}`)}</title>`,
    `  <updated>${xml(updated)}</updated>`,
    '  <author><name>roledoc</name></author>',
    '  <generator uri="https://roledoc.dev">roledoc</generator>'
  ]
  for (const entry of entries) lines.push(...entryLines(entry, name, options))
  lines.push('</feed>')
  return lines.join('\n') + '\n'
}

function entryLines(commit: HistoryCommit, feedName: string, options: FeedOptions): string[] {
  const author = options.authors?.get(commit.sha)
  return [
    '  <entry>',
    `    <id>urn:uuid:${uuid5(namespace, `${feedName}\u0000${commit.sha}`)}</id>`,
    `    <title>${xml(entryTitle(commit))}</title>`,
    `    <updated>${xml(commit.date)}</updated>`,
    ...(author === undefined ? [] : [`    <author><name>${xml(oneLine(author) || 'unknown')}</name></author>`]),
    `    <summary>${xml(`${oneLine(commit.subject)} (${commit.sha.slice(0, 12)})`)}</summary>`,
    `    <content type="html">${xml(entryHtml(commit))}</content>`,
    '  </entry>'
  ]
}

/** `Helpdesk Administrator, Partner Tier1 Support: 3 changes, 1 touching privilege`. */
export function entryTitle(commit: HistoryCommit): string {
  const roles = byRole(commit.changes).map(([role]) => role.name ?? role.id)
  const named = roles.length <= 3 ? roles.join(', ') : `${roles.slice(0, 3).join(', ')} and ${roles.length - 3} more`
  const privileged = commit.changes.filter(isPrivilegeChange).length
  return oneLine(`${named}: ${count(commit.changes.length, 'change', 'changes')}${privileged > 0 ? `, ${privileged} touching privilege` : ''}`)
}

const htmlStyle: Style = {
  code: (text) => `<code>${html(text)}</code>`,
  quote: (text) => `“${html(text)}”`,
  name: html
}

/** The entry's content: the commit, then each role's changes as a list (as HTML, which the feed holds as text). */
function entryHtml(commit: HistoryCommit): string {
  const parts = [`<p>${html(oneLine(commit.subject))} (<code>${commit.sha}</code>, ${html(commit.date)})</p>`]
  for (const [role, changes] of byRole(commit.changes)) {
    const title = role.name === null ? htmlStyle.code(role.id) : `${html(role.name)} (${htmlStyle.code(role.id)})`
    parts.push(`<h3>${title}</h3>`, '<ul>')
    for (const change of changes) {
      const text = describe(change, htmlStyle)
      parts.push(`<li>${isPrivilegeChange(change) ? `<strong>Privilege:</strong> ${text}` : text}</li>`)
    }
    parts.push('</ul>')
  }
  return parts.join('')
}

/** A subject on one line, without control characters. */
export function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim()
}

/** Text as HTML. */
function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

/**
 * Text as XML character data: markup characters escaped, and characters
 * XML 1.0 does not allow at all (control characters, lone surrogates,
 * U+FFFE and U+FFFF) replaced by U+FFFD.
 */
export function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
}

/** A version 5 (name-based, SHA-1) UUID of `name` in `namespace` (16 bytes, or a UUID as text). */
export function uuid5(namespace: Uint8Array | string, name: string): string {
  const space = typeof namespace === 'string' ? Buffer.from(namespace.replace(/-/g, ''), 'hex') : namespace
  const bytes = createHash('sha1').update(space).update(name, 'utf8').digest().subarray(0, 16)
  bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x50
  bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}
