/**
 * `out/` is committed: it must hold exactly what `roledoc build` (the
 * README's `npm start`) writes from `fixtures/` now.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../src/index.js'
import {root} from './helpers/paths.js'
import {recordErrors, validateActions, validateIndex} from './helpers/schema.js'

function listFiles(folder: string, prefix = ''): string[] {
  const names: string[] = []
  for (const entry of readdirSync(folder, {withFileTypes: true})) {
    const name = prefix + entry.name
    if (entry.isDirectory()) names.push(...listFiles(path.join(folder, entry.name), `${name}/`))
    else names.push(name)
  }
  return names.sort()
}

describe('out/', () => {
  it('is what a fresh build of fixtures/ writes (run `npm start` to update it)', async () => {
    const result = await build({inputs: ['fixtures'], cwd: root})
    expect(result.messages.map(String)).toEqual([])
    const out = path.join(root, 'out')
    expect(listFiles(out)).toEqual([...result.dataset.keys()].sort())
    for (const [name, content] of result.dataset) {
      expect(readFileSync(path.join(out, name), 'utf8'), name).toBe(content)
    }
  })

  it('holds records, an index and an action index that match the JSON Schemas', () => {
    const out = path.join(root, 'out')
    const read = (name: string): unknown => JSON.parse(readFileSync(path.join(out, name), 'utf8'))
    const index = read('index.json') as {roles: Array<{id: string}>; fragments: Array<{id: string}>}
    expect(validateIndex(index), JSON.stringify(validateIndex.errors)).toBe(true)
    expect(validateActions(read('actions.json')), JSON.stringify(validateActions.errors)).toBe(true)
    expect(index.roles.map((entry) => entry.id)).toContain('partner-tier1-support')
    for (const entry of [...index.roles, ...index.fragments]) {
      expect(recordErrors(read(`roles/${entry.id}.json`))).toBe('')
    }
  })
})
