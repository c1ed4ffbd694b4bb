/**
 * What `diffRecords` (`./diff.ts`) reports: each change, the counts and the
 * result. Types only, so that the explorer's page data (`../site/page-data.ts`)
 * and its browser code can share them without reading the diff itself.
 */
/** The role a change is about (the new side's, or the old side's for a removed role). */
export interface RoleRef {
  id: string
  name: string | null
  templateId: string | null
}

export interface CalloutText {
  type: string
  text: string
}

/** One change; `role` is the role it is about. */
export type Change =
      | {kind: 'role-added'; role: RoleRef; privileged: boolean; permissionCount: number}
      | {kind: 'role-removed'; role: RoleRef; privileged: boolean; permissionCount: number}
      | {kind: 'role-renamed'; role: RoleRef; from: {id: string; name: string | null}; to: {id: string; name: string | null}}
      | {kind: 'role-privileged'; role: RoleRef; from: boolean; to: boolean}
      | {kind: 'deprecated'; role: RoleRef; from: boolean; to: boolean}
      | {kind: 'description'; role: RoleRef; from: string | null; to: string | null}
      | {kind: 'summary'; role: RoleRef; from: string; to: string}
      | {kind: 'ms-date'; role: RoleRef; from: string | null; to: string | null}
      | {kind: 'permission-added'; role: RoleRef; action: string; privileged: boolean; description: string}
      | {kind: 'permission-removed'; role: RoleRef; action: string; privileged: boolean; description: string}
      | {kind: 'permission-privileged'; role: RoleRef; action: string; from: boolean; to: boolean}
      | {kind: 'permission-description'; role: RoleRef; action: string; from: string; to: string}
      | {kind: 'callout-added'; role: RoleRef; callout: CalloutText}
      | {kind: 'callout-removed'; role: RoleRef; callout: CalloutText}
      | {kind: 'callout-changed'; role: RoleRef; from: CalloutText; to: CalloutText}

export type ChangeKind = Change['kind']

export interface DiffSummary {
  added: number
  removed: number
  renamed: number
  /** Roles on both sides with at least one change. */
  changed: number
  /** Changes that touch privilege (see `isPrivilegeChange`). */
  privilegeChanges: number
  /** All changes. */
  changes: number
}

export interface DiffResult {
  schemaVersion: 1
  /** The two sides as given. */
  old: string
  new: string
  summary: DiffSummary
  /** Every change, roles in id order, each role's changes in a fixed kind order. */
  changes: Change[]
}
