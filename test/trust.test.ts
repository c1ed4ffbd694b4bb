/**
 * Issue #22, the compile core's share: no authoring mistake may change the
 * data silently. Each case is a small input of its own, checked against the
 * lines it was written on.
 */
import {describe, expect, it} from 'vitest'
import {build, type DatasetRecord, type RoleRecord} from '../src/index.js'
import {root} from './helpers/paths.js'

/** `[ruleId, line, column]` of each message, and whether it is an error. */
const placed = (messages: ReadonlyArray<{ruleId?: string | undefined; line?: number | undefined; column?: number | undefined; fatal?: boolean | null | undefined}>) =>
  messages.map((m) => [m.ruleId, m.line, m.column, m.fatal === true ? 'error' : 'warning'])

const byId = (records: readonly DatasetRecord[]) => new Map(records.map((record) => [record.id, record]))

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
