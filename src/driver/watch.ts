/**
 * `roledoc build --watch`: which changes to the inputs call for a rebuild.
 * Folders are watched, not files (chokidar, which on Linux watches each
 * folder with inotify), so a file that an editor saves by renaming a new
 * file over it is followed like any other; so are files deleted, made
 * again or renamed. An input that goes away (deleted, renamed) is reported
 * and looked for until it comes back.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import type {FSWatcher} from 'chokidar'

export interface WatchOptions {
  /** Called once the inputs are watched. */
  onReady?: () => void
  /** Told when an input goes away or comes back, and when watching fails. */
  onNotice?: (text: string) => void
  /** How long the inputs must be still before `onChange` runs, in ms. Default: 150. */
  delay?: number
  /** How often an input that went away is looked for, in ms. Default: 500. */
  pollInterval?: number
}

/** An input as given, and where it is. */
interface Watched {
  input: string
  absolute: string
}

/**
 * Call `onChange` (once the inputs have been still for `delay` ms) whenever
 * a Markdown file under `inputs` (or a file given as an input) is added,
 * changed, removed or renamed, until `signal` aborts; resolves then, once a
 * running `onChange` is done. While an input is missing, nothing runs: the
 * input is looked for every `pollInterval` ms, and once it is back (and
 * still for `delay` ms) `onChange` runs.
 */
export async function watchInputs(inputs: readonly string[], cwd: string, onChange: () => Promise<void>, signal: AbortSignal, options: WatchOptions = {}): Promise<void> {
  // Loaded only when it runs: a build without --watch starts sooner.
  const {watch} = await import('chokidar')
  const delay = options.delay ?? 150
  const notice = options.onNotice ?? (() => {})
  const watched: Watched[] = inputs.map((input) => ({input, absolute: path.resolve(cwd, input)}))
  const roots = new Set(watched.map((item) => item.absolute))
  let watcher: FSWatcher | undefined
  let timer: NodeJS.Timeout | undefined
  let poller: NodeJS.Timeout | undefined
  let running = Promise.resolve()
  let stopped = false
  const rebuild = (): void => {
    running = running.then(onChange)
  }

  const start = async (): Promise<void> => {
    const current = watch([...roots], {ignoreInitial: true, ignored: (file) => isIgnored(path.resolve(cwd, file), roots)})
    watcher = current
    current.on('all', (event, file) => {
      if (isRelevant(event, path.resolve(cwd, file), roots)) schedule()
    })
    current.on('error', (error) => notice(`cannot watch ${inputs.join(', ')} (${error instanceof Error ? error.message : String(error)}); changes may be missed`))
    await new Promise<void>((resolve) => current.once('ready', resolve))
  }
  const schedule = (): void => {
    clearTimeout(timer)
    timer = setTimeout(settle, delay)
  }
  // Once the inputs are still: rebuild, unless one is gone (and then, unless that is known already).
  const settle = (): void => {
    if (stopped || poller !== undefined) return
    const gone = watched.filter((item) => !existsSync(item.absolute))
    if (gone.length === 0) return rebuild()
    const names = gone.map((item) => item.input).join(', ')
    notice(`${names} ${gone.length === 1 ? 'is' : 'are'} gone (deleted or renamed); waiting for ${gone.length === 1 ? 'it' : 'them'} to come back`)
    void watcher?.close()
    watcher = undefined
    poller = setInterval(() => {
      if (!watched.every((item) => existsSync(item.absolute))) return
      clearInterval(poller)
      poller = undefined
      notice(`${names} ${gone.length === 1 ? 'is' : 'are'} back`)
      // Watched again first, so that nothing written from now on is missed; built once it is still.
      running = running
        .then(start)
        .then(schedule)
        .catch((error: unknown) => notice(`cannot watch ${names} again (${error instanceof Error ? error.message : String(error)}); stop with Ctrl-C and run again`))
    }, options.pollInterval ?? 500)
  }

  await start()
  options.onReady?.()
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve()
    else signal.addEventListener('abort', () => resolve(), {once: true})
  })
  stopped = true
  clearTimeout(timer)
  clearInterval(poller)
  await running
  clearTimeout(timer)
  await watcher?.close()
}

/** Whether a change to `file` calls for a rebuild: a Markdown file, or an input itself (a file given by name, a folder gone or made). */
function isRelevant(event: string, file: string, roots: ReadonlySet<string>): boolean {
  if (roots.has(file)) return true
  return event !== 'addDir' && event !== 'unlinkDir' && file.toLowerCase().endsWith('.md')
}

/** What the build does not read: hidden entries and `node_modules`, below an input. */
function isIgnored(file: string, roots: ReadonlySet<string>): boolean {
  const name = path.basename(file)
  return (name.startsWith('.') || name === 'node_modules') && !roots.has(file)
}
