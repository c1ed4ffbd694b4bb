/** The README documents what exists: every rule ID, with its severity, and the scripts it names. */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {expect, it} from 'vitest'
import {rules} from '../src/index.js'
import {root} from './helpers/paths.js'

const readme = readFileSync(path.join(root, 'README.md'), 'utf8')

it('lists every rule ID with its severity, and no other', () => {
  const documented = [...readme.matchAll(/^\| `([a-z-]+)` \| (error|warning|info) \|/gm)].map((match) => [match[1], match[2]])
  expect(documented).toEqual(Object.entries(rules).map(([id, rule]) => [id, rule.severity]))
})

it('names only npm scripts that exist', () => {
  const scripts = (JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {scripts: Record<string, string>}).scripts
  for (const match of readme.matchAll(/npm (?:run )?(start|test|[a-z]+(?=`))/g)) {
    if (match[1] === 'install' || match[1] === 'ci') continue
    expect(scripts, match[0]).toHaveProperty(match[1] ?? '')
  }
})
