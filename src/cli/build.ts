/**
 * `roledoc build`: the flags parsed into one `BuildRequest`, which the
 * driver runs (`buildCommand`: the config file and the defaults filled in,
 * built once, or again on every change with `--watch`); this module prints
 * each report.
 */
import {formatMessage, type Severity} from '../compile/messages.js'
import {buildCommand, type BuildCommandResult, type BuildRequest, type BuildSettings} from '../driver/build-command.js'
import type {BuildSummary} from '../driver/build.js'
import {UsageError} from '../driver/errors.js'
import type {BuildReport} from '../driver/run-build.js'
import {count} from '../emit/style.js'
import {parseDuration, parseFormats, parseReporter, parseSize, parseWorkers, readCommandLine} from './args.js'
import {exitCodes, printMessages, type CliIo} from './io.js'
import {createProgress} from './progress.js'

export const buildHelp = `Usage: roledoc build [inputs...] [options]

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
                       compiles fewer; default: one fewer than the available
                       cores, at least 1)
      --cache-dir DIR  Cache folder (default: node_modules/.cache/roledoc in a
                       Node project, else $XDG_CACHE_HOME/roledoc or
                       $HOME/.cache/roledoc)
      --no-cache       Do not read or write the cache
      --site           Also write DIR/site/index.html, a self-contained page to
                       browse roles and actions
      --since DIR      With --site: a previous dataset (or docs) to show the
                       changes against
      --site-base-url URL  With --site: prefix of the links to source lines
      --history REPO   With --site: the git repository of the docs; each role
                       gets its timeline, and the page what changed when (as
                       \`roledoc history\`)
      --history-path P With --history: a folder to walk, repeatable (default:
                       the inputs, relative to the top of REPO)
  -w, --watch          Build, then rebuild whenever an input changes; an input
                       that goes away is waited for (Ctrl-C stops)
      --reporter NAME  stylish (default), json or github (GitHub Actions annotations)
  -q, --quiet          Print errors only
      --config FILE    Config file (default: roledoc.config.json, or the
                       "roledoc" key of package.json, when present)
      --debug          Print stack traces of internal failures
  -h, --help           Show this help

Writes DIR/roles/<id>.json and .yaml, DIR/roles.json and DIR/roles.ndjson
(roles only), DIR/fragments/<id>.json and .yaml, DIR/fragments.json,
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
  history: {type: 'string'},
  'history-path': {type: 'string', multiple: true},
  watch: {type: 'boolean', short: 'w'},
  reporter: {type: 'string'},
  quiet: {type: 'boolean', short: 'q'},
  config: {type: 'string'},
  debug: {type: 'boolean'},
  help: {type: 'boolean', short: 'h'}
} as const

/** Run `roledoc build` with `argv` (the arguments after `build`); returns the exit code. */
export async function runBuildCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine('build', buildOptions, argv, buildHelp, io)
  if (parsed === null) return exitCodes.ok
  const {values, positionals} = parsed
  if (values['no-cache'] && values['cache-dir'] !== undefined) throw new UsageError('`--cache-dir` and `--no-cache` do not go together; use one')
  if (!values.site && (values.since !== undefined || values['site-base-url'] !== undefined || values.history !== undefined)) {
    throw new UsageError('`--since`, `--site-base-url` and `--history` go with `--site`; add it')
  }
  if (values.history === undefined && values['history-path'] !== undefined) throw new UsageError('`--history-path` goes with `--history REPO`; add it')
  if (values.watch && values.check) throw new UsageError('`--watch` and `--check` do not go together; use one')
  // A flag left out is taken from the config file, else its default (by the driver).
  const request: BuildRequest = {
    inputs: positionals,
    ...(values.out === undefined ? {} : {out: values.out}),
    ...(values.strict === undefined ? {} : {strict: values.strict}),
    check: values.check === true,
    ...(values.formats === undefined ? {} : {formats: parseFormats(values.formats)}),
    ...(values['max-file-size'] === undefined ? {} : {maxFileSize: parseSize(values['max-file-size'])}),
    ...(values['file-timeout'] === undefined ? {} : {fileTimeout: parseDuration(values['file-timeout'])}),
    ...(values.workers === undefined ? {} : {workers: parseWorkers(values.workers)}),
    cacheDir: values['no-cache'] ? null : values['cache-dir'],
    site: values.site
      ? {
          ...(values.since === undefined ? {} : {since: values.since}),
          ...(values['site-base-url'] === undefined ? {} : {baseUrl: values['site-base-url']}),
          ...(values.history === undefined ? {} : {history: {repo: values.history, paths: values['history-path'] ?? []}})
        }
      : null,
    ...(values.reporter === undefined ? {} : {reporter: parseReporter(values.reporter)}),
    ...(values.quiet === undefined ? {} : {quiet: values.quiet}),
    ...(values.config === undefined ? {} : {config: values.config}),
    watch: values.watch === true,
    cwd: io.cwd,
    env: io.env ?? {}
  }

  const say = (text: string): void => io.stderr(`roledoc: ${text}\n`)
  const progress = createProgress(io)
  let code: number = exitCodes.ok
  let result: BuildCommandResult
  try {
    result = await buildCommand(request, {
      onNotice: say,
      onProgress: progress.update,
      ...(io.signal ? {signal: io.signal} : {}),
      onReport: (report, settings) => {
        progress.done()
        code = printReport(report, settings, io)
      },
      onWatching: (inputs) => say(`watching ${inputs.join(', ')} (Ctrl-C to stop)`),
      onRebuildFailed: (error) => {
        progress.done()
        say(error instanceof Error ? error.message : String(error))
      }
    })
  } finally {
    progress.done()
  }
  if (result.kind === 'invalid-config') {
    printMessages(result.messages, 'stylish', false, io)
    say(`invalid config in ${result.file}; fix it or pass --config`)
    return exitCodes.failure
  }
  if (!request.watch) return code
  say('stopped watching')
  return exitCodes.ok
}

/** Print one build's report; returns the exit code (a run stopped after compiling throws why, once its messages are printed). */
function printReport(report: BuildReport, {run, reporter, quiet}: BuildSettings, io: CliIo): number {
  if (report.kind === 'since-failed') {
    printMessages(report.errors, reporter, true, io)
    io.stderr(`roledoc: cannot compare with ${report.since}: ${count(report.errors.length, 'error')} there\n`)
    return exitCodes.failure
  }
  if (report.history && !quiet) {
    for (const message of report.history.messages) io.stderr(formatMessage(message) + '\n')
    io.stderr(`roledoc: history of ${report.history.repo}: ${count(report.history.commits, 'commit')}, ${report.history.changed} changed the data\n`)
  }
  printMessages(report.messages, reporter, quiet, io)
  const {counts, outcome} = report
  if (!quiet) io.stderr(formatSummary(report.summary, counts))
  const say = (text: string): void => {
    if (!quiet) io.stderr(`roledoc: ${text}\n`)
  }
  // A cache that could not be written costs every later build its work: say so (the build itself is whole).
  const cacheFailure = (): void => {
    if (report.cacheFailure) {
      const {folder, reason} = report.cacheFailure
      say(`could not write the cache in ${folder} (${reason}); the next build compiles every file again. Make the folder writable, choose another --cache-dir, or pass --no-cache`)
    }
  }
  switch (outcome.kind) {
    case 'failed':
      io.stderr(`roledoc: nothing written to ${run.out}${report.strictErrors > 0 ? ` (${count(report.strictErrors, 'warning')} ${report.strictErrors === 1 ? 'is an error' : 'are errors'} with --strict)` : ''}\n`)
      return exitCodes.errors
    case 'stopped':
      throw outcome.error
    case 'up-to-date':
      say(`${run.out} is up to date`)
      return exitCodes.ok
    case 'checked': {
      const lines = [
        ...outcome.stale.map((name) => `stale: ${run.out}/${name}`),
        ...outcome.missing.map((name) => `missing: ${run.out}/${name}`),
        ...outcome.extra.map((name) => `extra: ${run.out}/${name}`)
      ]
      for (const line of lines) io.stdout(line + '\n')
      cacheFailure()
      if (lines.length > 0) {
        io.stderr(`roledoc: ${run.out} is out of date (${count(lines.length, 'file')}); run \`roledoc build\` without --check to update it\n`)
        return exitCodes.errors
      }
      say(`${run.out} is up to date`)
      return exitCodes.ok
    }
    case 'written':
      cacheFailure()
      say(`wrote ${outcome.files} files to ${run.out}`)
      return exitCodes.ok
  }
}

/** The one-screen summary that ends a build. */
export function formatSummary(summary: BuildSummary, counts: Record<Severity, number>): string {
  const kinds = [count(summary.roles, 'role'), count(summary.fragments, 'fragment'), count(summary.references, 'reference page')]
  if (summary.skipped > 0) kinds.push(`${summary.skipped} skipped`)
  return (
    `roledoc: ${count(summary.files, 'file')} read: ${kinds.join(', ')}\n` +
    `roledoc: ${count(summary.permissions, 'permission')}, ${summary.privilegedPermissions} privileged\n` +
    `roledoc: ${count(counts.error, 'error')}, ${count(counts.warning, 'warning')}${counts.info > 0 ? `, ${counts.info} info` : ''}\n`
  )
}
