/**
 * The build driver's inputs: finds the Markdown files under the inputs
 * given, checks each (links out of the root, size), and reads it to key its
 * cache entry and the dataset. Touches the file system; compiles nothing.
 */
import {createHash} from 'node:crypto'
import {closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, readSync, realpathSync, statSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {cacheKey, cacheKeyOf} from './incremental/cache.js'
import type {LooseCompiledFile} from '../compile/compile.js'
import type {DatasetFormat} from '../emit/dataset.js'
import {compareStrings, report, type ReportOptions, type RuleId} from '../compile/messages.js'
import {isSystemError, UsageError} from './errors.js'

export interface InputFile {
  /** Absolute path. */
  absolute: string
  /** Posix path relative to `cwd`, as messages show it. */
  display: string
  /** The input as given, posix, relative to `cwd`. */
  input: string
  /** The input root: the folder given, or a file input's folder (posix, relative to `cwd`). */
  root: string
  /** Posix path relative to the input root (the folder given, or the file's folder). */
  sourcePath: string
  /** Why the file is not read, when it is not: a link out of the root, or a broken link. */
  unreadable?: {ruleId: 'include-outside-root' | 'unparseable'; reason: string}
}

/** Find every Markdown file under `inputs`, sorted by path. */
export async function findInputs(inputs: readonly string[], cwd: string): Promise<InputFile[]> {
  return uniqueInputs(inputs, cwd).sort((a, b) => compareStrings(a.display, b.display))
}

/**
 * Every Markdown file under `inputs`, in walk order: the inputs as given,
 * each folder walked in name order. One at a time, so that a caller need not
 * hold them all.
 */
export function* walkInputs(inputs: readonly string[], cwd: string): Generator<InputFile> {
  for (const input of inputs) {
    const absolute = path.resolve(cwd, input)
    const given = toPosix(path.relative(cwd, absolute)) || '.'
    let stats
    try {
      stats = statSync(absolute)
    } catch {
      throw new UsageError(`Input not found: ${input}; pass a Markdown file or a folder of them`)
    }
    if (stats.isDirectory()) {
      const root = realpathSync(absolute)
      let found = 0
      // A file's paths from the folder's, which is `given`: no `path.relative` for each of thousands of files.
      for (const {file, unreadable} of walk(absolute, root)) {
        const sourcePath = toPosix(relativePath(absolute, file))
        const display = given === '.' ? sourcePath : `${given}/${sourcePath}`
        found++
        yield {absolute: file, display, input: given, root: given, sourcePath, ...(unreadable ? {unreadable} : {})}
      }
      // A dataset of nothing would replace the one there: a mistyped or emptied folder is a usage error.
      if (found === 0) throw new UsageError(`No Markdown files in ${input} (hidden folders and node_modules are skipped); pass a folder that holds role docs (*.md), or a Markdown file`, {help: false})
    } else {
      const folder = path.dirname(absolute)
      const file = {absolute, display: given, input: given, root: toPosix(path.relative(cwd, folder)) || '.', sourcePath: path.basename(absolute)}
      yield {...file, ...namedFile(absolute, folder)}
    }
  }
}

/**
 * A file named as an input, by the rule of a folder walked (its root is its
 * own folder): a symbolic link out of that folder is not read; one to a file
 * inside it is read there, by the target's own path (so that the file is
 * reached once, and what is read is what was checked).
 */
function namedFile(absolute: string, folder: string): Pick<InputFile, 'absolute' | 'unreadable'> {
  if (!lstatSync(absolute).isSymbolicLink()) return {absolute}
  const root = realpathSync(folder)
  const target = realpathSync(absolute)
  if (target.startsWith(root + path.sep) || (root.endsWith(path.sep) && target.startsWith(root))) return {absolute: target}
  return {absolute, unreadable: {ruleId: 'include-outside-root', reason: outsideRoot}}
}

const outsideRoot = 'is a symbolic link to a place outside the input root; it is not read'

/**
 * What `index.json` records of `inputs`: each one's own name (the last
 * segment of its path), once, sorted. Never a path: the dataset must not
 * depend on the working folder or the machine.
 */
export function inputNames(inputs: readonly string[], cwd: string): string[] {
  const names = new Set(inputs.map((input) => nameOf(input, cwd)))
  return [...names].sort(compareStrings)
}

/** A folder's or file's own name, the last segment of its path (`.` for the root of the file system): for output, where a path would depend on the working folder. */
export function nameOf(given: string, cwd: string): string {
  return path.basename(path.resolve(cwd, given)) || '.'
}

/** The files of `walkInputs`, each once: where it was first reached, as it was last reached. */
export function uniqueInputs(inputs: readonly string[], cwd: string): InputFile[] {
  const unique = new Map<string, InputFile>()
  for (const file of walkInputs(inputs, cwd)) unique.set(file.absolute, file)
  return [...unique.values()]
}

/** An input after the checks: its size and cache key, and its result already when it is not read (`skipped`). */
export interface InputRead {
  /** The result of a file that is not compiled (a link out of the root, too large, unreadable): a `skipped` file with its one message. */
  skipped?: LooseCompiledFile
  size: number
  key: string | null
  /** The SHA-256 of the bytes keyed, which the cache entry's record must carry (`null` when not keyed). */
  sha256: string | null
}

/** What `streamReads` kept of a walk: each file's read in walk order, and the dataset key they gave. */
export interface StreamedReads {
  reads: InputRead[]
  datasetKey: string
}

/** Read and key `files` (for the cache) one at a time, keeping their reads but not the files. */
export function streamReads(files: Iterable<InputFile>, maxFileSize: number, keyOf: (reads: Iterable<[InputFile, InputRead]>) => string): StreamedReads {
  const reads: InputRead[] = []
  const datasetKey = keyOf(
    (function* () {
      for (const pair of readEach(files, maxFileSize, true)) {
        reads.push(pair[1])
        yield pair
      }
    })()
  )
  return {reads, datasetKey}
}

/**
 * The inputs in path order (the order they are compiled in), their reads,
 * and the dataset key (over `walked`, in walk order). The reads of
 * `streamed` are used when they give the same key for `walked`: the same
 * files, walked the same way; otherwise each file is read.
 */
export function readInputs(
  walked: readonly InputFile[],
  maxFileSize: number,
  keyed: boolean,
  keyOf: (reads: Iterable<[InputFile, InputRead]>) => string,
  streamed?: StreamedReads
): {files: InputFile[]; reads: InputRead[]; datasetKey: string} {
  const paired = (reads: readonly InputRead[]): Array<[InputFile, InputRead]> => walked.map((file, index) => [file, reads[index] as InputRead])
  const reused = streamed && streamed.reads.length === walked.length && keyOf(paired(streamed.reads)) === streamed.datasetKey ? streamed : undefined
  const reads = reused?.reads ?? Array.from(readEach(walked, maxFileSize, keyed), ([, read]) => read)
  const datasetKey = reused?.datasetKey ?? keyOf(paired(reads))
  const order = walked.map((_, index) => index).sort((a, b) => compareStrings((walked[a] as InputFile).display, (walked[b] as InputFile).display))
  return {files: order.map((index) => walked[index] as InputFile), reads: order.map((index) => reads[index] as InputRead), datasetKey}
}

/**
 * Check each input and, with a cache, read it to key its entry. The bytes
 * are not kept: a file is read again when it is compiled (with a warm cache
 * few are), so that memory does not hold the whole corpus. Synchronous: for
 * many small files much faster than awaiting each.
 */
function* readEach(files: Iterable<InputFile>, maxFileSize: number, keyed: boolean): Generator<[InputFile, InputRead]> {
  for (const input of files) yield [input, readInput(input, maxFileSize, keyed)]
}

/** Check `input` and, when `keyed`, read it to key its cache entry; a file that cannot be read is skipped with an `unparseable` error. */
export function readInput(input: InputFile, maxFileSize: number, keyed: boolean): InputRead {
  if (input.unreadable) return skipped(input, input.unreadable.ruleId, `${input.display} ${input.unreadable.reason}`, 0)
  let fd: number | null = null
  try {
    // With a cache, one open gives both the size and the bytes that key the entry.
    if (keyed) fd = openSync(input.absolute, 'r')
    const {size} = fd === null ? statSync(input.absolute) : fstatSync(fd)
    if (size > maxFileSize) {
      const reason = `The file has ${size} bytes, more than the limit of ${maxFileSize}; it is skipped. Split it, or raise --max-file-size`
      return skipped(input, 'file-too-large', reason, size, {actual: String(size), expected: [`at most ${maxFileSize}`]})
    }
    return fd === null ? {size, key: null, sha256: null} : {size, ...contentKey(input, maxFileSize, readTransient(fd))}
  } catch (error) {
    return cannotRead(input, error)
  } finally {
    if (fd !== null) closeSync(fd)
  }
}

/**
 * The bytes of `input`, read when it is compiled; or, when it can no longer
 * be read (removed or made unreadable since it was found), its result: the
 * `unparseable` error.
 */
export function readSource(input: InputFile): {bytes: Buffer} | {skipped: LooseCompiledFile} {
  try {
    return {bytes: readFileSync(input.absolute)}
  } catch (error) {
    return {skipped: cannotRead(input, error).skipped as LooseCompiledFile}
  }
}

/**
 * An input that a read failed on (permissions, removed meanwhile): skipped,
 * with the system's reason. Anything but a failed system call is a bug, and
 * is thrown on.
 */
function cannotRead(input: InputFile, error: unknown): InputRead {
  if (!isSystemError(error)) throw error
  // `EACCES: permission denied, open '/abs/path'`: the code and its meaning, without the absolute path.
  const cause = error.message.split(', ')[0] ?? error.message
  return skipped(input, 'unparseable', `${input.display} could not be read (${cause}); it is skipped. Make it readable, or move it out of the inputs`, 0)
}

/** A hash of everything a dataset is made from: roledoc, the options, and each input file (in walk order) with its contents' key. */
export function datasetKeyOf(version: string, formats: readonly DatasetFormat[] | null, maxFileSize: number, reads: Iterable<[InputFile, InputRead]>): string {
  return cacheKeyOf(
    (function* () {
      yield* ['dataset', version, JSON.stringify(formats), maxFileSize]
      for (const [input, read] of reads) yield `${input.display}\u0000${input.root}\u0000${input.input}\u0000${read.key ?? ''}`
    })()
  )
}

/** An input that is not read (a link out, a broken link, too large, unreadable): its result is the one message. */
function skipped(input: InputFile, ruleId: RuleId, reason: string, size: number, options: ReportOptions = {}): InputRead {
  const file = new VFile({path: input.display})
  report(file, ruleId, reason, {line: 1, column: 1}, options)
  return {skipped: {kind: 'skipped', record: null, reference: null, messages: [...file.messages], file}, size, key: cacheKey('skip', ruleId, reason), sha256: null}
}

let scratch = Buffer.allocUnsafe(1 << 16)

/**
 * The bytes of the open file `fd`, in a buffer that the next call reuses:
 * for hashing only. Reading thousands of files into new buffers would leave
 * as much memory to collect.
 */
function readTransient(fd: number): Uint8Array {
  let length = 0
  for (;;) {
    if (length === scratch.length) {
      const bigger = Buffer.allocUnsafe(scratch.length * 2)
      scratch.copy(bigger, 0, 0, length)
      scratch = bigger
    }
    const read = readSync(fd, scratch, length, scratch.length - length, null)
    if (read === 0) return scratch.subarray(0, length)
    length += read
  }
}

/** The cache key of `input`'s compiled result, from its bytes. */
export function compileKey(input: InputFile, maxFileSize: number, bytes: Uint8Array): string {
  return contentKey(input, maxFileSize, bytes).key
}

/**
 * The SHA-256 of `bytes`, and the cache key of `input`'s compiled result
 * made from it: one pass over the bytes gives both, and an entry found
 * under the key must carry that very hash (see `driver/incremental/cache-entries.ts`).
 */
function contentKey(input: InputFile, maxFileSize: number, bytes: Uint8Array): {key: string; sha256: string} {
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  return {key: cacheKey('compile', input.sourcePath, maxFileSize, sha256), sha256}
}


interface Walked {
  file: string
  unreadable?: InputFile['unreadable']
}

/**
 * Markdown files under `folder`, sorted, skipping hidden entries and
 * `node_modules`. Symbolic links are not followed (so link loops end): one
 * that leads inside the root names a place walked anyway, and one that leads
 * out of the root, or nowhere, is listed as unreadable, never read.
 */
function* walk(folder: string, root: string): Generator<Walked> {
  // Synchronous: for thousands of files much faster than awaiting each call.
  const entries = readdirSync(folder, {withFileTypes: true})
  entries.sort((a, b) => compareStrings(a.name, b.name))
  for (const entry of entries) {
    if (entry.name.startsWith('.') || entry.name === 'node_modules') continue
    // `folder` is absolute and normalized, and a name holds no separator: no `path.join` for each file.
    const absolute = folder.endsWith(path.sep) ? folder + entry.name : `${folder}${path.sep}${entry.name}`
    const isMarkdown = entry.name.toLowerCase().endsWith('.md')
    if (entry.isSymbolicLink()) {
      let target: string
      let stats
      try {
        target = realpathSync(absolute)
        stats = statSync(target)
      } catch {
        if (isMarkdown) yield {file: absolute, unreadable: {ruleId: 'unparseable', reason: 'is a broken symbolic link; it is skipped. Fix or remove the link'}}
        continue
      }
      if (target !== root && !target.startsWith(root + path.sep)) {
        if (isMarkdown || stats.isDirectory()) {
          yield {file: absolute, unreadable: {ruleId: 'include-outside-root', reason: outsideRoot}}
        }
      }
      // A link to a place inside the root is not followed: that place is
      // walked (and its files compiled) under its own name.
      continue
    }
    // Links are not followed, so the walk is a tree: no place is reached twice.
    if (entry.isDirectory()) {
      yield* walk(absolute, root)
    } else if (entry.isFile() && isMarkdown) {
      yield {file: absolute}
    }
  }
}

/**
 * `path.relative(from, to)` for absolute, normalized paths; a plain slice
 * when `to` is inside `from`, which is every file of a folder walked (and
 * much cheaper, in time and garbage, for thousands of files).
 */
function relativePath(from: string, to: string): string {
  const prefix = from.endsWith(path.sep) ? from : from + path.sep
  return to.startsWith(prefix) ? to.slice(prefix.length) : path.relative(from, to)
}

function toPosix(value: string): string {
  return path.sep === '/' ? value : value.split(path.sep).join('/')
}
