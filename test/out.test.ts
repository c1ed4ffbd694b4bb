/**
 * `out/` is committed: it must hold exactly what `roledoc build` (the
 * README's `npm start`) writes from `fixtures/` now.
 */
import {readdirSync, readFileSync} from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {createHash} from 'node:crypto'
import {build} from '../src/index.js'
import {manifestText} from '../src/driver/manifest.js'
import {root} from './helpers/paths.js'
import {recordErrors, validateActions, validateFragments, validateIndex, validateManifest, validateRoles} from './helpers/schema.js'

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
    expect(listFiles(out)).toEqual([...result.dataset.keys(), 'manifest.json'].sort())
    for (const [name, content] of result.dataset) {
      expect(readFileSync(path.join(out, name), 'utf8'), name).toBe(content)
    }
    // The manifest lists every other file, with its size and SHA-256.
    const listed = [...result.dataset].map(([name, content]) => ({path: name, size: Buffer.byteLength(content), sha256: createHash('sha256').update(content).digest('hex')}))
    expect(readFileSync(path.join(out, 'manifest.json'), 'utf8')).toBe(manifestText(listed))
    const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')) as {files: Array<{path: string; size: number}>}
    expect(manifest.files.map((file) => file.path)).toEqual([...result.dataset.keys()].sort())
    expect(manifest.files.find((file) => file.path === 'index.json')?.size).toBe(readFileSync(path.join(out, 'index.json')).length)
  })

  it('holds records, an index and an action index that match the JSON Schemas', () => {
    const out = path.join(root, 'out')
    const read = (name: string): unknown => JSON.parse(readFileSync(path.join(out, name), 'utf8'))
    const index = read('index.json') as {roles: Array<{id: string}>; fragments: Array<{id: string}>}
    expect(validateIndex(index), JSON.stringify(validateIndex.errors)).toBe(true)
    expect(validateActions(read('actions.json')), JSON.stringify(validateActions.errors)).toBe(true)
    expect(validateManifest(read('manifest.json')), JSON.stringify(validateManifest.errors)).toBe(true)
    expect(index.roles.map((entry) => entry.id)).toContain('partner-tier1-support')
    for (const entry of index.roles) expect(recordErrors(read(`roles/${entry.id}.json`))).toBe('')
    for (const entry of index.fragments) expect(recordErrors(read(`fragments/${entry.id}.json`))).toBe('')
    expect(validateRoles(read('roles.json')), JSON.stringify(validateRoles.errors)).toBe(true)
    expect(validateFragments(read('fragments.json')), JSON.stringify(validateFragments.errors)).toBe(true)
  })
})
