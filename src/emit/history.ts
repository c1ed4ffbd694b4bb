/**
 * A history as text for a terminal, Markdown for a changelog, JSON for
 * machines (`schema/history.schema.json`) or an Atom feed (`emit/atom.ts`).
 * Each commit that changed the data, oldest first, with its changes
 * written as `roledoc diff` writes them (privilege changes first, marked).
 */
import {changedCommits, type History} from '../compare/history.js'
import {isPrivilegeChange} from '../compare/diff.js'
import {emitAtom, oneLine, type FeedOptions} from './atom.js'
import {byRole, describe, marker, markdownByRole, title} from './diff.js'
import {emitJson} from './json.js'
import {count, escapeMarkdown, markdownStyle, textStyle} from './style.js'

export type HistoryFormat = 'text' | 'md' | 'json' | 'atom'

export const historyFormats: readonly HistoryFormat[] = ['text', 'md', 'json', 'atom']

/** How the history was asked for, as the command line gave it (for the headings of text and Markdown). */
export interface HistoryLabels {
  repo: string
  rev: string
}

export interface HistoryEmitOptions extends HistoryLabels, FeedOptions {}

export function emitHistory(history: History, format: HistoryFormat, options: HistoryEmitOptions): string {
  switch (format) {
    case 'json':
      return emitJson(history)
    case 'atom':
      return emitAtom(history, options)
    case 'md':
      return emitHistoryMarkdown(history, options)
    case 'text':
      return emitHistoryText(history, options)
  }
}

/** `12 commits touched the paths; 9 changed the data (31 changes, 4 touching privilege).` */
export function historySummary(history: History): string {
  const changed = changedCommits(history)
  const touched = `${count(history.commits.length, 'commit', 'commits')} touched ${history.paths.length === 0 ? 'the repository' : 'the paths'}`
  if (changed.length === 0) return `${touched}; none changed the data.`
  const changes = changed.flatMap((commit) => commit.changes)
  return `${touched}; ${changed.length} changed the data (${count(changes.length, 'change', 'changes')}, ${changes.filter(isPrivilegeChange).length} touching privilege).`
}

function scope(history: History): string {
  return history.paths.length === 0 ? 'the whole repository' : history.paths.join(', ')
}

/** Text for a terminal: a summary, then each commit that changed the data with its changes by role. */
export function emitHistoryText(history: History, labels: HistoryLabels): string {
  const lines = [`roledoc history ${labels.repo} ${labels.rev} (${scope(history)})`, historySummary(history)]
  for (const commit of changedCommits(history)) {
    lines.push('', `${commit.date.slice(0, 10)}  ${commit.sha.slice(0, 7)}  ${oneLine(commit.subject)}`)
    for (const [role, changes] of byRole(commit.changes)) {
      lines.push(`  ${changes.some(isPrivilegeChange) ? '! ' : ''}${title(role, textStyle)}`)
      for (const change of changes) lines.push(`    ${marker(change)} ${describe(change, textStyle)}`)
    }
  }
  return lines.join('\n') + '\n'
}

/** A changelog to paste: a section per commit that changed the data, a list per role. */
export function emitHistoryMarkdown(history: History, labels: HistoryLabels): string {
  const code = markdownStyle.code
  const paths = history.paths.length === 0 ? 'the whole repository' : history.paths.map(code).join(', ')
  const lines = ['# Changes to the built-in roles', '', `${code(labels.repo)} at ${code(labels.rev)}, ${paths}: ${historySummary(history)}`]
  for (const commit of changedCommits(history)) {
    lines.push('', `## ${commit.date.slice(0, 10)}: ${escapeMarkdown(oneLine(commit.subject))} (${code(commit.sha.slice(0, 7))})`)
    lines.push(...markdownByRole(commit.changes))
  }
  return lines.join('\n') + '\n'
}
