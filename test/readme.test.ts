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

it('shows real excerpts of the dataset compiled from the real reference folder', async () => {
  const {build} = await import('../src/index.js')
  const {reference} = await import('./helpers/paths.js')
  const {dataset} = await build({inputs: [reference], cwd: root})
  const blocks = [...readme.matchAll(/```json\n([\s\S]*?)\n```/g)].map((match) => match[1] ?? '')
  const recordBlock = blocks.find((block) => block.includes('"id": "application-administrator"'))
  const actionBlock = blocks.find((block) => block.startsWith('{\n  "action": '))
  const shown = JSON.parse(recordBlock ?? 'null') as Record<string, unknown>
  const actual = JSON.parse(dataset.get('roles/application-administrator.json') ?? 'null') as Record<string, unknown>
  // Long texts are cut with `…` in the README; everything else is as compiled.
  for (const key of ['anchor', 'name', 'description', 'templateId', 'privileged', 'deprecated', 'tables', 'includes', 'frontMatter', 'source']) {
    expect(shown[key], key).toEqual(actual[key])
  }
  expect(actual['permissions']).toContainEqual((shown['permissions'] as unknown[])[0])
  expect(String(actual['summary'])).toMatch(new RegExp('^' + String(shown['summary']).replace('…', '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
  const actions = JSON.parse(dataset.get('actions.json') ?? '[]') as unknown[]
  expect(actions).toContainEqual(JSON.parse(actionBlock ?? 'null'))
})

it('runs every JavaScript example of the API section, with the output its comments show', async () => {
  const {execFileSync} = await import('node:child_process')
  const {mkdirSync, rmSync, writeFileSync} = await import('node:fs')
  const blocks = [...readme.matchAll(/^( *)```js\n([\s\S]*?)\n\1```/gm)].map((match) =>
    (match[2] ?? '').replace(new RegExp(`^${match[1] ?? ''}`, 'gm'), '')
  )
  const examples = blocks.filter((block) => /from 'roledoc(?:\/plugin)?'/.test(block))
  expect(examples.length).toBeGreaterThanOrEqual(2)
  // Inside the package folder, so `import … from 'roledoc'` resolves to this package (dist/).
  const folder = path.join(root, '.readme-examples')
  mkdirSync(folder, {recursive: true})
  try {
    for (const [index, example] of examples.entries()) {
      const script = path.join(folder, `example-${index}.mjs`)
      writeFileSync(script, example)
      const output = execFileSync(process.execPath, [script], {cwd: path.join(root, 'fixtures'), encoding: 'utf8'})
      const expected = [...example.matchAll(/console\.log\(.*\) \/\/ (.*)$/gm)].map((match) => match[1])
      expect(output.trimEnd().split('\n'), example).toEqual(expected)
    }
  } finally {
    rmSync(folder, {recursive: true, force: true})
  }
})
