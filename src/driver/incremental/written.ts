/**
 * What the cache remembers of an output folder roledoc wrote: its files
 * (so that a rebuild keeps those of unchanged records) and a digest of
 * them with the build's key (so that a rebuild can tell an untouched
 * folder and do nothing). Reads the folder; never writes it.
 */
import {createHash} from 'node:crypto'
import path from 'node:path'
import type {VFileMessage} from 'vfile-message'
import type {BuildSummary} from '../summary.js'
import {folderFiles, type FileStat} from '../fs.js'
import {serializeMessage, type SerializedCompiled} from '../serialize.js'
import {cacheKey, type Cache} from './cache.js'
import {hasKeys, isCount, isList, isSerializedMessage, keysOf} from './cache-entries.js'

/**
 * What the cache remembers of a written output folder, to tell that it is
 * untouched: the list of its files is kept apart (see `previousOutput`), so
 * that the check holds one file at a time, not the whole list.
 */
export interface RememberedOutput {
  datasetKey: string
  /** The `outputDigest` of the folder's file names, sizes and modification times. */
  outputDigest: string
  messages: Array<{file: string; messages: SerializedCompiled['messages']}>
  summary: BuildSummary
}

/** A file `writeDataset` wrote. */
export interface WrittenFile extends FileStat {
  /** The key of the record it was made from (see `DatasetFile.recordKey`); `''` for a file made from all records. */
  recordKey: string
  /** For a file made of a part per record: where each record's part lies in it, in order. */
  parts?: WrittenPart[]
}

/** Where a record's part (see `DatasetFile.parts`) lies in a file written. */
export interface WrittenPart {
  recordKey: string
  /** In bytes, from the start of the file. */
  offset: number
  length: number
}

/**
 * What roledoc last wrote to `out`, as the cache remembers it: given to
 * `writeDataset` as `previous`, so that files made from unchanged records are
 * linked instead of made again. The cache keys it with roledoc's own code,
 * so files that other code made are never kept.
 */
export async function previousOutput(cache: Cache, out: string, cwd = process.cwd()): Promise<PreviousFiles> {
  return new PreviousFiles(await cache.get(writtenKey(path.resolve(cwd, out)), isStoredList))
}

/**
 * The files of an output folder as the cache keeps them (see
 * `previousOutput`). A file is made a `WrittenFile` when the write asks for
 * it, in place: the write keeps most files, and passes each kept one on as
 * what it wrote, so the list (a few files per record) is held once, not
 * twice.
 */
export class PreviousFiles {
  /** Each file as stored, until it is asked for; then as a `WrittenFile`. */
  private readonly files: Array<StoredFile | WrittenFile>
  private readonly keys: readonly string[]
  /** A rebuild asks for the files in the order it wrote them last time. */
  private readonly byName: OrderedLookup

  constructor(stored: StoredList = {files: [], keys: []}) {
    this.files = stored.files
    this.keys = stored.keys
    this.byName = new OrderedLookup(this.files.length, (at) => nameOf(this.files[at] as StoredFile | WrittenFile))
  }

  get(name: string): WrittenFile | undefined {
    const at = this.byName.find(name)
    if (at === undefined) return undefined
    const file = this.files[at] as StoredFile | WrittenFile
    if (!Array.isArray(file)) return file
    // A record's key comes up in several files: one string for all, from the table.
    const keyAt = (index: number): string => (index < 0 ? '' : (this.keys[index] as string))
    const [fileName, size, mtimeMs, key, spans] = file
    const written: WrittenFile = {name: fileName, size, mtimeMs, recordKey: keyAt(key)}
    if (spans) {
      written.parts = []
      for (let index = 0; index < spans.length; index += 3) {
        written.parts.push({recordKey: keyAt(spans[index] as number), offset: spans[index + 1] as number, length: spans[index + 2] as number})
      }
    }
    this.files[at] = written
    return written
  }
}

function nameOf(file: StoredFile | WrittenFile): string {
  return Array.isArray(file) ? file[0] : file.name
}

/**
 * Where an entry is, by its key, in a list asked in about the order it was
 * made (a rebuild makes files, and a file's parts, in the order it made
 * them last time, but for records added or removed): each look starts just
 * after the entry found last, and a map by key is made only when an entry
 * is not there (a key that comes up twice is found there where it comes
 * first).
 */
export class OrderedLookup {
  private next = 0
  private byKey: Map<string, number> | undefined

  constructor(
    private readonly count: number,
    private readonly keyAt: (index: number) => string
  ) {}

  find(key: string): number | undefined {
    let at: number | undefined = this.next
    if (at >= this.count || this.keyAt(at) !== key) {
      if (!this.byKey) {
        this.byKey = new Map()
        for (let index = this.count - 1; index >= 0; index--) this.byKey.set(this.keyAt(index), index)
      }
      at = this.byKey.get(key)
      if (at === undefined) return undefined
    }
    this.next = at + 1
    return at
  }
}

/** What `rememberOutput` keeps of a build: its key, messages and summary. */
export interface BuildRecord {
  datasetKey: string
  messages: readonly VFileMessage[]
  summary: BuildSummary
}

/** Remember that `out` now holds the dataset of `result` (`written` as `writeDataset` returned it), so a rebuild can skip work. */
export async function rememberOutput(cache: Cache, out: string, result: BuildRecord, written: readonly WrittenFile[], cwd = process.cwd()): Promise<void> {
  const folder = path.resolve(cwd, out)
  const byFile = new Map<string, SerializedCompiled['messages']>()
  for (const message of result.messages) {
    const list = byFile.get(message.file ?? '') ?? []
    list.push(serializeMessage(message))
    byFile.set(message.file ?? '', list)
  }
  const remembered: RememberedOutput = {
    datasetKey: result.datasetKey,
    outputDigest: outputDigest([...written].sort(byFolderOrder)),
    messages: [...byFile].map(([file, messages]) => ({file, messages})),
    summary: result.summary
  }
  // Megabytes of JSON for a big dataset: written an entry at a time.
  await cache.setJson(writtenKey(folder), storedJson(written))
  await cache.set(rememberedKey(folder), remembered)
}

/**
 * How the cache keeps a list of written files: each record key once, in
 * `keys`, and a file's key and its parts' keys as indexes into it (`-1`: no
 * key). A record's key comes up in five files, so this is less than half
 * the text of the list with the keys in place.
 */
interface StoredList {
  files: StoredFile[]
  keys: string[]
}

/**
 * A file in a `StoredList`: a `WrittenFile` as a list, its keys as indexes
 * into `keys` and its parts flat (a key, an offset and a length, the next
 * key, ...): a third of the text of named fields.
 */
type StoredFile = [name: string, size: number, mtimeMs: number, key: number, parts?: number[]]

/** The JSON of `written` as a `StoredList`, an entry at a time. */
function* storedJson(written: readonly WrittenFile[]): Generator<string> {
  const keys = new Map<string, number>()
  const indexOf = (key: string): number => {
    if (key === '') return -1
    let index = keys.get(key)
    if (index === undefined) {
      index = keys.size
      keys.set(key, index)
    }
    return index
  }
  // The files first, which make the table of keys.
  yield '{"files":['
  for (const [index, {name, size, mtimeMs, recordKey, parts}] of written.entries()) {
    const entry: StoredFile = [name, size, mtimeMs, indexOf(recordKey)]
    if (parts) {
      const spans: number[] = []
      for (const part of parts) spans.push(indexOf(part.recordKey), part.offset, part.length)
      entry.push(spans)
    }
    yield (index === 0 ? '' : ',') + JSON.stringify(entry)
  }
  yield '],"keys":'
  yield JSON.stringify([...keys.keys()])
  yield '}'
}

export function rememberedKey(folder: string): string {
  return cacheKey('output', folder)
}

function writtenKey(folder: string): string {
  return cacheKey('written', folder)
}

/** What `rememberOutput` keeps: hashes, messages of known rules for files, and a summary of counts (checked like any cache entry, see `cache-entries.ts`). */
export function isRememberedOutput(value: unknown): value is RememberedOutput {
  return (
    hasKeys(value, rememberedKeys) &&
    typeof value['datasetKey'] === 'string' &&
    sha256.test(value['datasetKey']) &&
    typeof value['outputDigest'] === 'string' &&
    sha256.test(value['outputDigest']) &&
    isList(value['messages'], isFileMessages) &&
    hasKeys(value['summary'], summaryKeys) &&
    Object.values(value['summary']).every((count) => isCount(count))
  )
}

const sha256 = /^[\da-f]{64}$/
const rememberedKeys = keysOf<RememberedOutput>()(['datasetKey', 'outputDigest', 'messages', 'summary'])
const summaryKeys = keysOf<BuildSummary>()(['files', 'roles', 'fragments', 'references', 'skipped', 'permissions', 'privilegedPermissions'])

function isFileMessages(value: unknown): value is RememberedOutput['messages'][number] {
  return hasKeys(value, ['file', 'messages']) && typeof value['file'] === 'string' && isList(value['messages'], isSerializedMessage)
}

/**
 * A list of written files as `storedJson` writes it: each file's name,
 * size, modification time and key, and its parts lying one after the other
 * inside it, each key an index into `keys`.
 */
function isStoredList(value: unknown): value is StoredList {
  if (!hasKeys(value, ['files', 'keys'])) return false
  const {files, keys} = value
  if (!isList(keys, (key): key is string => typeof key === 'string')) return false
  const isKey = (index: unknown): boolean => isCount(index, -1) && (index as number) < keys.length
  return isList(files, (file): file is StoredFile => {
    if (!Array.isArray(file) || typeof file[0] !== 'string' || file[0] === '' || !isCount(file[1]) || !isTime(file[2]) || !isKey(file[3])) return false
    return file.length === 4 || (file.length === 5 && isStoredParts(file[4], file[1], isKey))
  })
}

/** A modification time in milliseconds, as `stat` gives it (with a fraction). */
function isTime(value: unknown): boolean {
  return typeof value === 'number' && Number.isFinite(value) && value >= 0
}

/** Parts of a file of `size` bytes: a key, an offset and a length each, in order, none past the end or over the one before. */
function isStoredParts(value: unknown, size: number, isKey: (index: unknown) => boolean): value is number[] {
  if (!Array.isArray(value) || value.length % 3 !== 0) return false
  let end = 0
  for (let index = 0; index < value.length; index += 3) {
    const [offset, length] = [value[index + 1], value[index + 2]]
    if (!isKey(value[index]) || !isCount(offset, end) || !isCount(length) || offset + length > size) return false
    end = offset + length
  }
  return true
}

/** Whether `folder` holds exactly the files of `remembered`, each with its size and modification time. */
export function outputMatches(folder: string, remembered: RememberedOutput): boolean {
  try {
    return outputDigest(folderFiles(folder)) === remembered.outputDigest
  } catch {
    return false
  }
}

/** A hash of the names, sizes and modification times of a folder's files, given in `byFolderOrder`. */
function outputDigest(files: Iterable<FileStat>): string {
  const hash = createHash('sha256')
  for (const {name, size, mtimeMs} of files) hash.update(`${name}\u0000${size}\u0000${mtimeMs}\n`)
  return hash.digest('hex')
}

/**
 * Folder by folder, as `folderFiles` lists them: `roles/a.json` comes before
 * `roles.json`. That is the order of the names with `/` before any other
 * character (a folder's name ends there), so no name is split.
 */
function byFolderOrder({name: a}: FileStat, {name: b}: FileStat): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const left = a.charCodeAt(index)
    const right = b.charCodeAt(index)
    if (left !== right) return (left === slash ? -1 : left) - (right === slash ? -1 : right)
  }
  return a.length - b.length
}

const slash = '/'.charCodeAt(0)
