/**
 * `emitJsonChunks`: the text of `emitJson`, a piece at a time (how the
 * build writes `index.json` and `actions.json`).
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {build} from '../src/driver/build.js'
import {emitJson, emitJsonChunks} from '../src/emit/json.js'
import {createActionIndex, createIndex, datasetFiles} from '../src/emit/dataset.js'
import type {RoleRecord} from '../src/types.js'
import {reference, root} from './helpers/paths.js'

const joined = (value: unknown): string => [...emitJsonChunks(value)].join('')

describe('emitJsonChunks', () => {
  it('gives exactly the text of emitJson, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(joined(value)).toBe(emitJson(value))
      }),
      {numRuns: 2000}
    )
  })

  it('leaves out fields, and writes items, as JSON.stringify does', () => {
    const value = {
      a: undefined,
      b: [undefined, () => 1, 'x\ny\u2028', {c: undefined}],
      d: {},
      e: [],
      f: [[], [{}], {g: [1, {h: null}]}],
      when: new Date(0),
      i: () => 2
    }
    expect(joined(value)).toBe(emitJson(value))
    expect(joined([])).toBe('[]\n')
    expect(joined({})).toBe('{}\n')
    expect(joined(null)).toBe('null\n')
  })

  it('makes index.json and actions.json of the real reference a role or an action at a time', async () => {
    const {records} = await build({inputs: [reference], cwd: root})
    const provenance = {version: '0.0.0', inputs: ['reference'], files: 142}
    const files = datasetFiles(records, provenance)
    const actions = createActionIndex(records.filter((record): record is RoleRecord => record.kind === 'role'))
    const expected = {'index.json': emitJson(createIndex(records, actions.length, provenance)), 'actions.json': emitJson(actions)}
    for (const [name, text] of Object.entries(expected)) {
      const content = files.find((file) => file.name === name)?.content()
      expect(typeof content).not.toBe('string')
      const pieces = [...(content as Iterable<string>)]
      const whole = pieces.join('')
      expect(whole).toBe(text)
      // A piece per role or action: the longest is an action that many roles grant (3,253 characters), against 283,504 for the whole action index.
      expect(pieces.length).toBeGreaterThan(170)
      expect(Math.max(...pieces.map((piece) => piece.length))).toBeLessThan(whole.length / 50)
    }
  })
})
