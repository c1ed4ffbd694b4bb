/**
 * The lock that makes builds into one output folder take turns:
 * `<out>.roledoc-lock`, a small JSON file that names its holder (process
 * id, host, PID namespace, and a token for the run). It is made whole (its
 * text is written first and linked into place), refreshed while it is held
 * (its modification time set to now, at least every `lockRefreshInterval`),
 * and taken over when it is stale:
 *
 * - not refreshed for `lockStaleAfter` (its holder is gone, or stopped),
 *   wherever it was made: another host, container or PID namespace;
 * - made in this PID namespace on this host, by a process that is gone, or
 *   by this very process but not by a run that still holds it (a process
 *   id comes back: PID 1 in a container, a reused id).
 *
 * Only the driver uses it.
 */
import {randomBytes} from 'node:crypto'
import {linkSync, lstatSync, readFileSync, readlinkSync, renameSync, unlinkSync, utimesSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {UsageError} from './errors.js'

/** At least this often (ms) a held lock is refreshed. */
export const lockRefreshInterval = 1000
/** A lock not refreshed for this long (ms) is stale, and taken over. */
export const lockStaleAfter = 10_000
/** How often (ms) a run that waits for the lock looks again. */
const pollInterval = 100

/** Who holds a lock, as its file says. */
export interface LockHolder {
  pid: number
  host: string
  /** `/proc/self/ns/pid` of the holder (`pid:[4026531836]`), `null` where there is none. */
  pidNamespace: string | null
  /** Which run of that process holds it. */
  token: string
}

/** A lock this run holds. */
export interface HeldLock {
  /** Refresh the lock, if it was last refreshed `lockRefreshInterval` ago or more: cheap enough to call for each file written. */
  refresh: () => void
  /** Throw a `UsageError` when another run has taken the lock over (this one stopped refreshing it). */
  assertHeld: () => void
  release: () => void
}

/** A lock file as found: its text, when it was last refreshed, and its holder (a bare process id in an older roledoc's lock; `null` when unreadable). */
interface FoundLock {
  text: string
  mtimeMs: number
  holder: LockHolder | number | null
}

/** Tokens of the locks that runs in this process hold now. */
const heldHere = new Set<string>()

/**
 * Take `<target>.roledoc-lock`, waiting up to `timeout` ms while another
 * run holds it (aborting `signal` ends the wait: it rejects with its
 * reason); a stale lock is taken over at once. `shown` names the output
 * folder in messages.
 */
export async function acquireLock(target: string, shown: string, timeout: number, signal?: AbortSignal): Promise<HeldLock> {
  const file = `${target}.roledoc-lock`
  const token = randomBytes(8).toString('hex')
  const deadline = Date.now() + timeout
  for (;;) {
    signal?.throwIfAborted()
    if (createLock(file, token)) return holdLock(file, shown, token)
    const found = readLock(file)
    if (found === null) continue
    if (isStale(found)) {
      takeOver(file, found, token)
      continue
    }
    if (Date.now() > deadline) throw new UsageError(waitedTooLong(found, shown, timeout), {help: false})
    await new Promise((resolve) => setTimeout(resolve, pollInterval))
  }
}

/** Whether this process made `holder`'s lock in its own PID namespace, on its own host (then its process id means a process here). */
function isHere(holder: LockHolder): boolean {
  const self = ownHolder('')
  return self.pidNamespace !== null && holder.pidNamespace === self.pidNamespace && holder.host === self.host
}

function isStale(found: FoundLock, now = Date.now()): boolean {
  const {holder} = found
  if (typeof holder === 'number') {
    // An older roledoc's lock, never refreshed: a process id alone, of no known namespace.
    if (holder === process.pid || !isAlive(holder)) return true
  } else if (holder !== null && isHere(holder)) {
    if (holder.pid === process.pid) return !heldHere.has(holder.token)
    if (!isAlive(holder.pid)) return true
  }
  // A live process id may be another process's (reused, or of another namespace): the refresh tells.
  return now - found.mtimeMs > lockStaleAfter
}

/** Make the lock, whole, unless it is there; true when this run now holds it. */
function createLock(file: string, token: string): boolean {
  const text = JSON.stringify(ownHolder(token)) + '\n'
  const draft = `${file}-${token}`
  writeFileSync(draft, text, {flag: 'wx'})
  try {
    linkSync(draft, file)
    return true
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false
    // A file system without hard links: made in place (a reader may then find it empty for a moment, and waits).
    try {
      writeFileSync(file, text, {flag: 'wx'})
      return true
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code === 'EEXIST') return false
      throw again
    }
  } finally {
    unlinkSync(draft)
  }
}

/** The lock as found; `null` when it is gone. */
function readLock(file: string): FoundLock | null {
  try {
    const {mtimeMs} = lstatSync(file)
    const text = readFileSync(file, 'utf8')
    return {text, mtimeMs, holder: parseHolder(text)}
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw error
  }
}

function parseHolder(text: string): LockHolder | number | null {
  if (/^\d+\s*$/.test(text)) return Number(text)
  try {
    const value = JSON.parse(text) as Partial<Record<keyof LockHolder, unknown>> | null
    if (
      typeof value === 'object' &&
      value !== null &&
      Number.isInteger(value.pid) &&
      typeof value.host === 'string' &&
      (typeof value.pidNamespace === 'string' || value.pidNamespace === null) &&
      typeof value.token === 'string'
    ) {
      return value as LockHolder
    }
  } catch {
    // Not a lock roledoc made whole: its age alone tells whether it is stale.
  }
  return null
}

/**
 * Remove the stale lock `found`, unless another run took it over since it
 * was read: it is moved aside first (one run only can), and put back when
 * it turns out to be another.
 */
function takeOver(file: string, found: FoundLock, token: string): void {
  const aside = `${file}-stale-${token}`
  try {
    renameSync(file, aside)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return
    throw error
  }
  const moved = readLock(aside)
  if (moved && (moved.text !== found.text || moved.mtimeMs !== found.mtimeMs)) {
    try {
      linkSync(aside, file)
    } catch {
      // A third run made a lock meanwhile; the run whose lock this was finds out before it replaces anything.
    }
  }
  unlinkSync(aside)
}

function holdLock(file: string, shown: string, token: string): HeldLock {
  heldHere.add(token)
  let refreshed = Date.now()
  const refresh = (): void => {
    const now = Date.now()
    if (now - refreshed < lockRefreshInterval) return
    refreshed = now
    try {
      utimesSync(file, now / 1000, now / 1000)
    } catch {
      // Gone (taken over): `assertHeld` says so before anything is replaced.
    }
  }
  // While the run awaits; a write that does not yield refreshes as it goes.
  const timer = setInterval(refresh, lockRefreshInterval)
  timer.unref()
  const holds = (): boolean => {
    const found = readLock(file)
    return found !== null && typeof found.holder === 'object' && found.holder?.token === token
  }
  return {
    refresh,
    assertHeld() {
      if (!holds()) {
        throw new UsageError(
          `Another roledoc run took over the lock on ${shown}: this one did not refresh it for ${lockStaleAfter / 1000} s (was it stopped?). Nothing was replaced; run again`,
          {help: false}
        )
      }
    },
    release() {
      clearInterval(timer)
      heldHere.delete(token)
      if (holds()) unlinkSync(file)
    }
  }
}

function waitedTooLong(found: FoundLock, shown: string, timeout: number): string {
  const {holder} = found
  const who = holder === null ? '' : typeof holder === 'number' ? ` (process ${holder})` : ` (process ${holder.pid} on ${holder.host})`
  return (
    `Another roledoc run${who} is writing to ${shown}; waited ${timeout < 1000 ? `${timeout} ms` : `${Math.round(timeout / 1000)} s`}. Run again when it is done ` +
    `(a lock that is not refreshed for ${lockStaleAfter / 1000} s is taken over, so ${shown}.roledoc-lock need not be removed by hand)`
  )
}

let pidNamespace: string | null | undefined

/** This process as a lock names it. */
function ownHolder(token: string): LockHolder {
  if (pidNamespace === undefined) {
    try {
      pidNamespace = readlinkSync('/proc/self/ns/pid')
    } catch {
      pidNamespace = null
    }
  }
  return {pid: process.pid, host: hostname(), pidNamespace, token}
}

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
