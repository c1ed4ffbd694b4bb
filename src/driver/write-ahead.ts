/**
 * Writing the dataset while its inputs compile. The compile threads keep
 * the main thread waiting most of a build, so it writes each record's own
 * files (`roles/<id>.json`, `.yaml`) and its part of each file of parts
 * (`roles.json`, `roles.ndjson`, `actions.csv`) as soon as the record's
 * file is compiled: the files into the temporary folder that the write
 * (`write.ts`) renames into place at the end, the parts onto the end of a
 * spool file each, in a folder of their own beside it.
 *
 * A record is written as assembly will most likely make it
 * (`compile/provisional.ts`). At the end the write keeps each file, and
 * copies each part, that was made from the very record the dataset has,
 * and makes the others; what was made from a record the dataset does not
 * have is removed. So the dataset has the same bytes, and the folder is
 * replaced whole or not at all, as without this. Anything that goes wrong
 * here only stops the writing ahead: the write then makes the rest itself,
 * and reports what fails.
 */
import {closeSync, mkdirSync, openSync, rmdirSync, unlinkSync} from 'node:fs'
import path from 'node:path'
import type {AssembleUnit} from '../compile/assemble.js'
import {ProvisionalRecords, type InputKey} from '../compile/provisional.js'
import {datasetFiles, type DatasetFile, type DatasetFormat, type RecordPart} from '../emit/dataset.js'
import type {DatasetRecord} from '../types.js'
import {writeText} from './fs.js'
import type {CopyRange} from './incremental/keep.js'
import {removeFolder, swapFolders} from './swap.js'
import {openWrite, writeContent, type Made, type OpenWrite, type WrittenAhead} from './write.js'

export interface WriteAheadOptions {
  /** Which files of the dataset to write besides `index.json` (as `--formats`). */
  formats: readonly DatasetFormat[]
  /** The build's inputs, absolute: an output folder that holds one is not replaced. */
  inputs: readonly string[]
  /** Aborting it stops the writing ahead (the build stops too, and `close` removes what was written). */
  signal?: AbortSignal
  /** As `WriteOptions.lockTimeout`. */
  lockTimeout?: number
}

/** A record's part of a file of parts, on a spool. */
interface SpooledPart {
  record: DatasetRecord
  offset: number
  length: number
}

/** The parts of one file of parts, in the order they were made. */
interface Spool {
  fd: number
  /** Bytes written so far. */
  size: number
  /** The last part made for each record id. */
  parts: Map<string, SpooledPart>
}

/** Milliseconds of writing before the event loop may turn again (so that replies of the compile threads are not kept waiting). */
const slice = 4

/**
 * The writing ahead of one build into `out`. Give it the inputs (`start`),
 * then each compiled file (`compiled`); when the build is assembled, take
 * what was written (`settle`) for `writeDataset`, and `close` it in any case.
 */
export class WriteAhead {
  private guesses: ProvisionalRecords | null = null
  /** Records guessed and not yet written. */
  private readonly waiting: DatasetRecord[] = []
  private state: 'idle' | 'opening' | 'open' | 'stopped' = 'idle'
  private opening: Promise<void> | null = null
  private open: OpenWrite | null = null
  private pumping = false
  /** Where the spools are: a folder beside the temporary one, named as one (so a killed run's is removed as its leftover). */
  private spoolFolder: string | null = null
  /** The files made, by name: the record each was made from, and what was made. */
  private readonly files = new Map<string, {record: DatasetRecord; made: Made}>()
  private readonly spools = new Map<string, Spool>()
  private readonly folders = new Set<string>()
  /** Ends a wait for the lock that is no longer worth it (see `settle`). */
  private readonly giveUp = new AbortController()

  constructor(
    private readonly out: string,
    private readonly cwd: string,
    private readonly options: WriteAheadOptions
  ) {}

  /** The build's input files, before any is compiled. */
  start(inputs: readonly InputKey[]): void {
    this.guesses = new ProvisionalRecords(inputs)
  }

  /** A file compiled on a compile thread: its records are written as soon as the output folder is open. */
  compiled(unit: AssembleUnit): void {
    if (this.state === 'stopped' || !this.guesses) return
    const records = this.guesses.add(unit)
    if (records.length === 0) return
    this.waiting.push(...records)
    if (this.state === 'idle') {
      this.state = 'opening'
      this.opening = this.openFolder()
    } else if (this.state === 'open') {
      this.schedule()
    }
  }

  /**
   * Stop writing ahead, and what was written for `writeDataset` (`null`
   * when nothing could be: the folder could not be opened, or the build is
   * stopped). Records still waiting are left to the write.
   */
  async settle(): Promise<WrittenAhead | null> {
    // Still waiting for another run's lock: the write waits for it as it would have.
    this.giveUp.abort()
    await this.opening
    this.waiting.length = 0
    if (this.state !== 'open' || !this.open) {
      this.state = 'stopped'
      return null
    }
    this.state = 'stopped'
    return this.written(this.open)
  }

  /** Remove what was written, unless the write renamed it into place, and release the lock (when the write has not). */
  async close(): Promise<void> {
    this.state = 'stopped'
    this.waiting.length = 0
    this.giveUp.abort()
    await this.opening
    this.closeSpools()
    const open = this.open
    if (!open) return
    this.open = null
    // Gone when the write renamed it into place or removed it; the lock, released when the write did (each is a no-op then).
    removeFolder(open.temporary)
    open.lock.release()
  }

  private async openFolder(): Promise<void> {
    let open: OpenWrite
    try {
      const {signal} = this.options
      open = await openWrite(this.out, this.cwd, {...this.options, signal: signal ? AbortSignal.any([signal, this.giveUp.signal]) : this.giveUp.signal})
    } catch {
      // The write opens the folder again, and reports why it cannot.
      this.state = 'stopped'
      this.waiting.length = 0
      return
    }
    this.open = open
    if (this.state !== 'opening') return
    this.state = 'open'
    this.spoolFolder = swapFolders(open.target).temporary
    this.schedule()
  }

  private schedule(): void {
    if (this.pumping) return
    this.pumping = true
    setImmediate(() => this.pump())
  }

  /** Write waiting records for about `slice` ms, then let the event loop turn. */
  private pump(): void {
    this.pumping = false
    const started = performance.now()
    while (this.state === 'open' && this.waiting.length > 0) {
      if (this.options.signal?.aborted) {
        this.state = 'stopped'
        return
      }
      if (performance.now() - started > slice) return this.schedule()
      this.writeRecord(this.waiting.shift() as DatasetRecord)
    }
  }

  /** Make `record`'s own files, and its parts of the files of parts. */
  private writeRecord(record: DatasetRecord): void {
    const open = this.open
    if (!open) return
    const files = datasetFiles([record], {version: '', inputs: [], files: 0, formats: this.options.formats})
    try {
      for (const file of files) {
        if (file.record) this.writeFile(open, file)
        else if (file.parts) this.spoolParts(file)
      }
    } catch {
      // No room, no permission: the write makes the rest, and says what failed.
      this.state = 'stopped'
      this.waiting.length = 0
    }
  }

  private writeFile(open: OpenWrite, file: DatasetFile): void {
    const destination = path.join(open.temporary, ...file.name.split('/'))
    if (!destination.startsWith(open.temporary + path.sep)) throw new Error(`output path escapes the output folder: ${file.name}`)
    const folder = path.dirname(destination)
    if (!this.folders.has(folder)) {
      mkdirSync(folder, {recursive: true})
      this.folders.add(folder)
    }
    // A file made before from another guess of the record is made again in its place.
    this.files.delete(file.name)
    const made = writeContent(destination, file.content())
    this.files.set(file.name, {record: file.record as DatasetRecord, made})
  }

  private spoolParts(file: DatasetFile): void {
    for (const part of file.parts?.() ?? []) {
      if (typeof part === 'string') continue
      const spool = this.spool(file.name)
      const text = part.text()
      const length = Buffer.byteLength(text)
      writeText(spool.fd, text)
      spool.parts.set(part.record.id, {record: part.record, offset: spool.size, length})
      spool.size += length
    }
  }

  private spool(name: string): Spool {
    let spool = this.spools.get(name)
    if (!spool) {
      const folder = this.spoolFolder as string
      mkdirSync(folder, {recursive: true})
      spool = {fd: openSync(path.join(folder, `${this.spools.size}.parts`), 'w+'), size: 0, parts: new Map()}
      this.spools.set(name, spool)
    }
    return spool
  }

  private closeSpools(): void {
    for (const spool of this.spools.values()) closeSync(spool.fd)
    this.spools.clear()
    if (this.spoolFolder) removeFolder(this.spoolFolder)
    this.spoolFolder = null
  }

  /** What was written, as the write takes it. */
  private written(open: OpenWrite): WrittenAhead {
    return {
      write: open,
      file: (file) => {
        const made = file.record ? this.files.get(file.name) : undefined
        return made && file.record && sameRecord(made.record, file.record) ? made.made : undefined
      },
      parts: (file) => {
        const spool = this.spools.get(file.name)
        return spool && file.parts ? spooledContent(file.parts(), spool, `${this.out}/${file.name}`) : null
      },
      finish: (names) => {
        for (const name of this.files.keys()) if (!names.has(name)) removeStale(open.temporary, name)
        this.closeSpools()
      }
    }
  }
}

/**
 * The content of a file of parts: a record's part is copied from `spool`
 * when it was made there from the same record (a run of such parts in one
 * copy), else made.
 */
function* spooledContent(parts: Iterable<string | RecordPart>, spool: Spool, shown: string): Generator<string | CopyRange> {
  let run: CopyRange | null = null
  for (const part of parts) {
    const spooled = typeof part === 'string' ? undefined : spool.parts.get(part.record.id)
    if (spooled && typeof part !== 'string' && sameRecord(spooled.record, part.record)) {
      if (run && run.end === spooled.offset) {
        run.end += spooled.length
      } else {
        if (run) yield run
        run = {fd: spool.fd, start: spooled.offset, end: spooled.offset + spooled.length, shown}
      }
      continue
    }
    if (run) yield run
    run = null
    yield typeof part === 'string' ? part : part.text()
  }
  if (run) yield run
}

/** Remove `name`, made ahead from a record the dataset does not have, and its folder if that is left empty. */
function removeStale(temporary: string, name: string): void {
  const file = path.join(temporary, ...name.split('/'))
  unlinkSync(file)
  try {
    rmdirSync(path.dirname(file))
  } catch {
    // Not empty: other files of the dataset are in it.
  }
}

/**
 * Whether a record guessed ahead is the record the dataset has: made from
 * the same compiled file (the same `source` object) and giving the same
 * JSON, key for key in the same order. Parts that the two share are the
 * same objects, so most of the comparison is a look at identity.
 */
export function sameRecord(guess: DatasetRecord, record: DatasetRecord): boolean {
  return guess.source === record.source && sameJson(guess, record)
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false
    for (let index = 0; index < a.length; index++) if (!sameJson(a[index], b[index])) return false
    return true
  }
  const keys = Object.keys(a)
  const others = Object.keys(b)
  if (keys.length !== others.length) return false
  for (let index = 0; index < keys.length; index++) {
    const key = keys[index] as string
    if (key !== others[index] || !sameJson((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key])) return false
  }
  return true
}
