/**
 * Smoke test over the real include files (ROLEDOC_INCLUDES, default
 * ../shared/corpus/…/includes): every file compiles without throwing, and
 * every record it gives matches the schema. Their full correctness is the
 * whole-reference compiler's to check.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {compileRole, emitJson, emitYaml} from '../src/index.js'
import {includes} from './helpers/paths.js'
import {validateRole} from './helpers/schema.js'
import {parse as parseYaml} from 'yaml'

const names = readdirSync(includes).filter((name) => name.endsWith('.md')).sort()

describe(`real includes in ${includes}`, () => {
  it('finds the corpus', () => {
    expect(names.length).toBeGreaterThanOrEqual(100)
  })

  for (const name of names) {
    it(name, () => {
      const value = readFileSync(path.join(includes, name))
      const {record, messages} = compileRole(new VFile({path: name, value}))
      for (const message of messages) {
        expect(message.line, String(message)).toBeGreaterThanOrEqual(1)
        expect(message.ruleId, String(message)).toMatch(/^[a-z]+(?:-[a-z]+)*$/)
      }
      expect(record).not.toBeNull()
      expect(validateRole(record), JSON.stringify(validateRole.errors)).toBe(true)
      // Each table row that starts with an action became a permission, unless reported.
      const rows = value.toString('utf8').split(/\r?\n/).filter((line) => /^>\s*\|\s*microsoft\./.test(line))
      expect(record?.permissions.length ?? 0).toBeLessThanOrEqual(rows.length)
      expect(parseYaml(emitYaml(record))).toEqual(JSON.parse(emitJson(record)))
    })
  }
})
