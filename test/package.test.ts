/**
 * The package as users get it: `npm pack`, installed from the tarball into
 * a new project that has nothing else (no dev dependencies of roledoc), as
 * the README's Install section says; its CLI, library, plugin, schemas and
 * types must work from there, and so must the README's API examples and the
 * CI job's install step (a global install of the tarball).
 */
import {execFileSync} from 'node:child_process'
import {copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {isBuiltin} from 'node:module'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {codeBlock, jsExamples, readPage} from './helpers/docs.js'
import {fixtures, root} from './helpers/paths.js'

const work = mkdtempSync(path.join(tmpdir(), 'roledoc-pack-'))
afterAll(() => rmSync(work, {recursive: true, force: true}))

const npm = (args: string[], cwd: string): string =>
  execFileSync('npm', args, {cwd, encoding: 'utf8', env: {...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false'}})

/** An install from the registry's packages, from npm's cache when it has them; npm retries a failed fetch itself. */
const install = (args: string[], cwd: string): string => npm(['install', '--prefer-offline', '--no-save', ...args], cwd)

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {version: string; devDependencies: Record<string, string>}
const app = path.join(work, 'app')
const roledocBin = path.join(app, 'node_modules/.bin/roledoc')
let tarball = ''
let packed: string[] = []

beforeAll(() => {
  const [result] = JSON.parse(npm(['pack', '--json', '--pack-destination', work], root)) as Array<{filename: string; files: Array<{path: string}>}>
  if (!result) throw new Error('npm pack gave no tarball')
  tarball = path.join(work, result.filename)
  packed = result.files.map((file) => file.path)
  mkdirSync(app)
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({name: 'app', private: true, type: 'module'}))
  // The types of Node a TypeScript project on Node has (the API's options use AbortSignal), at the major version roledoc is built with.
  const nodeTypes = `@types/node@${(manifest.devDependencies['@types/node'] ?? '20').replace(/^\^/, '').split('.')[0]}`
  install([tarball, nodeTypes], app)
}, 300_000)

describe('npm pack', () => {
  it('packs the built code, the schemas and the README, and no sources or tests', () => {
    expect(packed).toContain('dist/index.js')
    expect(packed).toContain('dist/index.d.ts')
    expect(packed).toContain('dist/plugin.js')
    expect(packed).toContain('dist/bin.js')
    // The explorer's bundled client, which emitSite inlines.
    expect(packed).toContain('dist/site/client-script.js')
    expect(packed).toContain('schema/role.schema.json')
    expect(packed).toContain('schema/fragment.schema.json')
    expect(packed).toContain('README.md')
    expect(packed.filter((file) => file.startsWith('src/') || file.startsWith('test/'))).toEqual([])
    expect(readdirSync(path.join(app, 'node_modules/roledoc')).sort()).toEqual(['README.md', 'dist', 'package.json', 'schema'])
  })

  it('installs into a new project without roledoc’s dev dependencies', () => {
    const installed = readdirSync(path.join(app, 'node_modules'), {recursive: true}).map(String)
    const dev = Object.keys(manifest.devDependencies).filter((name) => name !== '@types/node')
    expect(dev.length).toBeGreaterThan(5)
    expect(dev.filter((name) => installed.includes(name))).toEqual([])
  })

  it('gives a `roledoc` command that prints its version and compiles the seed as the repository does', () => {
    expect(execFileSync(roledocBin, ['--version'], {encoding: 'utf8'})).toBe(`${manifest.version}\n`)
    execFileSync(roledocBin, ['build', fixtures, '--out', 'data', '--quiet', '--no-cache'], {cwd: app})
    for (const name of ['roles.ndjson', 'index.json', 'actions.csv']) {
      expect(readFileSync(path.join(app, 'data', name), 'utf8'), name).toBe(readFileSync(path.join(root, 'out', name), 'utf8'))
    }
  })

  it('runs the README’s API examples, which need nothing but roledoc', () => {
    copyFileSync(path.join(fixtures, 'partner-tier1-support.md'), path.join(app, 'partner-tier1-support.md'))
    const examples = jsExamples([readPage('README.md')])
    expect(examples.length).toBeGreaterThan(0)
    for (const [index, example] of examples.entries()) {
      expect(example.imports.filter((name) => !name.startsWith('roledoc') && !isBuiltin(name)), example.code).toEqual([])
      writeFileSync(path.join(app, `example-${index}.mjs`), example.code)
      const output = execFileSync(process.execPath, [`example-${index}.mjs`], {cwd: app, encoding: 'utf8'})
      expect(output.trimEnd().split('\n'), example.code).toEqual(example.expected)
    }
  })

  it('imports the library, the plugin, the schemas and the explorer page', () => {
    writeFileSync(
      path.join(app, 'check.mjs'),
      [
        "import {createHash} from 'node:crypto'",
        "import {compileRole, emitSite, remarkRoledoc as fromIndex} from 'roledoc'",
        "import remarkRoledoc from 'roledoc/plugin'",
        "import schema from 'roledoc/schema/role.schema.json' with {type: 'json'}",
        "const {record} = compileRole('---\\ntitle: T\\ndescription: D\\n---\\n\\n<!-- autogenerated content starts here -->\\n\\n> [!div class=\"mx-tableFixed\"]\\n> | Actions | Description |\\n> | --- | --- |\\n> | microsoft.directory/users/create | Add users |\\n')",
        "const page = emitSite([record], {version: '1'})",
        "const script = page.slice(page.lastIndexOf('<script>') + 8, page.lastIndexOf('</script>'))",
        "const allowed = /script-src 'sha256-([^']+)'/.exec(page)[1] === createHash('sha256').update(script).digest('base64')",
        'console.log(JSON.stringify([record.permissions[0].action, typeof remarkRoledoc, remarkRoledoc === fromIndex, schema.title, allowed, script.includes("roledoc:start-up")]))'
      ].join('\n')
    )
    const output = execFileSync(process.execPath, ['check.mjs'], {cwd: app, encoding: 'utf8'})
    // The page's script is the bundled client, and its policy allows it.
    expect(JSON.parse(output)).toEqual(['microsoft.directory/users/create', 'function', true, 'roledoc role record', true, true])
  })

  it('ships .d.ts files that type-check in a strict project with skipLibCheck: false', () => {
    const consumer = path.join(app, 'types')
    mkdirSync(consumer)
    writeFileSync(
      path.join(consumer, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          lib: ['ES2023'],
          types: ['node'],
          strict: true,
          exactOptionalPropertyTypes: true,
          noUncheckedIndexedAccess: true,
          skipLibCheck: false,
          noEmit: true
        },
        files: ['consumer.ts']
      })
    )
    writeFileSync(path.join(consumer, 'consumer.ts'), consumerSource)
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc')
    let output = ''
    try {
      output = execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json', '--listFilesOnly'], {cwd: consumer, encoding: 'utf8'})
      execFileSync(process.execPath, [tsc, '-p', 'tsconfig.json'], {cwd: consumer, encoding: 'utf8'})
    } catch (error) {
      throw new Error(`tsc failed:\n${String((error as {stdout?: unknown}).stdout)}`)
    }
    // Checked from the installed package (not this repository's dist/), with its dependencies' types.
    const files = output
      .split('\n')
      .filter((file) => file !== '' && !/[\\/]lib\.[\w.]+\.d\.ts$/.test(file))
      .map((file) => path.relative(app, file).split(path.sep).join('/'))
    expect(files).toContain('node_modules/roledoc/dist/index.d.ts')
    expect(files).toContain('node_modules/roledoc/dist/plugin.d.ts')
    expect(files.some((file) => file.startsWith('node_modules/@types/mdast/'))).toBe(true)
    expect(files.some((file) => file.startsWith('node_modules/vfile/'))).toBe(true)
    // Nothing but TypeScript's own libraries (left out above) from outside the new project.
    expect(files.filter((file) => file.startsWith('..'))).toEqual([])
  })

  it('installs globally from the tarball, as the CI job in docs/cli.md does', () => {
    const job = codeBlock(readPage('docs/cli.md'), 'yaml', (block) => block.includes('runs-on:'))
    const step = /^ +- run: npm install --global (\S+)$/m.exec(job)
    expect(step?.[1]).toBe(`./tools/${path.basename(tarball)}`)
    const prefix = path.join(work, 'global')
    mkdirSync(path.join(work, 'tools'))
    copyFileSync(tarball, path.join(work, 'tools', path.basename(tarball)))
    install(['--global', '--prefix', prefix, step?.[1] ?? ''], work)
    expect(execFileSync(path.join(prefix, 'bin/roledoc'), ['--version'], {encoding: 'utf8'})).toBe(`${manifest.version}\n`)
  })
})

/**
 * A consumer of the API, as a TypeScript user writes it: results narrowed
 * by `kind`, options with exactly optional properties. Each
 * `@ts-expect-error` must be an error, so the types are not `any`.
 */
const consumerSource = `import {readFile} from 'node:fs/promises'
import {build, compileFile, compileRole, diffRecords, emitDataset, emitDiff, type BuildOptions, type CompiledFile, type DatasetRecord, type RoleRecord, type RuleSettings} from 'roledoc'
import remarkRoledoc from 'roledoc/plugin'
import type {RoledocData} from 'roledoc'

const path = 'partner-tier1-support.md'
const result = compileRole(await readFile(path), {path})
// @ts-expect-error: before narrowing, there may be no record.
console.log(result.record.permissions.length)
if (result.kind === 'role') {
  const record: RoleRecord = result.record
  console.log(record.permissions.length, result.messages.length, result.file.path)
}

function describe(file: CompiledFile): string {
  switch (file.kind) {
    case 'role':
      return \`\${file.record.name ?? file.record.id}: \${file.record.permissions.length} permissions\`
    case 'fragment':
      return file.record.summary
    case 'reference':
      return \`\${file.reference.rows.length} roles in the table\`
    case 'skipped':
      return file.messages.map(String).join('\\n')
  }
}
console.log(describe(compileFile('# Title', {path: 'x.md'})))

const rules: RuleSettings = {'unreferenced-include': 'off', 'unmarked-privileged-role': 'error'}
// @ts-expect-error: a rule ID that does not exist.
const mistyped: RuleSettings = {'unreferenced-includes': 'off'}
const options: BuildOptions = {inputs: ['docs'], rules}
const built = await build(options)
const records: DatasetRecord[] = built.records
for (const record of records) {
  if (record.kind === 'role') console.log(record.permissions.length)
  // @ts-expect-error: a fragment has no permissions.
  else console.log(record.permissions)
}
console.log(emitDiff(diffRecords(records, records), 'text'), emitDataset(records, {version: '1', inputs: ['docs'], files: 1}).size)

const data: RoledocData | undefined = undefined as RoledocData | undefined
if (data?.kind === 'role') console.log(data.record.templateId)
console.log(typeof remarkRoledoc, mistyped)
`

describe('the bundled command', () => {
  // `npm run build` bundles dist/bin.js and dist/worker.js (rolldown.config.mjs),
  // so that starting roledoc does not load some 250 modules one at a time.
  const dist = path.join(root, 'dist')
  const bundle = readdirSync(dist).filter((name) => name === 'bin.js' || name === 'worker.js' || /^bundle-.*\.js$/.test(name))

  it('loads only Node builtins and its own files', () => {
    expect(bundle).toEqual(expect.arrayContaining(['bin.js', 'worker.js']))
    const outside = new Set<string>()
    for (const name of bundle) {
      const code = readFileSync(path.join(dist, name), 'utf8')
      const specifiers = [...code.matchAll(/\bfrom\s*"([^"]+)"|\bimport\s*\(\s*"([^"]+)"\s*\)|\b__require\(\s*"([^"]+)"\s*\)/g)].map((match) => match[1] ?? match[2] ?? match[3] ?? '')
      for (const specifier of specifiers) {
        if (specifier.startsWith('./')) {
          if (!existsSync(path.join(dist, specifier))) outside.add(`${name}: ${specifier} (missing)`)
          continue
        }
        if (isBuiltin(specifier)) continue
        outside.add(`${name}: ${specifier}`)
      }
    }
    expect([...outside]).toEqual([])
  })

  it('keeps the parser out of what every run loads', () => {
    // bin.js and the chunks it imports statically; the parser comes with worker.js, imported only to compile.
    const loaded = new Set<string>()
    const visit = (name: string): void => {
      if (loaded.has(name)) return
      loaded.add(name)
      const code = readFileSync(path.join(dist, name), 'utf8')
      for (const match of code.matchAll(/^import\b(?:[^;"]*?\bfrom)?\s*"\.\/([^"]+)"/gm)) visit(match[1] as string)
    }
    visit('bin.js')
    expect(loaded.has('worker.js')).toBe(false)
    const text = [...loaded].map((name) => readFileSync(path.join(dist, name), 'utf8')).join('\n')
    expect(text).not.toMatch(/micromark/)
    expect(readFileSync(path.join(dist, 'worker.js'), 'utf8')).toMatch(/micromark/)
  })
})
