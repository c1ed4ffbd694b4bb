/** The counts that end a build: files read by kind, permissions, and how many are privileged. */
import type {AssembleUnit} from '../compile/assemble.js'
import type {PermissionFacts} from '../emit/dataset.js'
import type {DatasetRecord} from '../types.js'

export interface BuildSummary {
  files: number
  roles: number
  fragments: number
  references: number
  skipped: number
  permissions: number
  privilegedPermissions: number
}

export function summarize(units: readonly AssembleUnit[], records: readonly DatasetRecord[], permissionsOf: (record: DatasetRecord) => readonly PermissionFacts[]): BuildSummary {
  const summary: BuildSummary = {
    files: units.length,
    roles: 0,
    fragments: 0,
    references: 0,
    skipped: 0,
    permissions: 0,
    privilegedPermissions: 0
  }
  for (const unit of units) {
    if (unit.compiled.kind === 'reference') summary.references++
    if (unit.compiled.kind === 'skipped') summary.skipped++
  }
  for (const record of records) {
    if (record.kind === 'fragment') {
      summary.fragments++
      continue
    }
    summary.roles++
    const permissions = permissionsOf(record)
    summary.permissions += permissions.length
    for (const permission of permissions) if (permission.privileged) summary.privilegedPermissions++
  }
  return summary
}

