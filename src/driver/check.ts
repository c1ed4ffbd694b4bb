/**
 * `roledoc build --check`: whether an output folder holds exactly the
 * dataset a build would write, and its manifest. Reads the folder, a block
 * at a time; never writes it.
 */
import {createHash} from 'node:crypto'
import {closeSync, existsSync, openSync} from 'node:fs'
import path from 'node:path'
import {compareStrings} from '../compile/messages.js'
import {filesOf, type Dataset, type DatasetFile} from '../emit/dataset.js'
import {asUsageError} from './errors.js'
import {folderFiles, readAt} from './fs.js'
import {manifestName, manifestText, type ManifestEntry} from './manifest.js'

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
  const present = new Set(existsSync(target) ? Array.from(folderFiles(target), (file) => file.name) : [])
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
