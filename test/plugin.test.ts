/** roledoc inside the unified ecosystem: a plugin in a remark pipeline, and unified-engine on a folder. */
import {cpSync, mkdirSync, mkdtempSync, rmSync} from 'node:fs'
import {PassThrough} from 'node:stream'
import {readFile} from 'node:fs/promises'
import {tmpdir} from 'node:os'
import path from 'node:path'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {engine} from 'unified-engine'
import {VFile} from 'vfile'
import {reporter} from 'vfile-reporter'
import {describe, expect, it} from 'vitest'
import {compileRole, remarkRoledoc} from '../src/index.js'
import {fixtures, root} from './helpers/paths.js'

const seedPath = path.join(fixtures, 'partner-tier1-support.md')

describe('remarkRoledoc in a remark pipeline', () => {
  it('puts the same record as compileRole on file.data.roledoc', async () => {
    const value = await readFile(seedPath)
    const file = new VFile({path: 'partner-tier1-support.md', value})
    const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkRoledoc)
    await processor.run(processor.parse(file), file)
    const expected = compileRole(new VFile({path: 'partner-tier1-support.md', value})).record
    expect(file.data.roledoc?.kind).toBe('role')
    expect(file.data.roledoc?.record).toEqual(expected)
    expect(file.messages).toEqual([])
  })

  it('reports through file.message, so vfile-reporter shows roledoc diagnostics unchanged', async () => {
    const value = await readFile(path.join(root, 'test/fixtures/malformed-action/input.md'))
    const file = new VFile({path: 'malformed-action.md', value})
    const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkRoledoc)
    await processor.run(processor.parse(file), file)
    expect(file.messages.map((m) => [m.ruleId, m.source, m.line, m.column, m.fatal])).toEqual([['malformed-action', 'roledoc', 14, 3, true]])
    const report = reporter([file], {color: false})
    expect(report).toContain('malformed-action.md')
    expect(report).toMatch(/14:3-14:\d+\s+error\s+Expected an action such as `microsoft.directory\/users\/create`/)
    expect(report).toContain('malformed-action')
    expect(report).toContain('roledoc')
  })

  it('tells reference pages and fragments apart with {kind: "any"}', async () => {
    const value = await readFile(path.join(root, 'test/reference/variations/includes/comparison-table.md'))
    const file = new VFile({path: 'comparison-table.md', value})
    const processor = unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkRoledoc, {kind: 'any'})
    await processor.run(processor.parse(file), file)
    expect(file.data.roledoc?.kind).toBe('fragment')
  })
})

describe('remarkRoledoc through unified-engine', () => {
  it('compiles a folder and reports every file', async () => {
    const cwd = mkdtempSync(path.join(tmpdir(), 'roledoc-engine-'))
    try {
      mkdirSync(path.join(cwd, 'docs'))
      cpSync(path.join(root, 'test/fixtures/duplicate-action/input.md'), path.join(cwd, 'docs/duplicate.md'))
      cpSync(seedPath, path.join(cwd, 'docs/partner-tier1-support.md'))
      let output = ''
      const streamError = new PassThrough()
      streamError.on('data', (chunk: Buffer) => (output += chunk.toString()))
      const code = await new Promise<number>((resolve, reject) => {
        engine(
          {
            processor: unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkRoledoc),
            files: ['docs'],
            extensions: ['md'],
            cwd,
            out: false,
            color: false,
            streamError,
            streamIn: new PassThrough(),
            ignoreName: '.roledocignore'
          },
          (error, status) => (error ? reject(error) : resolve(status ?? 0))
        )
      })
      expect(code).toBe(1)
      expect(output).toContain('docs/duplicate.md')
      expect(output).toMatch(/15:3-15:\d+\s+error\s+Action `microsoft.directory\/users\/create` is already listed on line 13/)
      expect(output).toContain('docs/partner-tier1-support.md: no issues found')
    } finally {
      rmSync(cwd, {recursive: true, force: true})
    }
  })
})
