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

export interface RoleRecord {
  schemaVersion: 1
  id: string
  kind: 'role'
  name: string | null
  description: string | null
  templateId: string | null
  privileged: boolean
  deprecated: boolean
  summary: string
  callouts: Callout[]
  permissions: Permission[]
  frontMatter: FrontMatter
  source: SourceInfo
}

/** One row of `index.json`. */
export interface IndexEntry {
  id: string
  name: string | null
  templateId: string | null
  privileged: boolean
  deprecated: boolean
  permissionCount: number
  privilegedPermissionCount: number
}
