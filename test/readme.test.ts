/**
 * The README is short, in the unified order, and shows what `npm start`
 * really prints. What it shares with the pages in docs/ (examples, links,
 * scripts, options) is checked in test/docs.test.ts.
 */
import {cpSync, mkdtempSync, readFileSync, rmSync, statSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import {codeBlock, headings, readPage} from './helpers/docs.js'
import {fixtures, root} from './helpers/paths.js'

const readme = readPage('README.md')
const work = mkdtempSync(path.join(tmpdir(), 'roledoc-readme-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

it('is at most 25,000 bytes', () => {
  expect(statSync(path.join(root, 'README.md')).size).toBeLessThanOrEqual(25_000)
})

it('has its sections in the unified order', () => {
  expect(headings(readme, 1)).toEqual(['roledoc'])
  expect(headings(readme, 2)).toEqual([
    'When should I use this?',
    'Install',
    'Use',
    'CLI',
    'API',
    'Output',
    'Diagnostics',
    'Exit codes',
    'Performance',
    'Security and reliability',
    'Related projects',
    'License'
  ])
})

it('shows exactly what `npm start` prints', async () => {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts
  const command = /&& node dist\/bin\.js (.*)$/.exec(scripts['start'] ?? '')?.[1]
  expect(command).toBe('build fixtures --out out')
  cpSync(fixtures, path.join(work, 'fixtures'), {recursive: true})
  let stderr = ''
  let stdout = ''
  const code = await main([...(command ?? '').split(' '), '--no-cache'], {stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: work})
  expect(code).toBe(0)
  expect(stdout).toBe('')
  const shown = codeBlock(readme, 'text', (value) => value.startsWith('roledoc: 2 files read'))
  expect(stderr).toBe(shown + '\n')
  // The summary's figures are facts a reader can check in fixtures/ and out/.
  const index = JSON.parse(readFileSync(path.join(root, 'out/index.json'), 'utf8')) as {totals: {roles: number; permissions: number; privilegedPermissions: number}}
  expect(shown).toContain(`${index.totals.roles} roles`)
  expect(shown).toContain(`${index.totals.permissions} permissions, ${index.totals.privilegedPermissions} privileged`)
  const manifest = JSON.parse(readFileSync(path.join(root, 'out/manifest.json'), 'utf8')) as {files: unknown[]}
  expect(shown).toContain(`wrote ${manifest.files.length + 1} files to out`)
})
