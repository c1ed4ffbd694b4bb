/**
 * Drift between the role docs and the live role definitions: the docs'
 * role records against the `GraphRole`s of a Graph export
 * (`graph-export/`), matched by template ID. Pure: no I/O.
 */
import {compareStrings} from '../compile/messages.js'
import type {DatasetRecord, RoleRecord, SourcePoint} from '../types.js'
import type {GraphRole} from './graph-export/index.js'

/** The role a drift item is about: the docs' id and name, or (only in Graph) `id: null` and the display name. */
export interface DriftRole {
  id: string | null
  name: string | null
  templateId: string | null
}

/** A place in a docs file (`path` relative to the input root, as in `source.path`). */
export interface DocsPlace {
  path: string
  line: number
  column: number
}

/** One difference between the docs and Graph. */
export type Drift =
  | {kind: 'role-only-in-docs'; role: DriftRole; privileged: boolean; actionCount: number; source: {path: string}}
  | {kind: 'role-only-in-graph'; role: DriftRole; privileged: boolean | null; actionCount: number; position: SourcePoint}
  | {kind: 'name-differs'; role: DriftRole; docs: string | null; graph: string}
  | {kind: 'privileged-differs'; role: DriftRole; docs: boolean; graph: boolean}
  | {kind: 'action-not-granted'; role: DriftRole; action: string; privileged: boolean; source: DocsPlace}
  | {kind: 'action-not-documented'; role: DriftRole; action: string}

export type DriftKind = Drift['kind']

/** The kinds in the order they are listed: privilege drift first, then action drift, names, and roles on one side only last. */
export const driftKinds: readonly DriftKind[] = [
  'privileged-differs',
  'action-not-granted',
  'action-not-documented',
  'name-differs',
  'role-only-in-docs',
  'role-only-in-graph'
]

/** What a kind of drift is about: the sections of the list, in order. */
export type DriftSection = 'privilege' | 'actions' | 'names' | 'one-side'

export const driftSections: readonly DriftSection[] = ['privilege', 'actions', 'names', 'one-side']

/** The section a kind of drift is listed in. */
export function sectionOf(kind: DriftKind): DriftSection {
  switch (kind) {
    case 'privileged-differs':
      return 'privilege'
    case 'action-not-granted':
    case 'action-not-documented':
      return 'actions'
    case 'name-differs':
      return 'names'
    case 'role-only-in-docs':
    case 'role-only-in-graph':
      return 'one-side'
  }
}

export interface DriftSummary {
  /** Role records in the docs. */
  docsRoles: number
  /** Role definitions in the export (custom ones included). */
  graphRoles: number
  /** Docs roles whose template ID is in the export. */
  matched: number
  /** Custom (not built-in) role definitions that match no docs role: not reported. */
  ignored: number
  roleOnlyInDocs: number
  roleOnlyInGraph: number
  nameDiffers: number
  privilegedDiffers: number
  actionNotGranted: number
  actionNotDocumented: number
  /** All drift items. */
  total: number
}

export interface DriftResult {
  schemaVersion: 1
  /** The two sides as given. */
  docs: string
  graph: string
  summary: DriftSummary
  /**
   * Every difference, section by section (`driftSections`: privilege drift,
   * then action drift, names, and roles on one side only), in each by role
   * (docs roles by id, then roles only in Graph by name), then in
   * `driftKinds` order and by action.
   */
  drift: Drift[]
}

export interface DriftOptions {
  /** Label of the docs side. Default: `docs`. */
  docs?: string
  /** Label of the Graph export. Default: `graph`. */
  graph?: string
}

/**
 * Compare the docs' role records (fragments are ignored) with the role
 * definitions of a Graph export. Roles are matched by template ID only;
 * actions are compared exactly (case-sensitive, wildcards are not expanded).
 */
export function driftRecords(records: readonly DatasetRecord[], graph: readonly GraphRole[], options: DriftOptions = {}): DriftResult {
  const roles = records.filter((record): record is RoleRecord => record.kind === 'role')
  const byTemplate = new Map<string, GraphRole>()
  for (const role of graph) {
    const key = role.templateId.toLowerCase()
    if (!byTemplate.has(key)) byTemplate.set(key, role)
  }
  const drift: Drift[] = []
  const matched = new Set<GraphRole>()
  let matchedRoles = 0
  for (const role of roles) {
    const graphRole = role.templateId === null ? undefined : byTemplate.get(role.templateId.toLowerCase())
    if (!graphRole) {
      drift.push(onlyInDocs(role))
      continue
    }
    matchedRoles++
    matched.add(graphRole)
    drift.push(...compareRole(role, graphRole))
  }
  let ignored = 0
  for (const graphRole of byTemplate.values()) {
    if (matched.has(graphRole)) continue
    if (graphRole.isBuiltIn) drift.push(onlyInGraph(graphRole))
    else ignored++
  }
  drift.sort(compareDrift)
  return {
    schemaVersion: 1,
    docs: options.docs ?? 'docs',
    graph: options.graph ?? 'graph',
    summary: summarize(drift, {docsRoles: roles.length, graphRoles: graph.length, matched: matchedRoles, ignored}),
    drift
  }
}

function refOf(role: RoleRecord): DriftRole {
  return {id: role.id, name: role.name, templateId: role.templateId}
}

function onlyInDocs(role: RoleRecord): Drift {
  return {
    kind: 'role-only-in-docs',
    role: refOf(role),
    privileged: role.privileged,
    actionCount: role.permissions.length,
    source: {path: role.source.path}
  }
}

function onlyInGraph(role: GraphRole): Drift {
  return {
    kind: 'role-only-in-graph',
    role: {id: null, name: role.displayName, templateId: role.templateId},
    privileged: role.isPrivileged,
    actionCount: role.actions.length,
    position: {line: role.position.line, column: role.position.column}
  }
}

function compareRole(role: RoleRecord, graphRole: GraphRole): Drift[] {
  const ref = refOf(role)
  const drift: Drift[] = []
  if (role.name === null || collapse(role.name) !== collapse(graphRole.displayName)) {
    drift.push({kind: 'name-differs', role: ref, docs: role.name, graph: graphRole.displayName})
  }
  if (graphRole.isPrivileged !== null && graphRole.isPrivileged !== role.privileged) {
    drift.push({kind: 'privileged-differs', role: ref, docs: role.privileged, graph: graphRole.isPrivileged})
  }
  const granted = new Set(graphRole.actions)
  const documented = new Set<string>()
  for (const permission of role.permissions) {
    documented.add(permission.action)
    if (granted.has(permission.action)) continue
    drift.push({
      kind: 'action-not-granted',
      role: ref,
      action: permission.action,
      privileged: permission.privileged,
      source: {path: role.source.path, line: permission.position.line, column: permission.position.column}
    })
  }
  for (const action of graphRole.actions) {
    if (!documented.has(action)) drift.push({kind: 'action-not-documented', role: ref, action})
  }
  return drift
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim()
}

/** By section; in a section, docs roles by id, then roles only in Graph by name and template ID; within a role by kind, then action. */
function compareDrift(a: Drift, b: Drift): number {
  return (
    driftSections.indexOf(sectionOf(a.kind)) - driftSections.indexOf(sectionOf(b.kind)) ||
    Number(a.role.id === null) - Number(b.role.id === null) ||
    compareStrings(a.role.id ?? '', b.role.id ?? '') ||
    compareStrings(a.role.name ?? '', b.role.name ?? '') ||
    compareStrings(a.role.templateId ?? '', b.role.templateId ?? '') ||
    driftKinds.indexOf(a.kind) - driftKinds.indexOf(b.kind) ||
    compareStrings(actionOf(a), actionOf(b))
  )
}

function actionOf(item: Drift): string {
  return item.kind === 'action-not-granted' || item.kind === 'action-not-documented' ? item.action : ''
}

function summarize(
  drift: readonly Drift[],
  counts: Pick<DriftSummary, 'docsRoles' | 'graphRoles' | 'matched' | 'ignored'>
): DriftSummary {
  const summary: DriftSummary = {
    ...counts,
    roleOnlyInDocs: 0,
    roleOnlyInGraph: 0,
    nameDiffers: 0,
    privilegedDiffers: 0,
    actionNotGranted: 0,
    actionNotDocumented: 0,
    total: drift.length
  }
  for (const item of drift) summary[summaryKey(item.kind)]++
  return summary
}

function summaryKey(kind: DriftKind): 'roleOnlyInDocs' | 'roleOnlyInGraph' | 'nameDiffers' | 'privilegedDiffers' | 'actionNotGranted' | 'actionNotDocumented' {
  switch (kind) {
    case 'role-only-in-docs':
      return 'roleOnlyInDocs'
    case 'role-only-in-graph':
      return 'roleOnlyInGraph'
    case 'name-differs':
      return 'nameDiffers'
    case 'privileged-differs':
      return 'privilegedDiffers'
    case 'action-not-granted':
      return 'actionNotGranted'
    case 'action-not-documented':
      return 'actionNotDocumented'
  }
}
