/**
 * What the inputs may be: a build needs Markdown to compile (an empty input
 * never replaces a dataset), and a file named on the command line follows
 * the same link rule as a folder walked.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {main, type CliIo} from '../src/cli/index.js'
import {root} from './helpers/paths.js'
import {validateIndex} from './helpers/schema.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-inputs-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(root, 'fixtures/partner-tier1-support.md'), 'utf8')

/** Run the CLI; `onStderr` sees each piece of standard error as it comes. */
async function run(argv: string[], cwd: string, io: Partial<CliIo> & {onStderr?: (text: string) => void} = {}): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const {onStderr, ...rest} = io
  const write = (text: string): void => {
    stderr += text
    onStderr?.(text)
  }
  const code = await main(argv, {stdout: (text) => (stdout += text), stderr: write, cwd, ...rest})
  return {code, stdout, stderr}
}

function project(name: string, files: Record<string, string>): string {
  const folder = path.join(work, name)
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(folder, file)), {recursive: true})
    writeFileSync(path.join(folder, file), content)
  }
  return folder
}

/** Every file under `folder`, by posix path, with its text. */
function contents(folder: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const entry of readdirSync(folder, {recursive: true, withFileTypes: true})) {
    if (!entry.isFile()) continue
    const full = path.join(entry.parentPath, entry.name)
    files[path.relative(folder, full).split(path.sep).join('/')] = readFileSync(full, 'utf8')
  }
  return files
}

describe('an input with no Markdown files', () => {
  const emptyMessage = /^roledoc: No Markdown files in empty \(hidden folders and node_modules are skipped\); pass a folder that holds role docs \(\*\.md\), or a Markdown file\n$/

  it('is a usage error (exit 2) that leaves the dataset there as it was, with build, --check and --watch', async () => {
    const base = project('empty', {'docs/role.md': seed, 'empty/notes.txt': 'not Markdown\n', 'empty/.hidden/role.md': seed, 'empty/node_modules/x/role.md': seed})
    expect((await run(['build', 'docs', '--out', 'dataset', '--no-cache'], base)).code).toBe(0)
    const before = contents(path.join(base, 'dataset'))
    expect(Object.keys(before)).toContain('roles/role.json')

    const built = await run(['build', 'empty', '--out', 'dataset', '--no-cache'], base)
    expect(built).toMatchObject({code: 2, stdout: ''})
    expect(built.stderr).toMatch(emptyMessage)
    expect(contents(path.join(base, 'dataset'))).toEqual(before)

    const checked = await run(['build', 'empty', '--out', 'dataset', '--check', '--no-cache'], base)
    expect(checked).toMatchObject({code: 2, stdout: ''})
    expect(checked.stderr).toMatch(emptyMessage)

    // Stopped as soon as it would start watching: it must not get there.
    const stop = new AbortController()
    const watched = await run(['build', 'empty', '--out', 'dataset', '--watch', '--no-cache'], base, {
      signal: stop.signal,
      onStderr: (text) => {
        if (text.includes('watching')) stop.abort()
      }
    })
    expect(watched.code).toBe(2)
    expect(stop.signal.aborted).toBe(false)
    expect(contents(path.join(base, 'dataset'))).toEqual(before)
  })

  it('is the same usage error with the cache, and when a config file names the empty input', async () => {
    const base = project('empty-config', {'docs/role.md': seed, 'roledoc.config.json': '{"inputs": ["empty"], "out": "dataset"}\n'})
    mkdirSync(path.join(base, 'empty'))
    expect((await run(['build', 'docs', '--out', 'dataset', '--cache-dir', 'cache'], base)).code).toBe(0)
    const before = contents(path.join(base, 'dataset'))
    const cached = await run(['build', 'empty', '--out', 'dataset', '--cache-dir', 'cache'], base)
    expect(cached.code).toBe(2)
    expect(cached.stderr).toMatch(emptyMessage)
    const configured = await run(['build', '--cache-dir', 'cache'], base)
    expect(configured.code).toBe(2)
    expect(configured.stderr).toMatch(emptyMessage)
    expect(contents(path.join(base, 'dataset'))).toEqual(before)
  })

  it('is an error for each empty input, also beside one that holds Markdown', async () => {
    const base = project('one-empty', {'docs/role.md': seed})
    mkdirSync(path.join(base, 'empty'))
    const result = await run(['build', 'docs', 'empty', '--out', 'dataset', '--no-cache'], base)
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(emptyMessage)
    expect(readdirSync(base)).toEqual(['docs', 'empty'])
  })
})

describe('a file named on the command line that is a symbolic link', () => {
  it('is not read when it leads out of its folder, as in a folder walked: reported, skipped, kept out of the dataset', async () => {
    const base = project('file-link', {'g/role.md': seed, 'elsewhere/secret.md': seed.replace('Partner Tier1 Support', 'Secret Role')})
    symlinkSync(path.join(base, 'elsewhere/secret.md'), path.join(base, 'g/zz.md'))
    const message = 'g/zz.md:1:1  info  g/zz.md is a symbolic link to a place outside the input root; it is not read  include-outside-root'
    const built = async (inputs: string[], out: string): Promise<string> => {
      const result = await run(['build', ...inputs, '--out', out, '--no-cache'], base)
      expect(result.code).toBe(0)
      expect(result.stderr).toContain(message)
      expect(result.stderr).toContain('roledoc: 2 files read: 1 role, 0 fragments, 0 reference pages, 1 skipped\n')
      return Object.values(contents(path.join(base, out))).join('')
    }
    const walked = await built(['g'], 'walked')
    const named = await built(['g/role.md', 'g/zz.md'], 'named')
    for (const dataset of [walked, named]) {
      expect(dataset).toContain('Partner Tier1 Support')
      expect(dataset).not.toContain('Secret Role')
    }
  })

  it('is read when it leads to a file inside its folder', async () => {
    const base = project('file-link-inside', {'g/sub/role.md': seed})
    symlinkSync(path.join(base, 'g/sub/role.md'), path.join(base, 'g/alias.md'))
    const result = await run(['build', 'g/alias.md', '--out', 'out', '--no-cache'], base)
    expect(result.code).toBe(0)
    const record = JSON.parse(readFileSync(path.join(base, 'out/roles/alias.json'), 'utf8')) as {name: string; source: {path: string}}
    expect(record.name).toBe('Partner Tier1 Support')
    expect(record.source.path).toBe('alias.md')
  })
})

describe('the working folder', () => {
  it('changes no byte of the output: index.json names the inputs, and the Changes view names its sides, without paths', async () => {
    const base = project('cwd', {'repo/docs/role.md': seed, 'repo/extra/other.md': seed.replace('Partner Tier1 Support', 'Other Role'), 'old/role.md': seed.replace('Partner Tier1 Support', 'Old Name')})
    const repo = path.join(base, 'repo')
    const since = path.join(base, 'old')
    // The same inputs and output folders, from the repository, from a folder inside it, and from outside it (absolute paths).
    const runs: Array<[cwd: string, inputs: string[], out: string]> = [
      [repo, ['docs', 'extra/other.md'], 'data-1'],
      [path.join(repo, 'docs'), ['.', '../extra/other.md'], '../data-2'],
      [tmpdir(), [path.join(repo, 'docs'), path.join(repo, 'extra/other.md')], path.join(repo, 'data-3')]
    ]
    for (const [cwd, inputs, out] of runs) {
      const result = await run(['build', ...inputs, '--out', out, '--site', '--since', since, '--no-cache'], cwd)
      expect(result.code, result.stderr).toBe(0)
    }
    const [first, second, third] = ['data-1', 'data-2', 'data-3'].map((name) => contents(path.join(repo, name)))
    const index = JSON.parse(first?.['index.json'] ?? '') as {inputs: string[]}
    expect(index.inputs).toEqual(['docs', 'other.md'])
    expect(validateIndex(index), JSON.stringify(validateIndex.errors)).toBe(true)
    // Each output's own name differs (`data-1` …) and the page names it: compare the pages with it masked.
    // manifest.json lists the page's SHA-256, which that name changes: compared without it.
    const siteHash = /("path": "site\/index\.html",\n\s*"size": \d+,\n\s*"sha256": )"[\da-f]{64}"/
    const masked = (files: Record<string, string> | undefined, out: string) =>
      Object.fromEntries(
        Object.entries(files ?? {}).map(([name, text]) => [name, text.replaceAll(`<code>${out}</code>`, '<code>OUT</code>').replaceAll(JSON.stringify(out), '"OUT"').replace(siteHash, '$1"SITE"')])
      )
    expect(masked(second, 'data-2')).toEqual(masked(first, 'data-1'))
    expect(masked(third, 'data-3')).toEqual(masked(first, 'data-1'))
    for (const files of [first, second, third]) {
      const all = Object.values(files ?? {}).join('')
      expect(all).not.toContain(work)
      expect(all).not.toContain(tmpdir())
      expect(all).toContain('Old Name')
    }
    expect(first?.['site/index.html']).toContain('"old":"old"')

    // --check from another folder finds the dataset up to date.
    const checked = await run(['build', '.', '../extra/other.md', '--out', '../data-1', '--site', '--since', '../../old', '--check', '--no-cache'], path.join(repo, 'docs'))
    expect(checked.stderr).not.toMatch(/stale|missing|extra:/)
    expect(checked.code, checked.stderr).toBe(0)
  })
})
