/**
 * The dataset: every file `roledoc build` writes, as a map from a posix path
 * relative to the output folder to its text. Pure; the driver writes it.
 */
import {compareStrings} from '../messages.js'
import type {DatasetRecord, RoleRecord} from '../types.js'
import {emitCsv} from './csv.js'
import {emitJson} from './json.js'
import {emitYaml} from './yaml.js'

export type Dataset = Map<string, string>

/** Which files a dataset holds besides `index.json`. */
export type DatasetFormat = 'json' | 'yaml' | 'ndjson' | 'csv'

/**
 * `json`: `roles/<id>.json`, `roles.json`, `actions.json`; `yaml`:
 * `roles/<id>.yaml`; `ndjson`: `roles.ndjson`; `csv`: `actions.csv`.
 */
export const datasetFormats: readonly DatasetFormat[] = ['json', 'yaml', 'ndjson', 'csv']

/** Where a dataset comes from; written to `index.json`. */
export interface Provenance {
  /** roledoc's version. */
  version: string
  /** The input roots as given, posix, relative to the working folder. */
  inputs: string[]
  /** How many input files were read. */
  files: number
  /** Which files to write besides `index.json`. Default: all of `datasetFormats`. */
  formats?: readonly DatasetFormat[]
}

/** One role row of `index.json`. */
export interface IndexEntry {
  id: string
  name: string | null
  templateId: string | null
  privileged: boolean
  deprecated: boolean
  permissionCount: number
  privilegedPermissionCount: number
}

export interface DatasetIndex {
  schemaVersion: 1
  generator: {name: 'roledoc'; version: string}
  inputs: string[]
  totals: {
    files: number
    roles: number
    fragments: number
    permissions: number
    privilegedPermissions: number
    distinctActions: number
  }
  roles: IndexEntry[]
  fragments: Array<{id: string; name: string | null}>
}

/** One action of `actions.json`: every role that grants it. */
export interface ActionEntry {
  action: string
  namespace: string
  resource: string
  verb: string
  /** Whether any row listing the action carries the privileged badge. */
  privileged: boolean
  /** Each distinct description seen, in role id order. */
  descriptions: string[]
  /** Ids of the roles that grant the action, sorted. */
  roles: string[]
}

/** Every output file for `records`, in a stable order. */
export function emitDataset(records: readonly DatasetRecord[], provenance: Provenance): Dataset {
  const sorted = [...records].sort((a, b) => compareStrings(a.id, b.id))
  const roles = sorted.filter((record): record is RoleRecord => record.kind === 'role')
  const actions = createActionIndex(roles)
  const formats = new Set(provenance.formats ?? datasetFormats)
  const files: Dataset = new Map()
  files.set('index.json', emitJson(createIndex(sorted, actions.length, provenance)))
  const texts = formats.has('json') ? sorted.map((record) => emitJson(record)) : []
  if (formats.has('json')) {
    // The same text as `emitJson(sorted)`, from the records' own texts.
    files.set('roles.json', texts.length === 0 ? '[]\n' : `[\n  ${texts.map((text) => text.trimEnd().replace(/\n/g, '\n  ')).join(',\n  ')}\n]\n`)
    files.set('actions.json', emitJson(actions))
  }
  if (formats.has('ndjson')) files.set('roles.ndjson', sorted.map((record) => JSON.stringify(record) + '\n').join(''))
  if (formats.has('csv')) files.set('actions.csv', emitActionsCsv(roles))
  for (const [index, record] of sorted.entries()) {
    const text = texts[index]
    if (text !== undefined) files.set(`roles/${record.id}.json`, text)
    if (formats.has('yaml')) files.set(`roles/${record.id}.yaml`, emitYaml(record))
  }
  return files
}

/** The contents of `index.json`. */
export function createIndex(records: readonly DatasetRecord[], distinctActions: number, provenance: Provenance): DatasetIndex {
  const roles = records.filter((record): record is RoleRecord => record.kind === 'role')
  const entries = roles.map((record) => ({
    id: record.id,
    name: record.name,
    templateId: record.templateId,
    privileged: record.privileged,
    deprecated: record.deprecated,
    permissionCount: record.permissions.length,
    privilegedPermissionCount: record.permissions.filter((permission) => permission.privileged).length
  }))
  return {
    schemaVersion: 1,
    generator: {name: 'roledoc', version: provenance.version},
    inputs: provenance.inputs,
    totals: {
      files: provenance.files,
      roles: roles.length,
      fragments: records.length - roles.length,
      permissions: sum(entries.map((entry) => entry.permissionCount)),
      privilegedPermissions: sum(entries.map((entry) => entry.privilegedPermissionCount)),
      distinctActions
    },
    roles: entries,
    fragments: records.filter((record) => record.kind === 'fragment').map((record) => ({id: record.id, name: record.name}))
  }
}

/** The inverse index: each action once, with the roles that grant it. */
export function createActionIndex(roles: readonly RoleRecord[]): ActionEntry[] {
  const byAction = new Map<string, ActionEntry>()
  for (const role of [...roles].sort((a, b) => compareStrings(a.id, b.id))) {
    for (const permission of role.permissions) {
      let entry = byAction.get(permission.action)
      if (!entry) {
        entry = {
          action: permission.action,
          namespace: permission.namespace,
          resource: permission.resource,
          verb: permission.verb,
          privileged: false,
          descriptions: [],
          roles: []
        }
        byAction.set(permission.action, entry)
      }
      entry.privileged ||= permission.privileged
      if (!entry.descriptions.includes(permission.description)) entry.descriptions.push(permission.description)
      if (!entry.roles.includes(role.id)) entry.roles.push(role.id)
    }
  }
  return [...byAction.values()].sort((a, b) => compareStrings(a.action, b.action))
}

/** `actions.csv`: a row per role and action, roles by id, actions in source order. */
function emitActionsCsv(roles: readonly RoleRecord[]): string {
  const rows: Array<Array<string | boolean | null>> = [['role_id', 'role_name', 'template_id', 'action', 'privileged']]
  for (const role of roles) {
    for (const permission of role.permissions) {
      rows.push([role.id, role.name, role.templateId, permission.action, permission.privileged])
    }
  }
  return emitCsv(rows)
}

function sum(values: readonly number[]): number {
  let total = 0
  for (const value of values) total += value
  return total
}
