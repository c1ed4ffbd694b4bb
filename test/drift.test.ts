/**
 * `roledoc drift`: the Graph export reader (every validation error, with its
 * place), the comparison on hand-written docs and a hand-written export that
 * hold every kind of drift, a run on the real reference folder with a
 * three-role export made by hand from it (expected results computed a second
 * way, with set differences), the formats, and the command end to end.
 *
 * The exports are shaped like the public `unifiedRoleDefinition` resource;
 * their template IDs are either made up (`11111111-1111-4111-8111-…`) or the
 * public IDs of built-in roles, taken from the docs.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {build} from '../src/driver/build.js'
import {runDrift} from '../src/cli/drift.js'
import {driftRecords, type Drift, type DriftResult} from '../src/compare/drift.js'
import {maxGraphExportDepth, maxGraphExportSize, parseGraphExport, type GraphRole} from '../src/compare/graph-export/index.js'
import {maxGraphExportMessages} from '../src/compare/graph-export/reader.js'
import {emitDrift} from '../src/emit/drift.js'
import {formatMessage, rules} from '../src/compile/messages.js'
import type {DatasetRecord, RoleRecord} from '../src/types.js'
import {reference, root} from './helpers/paths.js'
import {UsageError} from '../src/driver/errors.js'
import {loadSide} from '../src/driver/sides.js'
import {writeDataset} from '../src/driver/write.js'

const here = path.join(root, 'test/drift')
const ajv = new Ajv2020({strict: true, allErrors: true})
const validateDrift = ajv.compile(JSON.parse(readFileSync(path.join(root, 'schema/drift.schema.json'), 'utf8')) as object)

function schemaErrors(value: unknown): string {
  return validateDrift(value) ? '' : JSON.stringify(validateDrift.errors)
}

/** Parse an export given as text; returns the roles and the messages as `line:column`. */
function parseText(value: string | Uint8Array, name = 'graph.json'): {roles: GraphRole[] | null; file: VFile} {
  const {roles, file} = parseGraphExport(value, {path: name})
  return {roles, file}
}

function places(file: VFile): Array<[number | undefined, number | undefined]> {
  return file.messages.map((message) => [message.line, message.column])
}

async function docsRecords(): Promise<DatasetRecord[]> {
  const side = await loadSide('test/drift/docs', root)
  expect(side.messages.filter((message) => message.fatal === true).map(String)).toEqual([])
  return side.records
}

function graphRoles(name: string): GraphRole[] {
  const {roles, file} = parseText(readFileSync(path.join(here, name)), name)
  expect(file.messages.map(String)).toEqual([])
  if (!roles) throw new Error('no roles')
  return roles
}

function roleRecord(records: readonly DatasetRecord[], id: string): RoleRecord {
  const record = records.find((item) => item.id === id)
  if (!record || record.kind !== 'role') throw new Error(`no role ${id}`)
  return record
}

describe('parseGraphExport', () => {
  it('reads the hand-written export: template IDs lower-cased, actions of every rolePermissions item joined, sorted, once', () => {
    const roles = graphRoles('graph.json')
    expect(roles.map((role) => [role.templateId, role.displayName, role.isBuiltIn, role.isPrivileged, role.position])).toEqual([
      ['11111111-1111-4111-8111-111111111111', 'Sample Reader', true, null, {line: 4, column: 5}],
      ['22222222-2222-4222-8222-222222222222', 'Sample Admin', true, false, {line: 30, column: 5}],
      ['44444444-4444-4444-8444-444444444444', 'Sample Graph-Only Role', true, true, {line: 52, column: 5}],
      ['55555555-5555-4555-8555-555555555555', 'Sample Custom Role', false, null, {line: 71, column: 5}],
      ['66666666-6666-4666-8666-66666666abcd', 'Sample  Clean Role ', true, true, {line: 86, column: 5}]
    ])
    // Two rolePermissions items (one with a condition), `users/standard/read` in both.
    expect(roles[0]?.actions).toEqual([
      'microsoft.directory/groups/standard/read',
      'microsoft.directory/signInReports/allProperties/read',
      'microsoft.directory/users/standard/read'
    ])
    // `excludedResourceActions` is not read; code point order puts `P` before `a`.
    expect(roles[1]?.actions).toEqual([
      'microsoft.directory/applications/create',
      'microsoft.directory/users/Password/update',
      'microsoft.directory/users/allProperties/allTasks'
    ])
    // The positions are those of each role definition's `{` in the file.
    const lines = readFileSync(path.join(here, 'graph.json'), 'utf8').split('\n')
    for (const role of roles) {
      expect(lines[role.position.line - 1]?.[role.position.column - 1]).toBe('{')
      expect(lines[role.position.line]).toMatch(/"id": /)
    }
  })

  it('reads a bare array like the `value` of the response', () => {
    const response = JSON.parse(readFileSync(path.join(here, 'graph.json'), 'utf8')) as {value: unknown[]}
    const bare = parseText(JSON.stringify(response.value, null, 2))
    expect(bare.file.messages).toEqual([])
    const strip = (roles: GraphRole[] | null) => roles?.map(({position: _position, ...rest}) => rest)
    expect(strip(bare.roles)).toEqual(strip(graphRoles('graph.json')))
  })

  it('reads UTF-8 with or without a byte order mark, and UTF-16 LE with one, at the same places', () => {
    const text = readFileSync(path.join(here, 'graph.json'), 'utf8')
    const expected = graphRoles('graph.json')
    const utf8Bom = parseText(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))
    const utf16 = parseText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    const stringBom = parseText(`\uFEFF${text}`)
    for (const parsed of [utf8Bom, utf16, stringBom]) {
      expect(parsed.file.messages.map(String)).toEqual([])
      expect(parsed.roles).toEqual(expected)
    }
  })

  it('reads CRLF line ends with the same lines', () => {
    const text = readFileSync(path.join(here, 'graph.json'), 'utf8').replace(/\n/g, '\r\n')
    expect(parseText(text).roles?.map((role) => role.position)).toEqual(graphRoles('graph.json').map((role) => role.position))
  })

  it('reads an empty list as no roles, without messages', () => {
    const parsed = parseText('{"value": []}')
    expect(parsed.roles).toEqual([])
    expect(parsed.file.messages).toEqual([])
  })
})

/**
 * One case per folder under `test/drift/invalid/`: `input.json`, the
 * printed messages in `messages.txt`, and below the place of each message,
 * to check against the input by eye, and the template IDs still read
 * (`null`: nothing usable).
 */
const invalidCases: Record<string, {places: Array<[number, number]>; read: string[] | null}> = {
  // `// Exported on a Monday.` on line 2, column 3.
  comment: {places: [[2, 3]], read: null},
  // The second `"value"` key, line 3.
  'duplicate-value': {places: [[3, 3]], read: null},
  // Only a line break.
  empty: {places: [[1, 1]], read: null},
  items: {
    places: [
      [2, 3], // `42`
      [3, 3], // `{"displayName": "No Template ID"}`: no templateId
      [4, 18], // `7`
      [5, 18], // `"not-a-guid"`
      [6, 3], // no displayName
      [7, 73], // `""`
      [8, 101], // `"true"`
      [9, 105], // `1`
      [10, 114], // `{}`
      [14, 25], // the string ConvertTo-Json writes for a nested object
      [16, 115], // `{"condition": null}`: no allowedResourceActions
      [20, 52], // a string instead of an array
      [25, 96], // `7`
      [25, 99], // `""`
      [27, 82], // the second `"templateId"` key
      [29, 18] // `CCCCCCCC-…`: line 28's template ID again
    ],
    read: [
      'cccccccc-cccc-4ccc-8ccc-cccccccccccc',
      'dddddddd-dddd-4ddd-8ddd-dddddddddddd',
      'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee'
    ]
  },
  // The nextLink value on line 3 (column 22): one page only; its role is still read.
  'next-link': {places: [[3, 22]], read: ['11111111-1111-4111-8111-111111111111']},
  // `{` on line 1: no `value`.
  'no-value': {places: [[1, 1]], read: null},
  // `'templateId'` on line 3, column 6.
  'not-json': {places: [[3, 6]], read: null},
  // A role definition on its own, line 1.
  'single-role': {places: [[1, 1]], read: null},
  // `"roleDefinitions"`.
  'top-level-string': {places: [[1, 1]], read: null},
  // The `,` at the end of line 2 (column 89).
  'trailing-comma': {places: [[2, 89]], read: null},
  // `{"displayName": …}` on line 3, column 12.
  'value-not-array': {places: [[3, 12]], read: null}
}

describe('invalid-graph-export', () => {
  const folder = path.join(here, 'invalid')
  const cases = readdirSync(folder).sort()

  it('has a case for every folder', () => {
    expect(Object.keys(invalidCases).sort()).toEqual(cases)
    expect(rules['invalid-graph-export'].severity).toBe('error')
  })

  for (const name of cases) {
    it(name, async () => {
      const {roles, file} = parseText(readFileSync(path.join(folder, name, 'input.json')), `${name}/input.json`)
      const printed = file.messages.map((message) => formatMessage(message)).join('\n') + '\n'
      await expect(printed).toMatchFileSnapshot(path.join(folder, name, 'messages.txt'))
      expect(places(file)).toEqual(invalidCases[name]?.places)
      expect(roles === null ? null : roles.map((role) => role.templateId)).toEqual(invalidCases[name]?.read)
      for (const message of file.messages) {
        expect(message.ruleId).toBe('invalid-graph-export')
        expect(message.source).toBe('roledoc')
        expect(message.fatal).toBe(true)
        expect(message.reason).toMatch(/^Expected .+, found .+; .+/)
      }
    })
  }

  it('keeps `__proto__` and `constructor` keys as data: nothing is polluted', () => {
    parseText(readFileSync(path.join(folder, 'items/input.json')))
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined()
    expect(Object.prototype).not.toHaveProperty('polluted')
  })

  it('reads `null` flags and rolePermissions as missing: built-in, isPrivileged unknown, no actions', () => {
    const {roles} = parseText(readFileSync(path.join(folder, 'items/input.json')))
    expect(roles?.at(-1)).toEqual({
      templateId: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee',
      displayName: 'Null Flags',
      isBuiltIn: true,
      isPrivileged: null,
      actions: [],
      position: {line: 37, column: 3}
    })
  })

  it('refuses nesting deeper than the limit before parsing (no stack overflow)', () => {
    const {roles, file} = parseText(`{"value": ${'['.repeat(100_000)}`)
    expect(roles).toBeNull()
    // The top-level `{` is level 1, so the bracket past the limit is number `maxGraphExportDepth`.
    expect(places(file)).toEqual([[1, 10 + maxGraphExportDepth]])
    expect(file.messages[0]?.reason).toContain(`at most ${maxGraphExportDepth} levels deep`)
  })

  it('refuses an export larger than the limit without parsing it', () => {
    const {roles, file} = parseText(' '.repeat(maxGraphExportSize + 1))
    expect(roles).toBeNull()
    expect(file.messages.map((message) => [message.line, message.column, message.reason.slice(0, 48)])).toEqual([
      [1, 1, `Expected a Graph export of at most ${maxGraphExportSize} bytes`.slice(0, 48)]
    ])
  })

  it('stops after a hundred problems', () => {
    const {roles, file} = parseText(`[${Array.from({length: 150}, () => '0').join(',')}]`)
    expect(roles).toEqual([])
    expect(file.messages).toHaveLength(maxGraphExportMessages + 1)
    expect(file.messages.at(-1)?.reason).toBe(
      `Expected a few problems, found more than ${maxGraphExportMessages}; fix these and run again to see the rest`
    )
  })

  it('reports invalid UTF-8 with its byte offset, and UTF-16 BE', () => {
    const bad = parseText(Buffer.concat([Buffer.from('{"value": ["é'), Buffer.from([0xc3, 0x28]), Buffer.from('"]}')]))
    expect(bad.roles).toBeNull()
    // `{"value": ["é` is 12 + 2 bytes; the bad sequence is `C3 28`.
    expect(bad.file.messages.map((message) => message.reason)).toEqual([
      'Expected UTF-8 text, found invalid bytes at byte offset 14; save the export as UTF-8'
    ])
    const big = parseText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('[]', 'utf16le').swap16()]))
    expect(big.roles).toBeNull()
    expect(big.file.messages.map((message) => message.reason)).toEqual([
      'Expected UTF-8 (or UTF-16 LE) text, found UTF-16 BE; save the export as UTF-8'
    ])
  })

  it('reports text after the JSON value, and escapes control characters in what it quotes', () => {
    const after = parseText('{"value": []}\nnext')
    expect(places(after.file)).toEqual([[2, 1]])
    expect(after.file.messages[0]?.reason).toContain('found more text after the JSON value at `next`')
    const control = parseText('[{"templateId": "\\u001b[31m", "displayName": "x"}]')
    expect(control.file.messages[0]?.reason).toContain('found `\\u001b[31m`')
  })
})

/** The drift of the hand-written docs and export, written out. */
const expectedHandDrift: Drift[] = [
  {
    kind: 'privileged-differs',
    role: {id: 'sample-admin', name: 'Sample Administrator', templateId: '22222222-2222-4222-8222-222222222222'},
    docs: true,
    graph: false
  },
  {
    kind: 'action-not-granted',
    role: {id: 'sample-admin', name: 'Sample Administrator', templateId: '22222222-2222-4222-8222-222222222222'},
    action: 'microsoft.directory/users/basic/update',
    privileged: false,
    source: {path: 'sample-admin.md', line: 21, column: 3}
  },
  {
    kind: 'action-not-granted',
    role: {id: 'sample-admin', name: 'Sample Administrator', templateId: '22222222-2222-4222-8222-222222222222'},
    action: 'microsoft.directory/users/password/update',
    privileged: true,
    source: {path: 'sample-admin.md', line: 22, column: 3}
  },
  {
    kind: 'action-not-documented',
    role: {id: 'sample-admin', name: 'Sample Administrator', templateId: '22222222-2222-4222-8222-222222222222'},
    action: 'microsoft.directory/users/Password/update'
  },
  {
    kind: 'action-not-documented',
    role: {id: 'sample-admin', name: 'Sample Administrator', templateId: '22222222-2222-4222-8222-222222222222'},
    action: 'microsoft.directory/users/allProperties/allTasks'
  },
  {
    kind: 'action-not-granted',
    role: {id: 'sample-reader', name: 'Sample Reader', templateId: '11111111-1111-4111-8111-111111111111'},
    action: 'microsoft.directory/auditLogs/allProperties/read',
    privileged: false,
    source: {path: 'sample-reader.md', line: 20, column: 3}
  },
  {
    kind: 'action-not-documented',
    role: {id: 'sample-reader', name: 'Sample Reader', templateId: '11111111-1111-4111-8111-111111111111'},
    action: 'microsoft.directory/signInReports/allProperties/read'
  },
  {
    kind: 'name-differs',
    role: {id: 'sample-admin', name: 'Sample Administrator', templateId: '22222222-2222-4222-8222-222222222222'},
    docs: 'Sample Administrator',
    graph: 'Sample Admin'
  },
  {
    kind: 'role-only-in-docs',
    role: {id: 'sample-orphan', name: 'Sample Orphan', templateId: '33333333-3333-4333-8333-333333333333'},
    privileged: false,
    actionCount: 1,
    source: {path: 'sample-orphan.md'}
  },
  {
    kind: 'role-only-in-docs',
    role: {id: 'sample-untemplated', name: 'Sample Untemplated', templateId: null},
    privileged: false,
    actionCount: 2,
    source: {path: 'sample-untemplated.md'}
  },
  {
    kind: 'role-only-in-graph',
    role: {id: null, name: 'Sample Graph-Only Role', templateId: '44444444-4444-4444-8444-444444444444'},
    privileged: true,
    actionCount: 2,
    position: {line: 52, column: 5}
  }
]

describe('driftRecords on the hand-written docs and export', () => {
  it('reports every kind of drift: privilege drift, action drift, names, then roles on one side only; in each by role id, kind and action', async () => {
    const result = driftRecords(await docsRecords(), graphRoles('graph.json'), {docs: 'test/drift/docs', graph: 'test/drift/graph.json'})
    expect(schemaErrors(result)).toBe('')
    expect(result.drift).toEqual(expectedHandDrift)
    expect(result.summary).toEqual({
      docsRoles: 5, // notes.md is a fragment
      graphRoles: 5,
      matched: 3, // reader, admin, clean
      ignored: 1, // the custom role
      roleOnlyInDocs: 2,
      roleOnlyInGraph: 1,
      nameDiffers: 1,
      privilegedDiffers: 1,
      actionNotGranted: 3,
      actionNotDocumented: 3,
      total: 11
    })
    expect(new Set(result.drift.map((item) => item.kind))).toEqual(
      new Set(['role-only-in-docs', 'role-only-in-graph', 'name-differs', 'privileged-differs', 'action-not-granted', 'action-not-documented'])
    )
  })

  it('points each documented action at its row in the Markdown file', async () => {
    const result = driftRecords(await docsRecords(), graphRoles('graph.json'))
    for (const item of result.drift) {
      if (item.kind !== 'action-not-granted') continue
      const line = readFileSync(path.join(here, 'docs', item.source.path), 'utf8').split('\n')[item.source.line - 1] ?? ''
      expect(line.slice(item.source.column - 1)).toMatch(new RegExp(`^\\| ${item.action.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\|`))
    }
  })

  it('gives the same result whatever the order of the inputs', async () => {
    const records = await docsRecords()
    const graph = graphRoles('graph.json')
    const forward = driftRecords(records, graph)
    const backward = driftRecords([...records].reverse(), [...graph].reverse())
    expect(backward).toEqual(forward)
    expect(forward.docs).toBe('docs')
    expect(forward.graph).toBe('graph')
  })

  it('matches by template ID only (not by name), in any case, and compares actions exactly', async () => {
    const records = await docsRecords()
    const untemplated = roleRecord(records, 'sample-untemplated')
    const sameName: GraphRole = {
      templateId: '77777777-7777-4777-8777-777777777777',
      displayName: 'Sample Untemplated',
      isBuiltIn: true,
      isPrivileged: null,
      actions: untemplated.permissions.map((permission) => permission.action),
      position: {line: 1, column: 1}
    }
    const result = driftRecords([untemplated], [sameName])
    expect(result.drift.map((item) => item.kind)).toEqual(['role-only-in-docs', 'role-only-in-graph'])

    // A dataset may carry an upper-case template ID; wildcards are not expanded.
    const upper: RoleRecord = {...untemplated, templateId: 'ABCDEF77-7777-4777-8777-777777777777'}
    const graphRole: GraphRole = {...sameName, templateId: 'abcdef77-7777-4777-8777-777777777777', actions: ['microsoft.directory/*']}
    const exact = driftRecords([upper], [graphRole])
    expect(exact.summary.matched).toBe(1)
    expect(exact.drift.map((item) => [item.kind, 'action' in item ? item.action : null])).toEqual([
      ['action-not-granted', 'microsoft.directory/contacts/standard/read'],
      ['action-not-granted', 'microsoft.directory/domains/standard/read'],
      ['action-not-documented', 'microsoft.directory/*']
    ])
  })

  it('leaves out the privileged comparison when Graph has no isPrivileged, and custom roles that match nothing', async () => {
    const records = await docsRecords()
    const admin = roleRecord(records, 'sample-admin')
    const graph: GraphRole[] = [
      {
        templateId: '22222222-2222-4222-8222-222222222222',
        displayName: 'Sample Administrator',
        isBuiltIn: true,
        isPrivileged: null,
        actions: admin.permissions.map((permission) => permission.action).sort(),
        position: {line: 1, column: 1}
      },
      {templateId: '55555555-5555-4555-8555-555555555555', displayName: 'Custom', isBuiltIn: false, isPrivileged: true, actions: [], position: {line: 9, column: 1}}
    ]
    const result = driftRecords([admin], graph)
    expect(result.drift).toEqual([])
    expect(result.summary).toMatchObject({matched: 1, ignored: 1, total: 0})
  })
})

describe('emitDrift', () => {
  it('prints text: a header, a summary line, then privilege drift, action drift, names and roles on one side only, each role with its items and their places', async () => {
    const result = driftRecords(await docsRecords(), graphRoles('graph.json'), {docs: 'test/drift/docs', graph: 'test/drift/graph.json'})
    expect(emitDrift(result, 'text', {docsRoot: 'test/drift/docs'})).toBe(
      [
        'roledoc drift test/drift/docs ↔ test/drift/graph.json',
        '5 roles in the docs, 5 in Graph (1 custom ignored), 3 matched; 11 differences: 1 privileged flag differs, 3 actions documented but not granted, 3 actions granted but not documented, 1 name differs, 2 roles only in the docs, 1 built-in role only in Graph.',
        '',
        '== Privilege drift',
        '',
        'Sample Administrator (sample-admin)',
        '  ! privileged: docs yes, Graph no',
        '',
        '== Action drift',
        '',
        'Sample Administrator (sample-admin)',
        '  - documented, not granted: microsoft.directory/users/basic/update  test/drift/docs/sample-admin.md:21:3',
        '  - documented, not granted: microsoft.directory/users/password/update (privileged)  test/drift/docs/sample-admin.md:22:3',
        '  + granted, not documented: microsoft.directory/users/Password/update',
        '  + granted, not documented: microsoft.directory/users/allProperties/allTasks',
        '',
        'Sample Reader (sample-reader)',
        '  - documented, not granted: microsoft.directory/auditLogs/allProperties/read  test/drift/docs/sample-reader.md:20:3',
        '  + granted, not documented: microsoft.directory/signInReports/allProperties/read',
        '',
        '== Name drift',
        '',
        'Sample Administrator (sample-admin)',
        '  ~ name: docs "Sample Administrator", Graph "Sample Admin"',
        '',
        '== Roles on one side only',
        '',
        'Sample Orphan (sample-orphan)',
        '  - only in the docs (template ID 33333333-3333-4333-8333-333333333333, 1 action)  test/drift/docs/sample-orphan.md',
        '',
        'Sample Untemplated (sample-untemplated)',
        '  - only in the docs (no template ID, 2 actions)  test/drift/docs/sample-untemplated.md',
        '',
        'Sample Graph-Only Role (44444444-4444-4444-8444-444444444444)',
        '  + built-in role only in Graph (privileged, 2 actions)  test/drift/graph.json:52:5',
        ''
      ].join('\n')
    )
    // Without a root, the paths as recorded.
    expect(emitDrift(result, 'text')).toContain('  - documented, not granted: microsoft.directory/users/basic/update  sample-admin.md:21:3\n')
  })

  it('prints Markdown: a summary line, then a section per kind of drift, in the same order, with a part per role', async () => {
    const result = driftRecords(await docsRecords(), graphRoles('graph.json'), {docs: 'test/drift/docs', graph: 'test/drift/graph.json'})
    const md = emitDrift(result, 'md', {docsRoot: 'test/drift/docs'})
    expect(md.split('\n').slice(0, 16)).toEqual([
      '**roledoc drift** `test/drift/docs` ↔ `test/drift/graph.json`: 5 roles in the docs, 5 in Graph (1 custom ignored), 3 matched; 11 differences: 1 privileged flag differs, 3 actions documented but not granted, 3 actions granted but not documented, 1 name differs, 2 roles only in the docs, 1 built-in role only in Graph.',
      '',
      '### Privilege drift',
      '',
      '#### Sample Administrator (`sample-admin`)',
      '',
      '- **Privilege:** docs privileged, Graph not privileged',
      '',
      '### Action drift',
      '',
      '#### Sample Administrator (`sample-admin`)',
      '',
      '- Documented, not granted: `microsoft.directory/users/basic/update` at `test/drift/docs/sample-admin.md:21:3`',
      '- Documented, not granted: `microsoft.directory/users/password/update` (privileged) at `test/drift/docs/sample-admin.md:22:3`',
      '- Granted, not documented: `microsoft.directory/users/Password/update`',
      '- Granted, not documented: `microsoft.directory/users/allProperties/allTasks`'
    ])
    expect(md.match(/^### .*$/gm)).toEqual(['### Privilege drift', '### Action drift', '### Name drift', '### Roles on one side only'])
    expect(md).toContain('### Name drift\n\n#### Sample Administrator (`sample-admin`)\n\n- Name: docs “Sample Administrator”, Graph “Sample Admin”\n')
    expect(md.endsWith('#### Sample Graph-Only Role (`44444444-4444-4444-8444-444444444444`)\n\n- Built-in role only in Graph (privileged, 2 actions): `test/drift/graph.json:52:5`\n')).toBe(true)
    expect(md.match(/^#### /gm)).toHaveLength(7)
  })

  it('prints JSON that reads back as the result and matches the schema', async () => {
    const result = driftRecords(await docsRecords(), graphRoles('graph.json'))
    const json = emitDrift(result, 'json')
    expect(JSON.parse(json)).toEqual(result)
    expect(json.endsWith('}\n')).toBe(true)
    expect(schemaErrors(JSON.parse(json))).toBe('')
  })

  it('says so when there is no drift', () => {
    const result = driftRecords([], [])
    expect(emitDrift(result, 'text')).toBe('roledoc drift docs ↔ graph\n0 roles in the docs, 0 in Graph, 0 matched; no drift.\n')
    expect(schemaErrors(result)).toBe('')
  })

  it('escapes control and bidirectional characters of names from Graph', () => {
    const graph: GraphRole[] = [
      {
        templateId: '11111111-1111-4111-8111-111111111111',
        displayName: 'Evil\u001b[2J\u202eRole',
        isBuiltIn: true,
        isPrivileged: null,
        actions: ['microsoft.directory/users/standard/read\u0007'],
        position: {line: 1, column: 2}
      }
    ]
    const result = driftRecords([], graph)
    const text = emitDrift(result, 'text')
    const md = emitDrift(result, 'md')
    for (const output of [text, md]) {
      expect(output).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e]/)
    }
    expect(text).toContain('Evil\\u001b[2J\\u202eRole (11111111-1111-4111-8111-111111111111)')
  })
})

describe('drift against the real reference folder', () => {
  /** The export read without roledoc: template ID → name, flags and the set of actions. */
  function readExportIndependently(): Map<string, {name: string; builtIn: boolean; privileged: boolean | null; actions: Set<string>}> {
    const data = JSON.parse(readFileSync(path.join(here, 'corpus-graph.json'), 'utf8')) as {
      value: Array<{templateId: string; displayName: string; isBuiltIn: boolean; isPrivileged?: boolean; rolePermissions: Array<{allowedResourceActions: string[]}>}>
    }
    const map = new Map<string, {name: string; builtIn: boolean; privileged: boolean | null; actions: Set<string>}>()
    for (const role of data.value) {
      map.set(role.templateId.toLowerCase(), {
        name: role.displayName,
        builtIn: role.isBuiltIn,
        privileged: role.isPrivileged ?? null,
        actions: new Set(role.rolePermissions.flatMap((permission) => permission.allowedResourceActions))
      })
    }
    return map
  }

  const minus = (a: Iterable<string>, b: Set<string>): string[] => [...a].filter((item) => !b.has(item)).sort()

  it('reports what a three-role export made by hand from it changes, and every other role as only in the docs', async () => {
    const side = await loadSide(reference, root)
    expect(side.messages.filter((message) => message.fatal === true).map(String)).toEqual([])
    const roles = side.records.filter((record): record is RoleRecord => record.kind === 'role')
    expect(roles.length).toBeGreaterThanOrEqual(100)
    const result = driftRecords(side.records, graphRoles('corpus-graph.json'), {docs: 'reference', graph: 'corpus-graph.json'})
    expect(schemaErrors(result)).toBe('')

    // The same drift, computed a second way.
    const exported = readExportIndependently()
    const expected: string[] = []
    const docsTemplates = new Set<string>()
    for (const role of roles) {
      const graphRole = role.templateId === null ? undefined : exported.get(role.templateId)
      if (role.templateId !== null) docsTemplates.add(role.templateId)
      if (!graphRole) {
        expected.push(`role-only-in-docs ${role.id}`)
        continue
      }
      const documented = role.permissions.map((permission) => permission.action)
      for (const action of minus(documented, graphRole.actions)) expected.push(`action-not-granted ${role.id} ${action}`)
      for (const action of minus(graphRole.actions, new Set(documented))) expected.push(`action-not-documented ${role.id} ${action}`)
      if (graphRole.name !== role.name) expected.push(`name-differs ${role.id}`)
      if (graphRole.privileged !== null && graphRole.privileged !== role.privileged) expected.push(`privileged-differs ${role.id}`)
    }
    for (const [templateId, graphRole] of exported) {
      if (graphRole.builtIn && !docsTemplates.has(templateId)) expected.push(`role-only-in-graph ${templateId}`)
    }
    const got = result.drift.map((item) =>
      [item.kind, item.role.id ?? item.role.templateId, 'action' in item ? item.action : undefined].filter((part) => part !== undefined).join(' ')
    )
    expect([...got].sort()).toEqual([...expected].sort())
    expect(result.summary.total).toBe(expected.length)
    expect(result.summary.matched).toBe(2)
    expect(result.summary.roleOnlyInDocs).toBe(roles.length - 2)

    // What was changed by hand, written out.
    const helpdesk = {id: 'helpdesk-administrator', name: 'Helpdesk Administrator', templateId: '729827e3-9c14-49f7-bb1b-9608f156bbb8'}
    const payload = {id: 'attack-payload-author', name: 'Attack Payload Author', templateId: '9c6df0f2-1e7c-4dc3-b195-66dfbd24aa8f'}
    const changed = result.drift.filter((item) => item.kind !== 'role-only-in-docs')
    // Privilege drift, then action drift, names, and roles on one side only.
    expect(changed).toEqual([
      {kind: 'privileged-differs', role: helpdesk, docs: true, graph: false},
      {
        kind: 'action-not-granted',
        role: helpdesk,
        action: 'microsoft.directory/deviceLocalCredentials/standard/read',
        privileged: false,
        source: {path: 'includes/helpdesk-administrator.md', line: expect.any(Number) as number, column: 3}
      },
      {
        kind: 'action-not-granted',
        role: helpdesk,
        action: 'microsoft.office365.webPortal/allEntities/standard/read',
        privileged: false,
        source: {path: 'includes/helpdesk-administrator.md', line: expect.any(Number) as number, column: 3}
      },
      {kind: 'action-not-documented', role: helpdesk, action: 'microsoft.directory/users/basic/update'},
      {kind: 'name-differs', role: payload, docs: 'Attack Payload Author', graph: 'Attack Payload Writer'},
      {
        kind: 'role-only-in-graph',
        role: {id: null, name: 'Example Graph-Only Role', templateId: '11111111-1111-4111-8111-111111111111'},
        privileged: null,
        actionCount: 1,
        position: {line: 50, column: 5}
      }
    ])

    // The line of each documented action, found in the Markdown without roledoc.
    const lines = readFileSync(path.join(reference, 'includes/helpdesk-administrator.md'), 'utf8').split(/\r?\n/)
    for (const item of changed) {
      if (item.kind !== 'action-not-granted') continue
      const index = lines.findIndex((line) => line.startsWith(`> | ${item.action} |`))
      expect(index).toBeGreaterThan(0)
      expect(item.source.line).toBe(index + 1)
    }
  })

  it('takes --reporter like build: the errors of the export and of the docs as json or github annotations (#25)', async () => {
    const stylish = await run(['--graph', 'test/drift/invalid/comment/input.json', 'test/drift/docs'])
    expect(stylish.code).toBe(2)
    const line = /^test\/drift\/invalid\/comment\/input\.json:(\d+):(\d+) {2}error {2}.* {2}invalid-graph-export$/m.exec(stylish.stderr)
    expect(line).not.toBeNull()
    const json = await run(['--graph', 'test/drift/invalid/comment/input.json', 'test/drift/docs', '--reporter', 'json'])
    expect(json.code).toBe(2)
    const messages = JSON.parse(json.stdout) as Array<{file: string; line: number; column: number; severity: string; ruleId: string}>
    expect(messages.map((message) => `${message.file}:${message.line}:${message.column} ${message.severity} ${message.ruleId}`)).toEqual([
      `test/drift/invalid/comment/input.json:${line?.[1]}:${line?.[2]} error invalid-graph-export`
    ])
    expect(json.stderr).toBe('roledoc: cannot compare: 1 error in the Graph export; fix them and run again\n')
    const github = await run(['--graph', 'test/drift/invalid/comment/input.json', 'test/drift/docs', '--reporter', 'github'])
    expect(github.stdout).toMatch(new RegExp(`^::error file=test/drift/invalid/comment/input\\.json,line=${line?.[1]},col=${line?.[2]},.*title=roledoc invalid-graph-export::`))
    await expect(run(['--graph', 'test/drift/graph.json', 'test/drift/docs', '--reporter', 'xml'])).rejects.toThrow('Unknown --reporter `xml`')
  })

  it('runs end to end on the folder: text, with --exit-code', async () => {
    const docs = path.relative(root, reference).split(path.sep).join('/')
    const result = await run(['--graph', 'test/drift/corpus-graph.json', docs, '--exit-code'], root)
    expect(result.code).toBe(1)
    expect(result.stderr).toBe('')
    expect(result.stdout).toContain('\n\n== Privilege drift\n\nHelpdesk Administrator (helpdesk-administrator)\n  ! privileged: docs yes, Graph no\n\n== Action drift\n\n')
    expect(result.stdout).toContain(
      `\n\nHelpdesk Administrator (helpdesk-administrator)\n  - documented, not granted: microsoft.directory/deviceLocalCredentials/standard/read  ${docs}/includes/helpdesk-administrator.md:`
    )
  })
})

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-drift-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

async function run(argv: string[], cwd = root): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const code = await runDrift(argv, {stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd})
  return {code, stdout, stderr}
}

describe('runDrift', () => {
  const args = ['--graph', 'test/drift/graph.json', 'test/drift/docs']

  it('prints the drift as text and exits 0 without --exit-code, 1 with it', async () => {
    const text = await run(args)
    expect(text.code).toBe(0)
    expect(text.stderr).toBe('')
    const expected = driftRecords(await docsRecords(), graphRoles('graph.json'), {docs: 'test/drift/docs', graph: 'test/drift/graph.json'})
    expect(text.stdout).toBe(emitDrift(expected, 'text', {docsRoot: 'test/drift/docs'}))
    expect((await run([...args, '--exit-code'])).code).toBe(1)
  })

  it('exits 0 with --exit-code when there is no drift', async () => {
    mkdirSync(path.join(work, 'clean'), {recursive: true})
    const clean = roleRecord(await docsRecords(), 'sample-clean')
    writeFileSync(
      path.join(work, 'clean/graph.json'),
      JSON.stringify({
        value: [
          {
            displayName: 'Sample Clean Role',
            isBuiltIn: true,
            isPrivileged: true,
            templateId: clean.templateId,
            rolePermissions: [{allowedResourceActions: clean.permissions.map((permission) => permission.action)}]
          }
        ]
      })
    )
    const result = await run(['--graph', path.join(work, 'clean/graph.json'), 'test/drift/docs/sample-clean.md', '--exit-code'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('1 role in the docs, 1 in Graph, 1 matched; no drift.')
  })

  it('prints JSON valid against the schema, and Markdown', async () => {
    const json = await run([...args, '--format', 'json'])
    expect(json.code).toBe(0)
    const parsed = JSON.parse(json.stdout) as DriftResult
    expect(schemaErrors(parsed)).toBe('')
    expect(parsed.docs).toBe('test/drift/docs')
    expect(parsed.graph).toBe('test/drift/graph.json')
    expect(parsed.drift).toEqual(expectedHandDrift)
    const md = await run([...args, '-f', 'md'])
    expect(md.stdout.startsWith('**roledoc drift** `test/drift/docs` ↔ `test/drift/graph.json`: ')).toBe(true)
  })

  it('shows paths of a single Markdown file from its folder', async () => {
    const result = await run(['--graph', 'test/drift/graph.json', 'test/drift/docs/sample-reader.md'])
    expect(result.stdout).toContain('  - documented, not granted: microsoft.directory/auditLogs/allProperties/read  test/drift/docs/sample-reader.md:20:3\n')
  })

  it('compares a dataset folder written by roledoc build', async () => {
    const built = await build({inputs: ['test/drift/docs'], cwd: root})
    await writeDataset(path.join(work, 'dataset'), built.dataset, root)
    const result = await run(['--graph', 'test/drift/graph.json', path.join(work, 'dataset'), '-f', 'json'])
    expect((JSON.parse(result.stdout) as DriftResult).drift).toEqual(expectedHandDrift)
  })

  it('prints help with examples and exits 0', async () => {
    const result = await run(['--help'])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('Usage: roledoc drift --graph FILE DOCS [options]')
    expect(result.stdout).toContain('Examples:')
    expect((await run(['-h'])).code).toBe(0)
  })

  it('exits 2 on an invalid Graph export, printing every problem', async () => {
    const result = await run(['--graph', 'test/drift/invalid/items/input.json', 'test/drift/docs', '--exit-code'])
    expect(result.code).toBe(2)
    expect(result.stdout).toBe('')
    const lines = result.stderr.trim().split('\n')
    expect(lines).toHaveLength((invalidCases['items']?.places.length ?? 0) + 1)
    expect(lines[0]).toBe(
      'test/drift/invalid/items/input.json:2:3  error  Expected a role definition object at `[0]`, found the number 42; remove it or export the role definitions again with `GET /roleManagement/directory/roleDefinitions`  invalid-graph-export'
    )
    expect(lines.at(-1)).toBe('roledoc: cannot compare: 16 errors in the Graph export; fix them and run again')
  })

  it('exits 2 when the docs have errors', async () => {
    const broken = path.join(work, 'broken.md')
    writeFileSync(broken, readFileSync(path.join(here, 'docs/sample-reader.md'), 'utf8').replace('| microsoft.directory/groups/standard/read |', '| Read groups |'))
    const result = await run(['--graph', 'test/drift/graph.json', broken])
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('malformed-action')
    expect(result.stderr).toContain('roledoc: cannot compare: 1 error in the docs (see `roledoc build`); fix them and run again\n')
  })

  it('throws a UsageError (exit 2 from the CLI) for a missing --graph, file, DOCS or a bad format', async () => {
    await expect(run(['test/drift/docs'])).rejects.toThrow(UsageError)
    await expect(run(['test/drift/docs'])).rejects.toThrow('`roledoc drift` needs `--graph FILE`')
    await expect(run(['--graph', 'nope.json', 'test/drift/docs'])).rejects.toThrow('Graph export not found: nope.json')
    await expect(run(['--graph', 'test/drift', 'test/drift/docs'])).rejects.toThrow('is not a file')
    await expect(run(['--graph', 'test/drift/graph.json'])).rejects.toThrow('takes one DOCS path')
    await expect(run(['--graph', 'test/drift/graph.json', 'a', 'b'])).rejects.toThrow('takes one DOCS path')
    await expect(run([...args, '--format', 'xml'])).rejects.toThrow('Unknown --format `xml`')
    await expect(run([...args, '--nope'])).rejects.toThrow(UsageError)
  })
})
