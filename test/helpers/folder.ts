import {readFileSync, readdirSync} from 'node:fs'
import path from 'node:path'

/** Every file under `folder`, by its path relative to it (sorted), with its bytes in base64: to compare folders byte for byte. */
export function folderBytes(folder: string): Record<string, string> {
  const result: Record<string, string> = {}
  for (const entry of readdirSync(folder, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    result[path.relative(folder, full)] = readFileSync(full).toString('base64')
  }
  return Object.fromEntries(Object.entries(result).sort(([a], [b]) => (a < b ? -1 : 1)))
}
