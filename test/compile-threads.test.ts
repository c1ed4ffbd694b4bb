/**
 * How a build uses its compile threads (issue #26): without `--workers` it
 * starts one fewer than the available cores, at least one, so that the
 * main thread keeps a core for reading and writing; and a worker answers
 * each file with its result as JSON text, one string, which crosses to the
 * main thread as bytes instead of being cloned an object at a time. Nothing
 * here is timed: the tests check what is started and what is sent.
 */
import {spawn} from 'node:child_process'
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {availableParallelism, tmpdir} from 'node:os'
import path from 'node:path'
import {Worker} from 'node:worker_threads'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {compileFile} from '../src/compile/compile.js'
import {serializeCompiled} from '../src/driver/serialize.js'
import {defaultWorkers} from '../src/driver/threads.js'
import {workerScript} from '../src/package.js'
import type {CompileTask, WorkerReply} from '../src/worker.js'
import {fixtures, root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-threads-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(fixtures, 'partner-tier1-support.md'), 'utf8')

describe('the default number of compile threads', () => {
  it('is one fewer than the available cores, and at least one', () => {
    expect([1, 2, 3, 4, 16].map((cores) => defaultWorkers(cores))).toEqual([1, 1, 2, 3, 15])
    expect(defaultWorkers()).toBe(Math.max(1, availableParallelism() - 1))
  })

  it('is how many `roledoc build` starts without --workers, for 500 files to compile', {timeout: 120_000}, async () => {
    // 500 files: the fewest that a build compiles on more than one thread.
    const base = path.join(work, 'default')
    mkdirSync(path.join(base, 'docs'), {recursive: true})
    for (let index = 0; index < 500; index++) {
      writeFileSync(path.join(base, 'docs', `role-${index}.md`), seed.replace('Partner Tier1 Support', `Role ${index}`))
    }
    // test/helpers/hooks.mjs says `hook: compile worker started` in each worker thread.
    const child = spawn(process.execPath, ['--import', path.join(root, 'test/helpers/hooks.mjs'), path.join(root, 'dist/bin.js'), 'build', 'docs', '--out', 'out', '--no-cache', '--quiet'], {cwd: base})
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
    expect(code, stderr).toBe(0)
    expect(stderr.split('hook: compile worker started').length - 1).toBe(Math.max(1, availableParallelism() - 1))
  })
})

describe('a compile worker', () => {
  it('answers each file with its compiled result as JSON text', async () => {
    const bytes = new TextEncoder().encode(seed)
    const task: CompileTask = {display: 'docs/role.md', sourcePath: 'role.md', bytes, maxFileSize: 1 << 20}
    const worker = new Worker(workerScript)
    try {
      const replies: WorkerReply[] = []
      const done = new Promise<void>((resolve, reject) => {
        worker.on('error', reject)
        worker.on('message', (reply: WorkerReply) => {
          replies.push(reply)
          if (reply.type === 'done') resolve()
        })
      })
      worker.postMessage(task)
      await done
      expect(replies.map((reply) => reply.type)).toEqual(['ready', 'done'])
      const answer = replies[1] as Extract<WorkerReply, {type: 'done'}>
      expect(Object.keys(answer)).toEqual(['type', 'json'])
      expect(typeof answer.json).toBe('string')
      const expected = serializeCompiled(compileFile(new VFile({path: task.display, value: bytes}), {sourcePath: 'role.md', maxFileSize: 1 << 20}))
      expect(JSON.parse(answer.json)).toEqual(JSON.parse(JSON.stringify(expected)))
      expect(JSON.parse(answer.json)).toMatchObject({kind: 'role', record: {id: 'role', source: {path: 'role.md'}}})
    } finally {
      await worker.terminate()
    }
  })
})
