/**
 * A command's line read (its help printed when asked for; a mistyped flag
 * named with the flag meant), flag values as the commands take them, each
 * a `UsageError` when it is not one, and the options that `diff` and
 * `drift` share.
 */
import {parseArgs} from 'node:util'
import {datasetFormats, type DatasetFormat} from '../emit/dataset.js'
import {reporterNames, type ReporterName} from '../emit/reporters.js'
import {closestName} from '../emit/style.js'
import {UsageError} from '../driver/errors.js'
import type {CliIo} from './io.js'

/** A command's options as `parseArgs` takes them: each by its long name, with its short one. */
export type CommandOptions = Readonly<Record<string, {readonly type: 'string' | 'boolean'; readonly short?: string}>>

/** A command's line as `parseArgs` reads it: its options, positionals allowed, an unknown option refused. */
type CommandLine<Options extends CommandOptions> = {args: string[]; options: Options; allowPositionals: true; strict: true}

/**
 * Read `roledoc <command>`'s arguments, `argv`; `null` when they ask for
 * the command's help, which is printed. An unknown option, or one without
 * its value, is a `UsageError` that names the option, the option meant,
 * and the command's help (`main` adds it).
 */
export function readCommandLine<Options extends CommandOptions>(
  command: string,
  options: Options,
  argv: readonly string[],
  help: string,
  io: CliIo
): ReturnType<typeof parseArgs<CommandLine<Options>>> | null {
  let parsed: ReturnType<typeof parseArgs<CommandLine<Options>>>
  try {
    parsed = parseArgs<CommandLine<Options>>({args: [...argv], options, allowPositionals: true, strict: true})
  } catch (error) {
    throw usageOf(command, options, error)
  }
  if ((parsed.values as {help?: boolean}).help !== true) return parsed
  io.stdout(help)
  return null
}

/** The `UsageError` for what `parseArgs` refused, or the error itself when it is something else. */
function usageOf(command: string, options: CommandOptions, error: unknown): unknown {
  const code = error instanceof Error && 'code' in error ? String(error.code) : ''
  const message = error instanceof Error ? error.message : ''
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') return unknownOption(command, options, /'([^']*)'/.exec(message)?.[1] ?? '')
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const flag = /--[a-z][a-z-]*/.exec(message)?.[0]
    if (flag) return new UsageError(`\`${flag}\` of \`roledoc ${command}\` needs a value after it`)
  }
  return error
}

function unknownOption(command: string, options: CommandOptions, typed: string): UsageError {
  const flags = Object.keys(options).map((name) => `--${name}`)
  const [name] = typed.split('=')
  const meant = name?.startsWith('--') ? closestName(name, flags) : undefined
  const escape = typed.startsWith('-') ? ` (an input whose name starts with \`-\` goes after \`--\`: \`roledoc ${command} -- ${typed}\`)` : ''
  return new UsageError(`Unknown option \`${typed}\` of \`roledoc ${command}\`${meant === undefined ? '' : `; did you mean \`${meant}\`?`}${meant === undefined ? escape : ''}`)
}

/** `json,yaml`: some of `datasetFormats`. */
export function parseFormats(value: string): DatasetFormat[] {
  const formats = value.split(',').map((item) => item.trim()).filter((item) => item !== '')
  for (const format of formats) {
    if (!(datasetFormats as readonly string[]).includes(format)) {
      throw new UsageError(`Unknown format \`${format}\` in --formats; use some of ${datasetFormats.join(', ')}`)
    }
  }
  return formats as DatasetFormat[]
}

/** A whole number from 1 to 256. */
export function parseWorkers(value: string): number {
  const workers = Number(value)
  if (!Number.isInteger(workers) || workers < 1 || workers > 256) {
    throw new UsageError(`Expected --workers as a whole number from 1 to 256, found \`${value}\``)
  }
  return workers
}

/** `500ms`, `30s`, `1.5s`: milliseconds, at least 1. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(ms|s)$/.exec(value.trim())
  const milliseconds = match ? Math.round(Number(match[1]) * (match[2] === 's' ? 1000 : 1)) : 0
  if (milliseconds < 1) throw new UsageError(`Expected --file-timeout as a time with its unit, such as \`30s\` or \`500ms\`, found \`${value}\``)
  return milliseconds
}

/** `1048576`, `512k`, `2M`: bytes, or KiB and MiB. */
export function parseSize(value: string): number {
  const match = /^(\d+)\s*([kKmM]?)$/.exec(value.trim())
  if (!match) throw new UsageError(`Expected --max-file-size as bytes, or with k or M (\`2M\`), found \`${value}\``)
  const unit = (match[2] ?? '').toLowerCase()
  return Number(match[1]) * (unit === 'k' ? 1024 : unit === 'm' ? 1024 * 1024 : 1)
}

/** The options of a command that prints a report (`diff`, `drift`), besides its own. */
export const reportOptions = {
  format: {type: 'string', short: 'f', default: 'text'},
  'exit-code': {type: 'boolean', default: false},
  debug: {type: 'boolean', default: false},
  help: {type: 'boolean', short: 'h', default: false}
} as const

/** `--format`: one of `formats`. */
export function parseFormat<Format extends string>(value: string, formats: readonly Format[]): Format {
  if ((formats as readonly string[]).includes(value)) return value as Format
  throw new UsageError(`Unknown --format \`${value}\`; use one of ${formats.join(', ')}`)
}

/** One of `reporterNames`. */
export function parseReporter(value: string): ReporterName {
  if ((reporterNames as readonly string[]).includes(value)) return value as ReporterName
  throw new UsageError(`Unknown --reporter \`${value}\`; use one of ${reporterNames.join(', ')}`)
}
