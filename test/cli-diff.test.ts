/** `roledoc diff` and `roledoc build --check` from the command line. */
import {cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import {type DatasetFile, type DatasetRecord} from '../src/index.js'
import {loadSide} from '../src/driver/sides.js'
import {root} from './helpers/paths.js'
import {validateDiff} from './helpers/schema.js'
import {checkDataset} from '../src/driver/check.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-diff-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

async function run(argv: string[]): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd: work})
  return {code, stdout, stderr}
}

const seed = readFileSync(path.join(root, 'fixtures/partner-tier1-support.md'), 'utf8')
const badge = '[![Privileged label icon.](../media/permissions-reference/privileged-label.png)](../privileged-roles-permissions.md)'
writeFileSync(path.join(work, 'old.md'), seed)
writeFileSync(
  path.join(work, 'new.md'),
  seed.replace('| Update photo of users |', `| Update photo of users<br/>${badge} |`)
)

function listing(folder: string): string[] {
  return readdirSync(folder, {recursive: true, withFileTypes: false}).map(String).sort()
}

describe('roledoc diff', () => {
  it('prints the changes and exits 0 without --exit-code', async () => {
    const result = await run(['diff', 'old.md', 'new.md'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('  ! permission became privileged: microsoft.directory/users/photo/update\n')
  })

  it('with --exit-code exits 1 on changes and 0 without', async () => {
    expect((await run(['diff', 'old.md', 'new.md', '--exit-code'])).code).toBe(1)
    const same = await run(['diff', 'old.md', 'old.md', '--exit-code'])
    expect(same.code).toBe(0)
    expect(same.stdout).toContain('no changes in meaning.')
  })

  it('prints JSON valid against the schema, and Markdown', async () => {
    const json = await run(['diff', 'old.md', 'new.md', '--format', 'json'])
    const parsed = JSON.parse(json.stdout) as {changes: Array<{kind: string}>}
    expect(validateDiff(parsed), JSON.stringify(validateDiff.errors)).toBe(true)
    expect(parsed.changes.map((change) => change.kind)).toEqual(['permission-privileged'])
    const md = await run(['diff', 'old.md', 'new.md', '-f', 'md'])
    expect(md.stdout.startsWith('**roledoc diff** `old.md` → `new.md`: ')).toBe(true)
  })

  it('titles the role of two files by its name and template ID, not by a file name (#25)', async () => {
    const withTemplate = (text: string): string => text.replace('ms.custom: include file\n---\n', 'ms.custom: include file\n---\n\nTemplate ID: 0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0\n')
    writeFileSync(path.join(work, 'before.md'), withTemplate(seed))
    writeFileSync(path.join(work, 'after.md'), withTemplate(readFileSync(path.join(work, 'new.md'), 'utf8')))
    const text = await run(['diff', 'before.md', 'after.md'])
    expect(text.stdout).toContain('\n! Partner Tier1 Support (0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0)\n')
    expect(text.stdout).not.toMatch(/\((after|before|new|old)\)/)
    const md = await run(['diff', 'before.md', 'after.md', '--format', 'md'])
    expect(md.stdout).toContain('\n### ⚠️ Partner Tier1 Support (`0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0`)\n')
    // Without a template ID: the name alone.
    const bare = await run(['diff', 'old.md', 'new.md'])
    expect(bare.stdout).toContain('\n! Partner Tier1 Support\n')
    expect(bare.stdout).not.toContain('(new)')
    // JSON keeps the record's id, name and template ID as they are.
    const json = JSON.parse((await run(['diff', 'before.md', 'after.md', '--format', 'json'])).stdout) as {changes: Array<{role: unknown}>}
    expect(json.changes[0]?.role).toEqual({id: 'after', name: 'Partner Tier1 Support', templateId: '0b1c2d3e-4f50-4172-8394-a5b6c7d8e9f0'})
  })

  it('compares a dataset folder with a docs folder', async () => {
    cpSync(path.join(root, 'fixtures'), path.join(work, 'docs'), {recursive: true})
    expect((await run(['build', 'docs', '--out', 'data'])).code).toBe(0)
    const same = await run(['diff', 'data', 'docs', '--exit-code'])
    expect(same.stderr).toBe('')
    expect(same.code).toBe(0)
    writeFileSync(path.join(work, 'docs/partner-tier1-support.md'), readFileSync(path.join(work, 'new.md')))
    const changed = await run(['diff', 'data', 'docs', '--exit-code'])
    expect(changed.code).toBe(1)
    expect(changed.stdout).toContain('! Partner Tier1 Support (partner-tier1-support)')
  })

  it('reads a dataset folder’s roles from roles.json and its fragments from fragments.json, or both from roles.json as earlier datasets hold them', async () => {
    // test/reference/variations: five roles, and the fragment includes/comparison-table.md.
    expect((await run(['build', path.join(root, 'test/reference/variations'), '--out', 'split', '--no-cache'])).code).toBe(0)
    const split = await loadSide('split', work)
    expect(split.kind).toBe('dataset')
    const kinds = (records: readonly DatasetRecord[]): string[] => records.map((record) => `${record.kind} ${record.id}`).sort()
    expect(kinds(split.records)).toEqual([
      'fragment comparison-table',
      'role alpha-administrator',
      'role beta-reader',
      'role delta-writer',
      'role epsilon-unlisted',
      'role gamma-operator'
    ])
    // The layout of earlier datasets: every record in roles.json, no fragments.json.
    cpSync(path.join(work, 'split'), path.join(work, 'together'), {recursive: true})
    const together = [...(JSON.parse(readFileSync(path.join(work, 'split/roles.json'), 'utf8')) as unknown[]), ...(JSON.parse(readFileSync(path.join(work, 'split/fragments.json'), 'utf8')) as unknown[])]
    writeFileSync(path.join(work, 'together/roles.json'), JSON.stringify(together, null, 2) + '\n')
    rmSync(path.join(work, 'together/fragments.json'))
    expect(kinds((await loadSide('together', work)).records)).toEqual(kinds(split.records))
    const same = await run(['diff', 'together', 'split', '--exit-code'])
    expect([same.code, same.stderr]).toEqual([0, ''])
  })

  it('exits 2 on a missing side, a bad format, a wrong number of paths, or docs with errors', async () => {
    expect((await run(['diff', 'old.md', 'nope.md'])).code).toBe(2)
    expect((await run(['diff', 'old.md', 'new.md', '--format', 'xml'])).stderr).toContain('Unknown --format `xml`')
    expect((await run(['diff', 'old.md'])).code).toBe(2)
    writeFileSync(path.join(work, 'broken.md'), seed.replace('| microsoft.directory/users/restore |', '| not an action |'))
    const broken = await run(['diff', 'old.md', 'broken.md', '--exit-code'])
    expect(broken.code).toBe(2)
    expect(broken.stderr).toContain('broken.md:')
    expect(broken.stderr).toContain('malformed-action')
  })
})

describe('roledoc build --check', () => {
  it('exits 0 when the output folder is up to date, writing nothing', async () => {
    cpSync(path.join(root, 'fixtures'), path.join(work, 'check-docs'), {recursive: true})
    expect((await run(['build', 'check-docs', '--out', 'check-out'])).code).toBe(0)
    const before = listing(path.join(work, 'check-out'))
    const result = await run(['build', 'check-docs', '--out', 'check-out', '--check'])
    expect(result.code).toBe(0)
    expect(result.stdout).toBe('')
    expect(result.stderr).toContain('roledoc: check-out is up to date\n')
    expect(listing(path.join(work, 'check-out'))).toEqual(before)
  })

  it('exits 1 listing each stale, missing and extra file', async () => {
    const out = path.join(work, 'check-out')
    writeFileSync(path.join(work, 'check-docs/partner-tier1-support.md'), readFileSync(path.join(work, 'new.md')))
    rmSync(path.join(out, 'actions.csv'))
    writeFileSync(path.join(out, 'roles/leftover.json'), '{}\n')
    const result = await run(['build', 'check-docs', '--out', 'check-out', '--check'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(
      [
        'stale: check-out/actions.json',
        'stale: check-out/index.json',
        // It lists the others' hashes.
        'stale: check-out/manifest.json',
        'stale: check-out/roles.json',
        'stale: check-out/roles.ndjson',
        'stale: check-out/roles/partner-tier1-support.json',
        'stale: check-out/roles/partner-tier1-support.yaml',
        'missing: check-out/actions.csv',
        'extra: check-out/roles/leftover.json',
        ''
      ].join('\n')
    )
    expect(result.stderr).toContain('check-out is out of date (9 files)')
    expect(readFileSync(path.join(out, 'roles/leftover.json'), 'utf8')).toBe('{}\n')
  })

  it('compares a file read in 1 MiB blocks against chunks that cross the blocks, byte for byte', async () => {
    // Two-byte characters across the first block's end (1,048,576 bytes), and one chunk longer than a block.
    const chunks = ['a'.repeat(700_000), 'é'.repeat(200_000), 'z'.repeat(300_000), '\n', 'b'.repeat(1_500_000)]
    const bytes = Buffer.from(chunks.join(''))
    const folder = path.join(work, 'blocks-out')
    const check = async (onDisk: Buffer) => {
      rmSync(folder, {recursive: true, force: true})
      mkdirSync(folder)
      writeFileSync(path.join(folder, 'big.txt'), onDisk)
      const files: DatasetFile[] = [{name: 'big.txt', content: () => chunks.values()}]
      return (await checkDataset(folder, files)).stale
    }
    const changedAt = (offset: number) => {
      const copy = Buffer.from(bytes)
      copy[offset] = (copy[offset] as number) ^ 1
      return copy
    }
    expect(await check(bytes)).toEqual([])
    for (const offset of [0, 1_048_575, 1_048_576, 1_048_577, 2 * 1_048_576, bytes.length - 1]) expect(await check(changedAt(offset)), `byte ${offset}`).toEqual(['big.txt'])
    expect(await check(bytes.subarray(0, bytes.length - 1))).toEqual(['big.txt'])
    expect(await check(bytes.subarray(0, 1_048_576))).toEqual(['big.txt'])
    expect(await check(Buffer.concat([bytes, Buffer.from('x')]))).toEqual(['big.txt'])
  })

  it('finds a file stale when it is cut short, has a byte more, or differs in one byte', async () => {
    cpSync(path.join(root, 'fixtures'), path.join(work, 'bytes-docs'), {recursive: true})
    expect((await run(['build', 'bytes-docs', '--out', 'bytes-out'])).code).toBe(0)
    const file = (name: string) => path.join(work, 'bytes-out', name)
    const roles = readFileSync(file('roles.json'))
    // roles.json and roles.ndjson are compared a record at a time: the change is in the last record, or after it.
    writeFileSync(file('roles.json'), roles.subarray(0, roles.length - 1))
    writeFileSync(file('roles.ndjson'), Buffer.concat([readFileSync(file('roles.ndjson')), Buffer.from('\n')]))
    const index = readFileSync(file('index.json'))
    index[index.indexOf('"roledoc"') + 1] = 'R'.charCodeAt(0)
    writeFileSync(file('index.json'), index)
    const result = await run(['build', 'bytes-docs', '--out', 'bytes-out', '--check'])
    expect(result.code).toBe(1)
    expect(result.stdout).toBe(['stale: bytes-out/index.json', 'stale: bytes-out/roles.json', 'stale: bytes-out/roles.ndjson', ''].join('\n'))
  })
})
