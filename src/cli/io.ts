/**
 * What every command of the CLI shares: where it prints (`CliIo`, which
 * tests give instead of the process), its exit codes, and how it prints
 * diagnostics.
 */
import type {VFileMessage} from 'vfile-message'
import {formatMessages, type ReporterName} from '../emit/reporters.js'

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

/** Print diagnostics (only errors when `quiet`): `stylish` to stderr, `json` and `github` to stdout. */
export function printMessages(messages: readonly VFileMessage[], reporter: ReporterName, quiet: boolean, io: CliIo): void {
  const shown = quiet ? messages.filter((message) => message.fatal === true) : messages
  const color = io.stderrIsTTY === true && !io.env?.['NO_COLOR']
  const text = formatMessages(shown, reporter, {color})
  if (reporter === 'stylish') io.stderr(text)
  else io.stdout(text)
}
