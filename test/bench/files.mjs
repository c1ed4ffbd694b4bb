// @ts-check
/**
 * File helpers shared by the benchmark scripts: listing Markdown files the
 * way `roledoc build` finds them, a digest of a folder, and a byte-for-byte
 * comparison of two folders.
 */
import {createHash} from 'node:crypto'
import {readdir, readFile} from 'node:fs/promises'
import path from 'node:path'

/**
 * Compare strings by code point (as roledoc sorts its inputs).
 * @param {string} a
 * @param {string} b
 * @returns {number}
 */
export function compareCodePoints(a, b) {
  return a < b ? -1 : a > b ? 1 : 0
}

/**
 * Every regular file under `folder`, as sorted posix paths relative to it.
 * @param {string} folder
 * @returns {Promise<string[]>}
 */
export async function listFiles(folder) {
  const entries = await readdir(folder, {withFileTypes: true, recursive: true})
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(folder, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'))
    .sort(compareCodePoints)
}

/**
 * Markdown files under `folder` that `roledoc build` reads (hidden entries
 * and `node_modules` skipped), as sorted absolute paths.
 * @param {string} folder
 * @returns {Promise<string[]>}
 */
export async function listMarkdown(folder) {
  const relative = (await listFiles(folder)).filter((name) => name.toLowerCase().endsWith('.md') && !isSkipped(name))
  return relative.map((name) => path.join(folder, ...name.split('/')))
}

/**
 * Whether roledoc skips this posix path (a hidden part or `node_modules`).
 * @param {string} name
 * @returns {boolean}
 */
function isSkipped(name) {
  return name.split('/').some((part) => part.startsWith('.') || part === 'node_modules')
}

/**
 * Files, bytes and a SHA-256 over every file's path and bytes: the same
 * digest means the same corpus, so figures from two runs can be compared.
 * @param {string} folder
 * @returns {Promise<{files: number, bytes: number, sha256: string}>}
 */
export async function digestFolder(folder) {
  const hash = createHash('sha256')
  let bytes = 0
  const names = await listFiles(folder)
  for (const name of names) {
    const content = await readFile(path.join(folder, ...name.split('/')))
    bytes += content.length
    hash.update(`${name}\0${content.length}\0`).update(content)
  }
  return {files: names.length, bytes, sha256: hash.digest('hex')}
}

/**
 * The differences between two folders: files only in one, and files whose
 * bytes differ. Empty when they are byte-identical.
 * @param {string} a
 * @param {string} b
 * @returns {Promise<{files: number, onlyA: string[], onlyB: string[], differ: string[]}>}
 */
export async function compareFolders(a, b) {
  const namesA = await listFiles(a)
  const namesB = new Set(await listFiles(b))
  const result = {files: namesA.length, onlyA: /** @type {string[]} */ ([]), onlyB: /** @type {string[]} */ ([]), differ: /** @type {string[]} */ ([])}
  for (const name of namesA) {
    if (!namesB.delete(name)) {
      result.onlyA.push(name)
      continue
    }
    const [left, right] = await Promise.all([readFile(path.join(a, name)), readFile(path.join(b, name))])
    if (!left.equals(right)) result.differ.push(name)
  }
  result.onlyB.push(...namesB)
  return result
}
