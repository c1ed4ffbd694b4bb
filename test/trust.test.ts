/**
 * Issue #22, the compile core's share: no authoring mistake may change the
 * data silently. Each case is a small input of its own, checked against the
 * lines it was written on.
 */
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build, Cache, formatMessage, type BuildResult, type DatasetRecord, type RoleRecord} from '../src/index.js'
import {main} from '../src/cli.js'
import {root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-trust-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

/** `[ruleId, line, column]` of each message, and whether it is an error. */
const placed = (messages: ReadonlyArray<{ruleId?: string | undefined; line?: number | undefined; column?: number | undefined; fatal?: boolean | null | undefined}>) =>
  messages.map((m) => [m.ruleId, m.line, m.column, m.fatal === true ? 'error' : 'warning'])

const byId = (records: readonly DatasetRecord[]) => new Map(records.map((record) => [record.id, record]))

describe('#22.3 a role whose permissions are privileged while the role is privileged nowhere', () => {
  const warnings = (result: BuildResult): string[] =>
    result.messages.filter((m) => m.ruleId === 'unmarked-privileged-role' || m.ruleId === 'privileged-mismatch').map((m) => `${m.ruleId} ${path.basename(m.file ?? '')}:${m.line}`)

  const expected = [
    // Its include and the roles table both lack the role's badge.
    'unmarked-privileged-role pi-helper.md:16',
    // Not on the main page at all (as ai-reader in the real docs).
    'unmarked-privileged-role tau-unlisted.md:16',
    // Badged in the roles table only: privileged there, so only the disagreement is reported.
    'privileged-mismatch permissions-reference.md:14',
    'privileged-mismatch permissions-reference.md:17',
    // An inline role, badged nowhere: at its first privileged row.
    'unmarked-privileged-role permissions-reference.md:35'
  ]

  it('is reported, unless the roles table badges the role', async () => {
    const result = await build({inputs: ['test/reference/unmarked'], cwd: root})
    expect(warnings(result)).toEqual(expected)
    expect(result.messages.filter((m) => m.ruleId === 'unmarked-privileged-role').every((m) => m.fatal === false)).toBe(true)
    // The records keep their own badge.
    const records = byId(result.records)
    expect(['omicron-administrator', 'pi-helper', 'rho-inline', 'sigma-inline', 'tau-unlisted'].map((id) => (records.get(id) as RoleRecord).privileged)).toEqual([false, false, false, false, false])
  })

  it('is reported the same from a warm cache, and from a rebuild that holds records lean', async () => {
    const cache = new Cache(path.join(work, 'unmarked-cache'))
    const plain = await build({inputs: ['test/reference/unmarked'], cwd: root})
    await build({inputs: ['test/reference/unmarked'], cwd: root, cache})
    const warm = await build({inputs: ['test/reference/unmarked'], cwd: root, cache})
    expect(warm.stats.parsed).toBe(0)
    expect(warm.messages.map((m) => formatMessage(m))).toEqual(plain.messages.map((m) => formatMessage(m)))

    const out = path.join(work, 'unmarked-out')
    const argv = ['build', path.join(root, 'test/reference/unmarked'), '--out', out, '--cache-dir', path.join(work, 'unmarked-cli-cache')]
    const printed: string[] = []
    const io = {stdout: () => {}, stderr: (text: string) => void printed.push(text), cwd: root}
    expect(await main(argv, io)).toBe(0)
    const first = printed.join('')
    // An output file changed by hand: the next build compiles nothing, and holds cached records lean.
    writeFileSync(path.join(out, 'roles.json'), '[]\n')
    printed.length = 0
    expect(await main(argv, io)).toBe(0)
    const again = printed.join('')
    expect(again.split('\n').filter((line) => line.includes('unmarked-privileged-role')).length).toBe(3)
    expect(again.split('\n').filter((line) => line.includes('  warning  '))).toEqual(first.split('\n').filter((line) => line.includes('  warning  ')))
  })
})

describe('#22.5 a role section that holds its role inline and includes a fragment', () => {
  it('keeps the fragment a fragment, listed in the role’s includes', async () => {
    const result = await build({inputs: ['test/reference/inline-include'], cwd: root})
    expect(result.messages.map(String)).toEqual([])
    const records = byId(result.records)
    expect([...records.keys()]).toEqual(['nu-administrator', 'nu-methods-table', 'xi-reader'])
    expect(records.get('nu-methods-table')?.kind).toBe('fragment')
    const nu = records.get('nu-administrator') as RoleRecord
    expect(nu).toMatchObject({name: 'Nu Administrator', anchor: 'nu-administrator', privileged: true, templateId: '99999999-9999-4999-8999-999999999999'})
    expect(nu.permissions.map((p) => [p.action, p.position.line])).toEqual([['microsoft.nu/items/update', 28]])
    expect(nu.includes).toEqual([{path: './includes/nu-methods-table.md', target: 'includes/nu-methods-table.md', resolved: true, position: {line: 23, column: 1}}])
  })

  it('reports a missing fragment as a warning, and still writes every role of the page', async () => {
    const result = await build({inputs: ['test/reference/inline-include-missing'], cwd: root})
    expect(placed(result.messages)).toEqual([['unresolved-include', 23, 1, 'warning']])
    expect(result.records.map((record) => [record.id, record.kind])).toEqual([
      ['nu-administrator', 'role'],
      ['xi-reader', 'role']
    ])
    expect((result.records[0] as RoleRecord).includes.map((i) => [i.target, i.resolved])).toEqual([['includes/nu-methods-table.md', false]])
  })
})
