/**
 * The manifest that `writeDataset` adds to each output folder
 * (`manifest.json`: every other file it wrote, with its size and SHA-256),
 * and how an output folder is told apart before it is replaced: by what
 * roledoc wrote in it, not by the names of its files. Reads the folder;
 * never writes it.
 */
import {lstatSync, readdirSync, readFileSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'
import {compareStrings} from '../compile/messages.js'
import {UsageError} from './errors.js'

/** The manifest's name in the output folder. */
export const manifestName = 'manifest.json'

export interface ManifestEntry {
  /** Posix path relative to the output folder. */
  path: string
  /** In bytes. */
  size: number
  /** SHA-256 of the bytes, in hex. */
  sha256: string
}

/** `manifest.json`: the other files of the folder, sorted by path. */
export interface DatasetManifest {
  schemaVersion: 1
  generator: {name: 'roledoc'}
  files: ManifestEntry[]
}

/** The text of the manifest of `entries`. */
export function manifestText(entries: Iterable<ManifestEntry>): string {
  const files = [...entries].sort((a, b) => compareStrings(a.path, b.path))
  const manifest: DatasetManifest = {schemaVersion: 1, generator: {name: 'roledoc'}, files}
  return JSON.stringify(manifest, null, 2) + '\n'
}

/** The manifest in `text`, or `null` when it is not one that roledoc wrote. */
export function parseManifest(text: string): DatasetManifest | null {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return null
  }
  if (typeof value !== 'object' || value === null) return null
  const {schemaVersion, generator, files} = value as Record<string, unknown>
  if (schemaVersion !== 1 || (generator as {name?: unknown} | null)?.name !== 'roledoc' || !Array.isArray(files)) return null
  return files.every(isEntry) ? (value as DatasetManifest) : null
}

function isEntry(value: unknown): value is ManifestEntry {
  if (typeof value !== 'object' || value === null) return false
  const entry = value as Record<string, unknown>
  return (
    typeof entry['path'] === 'string' &&
    entry['path'].split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..') &&
    Number.isInteger(entry['size']) &&
    typeof entry['sha256'] === 'string' &&
    /^[\da-f]{64}$/.test(entry['sha256'])
  )
}

/** What an output folder holds, as far as replacing it goes. */
export type OutputFolder =
  /** Missing or empty. */
  | {kind: 'none'}
  /** Written by roledoc, with the files its manifest lists (by path). */
  | {kind: 'dataset'; files: Map<string, ManifestEntry>}
  /** Written by a roledoc without manifests, recognised by its `index.json`. */
  | {kind: 'older-dataset'}

/**
 * What the folder `target` holds; a `UsageError` when it may not be
 * replaced: it is not a folder, it holds no dataset that roledoc wrote, or
 * it holds anything else besides (a file or folder that the manifest does
 * not list, a symbolic link).
 */
export function inspectOutput(target: string, shown: string): OutputFolder {
  let isFolder
  try {
    isFolder = lstatSync(target).isDirectory()
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {kind: 'none'}
    throw error
  }
  if (!isFolder) throw new UsageError(`Output ${shown} exists and is not a folder; choose another --out`)
  const names = readdirSync(target).sort(compareStrings)
  if (names.length === 0) return {kind: 'none'}
  const manifest = readManifest(target)
  const allowed = manifest ? allowedByManifest(manifest) : allowedByIndex(target)
  if (!allowed) {
    throw new UsageError(
      `Output folder ${shown} is not empty and holds no dataset that roledoc wrote (no ${manifestName} by roledoc; found ${sample(names)}). ` +
        'roledoc replaces its output folder whole, so it writes only to an empty or new folder, or one it wrote; choose another --out'
    )
  }
  const foreign = foreignEntries(target, allowed)
  if (foreign.length > 0) {
    const by = manifest ? `not in its ${manifestName}` : 'not in the dataset its index.json describes'
    throw new UsageError(
      `Output folder ${shown} holds files that roledoc did not write there (${sample(foreign)}; ${by}). ` +
        `roledoc replaces its output folder whole and would delete them: move them out of ${shown}, or choose another --out`
    )
  }
  return manifest ? {kind: 'dataset', files: new Map(manifest.files.map((entry) => [entry.path, entry]))} : {kind: 'older-dataset'}
}

/**
 * Whether `folder` holds a whole dataset that roledoc wrote: every file its
 * manifest lists, of the listed size (or, written before manifests, a
 * roledoc `index.json`).
 */
export function isWholeDataset(folder: string): boolean {
  const manifest = readManifest(folder)
  if (!manifest) return allowedByIndex(folder) !== null
  return manifest.files.every((entry) => {
    try {
      const stats = lstatSync(path.join(folder, ...entry.path.split('/')))
      return stats.isFile() && stats.size === entry.size
    } catch {
      return false
    }
  })
}

/**
 * Refuse when a file stands where the output folder `target` (absolute;
 * `shown` as given), or a folder above it, should be: the folder can be
 * neither made nor read there.
 */
export function assertOutputPlace(target: string, shown: string, cwd: string): void {
  for (let folder = target; ; folder = path.dirname(folder)) {
    let isFolder
    try {
      isFolder = statSync(folder).isDirectory()
    } catch {
      // Missing (or below a file): look further up.
      if (path.dirname(folder) === folder) return
      continue
    }
    if (isFolder) return
    if (folder === target) throw new UsageError(`Output ${shown} exists and is not a folder; choose another --out`)
    const file = path.isAbsolute(shown) ? folder : path.relative(cwd, folder)
    throw new UsageError(`Output folder ${shown} cannot be made: ${file} is a file, where a folder is needed; choose another --out, or move the file`, {help: false})
  }
}

/** Refuse when an input (absolute) is the output folder `target` or inside it: replacing the folder would delete it. */
export function assertInputsOutside(target: string, shown: string, inputs: readonly string[], cwd: string): void {
  const folder = realPath(target)
  for (const input of inputs) {
    const real = realPath(input)
    if (real !== folder && !real.startsWith(folder + path.sep)) continue
    const given = path.relative(cwd, input).split(path.sep).join('/') || '.'
    throw new UsageError(
      `Output folder ${shown} ${real === folder ? 'is' : 'holds'} the input ${given}; roledoc replaces its output folder whole, so choose an --out outside the inputs`
    )
  }
}

/** Where an entry of a folder may be, by kind. */
interface Allowed {
  files: Set<string>
  folders: Set<string>
}

/** Files that a file manager leaves in any folder it shows: nobody's data, and removed with the folder. */
const systemFiles = new Set(['.DS_Store', 'Thumbs.db', 'desktop.ini'])

/**
 * What under `folder` is not `allowed`, without following links: a file or
 * folder not listed (but for `systemFiles`), anything else (a link, a
 * socket). A folder not listed is named once (`notes/`), not walked.
 */
function foreignEntries(folder: string, allowed: Allowed, prefix = ''): string[] {
  const foreign: string[] = []
  for (const name of readdirSync(folder).sort(compareStrings)) {
    const stats = lstatSync(path.join(folder, name))
    const entry = prefix + name
    if (stats.isDirectory()) {
      if (allowed.folders.has(entry)) foreign.push(...foreignEntries(path.join(folder, name), allowed, `${entry}/`))
      else foreign.push(`${entry}/`)
    } else if (!stats.isFile() || !(allowed.files.has(entry) || systemFiles.has(name))) {
      foreign.push(entry)
    }
  }
  return foreign
}

function readManifest(folder: string): DatasetManifest | null {
  try {
    return parseManifest(readFileSync(path.join(folder, manifestName), 'utf8'))
  } catch {
    return null
  }
}

function allowedByManifest(manifest: DatasetManifest): Allowed {
  const allowed: Allowed = {files: new Set([manifestName]), folders: new Set()}
  for (const entry of manifest.files) {
    allowed.files.add(entry.path)
    const segments = entry.path.split('/')
    for (let end = 1; end < segments.length; end++) allowed.folders.add(segments.slice(0, end).join('/'))
  }
  return allowed
}

/** The files a dataset written before manifests holds, from its `index.json`; `null` when it has no roledoc index. */
function allowedByIndex(folder: string): Allowed | null {
  let index: {generator?: {name?: unknown}; roles?: unknown; fragments?: unknown}
  try {
    index = JSON.parse(readFileSync(path.join(folder, 'index.json'), 'utf8')) as typeof index
  } catch {
    return null
  }
  if (index?.generator?.name !== 'roledoc' || !Array.isArray(index.roles) || !Array.isArray(index.fragments)) return null
  const allowed: Allowed = {
    files: new Set(['index.json', 'roles.json', 'roles.ndjson', 'fragments.json', 'actions.json', 'actions.csv', 'site/index.html']),
    folders: new Set(['roles', 'fragments', 'site'])
  }
  const add = (entries: unknown[], folders: readonly string[]): boolean => {
    for (const entry of entries) {
      const id = (entry as {id?: unknown} | null)?.id
      if (typeof id !== 'string') return false
      for (const folder of folders) allowed.files.add(`${folder}/${id}.json`).add(`${folder}/${id}.yaml`)
    }
    return true
  }
  // Fragments were written to roles/ before they had a folder of their own.
  return add(index.roles, ['roles']) && add(index.fragments, ['roles', 'fragments']) ? allowed : null
}

/** The first few of `names`, and how many more. */
function sample(names: readonly string[]): string {
  const shown = names.slice(0, 3).join(', ')
  return names.length > 3 ? `${shown} and ${names.length - 3} more` : shown
}

/** `file` with its links resolved, as far as it exists. */
function realPath(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    const parent = path.dirname(file)
    return parent === file ? file : path.join(realPath(parent), path.basename(file))
  }
}
