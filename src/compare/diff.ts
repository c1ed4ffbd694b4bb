/**
 * What changed in meaning between two sets of role records. Roles are matched
 * by template ID when both sides have one, else by id; permissions by action;
 * texts compared with white space collapsed. Link paths, formatting and row
 * order are not in the records, so they never show up as changes. Pure.
 */
import {compareStrings} from '../compile/messages.js'
import type {Callout, DatasetRecord, Permission, RoleRecord} from '../types.js'
import type {CalloutText, Change, DiffResult, DiffSummary, RoleRef} from './change.js'

export interface DiffOptions {
  /** Labels for the two sides. */
  old?: string
  new?: string
  /**
   * Pair the roles when each side holds exactly one (two single files, whose
   * ids come from their file names); an id difference is then not a rename.
   */
  pairSingle?: boolean
}

/** Compare the roles of two sides (fragments are ignored). */
export function diffRecords(oldRecords: readonly DatasetRecord[], newRecords: readonly DatasetRecord[], options: DiffOptions = {}): DiffResult {
  const oldRoles = rolesOf(oldRecords)
  const newRoles = rolesOf(newRecords)
  const pairs = matchRoles(oldRoles, newRoles, options.pairSingle === true)
  const changes: Change[] = []
  const summary: DiffSummary = {added: 0, removed: 0, renamed: 0, changed: 0, privilegeChanges: 0, changes: 0}

  for (const pair of pairs) {
    const roleChanges = diffPair(pair, options.pairSingle === true && oldRoles.length === 1 && newRoles.length === 1)
    if (roleChanges.length === 0) continue
    if (!pair.old) summary.added++
    else if (!pair.new) summary.removed++
    else summary.changed++
    if (roleChanges.some((change) => change.kind === 'role-renamed')) summary.renamed++
    changes.push(...roleChanges)
  }
  summary.changes = changes.length
  summary.privilegeChanges = changes.filter(isPrivilegeChange).length
  return {schemaVersion: 1, old: options.old ?? 'old', new: options.new ?? 'new', summary, changes}
}

/** Whether a change grants, takes away or relabels privilege. */
export function isPrivilegeChange(change: Change): boolean {
  switch (change.kind) {
    case 'role-added':
    case 'role-removed':
    case 'permission-added':
    case 'permission-removed':
      return change.privileged
    case 'role-privileged':
    case 'permission-privileged':
      return true
    default:
      return false
  }
}

interface Pair {
  old: RoleRecord | undefined
  new: RoleRecord | undefined
}

function rolesOf(records: readonly DatasetRecord[]): RoleRecord[] {
  return records.filter((record): record is RoleRecord => record.kind === 'role')
}

/** Pair old and new roles: by template ID when both have one, else by id. */
function matchRoles(oldRoles: readonly RoleRecord[], newRoles: readonly RoleRecord[], pairSingle: boolean): Pair[] {
  if (pairSingle && oldRoles.length === 1 && newRoles.length === 1) return [{old: oldRoles[0], new: newRoles[0]}]
  const byTemplate = new Map<string, RoleRecord>()
  const byId = new Map<string, RoleRecord>()
  for (const role of newRoles) {
    if (role.templateId !== null && !byTemplate.has(role.templateId)) byTemplate.set(role.templateId, role)
    byId.set(role.id, role)
  }
  const taken = new Set<RoleRecord>()
  const pairs: Pair[] = []
  for (const role of oldRoles) {
    let match = role.templateId === null ? undefined : byTemplate.get(role.templateId)
    if (!match) {
      const candidate = byId.get(role.id)
      if (candidate && (candidate.templateId === null || role.templateId === null || candidate.templateId === role.templateId)) {
        match = candidate
      }
    }
    if (match && taken.has(match)) match = undefined
    if (match) taken.add(match)
    pairs.push({old: role, new: match})
  }
  for (const role of newRoles) if (!taken.has(role)) pairs.push({old: undefined, new: role})
  return pairs.sort((a, b) => compareStrings((a.new ?? a.old)?.id ?? '', (b.new ?? b.old)?.id ?? ''))
}

function refOf(role: RoleRecord): RoleRef {
  return {id: role.id, name: role.name, templateId: role.templateId}
}

function diffPair(pair: Pair, ignoreId: boolean): Change[] {
  const {old: before, new: after} = pair
  if (!before && after) {
    return [{kind: 'role-added', role: refOf(after), privileged: after.privileged, permissionCount: after.permissions.length}]
  }
  if (before && !after) {
    return [{kind: 'role-removed', role: refOf(before), privileged: before.privileged, permissionCount: before.permissions.length}]
  }
  if (!before || !after) return []

  const role = refOf(after)
  const changes: Change[] = []
  if ((!ignoreId && before.id !== after.id) || !sameText(before.name, after.name)) {
    changes.push({kind: 'role-renamed', role, from: {id: before.id, name: before.name}, to: {id: after.id, name: after.name}})
  }
  if (before.privileged !== after.privileged) changes.push({kind: 'role-privileged', role, from: before.privileged, to: after.privileged})
  if (before.deprecated !== after.deprecated) changes.push({kind: 'deprecated', role, from: before.deprecated, to: after.deprecated})
  if (!sameText(before.description, after.description)) {
    changes.push({kind: 'description', role, from: before.description, to: after.description})
  }
  if (!sameText(before.summary, after.summary)) changes.push({kind: 'summary', role, from: before.summary, to: after.summary})
  const beforeDate = msDate(before)
  const afterDate = msDate(after)
  if (beforeDate !== afterDate) changes.push({kind: 'ms-date', role, from: beforeDate, to: afterDate})
  changes.push(...diffPermissions(role, before.permissions, after.permissions))
  changes.push(...diffCallouts(role, before.callouts, after.callouts))
  return changes
}

function diffPermissions(role: RoleRef, before: readonly Permission[], after: readonly Permission[]): Change[] {
  // The same list (a file compiled once, in two commits of a history): nothing changed.
  if (before === after) return []
  const old = new Map(before.map((permission) => [permission.action, permission]))
  const next = new Map(after.map((permission) => [permission.action, permission]))
  const changes: Change[] = []
  for (const action of [...new Set([...old.keys(), ...next.keys()])].sort(compareStrings)) {
    const a = old.get(action)
    const b = next.get(action)
    if (!a && b) {
      changes.push({kind: 'permission-added', role, action, privileged: b.privileged, description: b.description})
    } else if (a && !b) {
      changes.push({kind: 'permission-removed', role, action, privileged: a.privileged, description: a.description})
    } else if (a && b) {
      if (a.privileged !== b.privileged) changes.push({kind: 'permission-privileged', role, action, from: a.privileged, to: b.privileged})
      if (!sameText(a.description, b.description)) {
        changes.push({kind: 'permission-description', role, action, from: a.description, to: b.description})
      }
    }
  }
  return changes
}

/**
 * Callouts as a list of (type, text): equal ones cancel out; of the rest, an
 * old and a new one of the same type, in order, count as changed.
 */
function diffCallouts(role: RoleRef, before: readonly Callout[], after: readonly Callout[]): Change[] {
  if (before === after) return []
  const removed = before.map(calloutText)
  const added: CalloutText[] = []
  for (const callout of after.map(calloutText)) {
    const index = removed.findIndex((old) => old.type === callout.type && old.text === callout.text)
    if (index === -1) added.push(callout)
    else removed.splice(index, 1)
  }
  const changes: Change[] = []
  for (const callout of added) {
    const index = removed.findIndex((old) => old.type === callout.type)
    const from = index === -1 ? undefined : removed.splice(index, 1)[0]
    if (from) changes.push({kind: 'callout-changed', role, from, to: callout})
    else changes.push({kind: 'callout-added', role, callout})
  }
  for (const callout of removed) changes.push({kind: 'callout-removed', role, callout})
  return changes
}

function calloutText(callout: Callout): CalloutText {
  return {type: callout.type, text: collapse(callout.text)}
}

function msDate(role: RoleRecord): string | null {
  const value = role.frontMatter['ms.date']
  return typeof value === 'string' ? value : value === undefined || value === null ? null : String(value)
}

function sameText(a: string | null, b: string | null): boolean {
  if (a === b) return true
  return a === null || b === null ? a === b : collapse(a) === collapse(b)
}

/** White space runs as one space; line structure (list items) kept. */
function collapse(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter((line) => line !== '')
    .join('\n')
}
