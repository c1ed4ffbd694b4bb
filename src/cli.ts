/**
 * The command line, as a testable function: `main(argv, io)` returns the exit
 * code. `bin.ts` is the few lines that call it with the real process.
 */
import {parseArgs} from 'node:util'
import {build, countMessages, UsageError, writeDataset, type BuildSummary} from './build.js'
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
  roledoc build [inputs...] [--out DIR] [--strict]
  roledoc --help | --version

Commands:
  build    Compile role include files into DIR/roles/<id>.json, .yaml and DIR/index.json

Run \`roledoc build --help\` for the options and examples.
`

const buildHelp = `Usage: roledoc build [inputs...] [options]

Compile role include files (Markdown) into a dataset. Inputs are files or
folders (searched for *.md); the default is \`fixtures\`.

Options:
  -o, --out DIR   Output folder, replaced whole on success (default: out)
      --strict    Treat warnings as errors (exit 1, nothing written)
      --debug     Print stack traces of internal failures
  -h, --help      Show this help

Writes DIR/roles/<id>.json, DIR/roles/<id>.yaml and DIR/index.json. When any
error is reported, nothing is written and the previous output stays as it was.

Exit codes: 0 clean or warnings only, 1 errors (or warnings with --strict),
2 usage error or internal failure.

Examples:
  roledoc build
  roledoc build docs/identity/role-based-access-control/includes --out data
  roledoc build partner-tier1-support.md --out seed-out --strict
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
  throw new UsageError(`Unknown command \`${command}\`; the commands are: build`)
}

async function runBuild(argv: readonly string[], io: CliIo): Promise<number> {
  const {values, positionals} = parseArgs({
    args: [...argv],
    allowPositionals: true,
    strict: true,
    options: {
      out: {type: 'string', short: 'o', default: 'out'},
      strict: {type: 'boolean', default: false},
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
  await writeDataset(values.out, result.dataset, io.cwd)
  io.stderr(`roledoc: wrote ${result.dataset.size} files to ${values.out}\n`)
  return exitCodes.ok
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
