/**
 * Run before each test file (vitest `setupFiles`): a build run outside a
 * Node project (as in every temporary folder of the tests) caches in the
 * user's cache folder, `$XDG_CACHE_HOME/roledoc`. Each test file gets its
 * own, in a temporary folder, so that no test writes into the real home
 * folder, and test files never share (or prune) each other's cache. Child
 * processes inherit it.
 */
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll} from 'vitest'

const home = mkdtempSync(path.join(tmpdir(), 'roledoc-cache-home-'))
process.env['XDG_CACHE_HOME'] = home
afterAll(() => rmSync(home, {recursive: true, force: true}))
