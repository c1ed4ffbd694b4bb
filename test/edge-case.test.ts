/**
 * `fixtures/edge-case-role.md`: the variations the seed lacks, each checked
 * against what the source says.
 */
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {compileRole, emitYaml} from '../src/index.js'
import {fixtures} from './helpers/paths.js'

const value = readFileSync(path.join(fixtures, 'edge-case-role.md'))
const {record, messages} = compileRole(new VFile({path: 'edge-case-role.md', value}))

describe('edge-case-role fixture', () => {
  it('compiles clean', () => {
    expect(messages.map(String)).toEqual([])
  })

  it('reads the Template ID paragraph, lower-cased, and leaves it out of the summary', () => {
    expect(record?.templateId).toBe('0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0')
    expect(record?.summary).not.toContain('Template ID')
  })

  it('is privileged by the `/media/` badge above the table, and not deprecated: no such words', () => {
    expect(record?.privileged).toBe(true)
    expect(record?.deprecated).toBe(false)
  })

  it('writes lists in the summary one item per line', () => {
    expect(record?.summary).toBe(
      'Users with this role can do the following tasks:\n\n- Read users and groups\n- Manage applications'
    )
  })

  it('reads callouts with lists and without a space after `>`', () => {
    expect(record?.callouts).toEqual([
      {type: 'note', text: 'Things to know:\n\n- First point\n- Second point', position: {line: 20, column: 1}},
      {type: 'tip', text: 'A callout written without a space after >.', position: {line: 26, column: 1}}
    ])
  })

  it('handles `<br>`, `/media/` badges, empty cells and dotted verbs', () => {
    expect(record?.permissions.map((p) => [p.action, p.description, p.privileged, p.position.line])).toEqual([
      ['microsoft.directory/applications/create', 'Create all types of applications', false, 34],
      ['microsoft.directory/users/password/update', 'Reset passwords', true, 35],
      ['microsoft.commerce.billing/partners/read', '', false, 36],
      [
        'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-company-admin',
        'Grant consent for any permission on any application',
        false,
        37
      ]
    ])
    expect(record?.permissions[3]).toMatchObject({
      namespace: 'microsoft.directory',
      resource: 'servicePrincipals',
      verb: 'managePermissionGrantsForAll.microsoft-company-admin'
    })
  })

  it('normalizes a one-digit ms.date and keeps YAML 1.2 strings as strings', () => {
    expect(record?.frontMatter['ms.date']).toBe('2026-01-05')
    expect(record?.frontMatter['ms.custom']).toBe('yes')
    expect(record?.frontMatter['ms.reviewer']).toBe('on')
  })

  it('quotes `yes`, `on` and dates in the YAML output', () => {
    const yaml = emitYaml(record)
    expect(yaml).toContain('ms.custom: "yes"')
    expect(yaml).toContain('ms.reviewer: "on"')
    expect(yaml).toContain('ms.date: "2026-01-05"')
  })
})
