/**
 * What the build's record keys rely on (`recordKeys` in src/driver/build.ts):
 * assembly changes only a record's head. Its summary, callouts,
 * permissions, tables and front matter stay those the file compiled to,
 * and so does its `source` object, by which the build finds the file.
 * Checked on the real reference folder (sections with a roles-table row,
 * includes that resolve and that do not) and on two hand-written ones: a
 * role section that includes a file with no permissions table and no marker, and roles
 * written inline on the reference page.
 */
import {mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {assemble, compileFile, type AssembleUnit} from '../src/index.js'
// The fields the build treats as a record's body.
import {bodyFields} from '../src/driver/incremental/lean-records.js'
import {reference, root} from './helpers/paths.js'
import {findInputs} from '../src/driver/inputs.js'

/** Assemble the files of `folder`, check every record against the file it came from, and count the kinds of join. */
async function check(folder: string): Promise<{records: number; joined: number; fragmentsAsRoles: number; inline: number}> {
  const inputs = await findInputs([folder], root)
  const units: AssembleUnit[] = inputs.map((input) => ({
    root: input.root,
    compiled: compileFile(new VFile({path: input.display, value: readFileSync(input.absolute)}), {sourcePath: input.sourcePath})
  }))
  const records = assemble(units)
  const bySource = new Map(units.flatMap((unit) => (unit.compiled.record ? [[unit.compiled.record.source, unit.compiled.record] as const] : [])))
  const pageSources = new Set(units.flatMap((unit) => (unit.compiled.reference ? [unit.compiled.reference.source] : [])))
  const counts = {records: records.length, joined: 0, fragmentsAsRoles: 0, inline: 0}
  for (const record of records) {
    const compiled = bySource.get(record.source)
    if (!compiled) {
      // Not from a file of its own: a role written inline on a reference page.
      expect(pageSources.has(record.source), `${record.id} comes from a file or a reference page`).toBe(true)
      counts.inline++
      continue
    }
    for (const field of bodyFields) {
      if (field === 'permissions' && compiled.kind === 'fragment' && record.kind === 'role') {
        // A fragment that a role section includes becomes a role without permissions.
        expect(record.permissions).toEqual([])
        counts.fragmentsAsRoles++
        continue
      }
      expect((record as unknown as Record<string, unknown>)[field], `${record.id}.${field}`).toEqual((compiled as unknown as Record<string, unknown>)[field])
    }
    // Joined with a section: the include file itself has no anchor.
    if (record.kind === 'role' && record.anchor !== null && !(compiled.kind === 'role' && compiled.anchor === record.anchor)) counts.joined++
  }
  return counts
}

describe('assemble keeps the body of each record', () => {
  it('on the real reference folder', async () => {
    const counts = await check(reference)
    // The checks ran on joined records, not only on untouched ones.
    expect(counts.records).toBeGreaterThan(100)
    expect(counts.joined).toBeGreaterThan(100)
  })

  it('for a fragment that a role section includes', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'roledoc-assemble-'))
    try {
      mkdirSync(path.join(folder, 'includes'))
      writeFileSync(
        path.join(folder, 'permissions-reference.md'),
        [
          '# Built-in roles',
          '',
          '> [!div class="mx-tableFixed"]',
          '> | Role | Description | Template ID |',
          '> | --- | --- | --- |',
          '> | [Omega Helper](#omega-helper) | Help omega. | 55555555-5555-4555-8555-555555555555 |',
          '',
          '## Omega Helper',
          '',
          '[!INCLUDE [omega-helper](includes/omega-helper.md)]',
          ''
        ].join('\n')
      )
      writeFileSync(
        path.join(folder, 'includes/omega-helper.md'),
        ['---', 'title: Omega Helper', 'ms.topic: include', '---', '', 'Helps omega.', '', '> [!NOTE]', '> Not a role yet.', '', '| In | Can do |', '| --- | --- |', '| Omega | Help |', ''].join('\n')
      )
      const counts = await check(folder)
      expect(counts).toEqual({records: 1, joined: 1, fragmentsAsRoles: 1, inline: 0})
    } finally {
      rmSync(folder, {recursive: true, force: true})
    }
  })

  it('for roles written inline on the reference page', async () => {
    expect((await check(path.join(root, 'test/reference/inline-de'))).inline).toBeGreaterThan(0)
  })
})
