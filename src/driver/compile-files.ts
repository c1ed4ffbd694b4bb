/**
 * Compiling the input files (results in path order): each from the cache when it
 * holds a valid result for the very bytes, else on worker threads
 * (`threads.ts`), each file within its time and memory budget. Every path
 * gives the same result (tests check the bytes).
 */
import assert from 'node:assert/strict'
import type {LooseCompiledFile} from '../compile/compile.js'
import {workerScript} from '../package.js'
import type {CompileTask} from '../worker.js'
import type {Cache} from './incremental/cache.js'
import {compiledEntryFor} from './incremental/cache-entries.js'
import {CachedCleanFile, type LeanRecords} from './incremental/lean-records.js'
import {compileKey, readSource, type InputFile, type InputRead} from './inputs.js'
import {deserializeCompiled, type SerializedCompiled} from './serialize.js'
import {compileOnThreads, overrunFile, workerHeapMb, type Overrun} from './threads.js'

export interface CompileStats {
  parsed: number
  cached: number
  threads: number
}

interface Compiled {
  compiled: LooseCompiledFile[]
  keys: Array<string | null>
  stats: CompileStats
}

interface CompileSettings {
  maxFileSize: number
  fileTimeout: number
  workers: number
  /** Below this many files to compile, one worker thread compiles them. Default: `defaultThreadsFrom`. */
  threadsFrom?: number
  cache: Cache | null
  /** Where records from the cache are held without their bodies, if they are. */
  lean: LeanRecords | null
  onProgress: (done: number) => void
  /** Called with each file compiled on a thread (not one from the cache), as it comes, by its index in `files`. */
  onCompiled?: (index: number, compiled: LooseCompiledFile) => void
  signal?: AbortSignal
}

/**
 * Below this many files to compile, one worker thread compiles them: a
 * worker thread loads and warms up its own parser, which costs more than it
 * saves on fewer files (the runs are in `test/bench/HISTORY.md`). From this
 * many on, `workers` threads compile them.
 */
const defaultThreadsFrom = 500

/**
 * Compile `files`: from the cache when it has them, else on one worker
 * thread (few files) or on `workers` (many), largest first, each file within
 * `fileTimeout` (see `driver/threads.ts`). Every path gives the same result
 * (tests check the bytes). A file's bytes are held only while it is
 * compiled.
 */
export async function compileFiles(files: readonly InputFile[], reads: readonly InputRead[], settings: CompileSettings): Promise<Compiled> {
  const results: Array<LooseCompiledFile | undefined> = Array.from({length: files.length})
  // The cache key of what each file was compiled from (`null` without the cache, or when it was not read).
  const keys: Array<string | null> = Array.from({length: files.length}, () => null)
  const strings = new Map<string, string>()
  let cached = 0
  const pending: PendingFile[] = []
  let done = 0
  const finish = (index: number, compiled: LooseCompiledFile): void => {
    results[index] = compiled
    settings.onProgress(++done)
  }

  for (const [index, input] of files.entries()) {
    const {skipped, size, key, sha256} = reads[index] as InputRead
    if (skipped) {
      finish(index, skipped)
      continue
    }
    settings.signal?.throwIfAborted()
    // An entry is used only when it is a valid result for these very bytes at this path; else the file is compiled again.
    const hit = key && sha256 && settings.cache ? await settings.cache.get(key, compiledEntryFor({path: input.sourcePath, sha256})) : undefined
    if (hit) {
      cached++
      keys[index] = key
      if (settings.lean && hit.record && key) {
        const record = settings.lean.makeLean(hit.record, key)
        finish(index, hit.messages.length === 0 ? new CachedCleanFile(hit.kind, record, input.display) : {...deserializeCompiled(hit, input.display), record})
      } else {
        finish(index, deserializeCompiled(hit, input.display, strings))
      }
    } else {
      pending.push({index, input, size})
    }
  }

  if (pending.length === 0) return {compiled: finished(results), keys, stats: {parsed: 0, cached, threads: 0}}
  // Read now, and keyed by the bytes compiled (the file may have changed since it was first read).
  // Files gone or unreadable by the time they are compiled: skipped, not parsed.
  let unread = 0
  const load = (item: PendingFile): CompileTask | null => {
    const source = readSource(item.input)
    if ('skipped' in source) {
      unread++
      finish(item.index, source.skipped)
      return null
    }
    item.key = settings.cache ? compileKey(item.input, settings.maxFileSize, source.bytes) : null
    return {display: item.input.display, sourcePath: item.input.sourcePath, bytes: source.bytes, maxFileSize: settings.maxFileSize}
  }
  const store = async (item: PendingFile, data: SerializedCompiled): Promise<void> => {
    const key = item.key ?? null
    if (key && settings.cache) await settings.cache.set(key, data)
    keys[item.index] = key
    const compiled = deserializeCompiled(data, item.input.display, strings)
    finish(item.index, compiled)
    settings.onCompiled?.(item.index, compiled)
  }
  const heapMb = workerHeapMb
  // Never cached: the next build tries the file again.
  const overran = (item: PendingFile, limit: Overrun): void => finish(item.index, overrunFile(item.input.display, limit, {fileTimeout: settings.fileTimeout, heapMb}))
  const threads = pending.length < (settings.threadsFrom ?? defaultThreadsFrom) ? 1 : settings.workers
  // Largest first: so that no thread is left with a big file at the end, and reference
  // pages, the largest files, come before the files they join (see `onCompiled`).
  pending.sort((a, b) => b.size - a.size || a.index - b.index)
  await compileOnThreads({items: pending, load, done: store, overran}, {threads, script: workerScript, fileTimeout: settings.fileTimeout, heapMb, signal: settings.signal})
  return {compiled: finished(results), keys, stats: {parsed: pending.length - unread, cached, threads: Math.min(threads, pending.length)}}
}

/** A file waiting to be compiled; `key` is set when it is read. */
interface PendingFile {
  index: number
  input: InputFile
  size: number
  key?: string | null
}

function finished(results: ReadonlyArray<LooseCompiledFile | undefined>): LooseCompiledFile[] {
  return results.map((result) => {
    assert(result, 'every input is compiled')
    return result
  })
}

