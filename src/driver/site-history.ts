/**
 * The history behind `roledoc build --site --history REPO`: the same walk
 * as `roledoc history`, over the paths given, or else over the build's
 * inputs as they lie in the repository.
 */
import {realpathSync} from 'node:fs'
import path from 'node:path'
import {UsageError} from './errors.js'
import {openRepository, topLevel} from './git.js'
import {history, type HistoryOptions, type HistoryRun} from './history.js'

export interface SiteHistoryOptions extends Omit<HistoryOptions, 'paths' | 'since' | 'until' | 'rev'> {
  repo: string
  cwd: string
  /** The build's inputs (relative to `cwd`). */
  inputs: readonly string[]
  /** Paths to walk, relative to the top of the repository; default: the inputs that lie in it. */
  paths?: readonly string[]
}

export async function historyForSite(options: SiteHistoryOptions): Promise<HistoryRun> {
  const paths = options.paths && options.paths.length > 0 ? options.paths : await inputsInRepository(options)
  return history({...options, paths})
}

/** The inputs that lie in the repository's work tree, relative to its top; `[]` when one is the top itself. */
async function inputsInRepository(options: SiteHistoryOptions): Promise<string[]> {
  const repository = await openRepository(options.repo, options.cwd, options.env ? {env: options.env} : {})
  const top = await topLevel(repository)
  if (top === null) throw new UsageError(`${options.repo} has no work tree to find the inputs in; name the folders to walk with --history-path`)
  const paths: string[] = []
  for (const input of options.inputs) {
    const relative = path.relative(realpathSync(top), realOrResolved(path.resolve(options.cwd, input)))
    if (relative === '') return []
    if (!relative.startsWith('..') && !path.isAbsolute(relative)) paths.push(relative.split(path.sep).join('/'))
  }
  if (paths.length === 0) throw new UsageError(`None of the inputs lies in ${options.repo}; build from its folders, or name the folders to walk with --history-path`)
  return paths
}

function realOrResolved(file: string): string {
  try {
    return realpathSync(file)
  } catch {
    return file
  }
}
