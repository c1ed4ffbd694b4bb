/**
 * The config file, `roledoc.config.json` or the `roledoc` key of
 * `package.json`: JSON that is hostile or ambiguous is an `invalid-config`
 * error at its place (exit 2), never an internal failure or a silent choice.
 */
import {mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {afterAll, describe, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import {buildCommand, type BuildRequest, type BuildSettings} from '../src/driver/build-command.js'
import {parseConfig} from '../src/driver/config.js'
import type {BuildReport} from '../src/driver/run-build.js'
import {formatMessage} from '../src/index.js'
import {root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-config-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const seed = readFileSync(path.join(root, 'fixtures/partner-tier1-support.md'), 'utf8')

async function build(files: Record<string, string>): Promise<{code: number; stderr: string; folder: string}> {
  const folder = mkdtempSync(path.join(work, 'project-'))
  mkdirSync(path.join(folder, 'docs'))
  writeFileSync(path.join(folder, 'docs/role.md'), seed)
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(folder, name), text)
  let stderr = ''
  const code = await main(['build', '--no-cache'], {stdout: () => {}, stderr: (text) => (stderr += text), cwd: folder})
  return {code, stderr, folder}
}

/** The messages `parseConfig` reports on `text`, as `roledoc build` prints them. */
function messages(text: string, fromPackage = false): string[] {
  const file = new VFile({path: fromPackage ? 'package.json' : 'roledoc.config.json', value: text})
  parseConfig(file, fromPackage)
  return file.messages.map((message) => formatMessage(message))
}

describe('a config nested very deep', () => {
  const deep = (depth: number): string => `{"inputs": ${'['.repeat(depth)}${']'.repeat(depth)}}`

  it('is invalid-config at the first bracket too deep, not an internal failure (exit 2)', async () => {
    const expected = 'roledoc.config.json:1:111  error  Expected JSON nested at most 100 levels deep, found deeper nesting; a roledoc config nests 2 levels  invalid-config'
    expect(messages(deep(100_000))).toEqual([expected])
    const result = await build({'roledoc.config.json': deep(100_000)})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain(expected)
    expect(result.stderr).not.toContain('internal failure')
    expect(readdirSync(result.folder)).toEqual(['docs', 'roledoc.config.json'])
  })

  it('is invalid-config in package.json too, wherever it nests', async () => {
    const packaged = `{"name": "docs", "other": ${'{"a": '.repeat(100_000)}1${'}'.repeat(100_000)}, "roledoc": {"out": "data"}}`
    const result = await build({'package.json': packaged})
    expect(result.code).toBe(2)
    expect(result.stderr).toMatch(/^package\.json:1:\d+ {2}error {2}Expected JSON nested at most 100 levels deep/m)
    expect(result.stderr).not.toContain('internal failure')
  })

  it('is read as before up to the limit (the limit itself is not an error)', () => {
    expect(messages(deep(99))).toEqual([expect.stringContaining('Expected each item of `inputs` to be a non-empty string, found an array')])
  })
})

describe('a duplicate key', () => {
  it('is invalid-config at the second, naming the first (exit 2, nothing written)', async () => {
    const text = '{\n  "out": "first",\n  "strict": true,\n  "out": "second"\n}\n'
    expect(messages(text)).toEqual(['roledoc.config.json:4:3  error  Duplicate key `out` (first at 2:3); keep one  invalid-config'])
    const result = await build({'roledoc.config.json': text})
    expect(result.code).toBe(2)
    expect(readdirSync(result.folder)).toEqual(['docs', 'roledoc.config.json'])
  })

  it('is invalid-config in the roledoc key of package.json, and so is a second roledoc key', async () => {
    expect(messages('{"name": "docs", "roledoc": {"out": "a", "out": "b"}}', true)).toEqual([
      'package.json:1:42  error  Duplicate key `out` (first at 1:30); keep one  invalid-config'
    ])
    const twice = '{\n  "roledoc": {"out": "a"},\n  "name": "docs",\n  "roledoc": {"out": "b"}\n}\n'
    expect(messages(twice, true)).toEqual(['package.json:4:3  error  Duplicate key `roledoc` (first at 2:3); keep one  invalid-config'])
    const result = await build({'package.json': twice})
    expect(result.code).toBe(2)
    expect(readdirSync(result.folder).sort()).toEqual(['docs', 'package.json'])
  })
})

describe('a UTF-8 byte order mark', () => {
  it('is accepted before a config, and places are counted after it', async () => {
    const result = await build({'roledoc.config.json': '\uFEFF{"inputs": ["docs"], "out": "data"}\n'})
    expect(result.code).toBe(0)
    expect(readdirSync(path.join(result.folder, 'data/roles'))).toEqual(['role.json', 'role.yaml'])
    expect(messages('\uFEFF{"out": 1}')).toEqual(['roledoc.config.json:1:9  error  Expected `out` to be a non-empty string, found 1  invalid-config'])
  })

  it('is accepted before a package.json', async () => {
    const result = await build({'package.json': '\uFEFF{"name": "docs", "roledoc": {"inputs": ["docs"], "out": "data"}}\n'})
    expect(result.code).toBe(0)
    expect(readdirSync(path.join(result.folder, 'data/roles'))).toEqual(['role.json', 'role.yaml'])
  })
})

describe('line ends', () => {
  // Each line of the config as it reads in an editor: the bad value is on line 4, column 12.
  const lines = ['{', '  "out": "data",', '  "strict": true,', '  "quiet": "yes"', '}']
  const expected = 'roledoc.config.json:4:12  error  Expected `quiet` to be true or false, found "yes"  invalid-config'

  it('are counted alike for \\n, \\r\\n and a lone \\r (as editors and JSON count them)', () => {
    for (const end of ['\n', '\r\n', '\r']) expect(messages(lines.join(end)), JSON.stringify(end)).toEqual([expected])
  })

  it('are counted alike by the config and by the Graph export reader (one module counts them)', async () => {
    const {parseGraphExport} = await import('../src/compare/graph-export/index.js')
    const text = ['{', '  "value": [', '    {"templateId": "no", "displayName": "A"}', '  ]', '}'].join('\r')
    const {file} = parseGraphExport(text, {path: 'graph.json'})
    expect(file.messages.map((message) => `${message.line}:${message.column}`)).toEqual(['3:20'])
  })
})

describe('rules', () => {
  it('takes a severity or off for each rule ID', () => {
    const file = new VFile({path: 'roledoc.config.json', value: '{"rules": {"unreferenced-include": "off", "unmarked-privileged-role": "error", "unsafe-id": "warn", "no-permissions-table": "warning", "include-outside-root": "info"}}'})
    expect(parseConfig(file, false)).toEqual({
      rules: {'unreferenced-include': 'off', 'unmarked-privileged-role': 'error', 'unsafe-id': 'warning', 'no-permissions-table': 'warning', 'include-outside-root': 'info'}
    })
    expect(file.messages).toEqual([])
  })

  it('reports an unknown rule at its key, with the rule meant', () => {
    expect(messages('{\n  "rules": {\n    "unreferenced-includes": "off"\n  }\n}')).toEqual([
      'roledoc.config.json:3:5  error  Unknown rule `unreferenced-includes` in `rules`; did you mean `unreferenced-include`?  invalid-config'
    ])
    expect(messages('{"rules": {"no-such-thing": "off"}}')).toEqual([
      'roledoc.config.json:1:12  error  Unknown rule `no-such-thing` in `rules`; the rule IDs are listed in docs/diagnostics.md  invalid-config'
    ])
  })

  it('reports a value that is no severity at the value', () => {
    expect(messages('{"rules": {"unsafe-id": "severe", "unmarked-privileged-role": 2}}')).toEqual([
      'roledoc.config.json:1:25  error  Expected the severity of `unsafe-id` to be "off", "info", "warn", "warning" or "error", found "severe"  invalid-config',
      'roledoc.config.json:1:63  error  Expected the severity of `unmarked-privileged-role` to be "off", "info", "warn", "warning" or "error", found 2  invalid-config'
    ])
  })

  it('does not lower an error: the data it is about would be written as if whole', () => {
    expect(messages('{"rules": {"malformed-action": "off", "duplicate-id": "warn"}}')).toEqual([
      'roledoc.config.json:1:32  error  `malformed-action` is an error and stays one: the record is wrong or lacks what it reports, and a build with errors writes nothing. It cannot be set to "off"; fix the docs instead  invalid-config',
      'roledoc.config.json:1:55  error  `duplicate-id` is an error and stays one: the record is wrong or lacks what it reports, and a build with errors writes nothing. It cannot be set to "warn"; fix the docs instead  invalid-config'
    ])
  })

  it('reports rules that are not an object, and a rule given twice', () => {
    expect(messages('{"rules": ["unsafe-id"]}')).toEqual([
      'roledoc.config.json:1:11  error  Expected `rules` to be an object of rule IDs and severities, such as {"unreferenced-include": "off"}, found an array  invalid-config'
    ])
    expect(messages('{"rules": {"unsafe-id": "off", "unsafe-id": "error"}}')).toEqual([
      'roledoc.config.json:1:32  error  Duplicate key `unsafe-id` (first at 1:12); keep one  invalid-config'
    ])
  })

  it('stops the build with exit 2, and suggests the key meant for a mistyped one', async () => {
    const result = await build({'roledoc.config.json': '{"rules": {"unreferenced-includes": "off"}, "rule": {}}'})
    expect(result.code).toBe(2)
    expect(result.stderr).toContain('roledoc.config.json:1:12  error  Unknown rule `unreferenced-includes` in `rules`; did you mean `unreferenced-include`?  invalid-config')
    expect(result.stderr).toContain('roledoc.config.json:1:45  error  Unknown config key `rule`; did you mean `rules`? expected one of')
  })
})

describe('the build command', () => {
  /** The settings `buildCommand` resolved for `request`, with this config file in a folder holding the seed. */
  async function settingsFor(config: string, request: Partial<BuildRequest>): Promise<BuildSettings> {
    const {folder} = await build({})
    writeFileSync(path.join(folder, 'roledoc.config.json'), config)
    const reports: BuildReport[] = []
    const result = await buildCommand(
      {inputs: [], check: false, cacheDir: null, site: null, watch: false, cwd: folder, env: {}, ...request},
      {onReport: (report) => reports.push(report)}
    )
    if (result.kind !== 'done') throw new Error(`expected a build, got ${result.kind}`)
    expect(reports).toHaveLength(1)
    return result.settings
  }

  it('takes a flag over the config, and the config over the default, in one driver call', async () => {
    const config = '{"inputs": ["docs"], "out": "dataset", "strict": true, "formats": ["json"], "reporter": "github", "quiet": true, "maxFileSize": 5000, "fileTimeout": 900}'
    const fromConfig = await settingsFor(config, {})
    expect(fromConfig).toMatchObject({reporter: 'github', quiet: true})
    expect(fromConfig.run).toMatchObject({inputs: ['docs'], out: 'dataset', strict: true, formats: ['json'], maxFileSize: 5000, fileTimeout: 900})
    const fromFlags = await settingsFor(config, {inputs: ['docs/role.md'], out: 'elsewhere', strict: false, formats: ['csv'], reporter: 'json', quiet: false, maxFileSize: 6000, fileTimeout: 800})
    expect(fromFlags).toMatchObject({reporter: 'json', quiet: false})
    expect(fromFlags.run).toMatchObject({inputs: ['docs/role.md'], out: 'elsewhere', strict: false, formats: ['csv'], maxFileSize: 6000, fileTimeout: 800})
    const defaults = await settingsFor('{"inputs": ["docs"]}', {})
    expect(defaults).toMatchObject({reporter: 'stylish', quiet: false})
    expect(defaults.run).toMatchObject({out: 'out', strict: false, formats: ['json', 'yaml', 'ndjson', 'csv'], maxFileSize: 1024 * 1024, fileTimeout: 30_000, rules: {}})
  })

  it('returns the config file that is not valid, and builds nothing', async () => {
    const {folder} = await build({})
    writeFileSync(path.join(folder, 'roledoc.config.json'), '{"out": 3}')
    const reports: BuildReport[] = []
    const result = await buildCommand({inputs: ['docs'], check: false, cacheDir: null, site: null, watch: false, cwd: folder, env: {}}, {onReport: (report) => reports.push(report)})
    expect(result).toMatchObject({kind: 'invalid-config', file: 'roledoc.config.json'})
    expect(reports).toEqual([])
    expect(readdirSync(folder)).not.toContain('out')
  })
})
