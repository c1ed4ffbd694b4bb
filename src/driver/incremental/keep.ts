/**
 * What a write keeps of the output folder it replaces, when the cache says
 * what roledoc wrote there last (`written.ts`): a file made from a record
 * with the same key, still as it was written, is hard-linked instead of
 * made again; in a file of a part per record, the parts of unchanged
 * records are copied from the file written before. The writer (`write.ts`)
 * asks; anything that cannot be kept is made.
 */
import {closeSync, fstatSync, linkSync, openSync, statSync} from 'node:fs'
import type {RecordPart} from '../../emit/dataset.js'
import type {ManifestEntry, OutputFolder} from '../manifest.js'
import {OrderedLookup, PreviousFiles, type WrittenFile, type WrittenPart} from './written.js'

/** Bytes of an open file to copy: from `start` up to `end`. */
export interface CopyRange {
  fd: number
  start: number
  end: number
  /** The file as messages show it. */
  shown: string
}

/** The files written before, and what the folder's manifest says of them now. */
export class KeptFiles {
  private readonly before: Pick<PreviousFiles, 'get'>
  /** Hashes of the files there now, for those that are kept as they are. */
  private readonly hashes: ReadonlyMap<string, ManifestEntry>

  constructor(previous: readonly WrittenFile[] | PreviousFiles, existing: OutputFolder) {
    this.before = previous instanceof PreviousFiles ? previous : new Map(previous.map((file) => [file.name, file]))
    this.hashes = existing.kind === 'dataset' ? existing.files : new Map<string, ManifestEntry>()
  }

  /**
   * The file `name`, made from the record keyed `recordKey`, hard-linked
   * from `current` to `destination` when it was made from the same record
   * and is still as roledoc wrote it; `null` when it must be made.
   */
  link(name: string, recordKey: string, current: string, destination: string): {written: WrittenFile; listed: ManifestEntry} | null {
    const kept = this.before.get(name)
    const hash = this.hashes.get(name)
    if (kept && hash && recordKey !== '' && kept.recordKey === recordKey && hash.size === kept.size && linkUnchanged(current, destination, kept)) {
      return {written: kept, listed: hash}
    }
    return null
  }

  /**
   * The content of the file `name` of `parts`, with the parts of unchanged
   * records copied from `current` (`shown` in messages) when it is as
   * roledoc wrote it; `written` fills, as the content is read, with where
   * each record's part lies in the new file. Call `close` once it is read.
   */
  parts(name: string, parts: Iterable<string | RecordPart>, current: string, shown: string): {content: Iterable<string | CopyRange>; written: WrittenPart[]; close: () => void} {
    const kept = this.before.get(name)
    const old = kept?.parts ? openUnchanged(current, shown, kept, kept.parts) : null
    const written: WrittenPart[] = []
    return {
      content: partContent(parts, old, written),
      written,
      close: () => {
        if (old) closeSync(old.fd)
      }
    }
  }
}

/** A file written before, open, and where each record's part lies in it. */
interface PartsFile {
  fd: number
  parts: readonly WrittenPart[]
  /** Which part, by its record's key. */
  byKey: OrderedLookup
  shown: string
}

/** `file` opened, when it is as roledoc wrote it (`kept`'s size and modification time). */
function openUnchanged(file: string, shown: string, kept: WrittenFile, parts: readonly WrittenPart[]): PartsFile | null {
  let fd: number
  try {
    fd = openSync(file, 'r')
  } catch {
    return null
  }
  const {size, mtimeMs} = fstatSync(fd)
  if (size !== kept.size || mtimeMs !== kept.mtimeMs) {
    closeSync(fd)
    return null
  }
  return {fd, parts, byKey: new OrderedLookup(parts.length, (at) => (parts[at] as WrittenPart).recordKey), shown}
}

/**
 * The content of `parts`: a record's part is copied from `before` when that
 * file has the part of a record with the same key (runs of such parts in one
 * copy), else made. Where each record's part lies in the new file is added
 * to `written`.
 */
function* partContent(parts: Iterable<string | RecordPart>, before: PartsFile | null, written: WrittenPart[]): Generator<string | CopyRange> {
  let position = 0
  // Bytes of `before` still to copy.
  let run: CopyRange | null = null
  for (const part of parts) {
    const key = typeof part === 'string' ? null : part.recordKey()
    const at = key !== null && before ? before.byKey.find(key) : undefined
    const old = at === undefined ? undefined : before?.parts[at]
    let length: number
    if (before && old) {
      const offset = old.offset
      length = old.length
      if (run && run.end === offset) {
        run.end += length
      } else {
        if (run) yield run
        run = {fd: before.fd, start: offset, end: offset + length, shown: before.shown}
      }
    } else {
      if (run) yield run
      run = null
      const text = typeof part === 'string' ? part : part.text()
      length = Buffer.byteLength(text)
      yield text
    }
    if (key !== null) written.push({recordKey: key, offset: position, length})
    position += length
  }
  if (run) yield run
}

/** Hard-link the file at `from` to `to` when it is as roledoc wrote it (`kept`'s size and modification time). */
function linkUnchanged(from: string, to: string, kept: WrittenFile): boolean {
  try {
    const stats = statSync(from)
    if (stats.size !== kept.size || stats.mtimeMs !== kept.mtimeMs) return false
  } catch {
    return false
  }
  return linkFrom(from, to)
}

/** Hard-link `from` to `to`; false when that is not possible (then the file is written). */
function linkFrom(from: string, to: string): boolean {
  try {
    linkSync(from, to)
    return true
  } catch {
    return false
  }
}
