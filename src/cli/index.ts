/**
 * The command line, as a testable function: `main(argv, io)` returns the
 * exit code. `bin.ts` is the few lines that call it with the real process.
 * Each command is a module of this folder that parses its arguments, makes
 * one call to the driver and prints what it returns.
 */
import process from 'node:process'
import {RunError, UsageError} from '../driver/errors.js'
import {version} from '../package.js'
import {runBuildCommand} from './build.js'
import {runDiff} from './diff.js'
import {exitCodes, Interrupted, type CliIo} from './io.js'
import {closestName} from '../emit/style.js'

export {exitCodes, Interrupted, type CliIo} from './io.js'

const mainHelp = `roledoc ${version}: compile Microsoft Entra role docs (Markdown) into JSON/YAML data

Usage:
  roledoc build [inputs...] [--out DIR] [--strict] [--check]
  roledoc diff OLD NEW [--format text|md|json] [--exit-code]
  roledoc drift --graph FILE DOCS [--format text|md|json] [--exit-code]
  roledoc history [REPO] [--path P]... [--since DATE] [--until DATE] [--rev REV] [--format text|md|json|atom]
  roledoc --help | --version

Commands:
  build    Compile role docs into a dataset folder (or check that it is up to date)
  diff     Show what changed in meaning between two versions of the docs or datasets
  drift    Compare the docs with a Microsoft Graph export of the role definitions
  history  Show what each commit of a git repository changed in the role reference

Run \`roledoc <command> --help\` for the options and examples.
`

/** The commands, as `run` dispatches them. */
const commands = ['build', 'diff', 'drift', 'history']

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
    if (error instanceof RunError || isParseArgsError(error)) {
      // The help of the command that was run, if it is one.
      const command = commands.includes(argv[0] ?? '') ? `roledoc ${argv[0]}` : 'roledoc'
      const help = error instanceof RunError && !error.help ? '' : `Try \`${command} --help\`.\n`
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
  if (command === 'build') return runBuildCommand(rest, io)
  if (command === 'diff') return runDiff(rest, io)
  // Loaded only when it runs, as is the explorer page's code: a build starts sooner.
  if (command === 'drift') return (await import('./drift.js')).runDrift(rest, io)
  if (command === 'history') return (await import('./history.js')).runHistory(rest, io)
  const meant = closestName(command, commands)
  const list = `the commands are ${commands.join(', ')}`
  throw new UsageError(`Unknown command \`${command}\`; ${meant === undefined ? list : `did you mean \`${meant}\`? (${list})`}`)
}

function isParseArgsError(error: unknown): boolean {
  return error instanceof Error && 'code' in error && String(error.code).startsWith('ERR_PARSE_ARGS')
}
