/**
 * `roledoc history [REPO]`: what each first-parent commit of a git
 * repository changed in the role reference. Parses the arguments, calls
 * the driver (`driver/history.ts`) once, prints the result.
 */
import {formatMessage} from '../compile/messages.js'
import {UsageError} from '../driver/errors.js'
import {history} from '../driver/history.js'
import {defaultCacheFolder} from '../driver/incremental/cache.js'
import {defaultWorkers} from '../driver/threads.js'
import {emitHistory, historyFormats} from '../emit/history.js'
import {count} from '../emit/style.js'
import {parseFormat, parseWorkers, readCommandLine} from './args.js'
import {exitCodes, type CliIo} from './io.js'

export const historyHelp = `Usage: roledoc history [REPO] [options]

What each commit changed in the role reference, read from a git repository
(REPO, default: the working folder) with the git command: no checkout, and
nothing written into the repository. Walks the first-parent commits of REV
that touched the paths, oldest first; each commit's changes are those of
\`roledoc diff\` between its tree and its first parent's (roles matched by
template ID, else by id). The reference is found by its structure in every
commit (each layout since 2018), so give every folder it lived in.

Options:
      --path P         A folder (or file) to walk, relative to the top of the
                       repository; repeat it for each (default: the whole
                       repository)
      --since DATE     Report commits from DATE on (YYYY-MM-DD in UTC, or an
                       ISO 8601 time with its offset)
      --until DATE     Report commits up to DATE (a day: to its end)
      --rev REV        The branch, tag or commit to walk back from (default: HEAD)
  -f, --format F       text (default), md (a changelog), json or atom (a feed)
  -j, --workers N      Worker threads that compile 500 or more file versions
                       at once (default, as for build: one fewer than the
                       available cores, at least 1)
      --cache-dir DIR  Cache folder (as for build; file versions are keyed
                       by their blob id)
      --no-cache       Do not read or write the cache
  -q, --quiet          Do not print the errors found in past versions
      --debug          Print stack traces of internal failures
  -h, --help           Show this help

Errors in a past version of a file (a row whose action is not an action,
say) are printed once on standard error, as <commit>:<path>:line:column;
that version's records lack what they leave out.

Exit codes: 0 the history was written, 2 usage error (no git, not a
repository, an unknown REV, a path that never existed, a shallow clone whose
history ends in the range) or internal failure.

Examples:
  git clone --filter=blob:none --sparse https://github.com/MicrosoftDocs/entra-docs
  roledoc history entra-docs --path docs/identity/role-based-access-control --format md
  roledoc history azure-docs --path articles/active-directory/users-groups-roles --path articles/active-directory/roles --format json
  roledoc history . --path docs/identity/role-based-access-control --format atom > roles.atom
`

/** `roledoc history`'s options. */
const historyOptions = {
  path: {type: 'string', multiple: true},
  since: {type: 'string'},
  until: {type: 'string'},
  rev: {type: 'string'},
  format: {type: 'string', short: 'f', default: 'text'},
  workers: {type: 'string', short: 'j'},
  'cache-dir': {type: 'string'},
  'no-cache': {type: 'boolean', default: false},
  quiet: {type: 'boolean', short: 'q', default: false},
  debug: {type: 'boolean', default: false},
  help: {type: 'boolean', short: 'h', default: false}
} as const

/** Run `roledoc history` with `argv` (the arguments after `history`); returns the exit code. */
export async function runHistory(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = readCommandLine('history', historyOptions, argv, historyHelp, io)
  if (parsed === null) return exitCodes.ok
  const {values, positionals} = parsed
  const format = parseFormat(values.format, historyFormats)
  if (positionals.length > 1) throw new UsageError(`\`roledoc history\` takes one REPO folder; got ${positionals.length}`)
  if (values['no-cache'] && values['cache-dir'] !== undefined) throw new UsageError('`--cache-dir` and `--no-cache` do not go together; use one')
  const repo = positionals[0] ?? '.'
  const rev = values.rev ?? 'HEAD'

  const run = await history({
    repo,
    cwd: io.cwd,
    paths: values.path ?? [],
    rev,
    ...(values.since === undefined ? {} : {since: values.since}),
    ...(values.until === undefined ? {} : {until: values.until}),
    // As for build: the folder given, else the default one (none when it has none).
    cacheDir: values['no-cache'] ? null : (values['cache-dir'] ?? defaultCacheFolder(io.cwd, io.env ?? {})),
    workers: values.workers === undefined ? defaultWorkers() : parseWorkers(values.workers),
    ...(io.env ? {env: io.env} : {}),
    ...(io.signal ? {signal: io.signal} : {})
  })
  if (!values.quiet) for (const message of run.messages) io.stderr(formatMessage(message) + '\n')
  io.stdout(emitHistory(run.history, format, {repo, rev, root: run.root, updated: run.head.date, authors: run.authors}))
  if (!values.quiet) {
    const {stats} = run
    const errors = run.messages.length === 0 ? '' : `; ${count(run.messages.length, 'error')} in past versions (printed above)`
    io.stderr(`roledoc: ${run.history.commits.length} of ${stats.commits} commits reported; ${stats.fileVersions} file versions (${stats.compiled} compiled, ${stats.cached} from the cache)${errors}\n`)
  }
  return exitCodes.ok
}
