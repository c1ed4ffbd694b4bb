/**
 * The driver's own errors: problems with the run itself, not with the docs
 * (exit code 2). The CLI prints their message, without a stack trace.
 */

/** A problem with the run itself: exit code 2. */
export class RunError extends Error {
  override name = 'RunError'
  /** Whether `roledoc --help` may help (not when the system refused, or another run is in the way). */
  readonly help: boolean

  constructor(message: string, options: {help?: boolean} = {}) {
    super(message)
    this.help = options.help ?? false
  }
}

/** A problem with what the run was asked to do (a missing input, an unsafe output folder, a failed system call). */
export class UsageError extends RunError {
  override name = 'UsageError'

  constructor(message: string, options: {help?: boolean} = {}) {
    super(message, {help: options.help ?? true})
  }
}

/**
 * Something roledoc read changed under it while it ran: a cache entry that
 * a rebuild reads a record's body back from, or a file it copies unchanged
 * parts from. Nothing is replaced; running again reads it afresh.
 */
export class ChangedDuringRun extends RunError {
  override name = 'ChangedDuringRun'
}

/**
 * `error` as a `UsageError` when it is a failed system call (no permission,
 * no space left, a file where a folder should be): the run cannot go on,
 * but roledoc is not at fault. The message says what failed (`doing`), the
 * system's reason, and what to do (`fix`). Anything else comes back as it is.
 */
export function asUsageError(error: unknown, doing: string, fix: string): unknown {
  return isSystemError(error) ? new UsageError(`${doing} (${error.message}); ${fix}`, {help: false}) : error
}

/** Whether `error` is a failed system call (it names the call: `open`, `mkdir`, …), not a bug. */
export function isSystemError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && typeof (error as NodeJS.ErrnoException).syscall === 'string'
}
