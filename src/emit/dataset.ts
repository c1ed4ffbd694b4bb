/**
 * The dataset: every file `roledoc build` writes, as a list of files each
 * made on demand (`datasetFiles`, what the driver streams to disk) or as a
 * map from a posix path relative to the output folder to its text
 * (`emitDataset`). Pure; the driver writes it.
 */
import {createHash} from 'node:crypto'
import {compareStrings} from '../compile/messages.js'
import type {DatasetRecord, Permission, RoleRecord} from '../types.js'
import {actionsCsvHeader, emitCsv} from './csv.js'
import {emitJson, emitJsonChunks} from './json.js'
import {emitYaml} from './yaml.js'

export type Dataset = Map<string, string>

/** Which files a dataset holds besides `index.json`. */
export type DatasetFormat = 'json' | 'yaml' | 'ndjson' | 'csv'

/**
 * `json`: `roles/<id>.json`, `roles.json`, `fragments/<id>.json`,
 * `fragments.json`, `actions.json`; `yaml`: `roles/<id>.yaml`,
 * `fragments/<id>.yaml`; `ndjson`: `roles.ndjson`; `csv`: `actions.csv`.
 * Roles and fragments never share a file: a consumer of `roles.json` reads
 * roles only.
 */
export const datasetFormats: readonly DatasetFormat[] = ['json', 'yaml', 'ndjson', 'csv']

/** Where a dataset comes from; written to `index.json`. */
export interface Provenance {
  /** roledoc's version. */
  version: string
  /** The inputs' own names (the last segment of each one's path), sorted; never a path. */
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

/**
 * One output file, made only when it is written: a file built from every
 * record comes as a sequence of chunks, so that no more than one record's
 * text is held at a time.
 */
export interface DatasetFile {
  /** Posix path relative to the output folder. */
  name: string
  /** The text, whole or in chunks. */
  content: () => string | Iterable<string>
  /**
   * For a file made from one record only: a hash of that record (see
   * `DatasetFilesOptions.recordKey`). Two
   * records with the same key give the same file (with the same roledoc),
   * so a writer may keep the file it wrote before instead of making it again.
   */
  recordKey?: () => string
  /** For a file made from one record only: that record, as `datasetFiles` was given it. */
  record?: DatasetRecord
  /**
   * For a file made of a part per record (and text between them): the same
   * text as `content`, with each record's part marked with that record's
   * key, so that a writer may copy the part from the file it wrote before
   * instead of making it again.
   */
  parts?: () => Iterable<string | RecordPart>
}

/** A record's part of a file made from many records. */
export interface RecordPart {
  /** The record, as `datasetFiles` was given it: its part is made from it alone. */
  record: DatasetRecord
  /** The key of the record (see `DatasetFile.recordKey`). */
  recordKey: () => string
  text: () => string
}

/** What the index and the action index read of a permission. */
export type PermissionFacts = Pick<Permission, 'action' | 'namespace' | 'resource' | 'verb' | 'description' | 'privileged'>

/** A role's permissions, as they are. */
export const ownPermissions = (record: DatasetRecord): readonly PermissionFacts[] => (record.kind === 'role' ? record.permissions : [])

export interface DatasetFilesOptions {
  /**
   * A record's key (see `DatasetFile.recordKey`): any hash that two records
   * share only when their JSON is the same. Default: a SHA-256 of its JSON.
   */
  recordKey?: (record: DatasetRecord) => string
  /**
   * The whole record, when `records` are held without their bodies (a
   * rebuild that keeps most files); called only when a file or a part is
   * made from it. Default: the record itself.
   */
  load?: (record: DatasetRecord) => DatasetRecord
  /** A record's permissions, for `index.json` and `actions.json`. Default: `record.permissions`. */
  permissions?: (record: DatasetRecord) => readonly PermissionFacts[]
}

/** Every output file for `records`, in a stable order, each made on demand. */
export function datasetFiles(records: readonly DatasetRecord[], provenance: Provenance, options: DatasetFilesOptions = {}): DatasetFile[] {
  const sorted = [...records].sort((a, b) => compareStrings(a.id, b.id))
  const load = options.load ?? ((record: DatasetRecord) => record)
  const permissions = options.permissions ?? ownPermissions
  const hash = options.recordKey ?? ((record: DatasetRecord) => createHash('sha256').update(JSON.stringify(load(record))).digest('hex'))
  const access = new RecordAccess(load, hash)
  const roles = sorted.filter((record): record is RoleRecord => record.kind === 'role')
  const fragments = sorted.filter((record) => record.kind === 'fragment')
  const formats = new Set(provenance.formats ?? datasetFormats)
  const files: DatasetFile[] = []
  // The index and the action index a role (an action) at a time, so that a big one is never one string.
  // Each is made when its file is, and not held after it.
  files.push({name: 'index.json', content: () => emitJsonChunks(createIndex(sorted, distinctActions(roles, permissions), provenance, permissions))})
  if (formats.has('json')) {
    // The same text as `emitJson(roles)`, a record at a time.
    files.push(fromParts('roles.json', () => recordsJson(roles, access)))
    files.push(fromParts('fragments.json', () => recordsJson(fragments, access)))
    files.push({name: 'actions.json', content: () => emitJsonChunks(createActionIndex(roles, permissions))})
  }
  if (formats.has('ndjson')) files.push(fromParts('roles.ndjson', () => rolesNdjson(roles, access)))
  if (formats.has('csv')) files.push(fromParts('actions.csv', () => actionsCsv(roles, access)))
  for (const record of sorted) {
    if (formats.has('json')) files.push(new RecordFile(record, 'json', access))
    if (formats.has('yaml')) files.push(new RecordFile(record, 'yaml', access))
  }
  return files
}

/**
 * How the dataset's files reach a record: whole (`load`, for records held
 * without their bodies), and its key, made once. Shared by the files of
 * every record, which hold no closures of their own (a big dataset has two
 * files per record).
 */
class RecordAccess {
  private readonly keys = new Map<DatasetRecord, string>()

  constructor(
    readonly load: (record: DatasetRecord) => DatasetRecord,
    private readonly hash: (record: DatasetRecord) => string
  ) {}

  key(record: DatasetRecord): string {
    let key = this.keys.get(record)
    if (key === undefined) {
      key = this.hash(record)
      this.keys.set(record, key)
    }
    return key
  }
}

/** `roles/<id>.json` or `roles/<id>.yaml`: its name and text made when asked for. */
class RecordFile implements DatasetFile {
  constructor(
    readonly record: DatasetRecord,
    private readonly format: 'json' | 'yaml',
    private readonly access: RecordAccess
  ) {}

  get name(): string {
    return `${recordFolder(this.record)}/${this.record.id}.${this.format}`
  }

  content(): string {
    const whole = this.access.load(this.record)
    return this.format === 'json' ? emitJson(whole) : emitYaml(whole)
  }

  recordKey(): string {
    return this.access.key(this.record)
  }
}

/** The folder of a record's own files: `roles` or `fragments`. */
function recordFolder(record: DatasetRecord): 'roles' | 'fragments' {
  return record.kind === 'role' ? 'roles' : 'fragments'
}

/** A file of parts, whose content is their text. */
function fromParts(name: string, parts: () => Iterable<string | RecordPart>): DatasetFile {
  return {
    name,
    parts,
    *content() {
      for (const part of parts()) yield typeof part === 'string' ? part : part.text()
    }
  }
}

/** Every output file for `records`, in a stable order, as text. */
export function emitDataset(records: readonly DatasetRecord[], provenance: Provenance): Dataset {
  return new Map(datasetFiles(records, provenance).map((file) => [file.name, fileText(file)]))
}

/** A file's whole text. */
export function fileText(file: DatasetFile): string {
  const content = file.content()
  return typeof content === 'string' ? content : [...content].join('')
}

/** The files of a dataset already made. */
export function filesOf(dataset: Dataset): DatasetFile[] {
  return [...dataset].map(([name, text]) => ({name, content: () => text}))
}

/** `roles.ndjson`: a line per role, made one at a time. */
function* rolesNdjson(roles: readonly RoleRecord[], access: RecordAccess): Generator<RecordPart> {
  for (const record of roles) yield {record, recordKey: () => access.key(record), text: () => JSON.stringify(access.load(record)) + '\n'}
}

/** `roles.json` or `fragments.json`: a list of records, made one at a time. */
function* recordsJson(sorted: readonly DatasetRecord[], access: RecordAccess): Generator<string | RecordPart> {
  if (sorted.length === 0) {
    yield '[]\n'
    return
  }
  for (const [index, record] of sorted.entries()) {
    yield index === 0 ? '[\n' : ',\n'
    // Indented as an item of a list: `[\n  {…}\n]` less the brackets.
    yield {record, recordKey: () => access.key(record), text: () => JSON.stringify([access.load(record)], null, 2).slice(2, -2)}
  }
  yield '\n]\n'
}

/** The contents of `index.json`. */
export function createIndex(
  records: readonly DatasetRecord[],
  distinctActions: number,
  provenance: Provenance,
  permissionsOf: (record: DatasetRecord) => readonly PermissionFacts[] = ownPermissions
): DatasetIndex {
  const roles = records.filter((record): record is RoleRecord => record.kind === 'role')
  const entries = roles.map((record) => {
    const permissions = permissionsOf(record)
    return {
      id: record.id,
      name: record.name,
      templateId: record.templateId,
      privileged: record.privileged,
      deprecated: record.deprecated,
      permissionCount: permissions.length,
      privilegedPermissionCount: permissions.filter((permission) => permission.privileged).length
    }
  })
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

/** How many actions `roles` grant between them: the entries of their action index. */
function distinctActions(roles: readonly RoleRecord[], permissionsOf: (record: DatasetRecord) => readonly PermissionFacts[]): number {
  const actions = new Set<string>()
  for (const role of roles) for (const permission of permissionsOf(role)) actions.add(permission.action)
  return actions.size
}

/** The inverse index: each action once, with the roles that grant it. */
export function createActionIndex(roles: readonly RoleRecord[], permissionsOf: (record: DatasetRecord) => readonly PermissionFacts[] = ownPermissions): ActionEntry[] {
  const byAction = new Map<string, {entry: ActionEntry; descriptions: Set<string>}>()
  for (const role of [...roles].sort((a, b) => compareStrings(a.id, b.id))) {
    for (const permission of permissionsOf(role)) {
      let found = byAction.get(permission.action)
      if (!found) {
        const entry: ActionEntry = {
          action: permission.action,
          namespace: permission.namespace,
          resource: permission.resource,
          verb: permission.verb,
          privileged: false,
          descriptions: [],
          roles: []
        }
        found = {entry, descriptions: new Set()}
        byAction.set(permission.action, found)
      }
      const {entry, descriptions} = found
      entry.privileged ||= permission.privileged
      if (!descriptions.has(permission.description)) {
        descriptions.add(permission.description)
        entry.descriptions.push(permission.description)
      }
      // Roles come in id order, so a role already listed is the last one (an action it lists twice).
      if (entry.roles.at(-1) !== role.id) entry.roles.push(role.id)
    }
  }
  return [...byAction.values()].map(({entry}) => entry).sort((a, b) => compareStrings(a.action, b.action))
}

/** `actions.csv`: a row per role and action, roles by id, actions in source order; a part per role. */
function* actionsCsv(roles: readonly RoleRecord[], access: RecordAccess): Generator<string | RecordPart> {
  yield emitCsv([actionsCsvHeader])
  for (const role of roles) {
    yield {record: role, recordKey: () => access.key(role), text: () => emitCsv((access.load(role) as RoleRecord).permissions.map((permission) => [role.id, role.name, role.templateId, permission.action, permission.privileged]))}
  }
}

function sum(values: readonly number[]): number {
  let total = 0
  for (const value of values) total += value
  return total
}
