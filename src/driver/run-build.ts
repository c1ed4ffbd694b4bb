/**
 * `roledoc build`, once: put back a dataset a killed run left moved aside,
 * compile the inputs (`build.ts`), writing records ahead as they come
 * (`write-ahead.ts`), add the explorer page, then write the dataset
 * (`write.ts`) or check it (`check.ts`), and remember what was written for
 * the next build (`incremental/`). One call returns all that the CLI
 * prints; the CLI only decides how.
 */
import path from 'node:path'
import type {VFileMessage} from 'vfile-message'
import type {DiffResult} from '../compare/change.js'
import {diffRecords} from '../compare/diff.js'
import type {History} from '../compare/history.js'
import {countMessages, type Severity} from '../compile/messages.js'
import {applySeverities, type RuleSettings} from '../compile/severities.js'
import type {DatasetFormat} from '../emit/dataset.js'
import {version} from '../package.js'
import {compileDataset, type BuildSummary, type CompiledDataset} from './build.js'
import {checkDataset, type CheckResult} from './check.js'
import {UsageError} from './errors.js'
import {Cache, defaultCacheFolder, foldersOverlap} from './incremental/cache.js'
import {previousOutput, rememberOutput} from './incremental/written.js'
import {nameOf} from './inputs.js'
import {assertInputsOutside, assertOutputPlace} from './manifest.js'
import {loadSide} from './sides.js'
import {localSourceFolders, sourceLinksKey} from './source-links.js'
import {recoverOutput} from './swap.js'
import {writeDataset} from './write.js'
import {WriteAhead} from './write-ahead.js'

/** The explorer page to add (`--site`): with `since`, its changes view against that dataset, docs folder or file. */
export interface SiteSettings {
  since?: string
  /** Prefix of the source links; without it, they lead to the Markdown files from the output folder (`source-links.ts`). */
  baseUrl?: string
  /** `--history REPO`: each role's timeline, and what changed when, walked over `paths` (default: the inputs as they lie in `repo`). */
  history?: {repo: string; paths: readonly string[]}
}

/** What `--history` walked, for the CLI to tell: the errors found in past versions, and the commits. */
export interface SiteHistoryNote {
  repo: string
  commits: number
  changed: number
  messages: VFileMessage[]
}

/** One `roledoc build`, as the CLI resolved it from its flags, the config file and the defaults. */
export interface BuildRun {
  inputs: readonly string[]
  out: string
  /** Compare with `out` instead of writing it (`--check`). */
  check: boolean
  /** Warnings (after `rules`) are errors. */
  strict: boolean
  /** A severity (or `off`) for some rules, as the config sets them. */
  rules: RuleSettings
  formats: readonly DatasetFormat[]
  maxFileSize: number
  /** Milliseconds a file may take to compile. */
  fileTimeout: number
  workers: number
  /** The cache folder as given (`--cache-dir`), `null` for none (`--no-cache`), `undefined` for the default one. */
  cacheDir: string | null | undefined
  site: SiteSettings | null
  cwd: string
  /** `XDG_CACHE_HOME` and `HOME`, for the default cache folder. */
  env: Readonly<Record<string, string | undefined>>
}

/** What the run tells as it goes, and what stops it. */
export interface BuildHooks {
  /** Something the user should know before the build's result (a dataset put back). */
  onNotice?: (text: string) => void
  onProgress?: (done: number, total: number) => void
  /** Aborting it stops the build, compiling or writing; it rejects with an `AbortError`, or the report says the run stopped. */
  signal?: AbortSignal
}

/** What became of the dataset. */
export type BuildOutcome =
  /** Errors (or, under `strict`, warnings): nothing written. */
  | {kind: 'failed'}
  /** `out` already holds this very dataset: nothing compiled or written. */
  | {kind: 'up-to-date'}
  /** `check`: the files of `out` that differ from what a build would write. */
  | ({kind: 'checked'} & CheckResult)
  | {kind: 'written'; files: number}
  /** The check or the write failed, or a signal stopped it: `error` says why (nothing was replaced). */
  | {kind: 'stopped'; error: unknown}

/** All that one `roledoc build` shows. */
export type BuildReport =
  /** The other side of `--since` has errors: nothing else was done. */
  | {kind: 'since-failed'; since: string; errors: VFileMessage[]}
  | {
      kind: 'built'
      /** The messages with the severities `rules` and `strict` ask for. */
      messages: VFileMessage[]
      counts: Record<Severity, number>
      /** Errors among `messages` that are warnings made errors by `strict`. */
      strictErrors: number
      summary: BuildSummary
      outcome: BuildOutcome
      /** The cache could not be written (the next build compiles every file again): where, shown relative, and why. */
      cacheFailure?: {folder: string; reason: string}
      /** With `--site --history`: what the walk found. */
      history?: SiteHistoryNote
    }

/** Build once: everything `roledoc build` does, and the report of it. */
export async function runBuild(run: BuildRun, hooks: BuildHooks = {}): Promise<BuildReport> {
  const cache = openCache(run)
  // Before any work (the writer checks again): the output folder is replaced whole, and can be neither made nor read under a file.
  assertOutputPlace(path.resolve(run.cwd, run.out), run.out, run.cwd)
  if (!run.check) assertInputsOutside(path.resolve(run.cwd, run.out), run.out, inputPaths(run), run.cwd)
  // A run killed while it swapped the folders left the previous dataset moved aside: put back before anything else.
  const restored = await recoverOutput(run.out, run.cwd)
  if (restored !== null) hooks.onNotice?.(`put back ${run.out}, which a stopped run had left as ${restored}`)
  // While the inputs compile, their records' files are written into the new folder.
  const ahead = run.check ? null : new WriteAhead(run.out, run.cwd, {formats: run.formats, inputs: inputPaths(run), ...(hooks.signal ? {signal: hooks.signal} : {})})
  try {
    return await buildWith(run, cache, ahead, hooks)
  } finally {
    // Whatever was not renamed into place goes (a failed or stopped build leaves the folder as it was).
    await ahead?.close()
  }
}

async function buildWith(run: BuildRun, cache: Cache | null, ahead: WriteAhead | null, hooks: BuildHooks): Promise<BuildReport> {
  const result = await compileDataset({
    inputs: run.inputs,
    cwd: run.cwd,
    formats: run.formats,
    maxFileSize: run.maxFileSize,
    fileTimeout: run.fileTimeout,
    workers: run.workers,
    cache,
    // With the cache, an output folder that already holds this dataset is left alone
    // (not with --since: the other side is not part of the key).
    // Nor with --history: the repository's commits are not part of it either.
    ...(cache && !run.check && run.site?.since === undefined && run.site?.history === undefined ? {reuse: run.out} : {}),
    outputOptions: outputOptions(run),
    ...(hooks.signal ? {signal: hooks.signal} : {}),
    ...(hooks.onProgress ? {onProgress: hooks.onProgress} : {}),
    ...(ahead ? {listener: ahead} : {})
  })
  // Entries of other roledoc code (an older version, say) are never read again.
  cache?.prune()
  let history: SiteHistoryNote | undefined
  if (run.site && !result.upToDate) {
    const site = await addSite(result, run.site, run, cache, hooks.signal)
    if ('failed' in site) return site.failed
    history = site.history
  }
  // The severities of this run, on messages as compiled, cached or remembered (so a changed config counts, and the cache keeps them as compiled).
  const {messages, strictErrors} = applySeverities(result.messages, {rules: run.rules, strict: run.strict})
  const counts = countMessages(messages)
  const built = {kind: 'built', messages, counts, strictErrors, summary: result.summary, ...(history ? {history} : {})} as const
  if (counts.error > 0) return {...built, outcome: {kind: 'failed'}}
  if (!run.check && result.upToDate) return {...built, outcome: {kind: 'up-to-date'}}
  let outcome: BuildOutcome
  try {
    outcome = run.check ? await check(run, result, hooks.signal) : await write(run, result, cache, ahead, hooks.signal)
  } catch (error) {
    return {...built, outcome: {kind: 'stopped', error}}
  }
  return {...built, outcome, ...cacheFailure(cache, run.cwd)}
}

/** What else than the inputs changes what is written, for the key of `reuse`: the page's settings, and where its source links lead. */
function outputOptions(run: BuildRun): string {
  const links = run.site !== null && run.site.baseUrl === undefined ? sourceLinksKey(run.inputs, run.out, run.cwd) : null
  return JSON.stringify({site: run.site, ...(links === null ? {} : {links})})
}

/** The cache this run reads and writes, `null` for none; refused when it and the output folder overlap. */
function openCache(run: BuildRun): Cache | null {
  const folder = run.cacheDir === null ? null : run.cacheDir === undefined ? defaultCacheFolder(run.cwd, run.env) : path.resolve(run.cwd, run.cacheDir)
  if (folder === null) return null
  if (foldersOverlap(folder, path.resolve(run.cwd, run.out))) {
    // The output folder is replaced whole: a cache in it would go, and an output in the cache would be refused.
    throw new UsageError(`The cache folder ${run.cacheDir ?? folder} and the output folder ${run.out} overlap (one is, or holds, the other); choose another --cache-dir or --out`, {help: false})
  }
  return new Cache(folder)
}

function inputPaths(run: BuildRun): string[] {
  return run.inputs.map((input) => path.resolve(run.cwd, input))
}

async function check(run: BuildRun, result: CompiledDataset, signal: AbortSignal | undefined): Promise<BuildOutcome> {
  signal?.throwIfAborted()
  return {kind: 'checked', ...(await checkDataset(run.out, result.files, run.cwd))}
}

async function write(run: BuildRun, result: CompiledDataset, cache: Cache | null, ahead: WriteAhead | null, signal: AbortSignal | undefined): Promise<BuildOutcome> {
  signal?.throwIfAborted()
  const previous = cache ? {previous: await previousOutput(cache, run.out, run.cwd)} : {}
  const madeAhead = await ahead?.settle()
  // Once the new folder is in place, the run ends as usual: a signal after that is too late to stop it.
  const written = await writeDataset(run.out, result.files, run.cwd, {
    ...previous,
    inputs: inputPaths(run),
    ...(signal ? {signal} : {}),
    ...(madeAhead ? {ahead: madeAhead} : {})
  })
  if (cache) await rememberOutput(cache, run.out, result, written, run.cwd)
  return {kind: 'written', files: written.length}
}

/** A cache that could not be written costs every later build its work: the report says so (the build itself is whole). */
function cacheFailure(cache: Cache | null, cwd: string): {cacheFailure?: {folder: string; reason: string}} {
  if (cache?.writeFailure === undefined) return {}
  return {cacheFailure: {folder: path.relative(cwd, cache.folder) || '.', reason: cache.writeFailure}}
}

/**
 * Add `site/index.html` to the dataset; with `since`, its changes view; with
 * `history`, each role's timeline. The report when the other side has errors.
 */
async function addSite(
  result: CompiledDataset,
  site: SiteSettings,
  run: BuildRun,
  cache: Cache | null,
  signal: AbortSignal | undefined
): Promise<{failed: BuildReport} | {history?: SiteHistoryNote}> {
  let changes: DiffResult | undefined
  if (site.since !== undefined) {
    const previous = await loadSide(site.since, run.cwd, signal)
    const errors = previous.messages.filter((message) => message.fatal === true)
    if (errors.length > 0) return {failed: {kind: 'since-failed', since: site.since, errors}}
    // Named, not pathed: the page is output, and must not depend on the working folder.
    changes = diffRecords(previous.records, result.records, {old: nameOf(site.since, run.cwd), new: nameOf(run.out, run.cwd)})
  }
  const walked = site.history ? await walkForSite(site.history, run, cache, signal) : undefined
  // Without a base URL, links to the Markdown files themselves, for a page opened from disk.
  const sources = site.baseUrl === undefined ? {sourceFolder: localSourceFolders(result.sourceRoots, run.out, run.cwd)} : {baseUrl: site.baseUrl}
  const options = {version, ...(changes ? {changes} : {}), ...(walked ? {history: walked.history} : {}), ...sources}
  // Loaded only when it runs: a build without --site starts sooner.
  const {emitSite} = await import('../emit/site.js')
  const records = result.records
  result.files.push({name: 'site/index.html', content: () => emitSite(records, options)})
  return walked ? {history: walked.note} : {}
}

/** The git history of `--history REPO` (as `roledoc history` walks it), and what to tell of it. */
async function walkForSite(settings: NonNullable<SiteSettings['history']>, run: BuildRun, cache: Cache | null, signal: AbortSignal | undefined): Promise<{history: History; note: SiteHistoryNote}> {
  const {historyForSite} = await import('./site-history.js')
  const walked = await historyForSite({repo: settings.repo, cwd: run.cwd, inputs: run.inputs, paths: settings.paths, cache, workers: run.workers, env: run.env, ...(signal ? {signal} : {})})
  const changed = walked.history.commits.filter((commit) => commit.changes.length > 0).length
  return {history: walked.history, note: {repo: settings.repo, commits: walked.history.commits.length, changed, messages: walked.messages}}
}
