/**
 * The dataset: every file `roledoc build` writes, as a map from a posix path
 * relative to the output folder to its text. Pure; the driver writes it.
 */
import {compareStrings} from '../messages.js'
import type {IndexEntry, RoleRecord} from '../types.js'
import {emitJson} from './json.js'
import {emitYaml} from './yaml.js'

export type Dataset = Map<string, string>

/** `index.json` rows, sorted by id. */
export function createIndex(records: readonly RoleRecord[]): IndexEntry[] {
  return [...records]
    .sort((a, b) => compareStrings(a.id, b.id))
    .map((record) => ({
      id: record.id,
      name: record.name,
      templateId: record.templateId,
      privileged: record.privileged,
      deprecated: record.deprecated,
      permissionCount: record.permissions.length,
      privilegedPermissionCount: record.permissions.filter((permission) => permission.privileged).length
    }))
}

/** All output files for `records`, in a stable order. */
export function emitDataset(records: readonly RoleRecord[]): Dataset {
  const files: Dataset = new Map()
  files.set('index.json', emitJson(createIndex(records)))
  for (const record of [...records].sort((a, b) => compareStrings(a.id, b.id))) {
    files.set(`roles/${record.id}.json`, emitJson(record))
    files.set(`roles/${record.id}.yaml`, emitYaml(record))
  }
  return files
}
