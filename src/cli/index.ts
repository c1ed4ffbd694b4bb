/**
 * The command line, as a testable function: `main(argv, io)` returns the exit
 * code. `bin.ts` is the few lines that call it with the real process.
 */
import {readFile} from 'node:fs/promises'
import {availableParallelism} from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {
  assertInputsOutside,
  asUsageError,
  build,
  checkDataset,
  countMessages,
  loadSide,
  nameOf,
  previousOutput,
  recoverOutput,
  rememberOutput,
  UsageError,
  writeDataset,
  watchInputs,
  type BuildSummary,
  type LoadedSide
} from '../driver/build.js'
import {Cache, defaultCacheFolder, foldersOverlap} from '../driver/incremental/cache.js'
import {defaultFileTimeout, defaultMaxFileSize} from '../compile/limits.js'
import {configFileNames, parseConfig, type Config} from '../driver/config.js'
import {datasetFormats, type DatasetFile, type DatasetFormat} from '../emit/dataset.js'
import {formatMessages, reporterNames, type ReporterName} from '../emit/reporters.js'
import type {DatasetRecord} from '../types.js'
import {diffRecords, type DiffResult} from '../compare/diff.js'
import {diffFormats, emitDiff, type DiffFormat} from '../emit/diff.js'
import {version} from '../package.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  cwd: string
  /** Environment variables (`NO_COLOR`, `CI`; `XDG_CACHE_HOME` and `HOME` for the default cache folder). Default: `process.env`. */
  env?: Record<string, string | undefined>
  /** Whether standard error is a terminal (colour, progress bar). Default: false. */
  stderrIsTTY?: boolean
  /**
   * Aborted to stop the run: a build stops without writing, `--watch` stops
   * watching. The bin aborts it with an `Interrupted` on SIGINT (Ctrl-C) or
   * SIGTERM.
   */
  signal?: AbortSignal
}

/** 130 and 143: 128 and the number of the signal (SIGINT, SIGTERM), as a shell reports a process it stopped. */
export const exitCodes = {ok: 0, errors: 1, failure: 2, interrupted: 130, terminated: 143} as const

/** The reason `bin.ts` aborts `CliIo.signal` with: the signal that stops the run. */
export class Interrupted extends Error {
  override name = 'AbortError'

  constructor(readonly signal: 'SIGINT' | 'SIGTERM') {
    super(`Interrupted by ${signal}`)
  }
}

const mainHelp = `roledoc ${version}: compile Microsoft Entra role docs (Markdown) into JSON/YAML data

Usage:
  roledoc build [inputs...] [--out DIR] [--strict] [--check]
  roledoc diff OLD NEW [--format text|md|json] [--exit-code]
  roledoc drift --graph FILE DOCS [--format text|md|json] [--exit-code]
  roledoc --help | --version

Commands:
  build    Compile role docs into a dataset folder (or check that it is up to date)
  diff     Show what changed in meaning between two versions of the docs or datasets
  drift    Compare the docs with a Microsoft Graph export of the role definitions

Run \`roledoc <command> --help\` for the options and examples.
`

const buildHelp = `Usage: roledoc build [inputs...] [options]

Compile role docs (Markdown) into a dataset. Inputs are files or folders
(searched for *.md); the default is \`fixtures\`. A folder with a reference
page (permissions-reference.md) is joined with the role files it includes.

Options:
  -o, --out DIR        Output folder, replaced whole on success: a new or empty
                       folder, or one that roledoc wrote (default: out)
      --strict         Treat warnings as errors (exit 1, nothing written)
      --check          Write nothing; exit 1 and list each stale, missing or
                       extra file when DIR is not what a build would write
      --formats LIST   Dataset files to write besides index.json, comma
                       separated: json,yaml,ndjson,csv (default: all)
      --max-file-size N  Skip files larger than N bytes (k and M allowed;
                       default: 1M)
      --file-timeout T Stop a file that takes longer than T to compile and
                       report it (500ms, 2s; default: 30s)
  -j, --workers N      Worker threads that compile 500 or more files (one
                       compiles fewer; default: the available cores)
      --cache-dir DIR  Cache folder (default: node_modules/.cache/roledoc in a
                       Node project, else $XDG_CACHE_HOME/roledoc or
                       $HOME/.cache/roledoc)
      --no-cache       Do not read or write the cache
      --site           Also write DIR/site/index.html, a self-contained page to
                       browse roles and actions
      --since DIR      With --site: a previous dataset (or docs) to show the
                       changes against
      --site-base-url URL  With --site: prefix of the links to source lines
  -w, --watch          Build, then rebuild whenever an input changes; an input
                       that goes away is waited for (Ctrl-C stops)
      --reporter NAME  stylish (default), json or github (GitHub Actions annotations)
  -q, --quiet          Print errors only
      --config FILE    Config file (default: roledoc.config.json, or the
                       "roledoc" key of package.json, when present)
      --debug          Print stack traces of internal failures
  -h, --help           Show this help

Writes DIR/roles/<id>.json and .yaml, DIR/roles.json, DIR/roles.ndjson,
DIR/actions.json, DIR/actions.csv, DIR/index.json and DIR/manifest.json
(the other files, each with its size and SHA-256). When any error is
reported, nothing is written and the previous output stays as it was.

Exit codes: 0 clean or warnings only (with --check: up to date), 1 errors
(or warnings with --strict; with --check: out of date), 2 usage error or
internal failure, 130 or 143 stopped by SIGINT (Ctrl-C) or SIGTERM before
writing (nothing written).

Examples:
  roledoc build
  roledoc build docs/identity/role-based-access-control --out dataset --watch
  roledoc build docs --out dataset --reporter github
  roledoc build docs/identity/role-based-access-control --out dataset --check
  roledoc build partner-tier1-support.md --out seed-out --strict
`

const diffHelp = `Usage: roledoc diff OLD NEW [options]

Show what changed in meaning between OLD and NEW: roles added, removed or
renamed (matched by template ID, else by id); per role, permissions added or
removed, privilege changes, description, summary, callout, deprecation and
ms.date changes. Link paths, white space and row order are not changes.
Each side is a Markdown file, a docs folder (compiled in memory) or a dataset
folder written by \`roledoc build\`; the two may be of different kinds.

Options:
  -f, --format F       text (default), md (a pull-request comment) or json
      --exit-code      Exit 1 when there are changes, 0 when there are none
      --reporter NAME  How compile errors are printed: stylish, json or github
      --debug          Print stack traces of internal failures
  -h, --help           Show this help

Exit codes: 0 (with --exit-code: no changes), 1 changes (with --exit-code
only), 2 usage error, a side with compile errors, or internal failure.

Examples:
  roledoc diff old/permissions-reference-folder new/permissions-reference-folder
  roledoc diff dataset docs/identity/role-based-access-control --format md
  roledoc diff old.md new.md --format json --exit-code
`

/** Run the CLI with `argv` (without `node` and the script). */
export async function main(argv: readonly string[], given: CliIo): Promise<number> {
  const io = given.env ? given : {...given, env: process.env}
  const debug = argv.includes('--debug')
  try {
    return await run(argv, io)
  } catch (error) {
    if (io.signal?.aborted && error instanceof Error && error.name === 'AbortError') {
      io.stderr('roledoc: interrupted; nothing written\n')
      const reason: unknown = io.signal.reason
      return reason instanceof Interrupted && reason.signal === 'SIGTERM' ? exitCodes.terminated : exitCodes.interrupted
    }
    if (error instanceof UsageError || isParseArgsError(error)) {
      const help = error instanceof UsageError && !error.help ? '' : 'Try `roledoc --help`.\n'
      io.stderr(`roledoc: ${(error as Error).message}\n${help}`)
      return exitCodes.failure
    }
    const detail = debug && error instanceof Error ? (error.stack ?? error.message) : String(error instanceof Error ? error.message : error)
    io.stderr(`roledoc: internal failure: ${detail}\n${debug ? '' : 'Run again with --debug for the stack trace, and report it.\n'}`)
    return exitCodes.failure
  }
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    io.stdout(mainHelp)
    return exitCodes.ok
  }
  if (command === '--version' || command === '-v') {
    io.stdout(`${version}\n`)
    return exitCodes.ok
  }
  if (command === 'build') return runBuild(rest, io)
  if (command === 'diff') return runDiff(rest, io)
  // Loaded only when it runs, as is the explorer page's code: a build starts sooner.
  if (command === 'drift') return (await import('./drift.js')).runDrift(rest, io)
  throw new UsageError(`Unknown command \`${command}\`; the commands are: build, diff, drift`)
}

const buildOptions = {
  out: {type: 'string', short: 'o'},
  strict: {type: 'boolean'},
  check: {type: 'boolean'},
  formats: {type: 'string'},
  'max-file-size': {type: 'string'},
  'file-timeout': {type: 'string'},
  workers: {type: 'string', short: 'j'},
  'cache-dir': {type: 'string'},
  'no-cache': {type: 'boolean'},
  site: {type: 'boolean'},
  since: {type: 'string'},
  'site-base-url': {type: 'string'},
  watch: {type: 'boolean', short: 'w'},
  reporter: {type: 'string'},
  quiet: {type: 'boolean', short: 'q'},
  config: {type: 'string'},
  debug: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'}
} as const

/** Build settings: defaults, then the config file, then flags. */
interface BuildSettings {
  inputs: string[]
  out: string
  strict: boolean
  formats: DatasetFormat[]
  reporter: ReporterName
  quiet: boolean
  maxFileSize: number
  /** Milliseconds a file may take to compile. */
  fileTimeout: number
  /** Write `site/index.html`; with `since`, a changes view against that dataset, docs folder or file. */
  site: {since?: string; baseUrl?: string} | null
  workers: number
  /** The cache folder, or `null` for none. */
  cacheDir: string | null
}

async function runBuild(argv: readonly string[], io: CliIo): Promise<number> {
  const {values, positionals} = parseArgs({args: [...argv], allowPositionals: true, strict: true, options: buildOptions})
  if (values.help) {
    io.stdout(buildHelp)
    return exitCodes.ok
  }
  const config = await loadConfig(values.config, io)
  if (config === null) return exitCodes.failure
  const settings: BuildSettings = {
    inputs: positionals.length > 0 ? positionals : (config.inputs ?? ['fixtures']),
    out: values.out ?? config.out ?? 'out',
    strict: values.strict ?? config.strict ?? false,
    formats: values.formats === undefined ? (config.formats ?? [...datasetFormats]) : parseFormats(values.formats),
    reporter: values.reporter === undefined ? (config.reporter ?? 'stylish') : parseReporter(values.reporter),
    quiet: values.quiet ?? config.quiet ?? false,
    maxFileSize: values['max-file-size'] === undefined ? (config.maxFileSize ?? defaultMaxFileSize) : parseSize(values['max-file-size']),
    fileTimeout: values['file-timeout'] === undefined ? (config.fileTimeout ?? defaultFileTimeout) : parseDuration(values['file-timeout']),
    site: values.site
      ? {
          ...(values.since === undefined ? {} : {since: values.since}),
          ...(values['site-base-url'] === undefined ? {} : {baseUrl: values['site-base-url']})
        }
      : null,
    workers: values.workers === undefined ? availableParallelism() : parseWorkers(values.workers),
    cacheDir: values['no-cache'] ? null : values['cache-dir'] === undefined ? defaultCacheFolder(io.cwd, io.env ?? {}) : path.resolve(io.cwd, values['cache-dir'])
  }
  if (values['no-cache'] && values['cache-dir'] !== undefined) throw new UsageError('`--cache-dir` and `--no-cache` do not go together; use one')
  if (settings.cacheDir !== null && foldersOverlap(settings.cacheDir, path.resolve(io.cwd, settings.out))) {
    // The output folder is replaced whole: a cache in it would go, and an output in the cache would be refused.
    const cache = values['cache-dir'] ?? settings.cacheDir
    throw new UsageError(`The cache folder ${cache} and the output folder ${settings.out} overlap (one is, or holds, the other); choose another --cache-dir or --out`, {help: false})
  }
  if (!values.site && (values.since !== undefined || values['site-base-url'] !== undefined)) {
    throw new UsageError('`--since` and `--site-base-url` go with `--site`; add it')
  }
  if (values.watch && values.check) throw new UsageError('`--watch` and `--check` do not go together; use one')
  // Before any work (the writer checks again): the output folder is replaced whole.
  if (!values.check) assertInputsOutside(path.resolve(io.cwd, settings.out), settings.out, inputPaths(settings, io), io.cwd)

  const code = await buildOnce(settings, values.check === true, io)
  if (!values.watch) return code
  const signal = io.signal ?? new AbortController().signal
  await watchInputs(
    settings.inputs,
    io.cwd,
    async () => {
      try {
        await buildOnce(settings, false, io)
      } catch (error) {
        // Stopped by a signal: the rebuild wrote nothing, and the watch ends.
        if (!signal.aborted) io.stderr(`roledoc: ${error instanceof Error ? error.message : String(error)}\n`)
      }
    },
    signal,
    {
      onReady: () => io.stderr(`roledoc: watching ${settings.inputs.join(', ')} (Ctrl-C to stop)\n`),
      onNotice: (text) => io.stderr(`roledoc: ${text}\n`)
    }
  )
  io.stderr('roledoc: stopped watching\n')
  return exitCodes.ok
}

/** One build: compile, report, then write (or check) the dataset. */
async function buildOnce(settings: BuildSettings, check: boolean, io: CliIo): Promise<number> {
  // A run killed while it swapped the folders left the previous dataset moved aside: put back before anything else.
  const restored = await recoverOutput(settings.out, io.cwd)
  if (restored !== null) io.stderr(`roledoc: put back ${settings.out}, which a stopped run had left as ${restored}\n`)
  const progress = createProgress(io)
  const cache = settings.cacheDir === null ? null : new Cache(settings.cacheDir)
  const result = await build({
    inputs: settings.inputs,
    cwd: io.cwd,
    formats: settings.formats,
    maxFileSize: settings.maxFileSize,
    fileTimeout: settings.fileTimeout,
    workers: settings.workers,
    cache,
    // With the cache, an output folder that already holds this dataset is left alone
    // (not with --since: the other side is not part of the key).
    ...(cache && !check && settings.site?.since === undefined ? {reuse: settings.out} : {}),
    outputOptions: JSON.stringify({site: settings.site}),
    ...(io.signal ? {signal: io.signal} : {}),
    onProgress: progress.update
  })
  progress.done()
  // Entries of other roledoc code (an older version, say) are never read again.
  cache?.prune()
  if (settings.site && !result.upToDate) {
    const code = await addSite(result.files, result.records, settings, io)
    if (code !== exitCodes.ok) return code
  }
  printMessages(result.messages, settings.reporter, settings.quiet, io)

  const counts = countMessages(result.messages)
  const failed = counts.error > 0 || (settings.strict && counts.warning > 0)
  if (!settings.quiet) io.stderr(formatSummary(result.summary, counts))
  if (failed) {
    io.stderr(`roledoc: nothing written to ${settings.out}${settings.strict && counts.error === 0 ? ' (warnings fail with --strict)' : ''}\n`)
    return exitCodes.errors
  }
  if (check) {
    io.signal?.throwIfAborted()
    const outcome = await checkDataset(settings.out, result.files, io.cwd)
    const lines = [
      ...outcome.stale.map((name) => `stale: ${settings.out}/${name}`),
      ...outcome.missing.map((name) => `missing: ${settings.out}/${name}`),
      ...outcome.extra.map((name) => `extra: ${settings.out}/${name}`)
    ]
    for (const line of lines) io.stdout(line + '\n')
    warnCacheFailure(cache, settings, io)
    if (lines.length > 0) {
      io.stderr(`roledoc: ${settings.out} is out of date (${count(lines.length, 'file')}); run \`roledoc build\` without --check to update it\n`)
      return exitCodes.errors
    }
    if (!settings.quiet) io.stderr(`roledoc: ${settings.out} is up to date\n`)
    return exitCodes.ok
  }
  if (result.upToDate) {
    if (!settings.quiet) io.stderr(`roledoc: ${settings.out} is up to date\n`)
    return exitCodes.ok
  }
  io.signal?.throwIfAborted()
  const previous = cache ? {previous: await previousOutput(cache, settings.out, io.cwd)} : {}
  // Once the new folder is in place, the run ends as usual: a signal after that is too late to stop it.
  const written = await writeDataset(settings.out, result.files, io.cwd, {...previous, inputs: inputPaths(settings, io), ...(io.signal ? {signal: io.signal} : {})})
  if (cache) await rememberOutput(cache, settings.out, result, written, io.cwd)
  warnCacheFailure(cache, settings, io)
  if (!settings.quiet) io.stderr(`roledoc: wrote ${written.length} files to ${settings.out}\n`)
  return exitCodes.ok
}

function inputPaths(settings: BuildSettings, io: CliIo): string[] {
  return settings.inputs.map((input) => path.resolve(io.cwd, input))
}

/** A cache that could not be written costs every later build its work: say so (the build itself is whole). */
function warnCacheFailure(cache: Cache | null, settings: BuildSettings, io: CliIo): void {
  if (cache?.writeFailure === undefined || settings.quiet) return
  const shown = path.relative(io.cwd, cache.folder) || '.'
  io.stderr(`roledoc: could not write the cache in ${shown} (${cache.writeFailure}); the next build compiles every file again. Make the folder writable, choose another --cache-dir, or pass --no-cache\n`)
}

/** Add `site/index.html` to the dataset; with `--since`, its changes view. */
async function addSite(files: DatasetFile[], records: DatasetRecord[], settings: BuildSettings, io: CliIo): Promise<number> {
  const site = settings.site
  if (!site) return exitCodes.ok
  let changes: DiffResult | undefined
  if (site.since !== undefined) {
    const previous = await loadSide(site.since, io.cwd, io.signal)
    const errors = previous.messages.filter((message) => message.fatal === true)
    if (errors.length > 0) {
      printMessages(errors, settings.reporter, true, io)
      io.stderr(`roledoc: cannot compare with ${site.since}: ${count(errors.length, 'error')} there\n`)
      return exitCodes.failure
    }
    // Named, not pathed: the page is output, and must not depend on the working folder.
    changes = diffRecords(previous.records, records, {old: nameOf(site.since, io.cwd), new: nameOf(settings.out, io.cwd)})
  }
  const options = {version, ...(changes ? {changes} : {}), ...(site.baseUrl === undefined ? {} : {baseUrl: site.baseUrl})}
  const {emitSite} = await import('../emit/site.js')
  files.push({name: 'site/index.html', content: () => emitSite(records, options)})
  return exitCodes.ok
}

/** Print diagnostics: `stylish` to stderr, `json` and `github` to stdout. */
function printMessages(messages: readonly VFileMessage[], reporter: ReporterName, quiet: boolean, io: CliIo): void {
  const shown = quiet ? messages.filter((message) => message.fatal === true) : messages
  const color = io.stderrIsTTY === true && !io.env?.['NO_COLOR']
  const text = formatMessages(shown, reporter, {color})
  if (reporter === 'stylish') io.stderr(text)
  else io.stdout(text)
}

/** The config file's settings; `{}` when there is none, `null` (after printing why) when it is invalid. */
async function loadConfig(explicit: string | undefined, io: CliIo): Promise<Config | null> {
  const candidates = explicit === undefined ? [...configFileNames] : [explicit]
  for (const name of candidates) {
    const absolute = path.resolve(io.cwd, name)
    let text: string
    try {
      text = await readFile(absolute, 'utf8')
    } catch (error) {
      const missing = (error as NodeJS.ErrnoException).code === 'ENOENT'
      if (missing && explicit === undefined) continue
      if (missing) throw new UsageError(`Config file not found: ${explicit}`)
      throw asUsageError(error, `Could not read the config file ${name}`, 'make it readable')
    }
    const file = new VFile({path: name, value: text})
    const config = parseConfig(file, path.basename(name) === 'package.json')
    if (config === undefined) continue
    if (config === null) {
      printMessages(file.messages, 'stylish', false, io)
      io.stderr(`roledoc: invalid config in ${name}; fix it or pass --config\n`)
      return null
    }
    return config
  }
  return {}
}

function parseFormats(value: string): DatasetFormat[] {
  const formats = value.split(',').map((item) => item.trim()).filter((item) => item !== '')
  for (const format of formats) {
    if (!(datasetFormats as readonly string[]).includes(format)) {
      throw new UsageError(`Unknown format \`${format}\` in --formats; use some of ${datasetFormats.join(', ')}`)
    }
  }
  return formats as DatasetFormat[]
}

function parseWorkers(value: string): number {
  const workers = Number(value)
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new UsageError(`Expected --workers as a whole number from 1 to 256, found \`${value}\``)
  }
  return workers
}

/** `500ms`, `30s`, `1.5s`: milliseconds, at least 1. */
function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)$/.exec(value.trim())
  const milliseconds = match ? Math.round(Number(match[1]) * (match[2] === 's' ? 1000 : 1)) : 0
  if (milliseconds < 1) throw new UsageError(`Expected --file-timeout as a time with its unit, such as \`30s\` or \`500ms\`, found \`${value}\``)
  return milliseconds
}

/** `1048576`, `512k`, `2M`: bytes, or KiB and MiB. */
function parseSize(value: string): number {
  const match = /^(\d+)\s*([kKmM]?)$/.exec(value.trim())
  if (!match) throw new UsageError(`Expected --max-file-size as bytes, or with k or M (\`2M\`), found \`${value}\``)
  const unit = (match[2] ?? '').toLowerCase()
  return Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1)
}

function parseReporter(value: string): ReporterName {
  if ((reporterNames as readonly string[]).includes(value)) return value as ReporterName
  throw new UsageError(`Unknown --reporter \`${value}\`; use one of ${reporterNames.join(', ')}`)
}

/** Files from which a progress bar is shown (on a terminal, outside CI). */
export const progressThreshold = 200

interface Progress {
  update: (done: number, total: number) => void
  done: () => void
}

/** A progress bar on stderr, only when it is a terminal, not in CI, and for more than a few hundred files. */
export function createProgress(io: CliIo): Progress {
  const enabled = io.stderrIsTTY === true && !io.env?.['CI']
  let shown = false
  let last = -1
  return {
    update(done, total) {
      if (!enabled || total < progressThreshold) return
      const percent = Math.floor((done / total) * 100)
      if (percent === last) return
      last = percent
      shown = true
      io.stderr(`\r${renderProgress(done, total)}`)
    },
    done() {
      if (shown) io.stderr('\r\u001B[2K')
    }
  }
}

/** `[#########...........] 450/1000 files`, 30 columns of bar. */
export function renderProgress(done: number, total: number): string {
  const width = 30
  const filled = total === 0 ? width : Math.round((done / total) * width)
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} files`
}

async function runDiff(argv: readonly string[], io: CliIo): Promise<number> {
  const {values, positionals} = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: {type: 'string', short: 'f', default: 'text'},
      'exit-code': {type: 'boolean', default: false},
      reporter: {type: 'string'},
      debug: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false}
    }
  })
  if (values.help) {
    io.stdout(diffHelp)
    return exitCodes.ok
  }
  const format = values.format as DiffFormat
  if (!diffFormats.includes(format)) {
    throw new UsageError(`Unknown --format \`${values.format}\`; use one of ${diffFormats.join(', ')}`)
  }
  const [oldPath, newPath, ...extra] = positionals
  if (oldPath === undefined || newPath === undefined || extra.length > 0) {
    throw new UsageError(`\`roledoc diff\` takes two paths, OLD and NEW; got ${positionals.length}`)
  }

  const sides = [await loadSide(oldPath, io.cwd), await loadSide(newPath, io.cwd)]
  const errors = sides.flatMap((side) => side.messages.filter((message) => message.fatal === true))
  if (errors.length > 0) {
    printMessages(errors, values.reporter === undefined ? 'stylish' : parseReporter(values.reporter), true, io)
    io.stderr(`roledoc: cannot compare: ${count(errors.length, 'error')} in the docs; fix them (see \`roledoc build\`) and run again\n`)
    return exitCodes.failure
  }
  const [before, after] = sides as [LoadedSide, LoadedSide]
  const result = diffRecords(before.records, after.records, {
    old: oldPath,
    new: newPath,
    pairSingle: before.kind === 'file' && after.kind === 'file'
  })
  io.stdout(emitDiff(result, format))
  return values['exit-code'] && result.summary.changes > 0 ? exitCodes.errors : exitCodes.ok
}

/** The one-screen summary that ends a build. */
export function formatSummary(summary: BuildSummary, counts: Record<'error' | 'warning' | 'info', number>): string {
  const kinds = [
    count(summary.roles, 'role'),
    count(summary.fragments, 'fragment'),
    count(summary.references, 'reference page')
  ]
  if (summary.skipped > 0) kinds.push(`${summary.skipped} skipped`)
  return (
    `roledoc: ${count(summary.files, 'file')} read: ${kinds.join(', ')}\n` +
    `roledoc: ${count(summary.permissions, 'permission')}, ${summary.privilegedPermissions} privileged\n` +
    `roledoc: ${count(counts.error, 'error')}, ${count(counts.warning, 'warning')}${counts.info > 0 ? `, ${counts.info} info` : ''}\n`
  )
}

function count(value: number, word: string): string {
  return `${value} ${plural(value, word)}`
}

function plural(count: number, word: string): string {
  return count === 1 ? word : `${word}s`
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
}
