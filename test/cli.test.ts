/**
 * The CLI: `main(argv, io)` for exit codes and messages, and the installed
 * `roledoc` bin (dist/, built by `prepare` and `pretest`) as a user runs it.
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import {corpus, root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-cli-'))
afterAll(() => {
  spawnSync('rm', ['-rf', work])
})

async function run(argv: string[], cwd = work): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd})
  return {code, stdout, stderr}
}

function folderWith(name: string, files: Record<string, string>): string {
  const folder = path.join(work, name)
  mkdirSync(folder, {recursive: true})
  for (const [file, content] of Object.entries(files)) writeFileSync(path.join(folder, file), content)
  return folder
}

const seed = path.resolve(corpus, '../seeds/partner-tier1-support.md')
const fixture = (name: string): string => readFileSync(path.join(root, 'test/fixtures', name, 'input.md'), 'utf8')

describe('roledoc CLI', () => {
  it('prints help and version', async () => {
    const help = await run(['--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toContain('roledoc build [inputs...] [--out DIR] [--strict]')
    const buildHelp = await run(['build', '--help'])
    expect(buildHelp.code).toBe(0)
    expect(buildHelp.stdout).toContain('Examples:')
    const version = await run(['--version'])
    expect(version.stdout).toBe(`${(JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string}).version}\n`)
  })

  it('exits 2 with a hint on an unknown command, an unknown flag or a missing input: the help of the command run', async () => {
    for (const [argv, help] of [
      [['frobnicate'], 'roledoc --help'],
      [['build', '--frobnicate'], 'roledoc build --help'],
      [['build', 'no/such/file.md'], 'roledoc build --help'],
      [['diff', '--frobnicate'], 'roledoc diff --help'],
      [['drift', '--graph', 'x.json', 'd', '--frobnicate'], 'roledoc drift --help'],
      [['history', '--frobnicate'], 'roledoc history --help']
    ] as const) {
      const result = await run([...argv])
      expect(result.code, argv.join(' ')).toBe(2)
      expect(result.stderr).toMatch(new RegExp(`^roledoc: .+\\nTry \`${help}\`\\.\\n$`))
    }
  })

  it('suggests the option meant for a mistyped one, for each command', async () => {
    const cases = [
      [['build', '--outt', 'data'], 'Unknown option `--outt` of `roledoc build`; did you mean `--out`?'],
      [['build', '--stict'], 'Unknown option `--stict` of `roledoc build`; did you mean `--strict`?'],
      [['build', '--no-cahce'], 'Unknown option `--no-cahce` of `roledoc build`; did you mean `--no-cache`?'],
      [['build', '--Quiet'], 'Unknown option `--Quiet` of `roledoc build`; did you mean `--quiet`?'],
      [['diff', 'a', 'b', '--fromat', 'md'], 'Unknown option `--fromat` of `roledoc diff`; did you mean `--format`?'],
      [['drift', '--grahp', 'g.json', 'docs'], 'Unknown option `--grahp` of `roledoc drift`; did you mean `--graph`?'],
      [['history', '.', '--sinse', '2024-01-01'], 'Unknown option `--sinse` of `roledoc history`; did you mean `--since`?']
    ] as const
    for (const [argv, message] of cases) {
      const result = await run([...argv])
      expect(result.code, argv.join(' ')).toBe(2)
      expect(result.stderr).toBe(`roledoc: ${message}\nTry \`roledoc ${argv[0]} --help\`.\n`)
    }
  })

  it('says how to pass an input that starts with `-` when no option is near, with balanced quotes', async () => {
    const result = await run(['build', '--frobnicate'])
    expect(result.stderr).toBe('roledoc: Unknown option `--frobnicate` of `roledoc build` (an input whose name starts with `-` goes after `--`: `roledoc build -- --frobnicate`)\nTry `roledoc build --help`.\n')
    expect(result.stderr).not.toContain("'")
  })

  it('names an option given without its value', async () => {
    const result = await run(['build', 'fixtures', '--out'])
    expect(result.stderr).toBe('roledoc: `--out` of `roledoc build` needs a value after it\nTry `roledoc build --help`.\n')
  })

  it('suggests the command meant for a mistyped one', async () => {
    const typo = await run(['biuld', 'fixtures'])
    expect(typo.code).toBe(2)
    expect(typo.stderr).toBe('roledoc: Unknown command `biuld`; did you mean `build`? (the commands are build, diff, drift, history)\nTry `roledoc --help`.\n')
    const drift = await run(['drfit'])
    expect(drift.stderr).toContain('did you mean `drift`?')
    const far = await run(['frobnicate'])
    expect(far.stderr).toBe('roledoc: Unknown command `frobnicate`; the commands are build, diff, drift, history\nTry `roledoc --help`.\n')
  })

  it('warns when it cannot write the cache, and still builds the dataset whole (exit 0)', async () => {
    const folder = folderWith('cache-refused', {'role.md': readFileSync(seed, 'utf8'), taken: 'a file\n'})
    const result = await run(['build', 'role.md', '--out', 'out', '--cache-dir', 'taken/cache'], folder)
    expect(result.code).toBe(0)
    expect(result.stderr).toMatch(
      /^roledoc: could not write the cache in taken\/cache \((EEXIST|ENOTDIR): [^)]*\); the next build compiles every file again\. Make the folder writable, choose another --cache-dir, or pass --no-cache$/m
    )
    expect(result.stderr).toContain('roledoc: wrote 9 files to out\n')
    expect(readdirSync(path.join(folder, 'out')).sort()).toEqual(['actions.csv', 'actions.json', 'fragments.json', 'index.json', 'manifest.json', 'roles', 'roles.json', 'roles.ndjson'].sort())
    // With a cache it can write, no warning.
    const fine = await run(['build', 'role.md', '--out', 'out', '--cache-dir', 'cache'], folder)
    expect(fine.code).toBe(0)
    expect(fine.stderr).not.toContain('could not write the cache')
  })

  it('builds the seed into --out with index.json and the record in JSON and YAML', async () => {
    const result = await run(['build', seed, '--out', 'seed-out'])
    expect(result.code).toBe(0)
    expect(result.stderr).toBe(
      'roledoc: 1 file read: 1 role, 0 fragments, 0 reference pages\n' +
        'roledoc: 40 permissions, 9 privileged\n' +
        'roledoc: 0 errors, 0 warnings\n' +
        'roledoc: wrote 9 files to seed-out\n'
    )
    expect(readdirSync(path.join(work, 'seed-out/roles')).sort()).toEqual(['partner-tier1-support.json', 'partner-tier1-support.yaml'])
    expect(readdirSync(path.join(work, 'seed-out')).sort()).toEqual([
      'actions.csv', 'actions.json', 'fragments.json', 'index.json', 'manifest.json', 'roles', 'roles.json', 'roles.ndjson'
    ])
    const index = JSON.parse(readFileSync(path.join(work, 'seed-out/index.json'), 'utf8')) as {roles: unknown; totals: unknown}
    expect(index.totals).toEqual({files: 1, roles: 1, fragments: 0, permissions: 40, privilegedPermissions: 9, distinctActions: 40})
    expect(index.roles).toEqual([
      {
        id: 'partner-tier1-support',
        name: 'Partner Tier1 Support',
        templateId: null,
        privileged: true,
        deprecated: true,
        permissionCount: 40,
        privilegedPermissionCount: 9
      }
    ])
    const record = JSON.parse(readFileSync(path.join(work, 'seed-out/roles/partner-tier1-support.json'), 'utf8')) as {source: {path: string}}
    expect(record.source.path).toBe('partner-tier1-support.md')
  })

  it('exits 1 on errors, prints path:line:column, and leaves the previous output as it was', async () => {
    const good = folderWith('good', {'role.md': readFileSync(seed, 'utf8')})
    expect((await run(['build', good, '--out', 'kept'])).code).toBe(0)
    const before = readFileSync(path.join(work, 'kept/roles/role.json'), 'utf8')

    folderWith('bad', {'role.md': fixture('malformed-action')})
    const result = await run(['build', 'bad', '--out', 'kept'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('bad/role.md:14:3  error  Expected an action such as')
    expect(result.stderr).toContain('  malformed-action\n')
    expect(result.stderr).toContain('nothing written to kept')
    expect(readFileSync(path.join(work, 'kept/roles/role.json'), 'utf8')).toBe(before)
    expect(readdirSync(work).filter((name) => name.includes('roledoc-'))).toEqual([])
  })

  it('exits 0 on warnings, 1 on warnings with --strict', async () => {
    folderWith('warn', {'role.md': fixture('missing-autogenerated-marker')})
    const lenient = await run(['build', 'warn', '--out', 'warn-out'])
    expect(lenient.code).toBe(0)
    expect(lenient.stderr).toContain('warn/role.md:10:1  warning  ')
    const strict = await run(['build', 'warn', '--out', 'warn-strict-out', '--strict'])
    expect(strict.code).toBe(1)
    expect(existsSync(path.join(work, 'warn-strict-out'))).toBe(false)
  })

  it('reports two inputs with the same id as duplicate-id', async () => {
    folderWith('one', {'same.md': readFileSync(seed, 'utf8')})
    folderWith('two', {'same.md': readFileSync(seed, 'utf8')})
    const result = await run(['build', 'one', 'two', '--out', 'dup-out'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('two/same.md:1:1  error  Record id `same` is also produced by one/same.md')
    expect(result.stderr).toContain('roledoc: 2 files read: 1 role, 0 fragments, 0 reference pages\n')
  })

  it('replaces the output folder whole, dropping records of removed files', async () => {
    const folder = folderWith('shrinking', {'a.md': readFileSync(seed, 'utf8'), 'b.md': readFileSync(seed, 'utf8')})
    expect((await run(['build', 'shrinking', '--out', 'shrink-out'])).code).toBe(0)
    spawnSync('rm', [path.join(folder, 'b.md')])
    expect((await run(['build', 'shrinking', '--out', 'shrink-out'])).code).toBe(0)
    expect(readdirSync(path.join(work, 'shrink-out/roles')).sort()).toEqual(['a.json', 'a.yaml'])
  })

  it('refuses to replace a folder that is not a dataset', async () => {
    folderWith('precious', {'notes.txt': 'keep me'})
    const result = await run(['build', seed, '--out', 'precious'])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('roledoc: Output folder precious is not empty and holds no dataset that roledoc wrote (no manifest.json by roledoc; found notes.txt)')
    expect(readFileSync(path.join(work, 'precious/notes.txt'), 'utf8')).toBe('keep me')
  })
})

describe('installed roledoc bin', () => {
  const bin = path.join(root, 'dist/bin.js')

  it('runs --help', () => {
    const output = execFileSync(process.execPath, [bin, '--help'], {encoding: 'utf8'})
    expect(output).toContain('Usage:')
  })

  it('builds the seed as the README shows, with exit code 0', () => {
    const cwd = path.join(work, 'bin-run')
    mkdirSync(cwd)
    cpSync(seed, path.join(cwd, 'partner-tier1-support.md'))
    const result = spawnSync(process.execPath, [bin, 'build', 'partner-tier1-support.md', '--out', 'seed-out'], {cwd, encoding: 'utf8'})
    expect(result.status).toBe(0)
    const written = readFileSync(path.join(cwd, 'seed-out/roles/partner-tier1-support.json'), 'utf8')
    const expected = readFileSync(path.join(root, 'out/roles/partner-tier1-support.json'), 'utf8')
    expect(written).toBe(expected)
  })

  it('exits 2 on a usage error', () => {
    const result = spawnSync(process.execPath, [bin, 'build', '--nope'], {encoding: 'utf8'})
    expect(result.status).toBe(2)
    expect(result.stderr).toBe('roledoc: Unknown option `--nope` of `roledoc build` (an input whose name starts with `-` goes after `--`: `roledoc build -- --nope`)\nTry `roledoc build --help`.\n')
  })
})
