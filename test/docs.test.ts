/**
 * The README and the reference pages in docs/ say what is true: every rule
 * ID with its severity, every option of every command, examples that run
 * and print what they show, links that lead somewhere, and only scripts,
 * paths and exports that exist.
 */
import {execFileSync} from 'node:child_process'
import {appendFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import * as roledoc from '../src/index.js'
import {anchors, codeBlock, codeBlocks, inlineCode, jsExamples, links, readPage, readPages, shownOutput, tables, type Page} from './helpers/docs.js'
import {createRepo} from './helpers/git.js'
import {corpus, fixtures, reference, root} from './helpers/paths.js'

const pages = readPages()
const work = mkdtempSync(path.join(tmpdir(), 'roledoc-docs-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

function page(name: string): Page {
  const found = pages.find((candidate) => candidate.name === name)
  if (!found) throw new Error(`No page ${name}`)
  return found
}

/** Run the CLI in `cwd`; `output` is stdout and stderr as a terminal shows them, in the order written. */
async function run(argv: string[], cwd: string): Promise<{code: number; stdout: string; output: string}> {
  let stdout = ''
  let output = ''
  const code = await main(argv, {stdout: (text) => ((stdout += text), (output += text)), stderr: (text) => (output += text), cwd})
  return {code, stdout, output}
}

/** Links to pages not written yet (none now: docs/architecture.md came with the `src/` redesign, issue #24). */
const pending = new Set<string>()

describe('docs/diagnostics.md', () => {
  const table = tables(page('docs/diagnostics.md')).find((candidate) => candidate.header.join(' | ') === 'rule ID | severity | meaning | fix')
  const rows = (table?.rows ?? []).map(([id, severity, meaning, fix]) => ({id: id?.code[0] ?? '', severity: severity?.text, meaning: meaning?.text ?? '', fix: fix?.text ?? ''}))

  it('lists every rule ID of src/messages.ts, in its order, and no other', () => {
    const documented = rows.map((row) => row.id)
    const ruleIds = Object.keys(roledoc.rules)
    expect(ruleIds.filter((id) => !documented.includes(id)), 'rules missing from the table').toEqual([])
    expect(documented.filter((id) => !ruleIds.includes(id)), 'rows that are no rule').toEqual([])
    expect(documented).toEqual(ruleIds)
  })

  it('gives each rule its severity, a meaning and a fix', () => {
    for (const row of rows) {
      expect(row.severity, row.id).toBe(roledoc.rules[row.id as roledoc.RuleId].severity)
      expect(row.meaning.length, row.id).toBeGreaterThan(20)
      expect(row.fix.length, row.id).toBeGreaterThan(5)
    }
  })
})

it('names only rule IDs that exist in the rule columns of tables', () => {
  for (const current of pages) {
    for (const table of tables(current)) {
      const column = table.header.findIndex((cell) => cell === 'rule' || cell === 'rule ID')
      if (column < 0) continue
      for (const row of table.rows) {
        for (const id of row[column]?.code ?? []) expect(Object.keys(roledoc.rules), `${current.name}: ${id}`).toContain(id)
      }
    }
  }
})

it('docs/output.md shows real excerpts of the dataset compiled from the real reference folder', async () => {
  const output = page('docs/output.md')
  const {dataset} = await roledoc.build({inputs: [reference], cwd: root})
  const shown = JSON.parse(codeBlock(output, 'json', (block) => block.includes('"id": "application-administrator"'))) as Record<string, unknown>
  const actual = JSON.parse(dataset.get('roles/application-administrator.json') ?? 'null') as Record<string, unknown>
  // Long texts are cut with `…`; everything else is as compiled.
  for (const key of ['anchor', 'name', 'description', 'templateId', 'privileged', 'deprecated', 'tables', 'includes', 'frontMatter', 'source']) {
    expect(shown[key], key).toEqual(actual[key])
  }
  expect(actual['permissions']).toContainEqual((shown['permissions'] as unknown[])[0])
  const summary = String(shown['summary'])
  expect(summary.endsWith('…')).toBe(true)
  expect(String(actual['summary']).startsWith(summary.slice(0, -1))).toBe(true)
  const actions = JSON.parse(dataset.get('actions.json') ?? '[]') as unknown[]
  expect(actions).toContainEqual(JSON.parse(codeBlock(output, 'json', (block) => block.startsWith('{\n  "action": '))))
})

it('runs every JavaScript example, with the output its comments show', () => {
  const examples = jsExamples(pages)
  expect(examples.map((example) => example.page)).toEqual(expect.arrayContaining(['README.md', 'docs/api.md']))
  expect(examples.length).toBeGreaterThanOrEqual(3)
  // Inside the package folder, so `import … from 'roledoc'` resolves to this package (dist/).
  const folder = path.join(root, '.readme-examples')
  mkdirSync(folder, {recursive: true})
  try {
    for (const [index, example] of examples.entries()) {
      const script = path.join(folder, `example-${index}.mjs`)
      writeFileSync(script, example.code)
      const output = execFileSync(process.execPath, [script], {cwd: fixtures, encoding: 'utf8'})
      expect(example.expected.length, example.page).toBeGreaterThan(0)
      expect(output.trimEnd().split('\n'), `${example.page}:\n${example.code}`).toEqual(example.expected)
    }
  } finally {
    rmSync(folder, {recursive: true, force: true})
  }
})

describe('shell examples (`$ npx roledoc …` and what it prints)', () => {
  /** How to make the working folder each example runs in, and the exit code it ends with. */
  const setups: Record<string, {code: number; folder: () => Promise<string>}> = {
    'npx roledoc build ../shared/corpus/entra-docs/docs/identity/role-based-access-control --out dataset': {
      code: 0,
      async folder() {
        mkdirSync(path.join(work, 'reference/shared'), {recursive: true})
        symlinkSync(corpus, path.join(work, 'reference/shared/corpus'))
        mkdirSync(path.join(work, 'reference/work'))
        return path.join(work, 'reference/work')
      }
    },
    'npx roledoc build bad': {
      code: 1,
      async folder() {
        mkdirSync(path.join(work, 'bad/bad'), {recursive: true})
        writeFileSync(path.join(work, 'bad/bad/role.md'), codeBlock(page('docs/cli.md'), 'markdown', (block) => block.includes('title: Bad Role')) + '\n')
        return path.join(work, 'bad')
      }
    },
    'npx roledoc build docs --out dataset --check': {
      code: 1,
      async folder() {
        const folder = path.join(work, 'check')
        cpSync(fixtures, path.join(folder, 'docs'), {recursive: true})
        expect((await run(['build', 'docs', '--out', 'dataset'], folder)).code).toBe(0)
        appendFileSync(path.join(folder, 'dataset/roles/partner-tier1-support.json'), '\n')
        rmSync(path.join(folder, 'dataset/actions.csv'))
        writeFileSync(path.join(folder, 'dataset/roles/leftover.json'), '{}\n')
        return folder
      }
    },
    'npx roledoc diff old.md new.md': {
      code: 0,
      async folder() {
        const folder = path.join(work, 'diff')
        mkdirSync(folder)
        const old = codeBlock(page('docs/cli.md'), 'markdown', (block) => block.includes('title: Sample Role')) + '\n'
        const badge = '[![Privileged label icon.](../media/permissions-reference/privileged-label.png)](../privileged-roles-permissions.md)'
        writeFileSync(path.join(folder, 'old.md'), old)
        writeFileSync(path.join(folder, 'new.md'), old.replace('| Delete users |', `| Delete users<br/>${badge} |`).replace('ms.date: 07/09/2025', 'ms.date: 08/01/2025'))
        return folder
      }
    },
    'npx roledoc drift --graph test/drift/graph.json test/drift/docs': {code: 0, folder: async () => root},
    'npx roledoc history repo --path docs/roles': {
      code: 0,
      async folder() {
        const folder = path.join(work, 'history')
        const repo = createRepo('', path.join(folder, 'repo'))
        const sample = codeBlock(page('docs/cli.md'), 'markdown', (block) => block.includes('title: Sample Role')) + '\n'
        const badge = '[![Privileged label icon.](../media/permissions-reference/privileged-label.png)](../privileged-roles-permissions.md)'
        repo.commit({'docs/roles/sample-role.md': sample}, '2025-06-01T10:00:00Z', 'Add the Sample Role')
        repo.commit({'docs/roles/notes.txt': 'Not a role.\n'}, '2025-06-02T10:00:00Z', 'A note')
        const changed = sample.replace('| Delete users |', `| Delete users<br/>${badge} |`).replace('ms.date: 07/09/2025', 'ms.date: 08/01/2025')
        repo.commit({'docs/roles/sample-role.md': changed}, '2025-06-03T10:00:00Z', 'Sample Role: users/delete is privileged')
        return folder
      }
    }
  }
  const examples = pages.flatMap((current) =>
    codeBlocks(current, 'text')
      .filter((block) => block.value.startsWith('$ npx roledoc '))
      .map((block) => {
        const [command = '', ...shown] = block.value.split('\n')
        return {name: current.name, command: command.slice(2), shown: shown.join('\n')}
      })
  )

  it('are all checked here', () => {
    expect(examples.map((example) => example.command).sort()).toEqual(Object.keys(setups).sort())
  })

  it.each(examples)('$name: $command', async ({command, shown}) => {
    const setup = setups[command]
    if (!setup) throw new Error(`No setup for ${command}`)
    const result = await run(command.split(' ').slice(2), await setup.folder())
    expect(result.output).toMatch(shownOutput(shown))
    expect(result.code).toBe(setup.code)
  })
})

describe('options', () => {
  const commands = ['build', 'diff', 'drift', 'history'] as const
  const help = new Map<string, string[]>()

  async function optionsOf(command: string): Promise<string[]> {
    if (!help.has(command)) {
      const {stdout} = await run([command, '--help'], root)
      const options = stdout.slice(stdout.indexOf('Options:'))
      help.set(command, [...options.matchAll(/^ {2,}(?:(-[a-zA-Z]), )?(--[a-z][a-z-]*)/gm)].flatMap((match) => (match[1] ? [match[1], match[2] ?? ''] : [match[2] ?? ''])).sort())
    }
    return help.get(command) ?? []
  }

  function tableOptions(current: Page, section: string): string[] {
    return tables(current)
      .filter((table) => table.header[0] === 'option' && table.section === section)
      .flatMap((table) => table.rows.flatMap((row) => (row[0]?.code ?? []).map((code) => code.split(' ')[0] ?? '')))
      .sort()
  }

  it.each(commands)('docs/cli.md documents exactly the options of `roledoc %s --help`', async (command) => {
    const documented = tableOptions(page('docs/cli.md'), `roledoc ${command}`)
    expect(documented.length).toBeGreaterThan(4)
    expect(documented).toEqual(await optionsOf(command))
  })

  it("the README's options table holds options that exist", async () => {
    const all = new Set((await Promise.all(commands.map(optionsOf))).flat())
    const shown = tableOptions(page('README.md'), 'CLI')
    expect(shown.length).toBeGreaterThan(4)
    for (const option of shown) expect([...all], option).toContain(option)
  })

  it('every `roledoc` command line shown uses options its command has', async () => {
    let checked = 0
    for (const current of pages) {
      const lines = [...codeBlocks(current).map((block) => block.value.replace(/\\\n/g, ' ')), ...inlineCode(current)].flatMap((text) => text.split('\n'))
      for (const line of lines) {
        const match = /\broledoc (build|diff|drift|history)\b(.*)$/.exec(line)
        if (!match) continue
        const known = await optionsOf(match[1] ?? '')
        for (const token of (match[2] ?? '').split(/\s+/)) {
          const option = /^\[?(--?[a-zA-Z][\w-]*)/.exec(token)?.[1]
          if (option) expect(known, `${current.name}: ${line}`).toContain(option)
        }
        checked++
      }
    }
    expect(checked).toBeGreaterThan(20)
  })
})

describe('links and paths', () => {
  const checked = [...pages, readPage('test/bench/HISTORY.md'), readPage('test/bench/README.md')]

  it('every relative link leads to a file, and to a heading of it', () => {
    const broken: string[] = []
    const headingsOf = new Map<string, Set<string>>()
    const anchorsOf = (file: string): Set<string> => headingsOf.get(file) ?? headingsOf.set(file, anchors(readPage(file))).get(file) ?? new Set()
    for (const current of checked) {
      for (const link of links(current)) {
        if (/^[a-z][a-z+.-]*:/i.test(link.url)) continue
        const [target = '', anchor] = link.url.split('#')
        const file = target === '' ? current.name : path.posix.join(path.posix.dirname(current.name), target)
        const where = `${current.name}:${link.line}: ${link.url}`
        if (!existsSync(path.join(root, file))) {
          if (!pending.has(file)) broken.push(`${where} (no ${file})`)
          continue
        }
        if (anchor !== undefined && !anchorsOf(file).has(anchor)) broken.push(`${where} (no heading #${anchor} in ${file})`)
      }
    }
    expect(broken).toEqual([])
  })

  it('names only repository paths that exist', () => {
    for (const current of checked) {
      for (const code of inlineCode(current)) {
        if (!/^(?:src|test|schema|docs|fixtures)\/[\w./-]*$/.test(code) || pending.has(code)) continue
        expect(existsSync(path.join(root, code)), `${current.name}: ${code}`).toBe(true)
      }
    }
  })

  it('docs/layout.md lists modules that exist', () => {
    const listing = codeBlock(page('docs/layout.md'), 'text', (block) => block.startsWith('src/'))
    const modules = listing.split('\n').flatMap((line) => (line.split(/\s{2,}/)[0] ?? '').split(', '))
    expect(modules.length).toBeGreaterThan(20)
    for (const module of modules) {
      const [folder = '', glob] = module.split('/*')
      const found = glob === undefined ? existsSync(path.join(root, module)) : readdirSync(path.join(root, folder)).some((name) => name.endsWith(glob))
      expect(found, module).toBe(true)
    }
  })

  it('names only npm scripts that exist', () => {
    const {scripts} = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {scripts: Record<string, string>}
    const names = Object.keys(scripts)
    for (const current of checked) {
      for (const match of current.text.matchAll(/\bnpm (?:run ([a-z][\w:-]*)|(start|test)\b)/g)) {
        expect(names, `${current.name}: ${match[0]}`).toContain(match[1] ?? match[2])
      }
    }
  })
})

it('docs/api.md names every export of the package', () => {
  const named = new Set(inlineCode(page('docs/api.md')).flatMap((code) => code.match(/[A-Za-z_$][\w$]*/g) ?? []))
  expect(Object.keys(roledoc).filter((name) => !named.has(name))).toEqual([])
})
