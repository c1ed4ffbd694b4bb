/**
 * The data model: what `compileRole` returns and what the emitters write.
 * Key order in these interfaces is the key order in the output.
 */

/** A place in the source file, 1-based. */
export interface SourcePoint {
  line: number
  column: number
}

export type KnownCalloutType = 'note' | 'important' | 'warning' | 'tip' | 'caution'

export interface Callout {
  /** Lower-case type: `note`, `important`, `warning`, `tip`, `caution` (others are kept and reported). */
  type: string
  /** Plain text without the `[!TYPE]` marker; list items one per line, `- ` prefixed. */
  text: string
  /** Where the blockquote starts. */
  position: SourcePoint
}

export interface Permission {
  /** The full action, `microsoft.directory/applications/credentials/update`. */
  action: string
  /** First `/`-segment: `microsoft.directory`. */
  namespace: string
  /** Segments between the first and the last, joined by `/`: `applications/credentials`. */
  resource: string
  /** Last segment: `update`. */
  verb: string
  /** Plain text of the description cell, without the badge and `<br/>`. */
  description: string
  /** Whether the description cell carries the privileged-label badge. */
  privileged: boolean
  /** Where the table row starts. */
  position: SourcePoint
}

export interface SourceInfo {
  /** Posix path relative to the input root. */
  path: string
  /** SHA-256 of the exact input bytes, hex. */
  sha256: string
}

export type FrontMatter = Record<string, unknown>

/** A table that is not the permissions table, as plain text cells. */
export interface TableData {
  header: string[]
  rows: string[][]
  position: SourcePoint
}

/** A `[!INCLUDE [label](path)]` in the file. */
export interface IncludeRef {
  /** The path as written. */
  path: string
  /** Posix path of the target relative to the input root; `null` when it lies outside the root. */
  target: string | null
  /** Whether the target is a compiled input file (set when the whole input is assembled). */
  resolved: boolean
  position: SourcePoint
}

export interface RoleRecord {
  schemaVersion: 1
  id: string
  kind: 'role'
  /** The section anchor on the reference page (`application-administrator`), `null` without one. */
  anchor: string | null
  name: string | null
  description: string | null
  templateId: string | null
  privileged: boolean
  deprecated: boolean
  summary: string
  callouts: Callout[]
  permissions: Permission[]
  /** Other tables in the role's prose (for example `| In | Can do |`). */
  tables: TableData[]
  includes: IncludeRef[]
  frontMatter: FrontMatter
  source: SourceInfo
}

/** A file that is not a role (no permissions table, no marker): its text and tables. */
export interface FragmentRecord {
  schemaVersion: 1
  id: string
  kind: 'fragment'
  name: string | null
  description: string | null
  summary: string
  callouts: Callout[]
  tables: TableData[]
  includes: IncludeRef[]
  frontMatter: FrontMatter
  source: SourceInfo
}

export type DatasetRecord = RoleRecord | FragmentRecord

/** What a Markdown file compiles as: a role, a fragment, a reference page, or nothing (`skipped`: it could not be read as text). */
export type FileKind = 'role' | 'fragment' | 'reference' | 'skipped'

/** One row of a reference page's roles table. */
export interface RolesTableRow {
  anchor: string
  name: string
  description: string
  privileged: boolean
  templateId: string | null
  position: SourcePoint
}

/** A role section of a reference page. */
export interface ReferenceSection {
  anchor: string
  name: string
  position: SourcePoint
  includes: IncludeRef[]
  /** The role written inline in the section (`id` is the anchor). */
  role: RoleRecord | null
}

/** What a reference page holds: the roles table and the role sections. */
export interface ReferencePage {
  id: string
  source: SourceInfo
  rows: RolesTableRow[]
  sections: ReferenceSection[]
}

