/**
 * Compiling files on worker threads, where a file that takes too long or
 * too much memory can be stopped: the Markdown parser is synchronous, so
 * only terminating its thread interrupts it, and the main thread stays free
 * to answer a signal.
 *
 * Each worker compiles the files it is sent one at a time and answers each
 * as it is done (`worker.ts`). The file at the head of a worker's queue has
 * `fileTimeout` ms from when the worker starts it: when the worker said it
 * is ready, or answered the file before. A file that runs over, or whose
 * compile fills the worker's heap (`heapMb`), is handed to `overran`; its
 * worker is terminated and replaced, and the files queued behind it go to
 * the next worker. Aborting `signal` terminates every worker at once.
 *
 * Not tinypool: it runs a task that can be aborted alone on its worker,
 * and could time a task only from when it was queued, not from when a
 * worker started it.
 */
import {availableParallelism} from 'node:os'
import {Worker} from 'node:worker_threads'
import {VFile} from 'vfile'
import type {LooseCompiledFile} from '../compile/compile.js'
import {report} from '../compile/messages.js'
import type {SerializedCompiled} from './serialize.js'
import type {CompileTask, WorkerReply} from '../worker.js'

/**
 * Default `fileTimeout`, in milliseconds: the time one file may take to
 * compile (`file-timeout`). It is wall-clock time, so it leaves room for a
 * realistic 1 MiB table on a busy machine (timings in
 * `test/bench/HISTORY.md`); Markdown that takes the parser minutes is
 * stopped after this.
 */
export const defaultFileTimeout = 30_000

/**
 * The heap (V8's old generation) a compile worker may use, in MiB
 * (`file-out-of-memory`): several times what a realistic file of the
 * largest size allowed needs (`test/bench/HISTORY.md`), far less than a
 * hostile one would take.
 */
export const workerHeapMb = 512

/**
 * How many compile threads a build starts when it is not told
 * (`--workers`): one fewer than the cores Node may use here, and at least
 * one. The main thread keeps a core of its own: it reads the inputs and
 * writes the dataset while the threads compile, and two threads that parse
 * on two cores beside it were no faster than one (`test/bench/HISTORY.md`).
 */
export function defaultWorkers(parallelism = availableParallelism()): number {
  return Math.max(1, parallelism - 1)
}

/** Which limit a file ran over. */
export type Overrun = 'time' | 'memory'

export interface CompileJobs<T> {
  items: readonly T[]
  /** The task for `item`, read only now; `null` when there is nothing to compile (the caller has dealt with it). */
  load: (item: T) => CompileTask | null
  done: (item: T, result: SerializedCompiled) => void | Promise<void>
  overran: (item: T, limit: Overrun) => void
}

export interface ThreadOptions {
  /** Worker threads to start (fewer when there are fewer items). */
  threads: number
  /** The worker's script (`dist/worker.js`). */
  script: URL
  /** Milliseconds a file may take to compile. */
  fileTimeout: number
  /** The heap (old generation) each worker may use, in MiB. */
  heapMb: number
  /** Aborting it terminates every worker; the promise rejects with its reason. */
  signal?: AbortSignal | undefined
}

/** Compile every item of `jobs` on worker threads; resolves when each is done or overran. */
export function compileOnThreads<T>(jobs: CompileJobs<T>, options: ThreadOptions): Promise<void> {
  return new ThreadPool(jobs, options).run()
}

/** The longest delay `setTimeout` takes (about 24.8 days); a longer one would fire at once. */
const longestTimer = 2 ** 31 - 1

/** Files sent to a worker besides the one it compiles, so that it never waits for the main thread. */
const queuedAhead = 2

interface Thread<T> {
  worker: Worker
  /** The items sent, in order, with their tasks; the first is compiling once the worker is `ready`. */
  queue: Array<{item: T; task: CompileTask}>
  ready: boolean
  timer: NodeJS.Timeout | undefined
}

class ThreadPool<T> {
  private readonly threads = new Set<Thread<T>>()
  /** Items a terminated worker had queued: sent again first. */
  private readonly retry: Array<{item: T; task: CompileTask}> = []
  private next = 0
  /** What `done` returned, awaited before the pool resolves. */
  private readonly settling: Array<Promise<void>> = []
  private outcome: {resolve: () => void; reject: (error: unknown) => void} | undefined
  private stopped = false
  private readonly onAbort = (): void => this.fail(this.options.signal?.reason)

  constructor(
    private readonly jobs: CompileJobs<T>,
    private readonly options: ThreadOptions
  ) {}

  run(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.outcome = {resolve, reject}
      const {signal} = this.options
      if (signal?.aborted) return this.fail(signal.reason)
      signal?.addEventListener('abort', this.onAbort, {once: true})
      const count = Math.min(this.options.threads, this.jobs.items.length)
      for (let index = 0; index < count; index++) this.startThread()
      this.finishIfDone()
    })
  }

  private startThread(): void {
    const worker = new Worker(this.options.script, {resourceLimits: {maxOldGenerationSizeMb: this.options.heapMb}})
    const thread: Thread<T> = {worker, queue: [], ready: false, timer: undefined}
    this.threads.add(thread)
    worker.on('message', (reply: WorkerReply) => this.onReply(thread, reply))
    worker.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY' && thread.queue.length > 0) this.overrun(thread, 'memory')
      else this.fail(error)
    })
    worker.on('exit', (code) => {
      // A worker this pool did not stop.
      if (this.threads.has(thread)) this.fail(new Error(`a compile worker stopped unexpectedly (exit code ${code})`))
    })
    this.fill(thread)
  }

  private onReply(thread: Thread<T>, reply: WorkerReply): void {
    if (this.stopped || !this.threads.has(thread)) return
    if (reply.type === 'ready') {
      thread.ready = true
    } else {
      const sent = thread.queue.shift()
      if (!sent) return this.fail(new Error('a compile worker answered a file it was not sent'))
      const settled = Promise.resolve().then(() => this.jobs.done(sent.item, JSON.parse(reply.json) as SerializedCompiled))
      settled.catch((error: unknown) => this.fail(error))
      this.settling.push(settled)
      this.fill(thread)
    }
    this.arm(thread)
    this.finishIfDone()
  }

  /** Send `thread` files until it has one compiling and `queuedAhead` waiting. */
  private fill(thread: Thread<T>): void {
    while (thread.queue.length <= queuedAhead) {
      const sent = this.take()
      if (!sent) return
      thread.queue.push(sent)
      thread.worker.postMessage(sent.task)
      if (thread.queue.length === 1) this.arm(thread)
    }
  }

  private take(): {item: T; task: CompileTask} | undefined {
    const again = this.retry.shift()
    if (again) return again
    while (this.next < this.jobs.items.length) {
      const item = this.jobs.items[this.next++] as T
      const task = this.jobs.load(item)
      if (task) return {item, task}
    }
    return undefined
  }

  /** Time the file that `thread` compiles now, if it compiles one. */
  private arm(thread: Thread<T>): void {
    clearTimeout(thread.timer)
    thread.timer = thread.ready && thread.queue.length > 0 ? setTimeout(() => this.overrun(thread, 'time'), Math.min(this.options.fileTimeout, longestTimer)) : undefined
  }

  /** The file `thread` compiles ran over `limit`: report it, stop the thread, and hand what it had queued to another. */
  private overrun(thread: Thread<T>, limit: Overrun): void {
    if (this.stopped || !this.threads.has(thread)) return
    const [stuck, ...queued] = thread.queue
    this.stop(thread)
    if (stuck) this.jobs.overran(stuck.item, limit)
    this.retry.unshift(...queued)
    if (this.retry.length > 0 || this.next < this.jobs.items.length) this.startThread()
    this.finishIfDone()
  }

  private stop(thread: Thread<T>): void {
    clearTimeout(thread.timer)
    this.threads.delete(thread)
    void thread.worker.terminate()
  }

  private finishIfDone(): void {
    if (this.stopped || this.retry.length > 0 || this.next < this.jobs.items.length) return
    for (const thread of this.threads) if (thread.queue.length > 0) return
    this.end()
    const outcome = this.outcome
    Promise.all(this.settling).then(() => outcome?.resolve(), outcome?.reject)
  }

  private fail(error: unknown): void {
    if (this.stopped) return
    this.end()
    this.outcome?.reject(error)
  }

  /** Stop every worker and stop listening: nothing more is sent or taken. */
  private end(): void {
    this.stopped = true
    this.options.signal?.removeEventListener('abort', this.onAbort)
    for (const thread of this.threads) this.stop(thread)
  }
}

/** The file shown as `display`, which ran over `limit`, as compiled: skipped, with an error that says which limit and what to do. */
export function overrunFile(display: string, limit: Overrun, limits: {fileTimeout: number; heapMb: number}): LooseCompiledFile {
  const file = new VFile({path: display})
  if (limit === 'time') {
    report(
      file,
      'file-timeout',
      `The file took longer than ${formatDuration(limits.fileTimeout)} to compile and was stopped: a very large file, or Markdown such as long runs of unclosed \`*\`, \`_\`, \`~\` or \`[\` or many thousands of headings or callouts, makes the parser this slow. Split or simplify the file, or raise --file-timeout`,
      {line: 1, column: 1},
      {expected: [`at most ${formatDuration(limits.fileTimeout)}`]}
    )
  } else {
    report(
      file,
      'file-out-of-memory',
      `Compiling the file took more than the ${limits.heapMb} MiB of memory a compile thread may use, and was stopped; split or simplify the file`,
      {line: 1, column: 1},
      {expected: [`at most ${limits.heapMb} MiB`]}
    )
  }
  return {kind: 'skipped', record: null, reference: null, messages: [...file.messages], file}
}

/** `10 s`, `0.25 s`. */
export function formatDuration(milliseconds: number): string {
  return `${Number((milliseconds / 1000).toFixed(3))} s`
}
