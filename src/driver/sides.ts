/**
 * The two sides of a comparison, read for `roledoc diff` and `roledoc
 * drift` (and for the explorer page's changes, `build --since`): a dataset
 * folder that `roledoc build` wrote, or docs compiled in memory; and a
 * Graph export. Each command's call returns all that the CLI shows.
 */
import {existsSync} from 'node:fs'
import {readFile, stat} from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {DiffResult} from '../compare/change.js'
import {diffRecords} from '../compare/diff.js'
import {driftRecords, type DriftResult} from '../compare/drift.js'
import {maxGraphExportSize, parseGraphExport, reportTooLarge, type GraphRole} from '../compare/graph-export/index.js'
import {compareMessages} from '../compile/messages.js'
import type {DiffEmitOptions} from '../emit/diff.js'
import type {DriftEmitOptions} from '../emit/drift.js'
import type {DatasetRecord} from '../types.js'
import {build} from './build.js'
import {asUsageError, UsageError} from './errors.js'

export type SideKind = 'dataset' | 'docs' | 'file'

export interface LoadedSide {
  kind: SideKind
  records: DatasetRecord[]
  messages: VFileMessage[]
}

/**
 * Records for one side of a diff: a dataset folder written by `roledoc
 * build` (it has an `index.json` by roledoc, a `roles.json` and, since
 * fragments have a file of their own, a `fragments.json`), or a docs folder
 * or Markdown file, compiled in memory.
 */
export async function loadSide(input: string, cwd = process.cwd(), signal?: AbortSignal): Promise<LoadedSide> {
  const absolute = path.resolve(cwd, input)
  let stats
  try {
    stats = await stat(absolute)
  } catch {
    throw new UsageError(`Not found: ${input}; pass a Markdown file, a docs folder or a dataset folder written by \`roledoc build\``)
  }
  if (stats.isDirectory() && (await isDataset(absolute))) {
    const roles = await readRecords(absolute, input, 'roles.json')
    // A dataset written before fragments had a file of their own holds them in roles.json.
    const fragments = existsSync(path.join(absolute, 'fragments.json')) ? await readRecords(absolute, input, 'fragments.json') : []
    return {kind: 'dataset', records: [...roles, ...fragments], messages: []}
  }
  const result = await build({inputs: [input], cwd, ...(signal ? {signal} : {})})
  return {kind: stats.isDirectory() ? 'docs' : 'file', records: result.records, messages: result.messages}
}

/** The records of `name` (`roles.json`, `fragments.json`) in the dataset folder `folder` (`input` as given). */
async function readRecords(folder: string, input: string, name: string): Promise<DatasetRecord[]> {
  let records: unknown
  try {
    records = JSON.parse(await readFile(path.join(folder, name), 'utf8'))
  } catch (error) {
    throw new UsageError(`Could not read ${input}/${name}: ${error instanceof Error ? error.message : String(error)}; rebuild the dataset`)
  }
  if (!Array.isArray(records) || !records.every(isRecordLike)) {
    throw new UsageError(`${input}/${name} is not a list of roledoc records; rebuild the dataset`)
  }
  return records as DatasetRecord[]
}

async function isDataset(folder: string): Promise<boolean> {
  try {
    const index = JSON.parse(await readFile(path.join(folder, 'index.json'), 'utf8')) as {generator?: {name?: unknown}}
    return index.generator?.name === 'roledoc'
  } catch {
    return false
  }
}

function isRecordLike(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false
  const record = value as Record<string, unknown>
  if (typeof record['id'] !== 'string') return false
  if (record['kind'] === 'fragment') return true
  return record['kind'] === 'role' && Array.isArray(record['permissions']) && Array.isArray(record['callouts'])
}

/** What `roledoc diff` shows: the errors that stop it (compile errors on either side), or the diff and how to title its roles. */
export type DiffRun = {errors: VFileMessage[]} | {errors: []; result: DiffResult; titles: DiffEmitOptions}

/** Read both sides (old first) and diff them; labelled as given. */
export async function diffSides(oldPath: string, newPath: string, cwd: string): Promise<DiffRun> {
  const before = await loadSide(oldPath, cwd)
  const after = await loadSide(newPath, cwd)
  const errors = [before, after].flatMap((side) => side.messages.filter((message) => message.fatal === true))
  if (errors.length > 0) return {errors}
  const files = before.kind === 'file' && after.kind === 'file'
  const result = diffRecords(before.records, after.records, {old: oldPath, new: newPath, pairSingle: files})
  // Two files: a role's id is its file's name, which need not be the role's (old.md, new.md); its template ID is.
  return {errors: [], result, titles: files ? {titleBy: 'templateId'} : {}}
}

/**
 * What `roledoc drift` shows: the problems of the Graph export (sorted) and
 * the compile errors of the docs, which stop it; else the drift, and where
 * the docs' paths start as the user gave them.
 */
export type DriftRun =
  | {graphErrors: VFileMessage[]; docsErrors: VFileMessage[]; result: null}
  | {graphErrors: []; docsErrors: []; result: DriftResult; places: DriftEmitOptions}

/** Read the Graph export, then the docs, and compare them; labelled as given. */
export async function driftSides(graphPath: string, docsPath: string, cwd: string): Promise<DriftRun> {
  const graph = await readGraph(graphPath, cwd)
  const docs = await loadSide(docsPath, cwd)
  const graphErrors = graph.messages.sort(compareMessages)
  const docsErrors = docs.messages.filter((message) => message.fatal === true)
  if (graphErrors.length > 0 || docsErrors.length > 0 || graph.roles === null) return {graphErrors, docsErrors, result: null}
  const result = driftRecords(docs.records, graph.roles, {docs: docsPath, graph: graphPath})
  return {graphErrors: [], docsErrors: [], result, places: docsRootOf(docsPath, docs.kind)}
}

interface ReadGraph {
  roles: GraphRole[] | null
  messages: VFileMessage[]
}

/** Read and check the Graph export; a file too large is reported without being read. */
async function readGraph(input: string, cwd: string): Promise<ReadGraph> {
  const absolute = path.resolve(cwd, input)
  let stats
  try {
    stats = await stat(absolute)
  } catch {
    throw new UsageError(`Graph export not found: ${input}; pass the JSON file saved from \`GET /roleManagement/directory/roleDefinitions\``)
  }
  if (!stats.isFile()) {
    throw new UsageError(`Graph export ${input} is not a file; pass the JSON file saved from \`GET /roleManagement/directory/roleDefinitions\``)
  }
  if (stats.size > maxGraphExportSize) {
    const file = new VFile({path: input})
    reportTooLarge(file, stats.size)
    return {roles: null, messages: [...file.messages]}
  }
  let bytes: Buffer
  try {
    bytes = await readFile(absolute)
  } catch (error) {
    throw asUsageError(error, `Could not read the Graph export ${input}`, 'make it readable')
  }
  const {roles, messages} = parseGraphExport(bytes, {path: input})
  return {roles, messages}
}

/**
 * Where the docs' `source.path`s start, as given on the command line: the
 * folder, or a file's folder; unknown for a dataset (its paths are relative
 * to the folder it was built from).
 */
function docsRootOf(input: string, kind: SideKind): DriftEmitOptions {
  const posix = input.split(path.sep).join('/')
  if (kind === 'docs') return {docsRoot: posix}
  if (kind === 'file') return {docsRoot: path.posix.dirname(posix)}
  return {}
}
