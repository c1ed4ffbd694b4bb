/**
 * The YAML output carries exactly the data of the JSON output, for YAML 1.2
 * readers and for YAML 1.1 readers (which turn `yes`, `on`, `2025-07-09`,
 * `0777` into booleans, dates and numbers unless they are quoted).
 */
import {execFileSync, spawnSync} from 'node:child_process'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {compileRole, emitJson, emitYaml} from '../src/index.js'

const tricky = [
  'yes', 'no', 'on', 'off', 'y', 'n', 'true', 'False', 'null', '~', '',
  '2025-07-09', '2025-07-09T10:00:00Z', '07/09/2025', '0777', '0x1F', '1_000', '1:20', '12e3', '.5', '.inf', '.NaN',
  '- item', '? key', '# not a comment', 'a: b', '"quoted"', "'single'", '@at', '`tick`', '%percent',
  ' leading space', 'trailing space ', 'line\nbreak', 'para\n\n- item\n- item', 'x\n  indented', 'ends\n', 'a\n # hash\n: colon', 'tab\there', 'bell\u0007', 'nbsp\u00a0', 'line\u2028sep', 'para\u2029sep', 'nel\u0085x', 'bom\ufeffx', 'ümlaut — “curly”'
]

const value = {schemaVersion: 1, strings: tricky, keys: Object.fromEntries(tricky.map((text, index) => [text, index]))}
const pythonHasYaml = spawnSync('python3', ['-c', 'import yaml'], {stdio: 'ignore'}).status === 0

describe('YAML output', () => {
  const yaml = emitYaml(value)
  const json = emitJson(value)

  it('reads back as the JSON data under YAML 1.2', () => {
    expect(parse(yaml)).toEqual(JSON.parse(json))
  })

  it('reads back as the JSON data under YAML 1.1 rules', () => {
    expect(parse(yaml, {version: '1.1'})).toEqual(JSON.parse(json))
  })

  it.skipIf(!pythonHasYaml)('reads back as the JSON data in PyYAML (python3 with PyYAML)', () => {
    const script = 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read()), ensure_ascii=False))'
    const read = execFileSync('python3', ['-c', script], {input: yaml, encoding: 'utf8'})
    expect(JSON.parse(read)).toEqual(JSON.parse(json))
  })

  it('keeps the record key order', () => {
    const {record} = compileRole('---\ntitle: A\ndescription: B\nms.date: 07/09/2025\n---\n')
    const keys = [...emitYaml(record).matchAll(/^(\w+):/gm)].map((match) => match[1])
    expect(keys).toEqual(Object.keys(record ?? {}))
  })
})

describe('YAML output of any JSON data (property)', () => {
  it('reads back as the same data under YAML 1.2 and 1.1', async () => {
    const fc = (await import('fast-check')).default
    const text = fc.oneof(
      fc.string({unit: 'grapheme', maxLength: 20}),
      fc.constantFrom(...tricky),
      fc.stringMatching(/^[A-Za-z][\w .,;()/'’&+=@$%#:!?*|>-]{0,12}$/)
    )
    const json = fc.letrec((tie) => ({
      value: fc.oneof(
        {depthSize: 'small'},
        text,
        fc.integer(),
        fc.double({noNaN: true, noDefaultInfinity: true}),
        fc.boolean(),
        fc.constant(null),
        fc.array(tie('value'), {maxLength: 4}),
        fc.dictionary(text, tie('value'), {maxKeys: 4})
      )
    })).value
    fc.assert(
      fc.property(json, (value) => {
        const expected = JSON.parse(JSON.stringify(value)) as unknown
        const yaml = emitYaml(value)
        expect(parse(yaml)).toEqual(expected)
        expect(parse(yaml, {version: '1.1'})).toEqual(expected)
      }),
      {numRuns: 2000, seed: 42}
    )
  })

  it.skipIf(!pythonHasYaml)('reads back as the same data in PyYAML', async () => {
    const fc = (await import('fast-check')).default
    const values = fc.sample(
      fc.dictionary(fc.oneof(fc.string({unit: 'grapheme', maxLength: 12}), fc.constantFrom(...tricky)), fc.oneof(fc.string({unit: 'grapheme', maxLength: 30}), fc.constantFrom(...tricky), fc.integer(), fc.boolean(), fc.constant(null)), {maxKeys: 6}),
      {numRuns: 300, seed: 7}
    )
    const script = 'import sys, json, yaml; print(json.dumps(yaml.safe_load(sys.stdin.read()), ensure_ascii=False))'
    const read = execFileSync('python3', ['-c', script], {input: emitYaml(values), encoding: 'utf8'})
    expect(JSON.parse(read)).toEqual(JSON.parse(JSON.stringify(values)))
  })
})
