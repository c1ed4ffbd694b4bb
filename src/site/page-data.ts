/**
 * The explorer page's data: what `emitSite` (`../emit/site.ts`) writes into
 * `<script type="application/json" id="roledoc-data">` and what the client
 * (`./client/`) reads back. One module for both sides, so they cannot
 * disagree. It imports types only (the records' and the diff's, so that a
 * field is declared once), which the browser code's type check reads and
 * the bundle leaves out.
 */
import type {DiffSummary} from '../compare/change.js'
import type {RoleRecord} from '../types.js'

/** The id of the element that holds the data. */
export const DATA_ELEMENT_ID = 'roledoc-data'

/**
 * A permission: `[action, description, privileged, line]`, the action and
 * description as indexes into `SiteData.actions` and `SiteData.descriptions`
 * (most appear in many roles).
 */
export type SitePermission = [action: number, description: number, privileged: boolean, line: number]

/** The record's fields that the page shows as they are. */
export type SiteRoleFields = Pick<RoleRecord, 'id' | 'name' | 'description' | 'templateId' | 'privileged' | 'deprecated' | 'summary'>

export interface SiteRole extends SiteRoleFields {
  callouts: SiteCallout[]
  tables: SiteTable[]
  /**
   * `href`: the path percent-encoded, to put after `SiteData.sourceFolders[folder]`;
   * `folder` is `null` when the page has no link to the file.
   */
  source: {path: string; href: string; folder: number | null}
  permissions: SitePermission[]
}

export interface SiteCallout {
  type: string
  /** Plain text; list items one per line, `- ` prefixed. */
  text: string
  line: number
}

export interface SiteTable {
  header: string[]
  rows: string[][]
}

/** Where a change is listed. */
export type ChangeGroup = 'privilege' | 'roles' | 'permissions' | 'other'

/** The order of the groups: privilege changes first, then by what changed. */
export const CHANGE_GROUPS: readonly ChangeGroup[] = ['privilege', 'roles', 'permissions', 'other']

export interface SiteChange {
  /** The diff's `Change['kind']` (`role-added`, `permission-privileged`, …); the page only shows it. */
  kind: string
  group: ChangeGroup
  /** Whether the change touches privilege (`isPrivilegeChange`). */
  privilege: boolean
  /** `+` added, `-` removed, `~` changed. */
  mark: '+' | '-' | '~'
  /** `present`: the role is in the records, so the page can link to it. */
  role: {id: string; name: string | null; present: boolean}
  text: string
  action: string | null
  note: string | null
  from: string | null
  to: string | null
}

/** The diff's counts. */
export type SiteChangeSummary = DiffSummary

export interface SiteChanges {
  /** The two sides, named as the diff names them. */
  old: string
  new: string
  summary: SiteChangeSummary
  /** In display order: by group (`CHANGE_GROUPS`), each group in the diff's order. */
  items: SiteChange[]
}

/** A commit that changed the data (`roledoc build --site --history REPO`). */
export interface SiteHistoryCommit {
  sha: string
  /** The committer date, ISO 8601 as git gives it. */
  date: string
  subject: string
  /**
   * Its changes, in the order of the changes view. `role.id` is the id of
   * the role as it is now (matched by template ID, else id: a renamed role's
   * earlier changes are its), with `present` set, else the id of the time.
   */
  items: SiteChange[]
}

export interface SiteHistory {
  /** The paths walked, relative to the top of the repository; empty for all of it. */
  paths: string[]
  /** First-parent commits walked, those that changed nothing included. */
  walked: number
  /** Every commit that changed the data, newest first. */
  commits: SiteHistoryCommit[]
}

export interface SiteTotals {
  roles: number
  permissions: number
  privilegedPermissions: number
  privilegedRoles: number
  actions: number
}

export interface SiteData {
  version: string
  /**
   * The prefixes of the source links, sorted, each `/`-ended (or empty: the
   * page's own folder): the base URL, or each input folder's path from the page.
   */
  sourceFolders: string[]
  totals: SiteTotals
  /** Every distinct action, sorted. */
  actions: string[]
  /** Every distinct permission description, sorted. */
  descriptions: string[]
  /** Sorted by name, then id. */
  roles: SiteRole[]
  /** `null` when the page was built without a previous dataset. */
  changes: SiteChanges | null
  /** Only when the page was built with `--history`: each role's timeline, and what changed when. */
  history?: SiteHistory
}
