/**
 * The folders beside an output folder that a write makes, and what a run
 * does with those that an earlier run left: `<out>.roledoc-tmp-<id>` holds
 * the new dataset while it is written, and `<out>.roledoc-old-<id>` the
 * previous one between the two renames that swap them. A run killed
 * between those renames leaves no output folder and the previous dataset
 * moved aside: the next run puts it back before anything else.
 */
import {randomBytes} from 'node:crypto'
import {existsSync, readdirSync, renameSync, rmdirSync, rmSync, statSync, unlinkSync} from 'node:fs'
import path from 'node:path'
import {acquireLock} from './lock.js'
import {isWholeDataset, manifestName} from './manifest.js'

/** The two folders of one write into `target`. */
export function swapFolders(target: string): {temporary: string; previous: string} {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`
  return {temporary: `${target}.roledoc-tmp-${suffix}`, previous: `${target}.roledoc-old-${suffix}`}
}

/**
 * Put back the dataset a killed run left moved aside, when `out` is
 * missing; returns the name of the folder put back (beside `out`), or
 * `null`. Takes the lock (waiting up to `lockTimeout` ms) only when there is
 * something to put back: a run that is swapping the folders right now
 * leaves the same state for a moment.
 */
export async function recoverOutput(out: string, cwd = process.cwd(), lockTimeout = 30_000): Promise<string | null> {
  const target = path.resolve(cwd, out)
  if (existsSync(target) || movedAside(target).length === 0) return null
  const lock = await acquireLock(target, out, lockTimeout)
  try {
    return restoreMovedAside(target)
  } finally {
    lock.release()
  }
}

/** `recoverOutput`, for a caller that holds the lock. */
export function restoreMovedAside(target: string): string | null {
  if (existsSync(target)) return null
  // The newest first (there is one, unless runs of an older roledoc left more).
  for (const name of movedAside(target)) {
    const folder = path.join(path.dirname(target), name)
    if (!isWholeDataset(folder)) continue
    renameSync(folder, target)
    return name
  }
  return null
}

/** Names of the `<out>.roledoc-old-*` folders beside `target`, the newest first. */
function movedAside(target: string): string[] {
  const prefix = `${path.basename(target)}.roledoc-old-`
  let names: string[]
  try {
    names = readdirSync(path.dirname(target)).filter((name) => name.startsWith(prefix))
  } catch {
    return []
  }
  const changed = (name: string): number => {
    try {
      return statSync(path.join(path.dirname(target), name)).mtimeMs
    } catch {
      return 0
    }
  }
  return names.sort((a, b) => changed(b) - changed(a) || (a < b ? -1 : 1))
}

/** Remove the `<out>.roledoc-tmp-*` and `<out>.roledoc-old-*` folders beside `target`. Call with the lock held: none is then another run's. */
export function removeLeftovers(target: string, step: () => void = () => {}): void {
  const prefix = `${path.basename(target)}.roledoc-`
  for (const name of readdirSync(path.dirname(target))) {
    if (name.startsWith(prefix) && /^(?:tmp|old)-\d+-[\da-f]+$/.test(name.slice(prefix.length))) {
      removeDataset(path.join(path.dirname(target), name), step)
    }
  }
}

/**
 * Remove a folder of a dataset, its manifest first: a folder half removed
 * is then never taken for a whole dataset.
 */
export function removeDataset(folder: string, step: () => void = () => {}): void {
  try {
    unlinkSync(path.join(folder, manifestName))
  } catch {
    // Not there: the dataset of an older roledoc, or no folder at all.
  }
  removeFolder(folder, step)
}

/**
 * Remove `folder` and all it holds, if it is there, calling `step` between
 * entries. Synchronous (for thousands of files much faster than awaiting
 * each), and the listing tells files from folders: about twice as fast as
 * `rmSync`, which looks up each file before it removes it. Whatever this
 * cannot remove, `rmSync` tries.
 */
export function removeFolder(folder: string, step: () => void = () => {}): void {
  try {
    for (const entry of readdirSync(folder, {withFileTypes: true})) {
      step()
      const full = path.join(folder, entry.name)
      if (entry.isDirectory()) removeFolder(full, step)
      else unlinkSync(full)
    }
    rmdirSync(folder)
  } catch {
    // Not there (then this does nothing), or something in the way.
    rmSync(folder, {recursive: true, force: true})
  }
}
