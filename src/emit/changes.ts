/**
 * What a change of `roledoc diff` is, in words: the diff's text and
 * Markdown and the explorer's changes view name each kind alike.
 */
import type {Change, ChangeKind} from '../compare/change.js'

/** What happened, as a sentence's start: `Role added`, `Permission became privileged`, `ms.date changed`. */
export function changeTitle(change: Change): string {
  switch (change.kind) {
    case 'role-added':
      return 'Role added'
    case 'role-removed':
      return 'Role removed'
    case 'role-renamed':
      return 'Role renamed'
    case 'role-privileged':
      return change.to ? 'Role became privileged' : 'Role is no longer privileged'
    case 'deprecated':
      return change.to ? 'Role became deprecated' : 'Role is no longer deprecated'
    case 'description':
      return 'Description changed'
    case 'summary':
      return 'Summary changed'
    case 'ms-date':
      return 'ms.date changed'
    case 'permission-added':
      return 'Permission added'
    case 'permission-removed':
      return 'Permission removed'
    case 'permission-privileged':
      return change.to ? 'Permission became privileged' : 'Permission is no longer privileged'
    case 'permission-description':
      return 'Permission description changed'
    case 'callout-added':
      return 'Callout added'
    case 'callout-removed':
      return 'Callout removed'
    case 'callout-changed':
      return 'Callout changed'
  }
}

/** `+` something added, `-` something removed, `~` something changed. */
export function changeMark(kind: ChangeKind): '+' | '-' | '~' {
  switch (kind) {
    case 'role-added':
    case 'permission-added':
    case 'callout-added':
      return '+'
    case 'role-removed':
    case 'permission-removed':
    case 'callout-removed':
      return '-'
    default:
      return '~'
  }
}

/** `text` with its first letter in lower case, to go inside a line: `role added`. */
export function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1)
}
