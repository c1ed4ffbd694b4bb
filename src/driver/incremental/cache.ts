/**
 * The persistent cache: one JSON file per entry, named by its key, in a
 * folder of the cache folder for the roledoc code that made it
 * (`roledoc-<fingerprint>`). An entry that cannot be read, is cut short, or
 * belongs to something else is ignored (and rebuilt): the cache never
 * changes the output, it only saves work.
 */
import {createHash, randomBytes} from 'node:crypto'
import {closeSync, openSync, readdirSync, readFileSync, realpathSync, rmdirSync, statSync, unlinkSync} from 'node:fs'
import {mkdir, rename, rm} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {codeFolder} from '../../package.js'
import {writeText} from '../fs.js'

const format = 'roledoc-cache/1'

export class Cache {
  readonly folder: string
  private firstWriteFailure: string | undefined

  constructor(folder: string) {
    this.folder = folder
  }

  /** The value stored under `key`, if it is there, whole and of the expected shape. */
  async get<T>(key: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
    return this.getSync(key, isValid)
  }

  /** `get`, for callers that cannot wait (a file's content made as it is written). */
  getSync<T>(key: string, isValid: (value: unknown) => value is T): T | undefined {
    let text: string
    try {
      // Synchronous: thousands of small reads are much faster than awaiting each.
      text = readFileSync(this.pathOf(key), 'utf8')
    } catch {
      return undefined
    }
    try {
      const entry = JSON.parse(text) as {format?: unknown; key?: unknown; value?: unknown}
      if (entry.format !== format || entry.key !== key || !isValid(entry.value)) return undefined
      return entry.value
    } catch {
      return undefined
    }
  }

  /** Why the first write to the cache failed, if one did (a failed write does not stop a build; the CLI warns). */
  get writeFailure(): string | undefined {
    return this.firstWriteFailure
  }

  /** Store `value` under `key`; written whole or not at all (a failure to write is ignored). */
  async set(key: string, value: unknown): Promise<void> {
    await this.setJson(key, [JSON.stringify(value)])
  }

  /**
   * `set`, with the value given as the pieces of its JSON text, written as
   * they come: a big value (the list of files an output folder holds) is
   * never one string.
   */
  async setJson(key: string, json: Iterable<string>): Promise<void> {
    const file = this.pathOf(key)
    const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    try {
      await mkdir(path.dirname(file), {recursive: true})
      const fd = openSync(temporary, 'w')
      try {
        let pending = `{"format":${JSON.stringify(format)},"key":${JSON.stringify(key)},"value":`
        for (const piece of json) {
          pending += piece
          if (pending.length >= 1 << 15) {
            writeText(fd, pending)
            pending = ''
          }
        }
        writeText(fd, pending + '}')
      } finally {
        closeSync(fd)
      }
      await rename(temporary, file)
    } catch (error) {
      this.firstWriteFailure ??= error instanceof Error ? error.message : String(error)
      // Not there, most likely; and where the folder could not be made, not even reachable.
      await rm(temporary, {force: true}).catch(() => {})
    }
  }

  /**
   * Remove what other roledoc code left in the cache folder: entries are
   * keyed with the code that made them, so no other code ever reads them.
   * Only what has the shape of cache entries is removed (the folder may be
   * shared with other things), and a failure leaves the rest for next time.
   * Returns how many entries were removed.
   */
  prune(): number {
    let removed = 0
    for (const name of listFolder(this.folder)) {
      const folder = path.join(this.folder, name)
      if (generationName.test(name) && name !== generation()) {
        // The folder of other code.
        for (const shard of listFolder(folder)) if (shardName.test(shard)) removed += removeShard(path.join(folder, shard))
        removeIfEmpty(folder)
      } else if (shardName.test(name)) {
        // The flat layout that earlier roledoc code used.
        removed += removeShard(folder)
      }
    }
    return removed
  }

  private pathOf(key: string): string {
    return path.join(this.folder, generation(), key.slice(0, 2), `${key}.json`)
  }
}

/**
 * The cache folder when none is chosen, by the find-cache-dir convention:
 * `node_modules/.cache/roledoc` of the Node project that `cwd` is in (the
 * nearest folder up from it that holds a `package.json`); outside one, the
 * user's cache folder, `$XDG_CACHE_HOME/roledoc` (when it is absolute, as
 * the XDG spec asks), else `$HOME/.cache/roledoc`; `null` (no cache) when
 * `env` names no home either. A docs repository that is not a Node project
 * never gets a `node_modules` folder.
 */
export function defaultCacheFolder(cwd: string, env: Readonly<Record<string, string | undefined>>): string | null {
  const project = nearestPackage(cwd)
  if (project !== undefined) return path.join(project, 'node_modules', '.cache', 'roledoc')
  const xdg = env['XDG_CACHE_HOME']
  if (xdg && path.isAbsolute(xdg)) return path.join(xdg, 'roledoc')
  const home = env['HOME']
  return home && path.isAbsolute(home) ? path.join(home, '.cache', 'roledoc') : null
}

/** The nearest folder from `cwd` up that holds a `package.json` file, if any. */
function nearestPackage(cwd: string): string | undefined {
  for (let folder = path.resolve(cwd); ; folder = path.dirname(folder)) {
    if (isFile(path.join(folder, 'package.json'))) return folder
    if (path.dirname(folder) === folder) return undefined
  }
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile()
  } catch {
    return false
  }
}

/**
 * Whether the folders `a` and `b` are the same, or one is inside the other,
 * also through symbolic links (each compared by the real path of the
 * nearest part of it that exists).
 */
export function foldersOverlap(a: string, b: string): boolean {
  const [left, right] = [realPath(a), realPath(b)]
  return left === right || isInside(left, right) || isInside(right, left)
}

function isInside(folder: string, parent: string): boolean {
  const relative = path.relative(parent, folder)
  return relative !== '' && relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative)
}

/** `realpath` of the part of `folder` that exists, with the rest of it after. */
function realPath(folder: string): string {
  const absolute = path.resolve(folder)
  try {
    return realpathSync(absolute)
  } catch {
    const parent = path.dirname(absolute)
    return parent === absolute ? absolute : path.join(realPath(parent), path.basename(absolute))
  }
}

const generationName = /^roledoc-[\da-f]{16}$/
const shardName = /^[\da-f]{2}$/
const entryName = /^[\da-f]{64}\.json(?:\.\d+-[\da-f]{8}\.tmp)?$/

/** This code's folder in the cache folder. */
function generation(): string {
  return `roledoc-${codeFingerprint().slice(0, 16)}`
}

/** Remove the entries (and leftover temporary files) in `shard`, then `shard` if that left it empty. */
function removeShard(shard: string): number {
  let removed = 0
  for (const name of listFolder(shard)) {
    if (!entryName.test(name)) continue
    try {
      unlinkSync(path.join(shard, name))
      removed++
    } catch {
      // Gone already, or not ours to remove: left as it is.
    }
  }
  removeIfEmpty(shard)
  return removed
}

function listFolder(folder: string): string[] {
  try {
    return readdirSync(folder)
  } catch {
    return []
  }
}

function removeIfEmpty(folder: string): void {
  try {
    rmdirSync(folder)
  } catch {
    // Not empty (something else is in it), or gone.
  }
}

/** A key from its parts: a SHA-256 over them, with roledoc's code fingerprint. */
export function cacheKey(...parts: ReadonlyArray<string | number | Uint8Array>): string {
  return cacheKeyOf(parts)
}

/** `cacheKey` of parts given one at a time (many parts need not be held at once). */
export function cacheKeyOf(parts: Iterable<string | number | Uint8Array>): string {
  const hash = createHash('sha256')
  hash.update(format)
  hash.update('\u0000')
  hash.update(codeFingerprint())
  for (const part of parts) {
    hash.update('\u0000')
    hash.update(typeof part === 'number' ? String(part) : part)
  }
  return hash.digest('hex')
}

let fingerprint: string | undefined

/**
 * A hash of roledoc's own code (every file of `codeFolder`), so a cache
 * written by other code, even of the same version number, is never used.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint
  const hash = createHash('sha256')
  const folder = fileURLToPath(codeFolder)
  for (const file of listCode(folder)) {
    hash.update(path.relative(folder, file))
    hash.update(readFileSyncSafe(file))
  }
  fingerprint = hash.digest('hex')
  return fingerprint
}


function listCode(folder: string): string[] {
  const files: string[] = []
  for (const entry of readdirSync(folder, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(folder, entry.name)
    if (entry.isDirectory()) files.push(...listCode(full))
    else if (/\.(?:js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(full)
  }
  return files
}

function readFileSyncSafe(file: string): Uint8Array {
  try {
    return readFileSync(file)
  } catch {
    return new Uint8Array()
  }
}
