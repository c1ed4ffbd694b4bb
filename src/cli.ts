/**
 * The command line, as a testable function: `main(argv, io)` returns the exit
 * code. `bin.ts` is the few lines that call it with the real process.
 */
import {parseArgs} from 'node:util'
import {
  build,
  checkDataset,
  countMessages,
  loadSide,
  UsageError,
  writeDataset,
  type BuildSummary,
  type LoadedSide
} from './build.js'
import {diffRecords} from './diff.js'
import {diffFormats, emitDiff, type DiffFormat} from './emit/diff.js'
import {formatMessage} from './messages.js'
import {version} from './version.js'

export interface CliIo {
  stdout: (text: string) => void
  stderr: (text: string) => void
  cwd: string
}

export const exitCodes = {ok: 0, errors: 1, failure: 2} as const

const mainHelp = `roledoc ${version}: compile Microsoft Entra role docs (Markdown) into JSON/YAML data

Usage:
  roledoc build [inputs...] [--out DIR] [--strict] [--check]
  roledoc diff OLD NEW [--format text|md|json] [--exit-code]
  roledoc --help | --version

Commands:
  build    Compile role docs into a dataset folder (or check that it is up to date)
  diff     Show what changed in meaning between two versions of the docs or datasets

Run \`roledoc <command> --help\` for the options and examples.
`

const buildHelp = `Usage: roledoc build [inputs...] [options]

Compile role docs (Markdown) into a dataset. Inputs are files or folders
(searched for *.md); the default is \`fixtures\`. A folder with a reference
page (permissions-reference.md) is joined with the role files it includes.

Options:
  -o, --out DIR   Output folder, replaced whole on success (default: out)
      --strict    Treat warnings as errors (exit 1, nothing written)
      --check     Write nothing; exit 1 and list each stale, missing or extra
                  file when DIR is not what a build would write
      --debug     Print stack traces of internal failures
  -h, --help      Show this help

Writes DIR/roles/<id>.json and .yaml, DIR/roles.json, DIR/roles.ndjson,
DIR/actions.json, DIR/actions.csv and DIR/index.json. When any error is
reported, nothing is written and the previous output stays as it was.

Exit codes: 0 clean or warnings only (with --check: up to date), 1 errors
(or warnings with --strict; with --check: out of date), 2 usage error or
internal failure.

Examples:
  roledoc build
  roledoc build docs/identity/role-based-access-control --out dataset
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
  -f, --format F  text (default), md (a pull-request comment) or json
      --exit-code Exit 1 when there are changes, 0 when there are none
      --debug     Print stack traces of internal failures
  -h, --help      Show this help

Exit codes: 0 (with --exit-code: no changes), 1 changes (with --exit-code
only), 2 usage error, a side with compile errors, or internal failure.

Examples:
  roledoc diff old/permissions-reference-folder new/permissions-reference-folder
  roledoc diff dataset docs/identity/role-based-access-control --format md
  roledoc diff old.md new.md --format json --exit-code
`

/** Run the CLI with `argv` (without `node` and the script). */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const debug = argv.includes('--debug')
  try {
    return await run(argv, io)
  } catch (error) {
    if (error instanceof UsageError || isParseArgsError(error)) {
      io.stderr(`roledoc: ${(error as Error).message}\nTry \`roledoc --help\`.\n`)
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
  throw new UsageError(`Unknown command \`${command}\`; the commands are: build, diff`)
}

async function runBuild(argv: readonly string[], io: CliIo): Promise<number> {
  const {values, positionals} = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: {type: 'string', short: 'o', default: 'out'},
      strict: {type: 'boolean', default: false},
      check: {type: 'boolean', default: false},
      debug: {type: 'boolean', default: false},
      help: {type: 'boolean', short: 'h', default: false}
    }
  })
  if (values.help) {
    io.stdout(buildHelp)
    return exitCodes.ok
  }

  const inputs = positionals.length > 0 ? positionals : ['fixtures']
  const result = await build({inputs, cwd: io.cwd})
  for (const message of result.messages) io.stderr(formatMessage(message) + '\n')

  const counts = countMessages(result.messages)
  const failed = counts.error > 0 || (values.strict && counts.warning > 0)
  io.stderr(formatSummary(result.summary, counts))
  if (failed) {
    io.stderr(`roledoc: nothing written to ${values.out}${values.strict && counts.error === 0 ? ' (warnings fail with --strict)' : ''}\n`)
    return exitCodes.errors
  }
  if (values.check) {
    const check = await checkDataset(values.out, result.dataset, io.cwd)
    const lines = [
      ...check.stale.map((name) => `stale: ${values.out}/${name}`),
      ...check.missing.map((name) => `missing: ${values.out}/${name}`),
      ...check.extra.map((name) => `extra: ${values.out}/${name}`)
    ]
    for (const line of lines) io.stdout(line + '\n')
    if (lines.length > 0) {
      io.stderr(`roledoc: ${values.out} is out of date (${count(lines.length, 'file')}); run \`roledoc build\` without --check to update it\n`)
      return exitCodes.errors
    }
    io.stderr(`roledoc: ${values.out} is up to date\n`)
    return exitCodes.ok
  }
  await writeDataset(values.out, result.dataset, io.cwd)
  io.stderr(`roledoc: wrote ${result.dataset.size} files to ${values.out}\n`)
  return exitCodes.ok
}

async function runDiff(argv: readonly string[], io: CliIo): Promise<number> {
  const {values, positionals} = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      format: {type: 'string', short: 'f', default: 'text'},
      'exit-code': {type: 'boolean', default: false},
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
    for (const message of errors) io.stderr(formatMessage(message) + '\n')
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
