/**
 * The persistent cache: one JSON file per entry under the cache folder,
 * named by its key. An entry that cannot be read, is cut short, or belongs
 * to something else is ignored (and rebuilt): the cache never changes the
 * output, it only saves work.
 */
import {createHash, randomBytes} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'
import {mkdir, rename, rm, writeFile} from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const format = 'roledoc-cache/1'

export class Cache {
  readonly folder: string

  constructor(folder: string) {
    this.folder = folder
  }

  /** The value stored under `key`, if it is there, whole and of the expected shape. */
  async get<T>(key: string, isValid: (value: unknown) => value is T): Promise<T | undefined> {
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

  /** Store `value` under `key`; written whole or not at all (a failure to write is ignored). */
  async set(key: string, value: unknown): Promise<void> {
    const file = this.pathOf(key)
    const temporary = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`
    try {
      await mkdir(path.dirname(file), {recursive: true})
      await writeFile(temporary, JSON.stringify({format, key, value}))
      await rename(temporary, file)
    } catch {
      await rm(temporary, {force: true})
    }
  }

  private pathOf(key: string): string {
    return path.join(this.folder, key.slice(0, 2), `${key}.json`)
  }
}

/** A key from its parts: a SHA-256 over them, with roledoc's code fingerprint. */
export function cacheKey(...parts: ReadonlyArray<string | number | Uint8Array>): string {
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
 * A hash of roledoc's own code (the files beside this module), so a cache
 * written by other code, even of the same version number, is never used.
 */
export function codeFingerprint(): string {
  if (fingerprint !== undefined) return fingerprint
  const hash = createHash('sha256')
  const folder = path.dirname(fileURLToPath(import.meta.url))
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
