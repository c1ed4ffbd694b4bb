/**
 * The build driver's view of an output folder: what roledoc wrote to it
 * (kept in the cache, so that a rebuild can tell an untouched folder and
 * keep unchanged files), and whether it holds a given dataset
 * (`build --check`). Reads the folder; never writes it.
 */
import {createHash} from 'node:crypto'
import {closeSync, existsSync, lstatSync, openSync, readdirSync, readSync} from 'node:fs'
import path from 'node:path'
import {cacheKey, type Cache} from './cache.js'
import {filesOf, type Dataset, type DatasetFile} from '../../emit/dataset.js'
import {compareStrings} from '../../compile/messages.js'
import {serializeMessage, type SerializedCompiled} from '../serialize.js'
import type {BuildResult, BuildSummary} from '../build.js'
import {hasKeys, isCount, isList, isSerializedMessage, keysOf} from './cache-entries.js'
import {asUsageError} from '../errors.js'
import {manifestName, manifestText, type ManifestEntry} from '../manifest.js'

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

/**
 * A file `writeDataset` wrote: its path in the folder, size, modification
 * time, the key of the record it was made from (see
 * `DatasetFile.recordKey`; empty for files made from all records) and, for
 * a file made of a part per record, where each record's part lies in it.
 */
export type WrittenFile = [name: string, size: number, mtimeMs: number, recordKey: string, parts?: WrittenParts]

/**
 * Where each record's part (see `DatasetFile.parts`) lies in a file
 * written, flat: a record's key, the offset and the length in bytes, the
 * next record's key, and so on.
 */
export type WrittenParts = Array<string | number>

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
 * what it wrote, so the list is held once, not twice (at 100x it has 28,000
 * files).
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
    this.byName = new OrderedLookup(this.files.length, (at) => (this.files[at] as StoredFile | WrittenFile)[0])
  }

  get(name: string): WrittenFile | undefined {
    const at = this.byName.find(name)
    if (at === undefined) return undefined
    const file = this.files[at] as StoredFile | WrittenFile
    if (typeof file[3] === 'string') return file as WrittenFile
    // A record's key comes up in several files: one string for all, from the table.
    const keyAt = (index: number): string => (index < 0 ? '' : (this.keys[index] as string))
    const written = file as unknown as WrittenFile
    written[3] = keyAt(file[3])
    const parts = written[4]
    if (parts) for (let index = 0; index < parts.length; index += 3) parts[index] = keyAt(parts[index] as number)
    return written
  }
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

/** Remember that `out` now holds the dataset of `result` (`written` as `writeDataset` returned it), so a rebuild can skip work. */
export async function rememberOutput(cache: Cache, out: string, result: BuildResult, written: readonly WrittenFile[], cwd = process.cwd()): Promise<void> {
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
  // At 100x about 3 MB of JSON: written an entry at a time.
  await cache.setJson(writtenKey(folder), storedJson(written))
  await cache.set(rememberedKey(folder), remembered)
}

/**
 * How the cache keeps a list of written files: each record key once, in
 * `keys`, and a file's key and its parts' keys as indexes into it (`-1`: no
 * key). A record's key comes up in five files, so this is less than half
 * the text of the list with the keys in place (3.3 MB instead of 7.3 at 100x).
 */
interface StoredList {
  files: StoredFile[]
  keys: string[]
}

/** A file in a `StoredList`: a `WrittenFile` with its keys as indexes into `keys`. */
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
  for (const [index, [name, size, mtimeMs, key, parts]] of written.entries()) {
    const entry: StoredFile = [name, size, mtimeMs, indexOf(key)]
    if (parts) {
      const spans: number[] = []
      for (let at = 0; at < parts.length; at += 3) spans.push(indexOf(parts[at] as string), parts[at + 1] as number, parts[at + 2] as number)
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
function outputDigest(files: Iterable<readonly [name: string, size: number, mtimeMs: number, ...rest: unknown[]]>): string {
  const hash = createHash('sha256')
  for (const [name, size, mtimeMs] of files) hash.update(`${name}\u0000${size}\u0000${mtimeMs}\n`)
  return hash.digest('hex')
}

/**
 * The files under `folder` (posix paths relative to it), one at a time in
 * `byFolderOrder`, each with its size and modification time. Names only are
 * listed, and links are not followed: the stat of each tells what it is.
 */
function* folderFiles(folder: string, prefix = ''): Generator<[name: string, size: number, mtimeMs: number]> {
  for (const name of readdirSync(folder).sort(compareStrings)) {
    const full = path.join(folder, name)
    const stats = lstatSync(full)
    if (stats.isDirectory()) yield* folderFiles(full, `${prefix}${name}/`)
    else yield [prefix + name, stats.size, stats.mtimeMs]
  }
}

/**
 * Folder by folder, as `folderFiles` lists them: `roles/a.json` comes before
 * `roles.json`. That is the order of the names with `/` before any other
 * character (a folder's name ends there), so no name is split.
 */
function byFolderOrder([a]: WrittenFile, [b]: WrittenFile): number {
  for (let index = 0; index < Math.min(a.length, b.length); index++) {
    const left = a.charCodeAt(index)
    const right = b.charCodeAt(index)
    if (left !== right) return (left === slash ? -1 : left) - (right === slash ? -1 : right)
  }
  return a.length - b.length
}

const slash = '/'.charCodeAt(0)

export interface CheckResult {
  /** Files whose content differs. */
  stale: string[]
  /** Files the build would write that are not there. */
  missing: string[]
  /** Files there that the build would not write. */
  extra: string[]
}

/**
 * Compare `dataset`, and the manifest that `writeDataset` adds to it, with
 * what the folder `out` holds; writes nothing. Files are compared a chunk
 * at a time, so that memory does not hold a big combined file, neither as
 * made nor as read.
 */
export async function checkDataset(out: string, dataset: Dataset | readonly DatasetFile[], cwd = process.cwd()): Promise<CheckResult> {
  try {
    return compareFolder(path.resolve(cwd, out), dataset)
  } catch (error) {
    throw asUsageError(error, `Could not read ${out}`, 'make it readable, or choose another --out')
  }
}

function compareFolder(target: string, dataset: Dataset | readonly DatasetFile[]): CheckResult {
  const present = new Set(existsSync(target) ? Array.from(folderFiles(target), ([name]) => name) : [])
  const result: CheckResult = {stale: [], missing: [], extra: []}
  const files = dataset instanceof Map ? filesOf(dataset) : dataset
  const names = new Set<string>()
  const listed: ManifestEntry[] = []
  const compare = (name: string, content: string | Iterable<string>): void => {
    names.add(name)
    const {same, size, sha256} = compareFile(present.has(name) ? path.join(target, ...name.split('/')) : null, content)
    if (!present.has(name)) result.missing.push(name)
    else if (!same) result.stale.push(name)
    listed.push({path: name, size, sha256})
  }
  for (const file of files) compare(file.name, file.content())
  compare(manifestName, manifestText(listed))
  for (const name of present) if (!names.has(name)) result.extra.push(name)
  for (const list of Object.values(result)) list.sort(compareStrings)
  return result
}

/** Bytes of a file on disk read at a time when it is compared. */
const compareBlockSize = 1 << 20

/**
 * Buffers reused by every comparison (fresh memory is slow to come by
 * here): a block of the file on disk, and a chunk of the content encoded.
 */
let compareScratch: {disk: Buffer; expected: Buffer} | undefined

/**
 * Whether the file at `file` (`null`: none) holds exactly the bytes of
 * `content`, and the size and SHA-256 of `content`. The file is read a block
 * at a time, whatever the size of the chunks: a combined file of a part
 * per record takes a few reads, not one per record. Once a difference is
 * found, the rest of `content` is only hashed.
 */
function compareFile(file: string | null, content: string | Iterable<string>): {same: boolean; size: number; sha256: string} {
  compareScratch ??= {disk: Buffer.allocUnsafe(compareBlockSize), expected: Buffer.allocUnsafe(1 << 16)}
  const {disk} = compareScratch
  const hash = createHash('sha256')
  let size = 0
  const fd = file === null ? null : openSync(file, 'r')
  try {
    // `disk` holds `filled` bytes of the file from `position`; `used` of them are compared.
    let position = 0
    let filled = 0
    let used = 0
    let same = fd !== null
    const nextBlock = (): boolean => {
      position += filled
      filled = readAt(fd as number, disk, disk.length, position)
      used = 0
      return filled > 0
    }
    for (const chunk of typeof content === 'string' ? [content] : content) {
      const length = Buffer.byteLength(chunk)
      if (compareScratch.expected.length < length) compareScratch.expected = Buffer.allocUnsafe(length)
      const expected = compareScratch.expected
      expected.write(chunk, 0)
      hash.update(expected.subarray(0, length))
      size += length
      for (let offset = 0; same && offset < length; ) {
        // The file ends before the content does.
        if (used === filled && !nextBlock()) {
          same = false
          break
        }
        const count = Math.min(length - offset, filled - used)
        if (expected.compare(disk, used, used + count, offset, offset + count) !== 0) same = false
        used += count
        offset += count
      }
    }
    // Nothing after the last chunk.
    same &&= used === filled && !nextBlock()
    return {same, size, sha256: hash.digest('hex')}
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

/** Read up to `length` bytes at `position` into `buffer` (fewer only at the end of the file); returns how many. */
export function readAt(fd: number, buffer: Buffer, length: number, position: number): number {
  let done = 0
  while (done < length) {
    const read = readSync(fd, buffer, done, length - done, position + done)
    if (read === 0) break
    done += read
  }
  return done
}
