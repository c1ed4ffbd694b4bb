/**
 * The seed: `fixtures/partner-tier1-support.md`, compiled and checked against
 * committed snapshots and against facts anyone can read off the source.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {compileRole, emitJson, emitYaml} from '../src/index.js'
import {corpus, fixtures} from './helpers/paths.js'
import {validateRole} from './helpers/schema.js'

const seedPath = path.join(fixtures, 'partner-tier1-support.md')
const bytes = readFileSync(seedPath)
const lines = bytes.toString('utf8').split('\n')
const {record, messages} = compileRole(new VFile({path: 'partner-tier1-support.md', value: bytes}))

/** 1-based number of the line holding `text`, found in the raw source. */
function lineOf(text: string): number {
  const index = lines.findIndex((line) => line.includes(text))
  expect(index, text).toBeGreaterThanOrEqual(0)
  return index + 1
}

describe('seed partner-tier1-support', () => {
  it('is a byte-for-byte copy of ../shared/seeds', () => {
    const seed = readFileSync(path.resolve(corpus, '../seeds/partner-tier1-support.md'))
    expect(bytes.equals(seed)).toBe(true)
  })

  it('compiles without messages into a valid record', () => {
    expect(messages).toEqual([])
    expect(record).not.toBeNull()
    expect(validateRole(record), JSON.stringify(validateRole.errors)).toBe(true)
    expect(record?.tables).toEqual([])
    expect(record?.includes).toEqual([])
  })

  it('matches the committed JSON and YAML snapshots', async () => {
    await expect(emitJson(record)).toMatchFileSnapshot('snapshots/partner-tier1-support.json')
    await expect(emitYaml(record)).toMatchFileSnapshot('snapshots/partner-tier1-support.yaml')
  })

  it('has the role-level values of the source', () => {
    expect(record).toMatchObject({
      schemaVersion: 1,
      id: 'partner-tier1-support',
      kind: 'role',
      anchor: null,
      name: 'Partner Tier1 Support',
      description: 'Partner Tier1 Support',
      templateId: null,
      privileged: true,
      deprecated: true
    })
    expect(Object.keys(record ?? {})).toEqual([
      'schemaVersion', 'id', 'kind', 'anchor', 'name', 'description', 'templateId', 'privileged',
      'deprecated', 'summary', 'callouts', 'permissions', 'tables', 'includes', 'frontMatter', 'source'
    ])
  })

  it('summarizes the prose without the badge, links reduced to text', () => {
    expect(record?.summary).toBe(
      'This is a privileged role. Do not use. This role has been deprecated and will be removed from Microsoft Entra ID in the future. This role is intended for use by a small number of Microsoft resale partners, and is not intended for general use.'
    )
  })

  it('has the one IMPORTANT callout, without its marker', () => {
    expect(record?.callouts).toEqual([
      {
        type: 'important',
        text: 'This role can reset passwords and invalidate refresh tokens for only non-administrators. This role should not be used because it is deprecated.',
        position: {line: lineOf('> [!IMPORTANT]'), column: 1}
      }
    ])
  })

  it('has one permission per table row, with source line numbers', () => {
    const rows = lines.filter((line) => line.startsWith('> | microsoft.'))
    const permissions = record?.permissions ?? []
    expect(permissions).toHaveLength(40)
    expect(rows).toHaveLength(40)
    expect(permissions.map((p) => p.action)).toEqual(rows.map((row) => row.split('|')[1]?.trim()))
    expect(permissions[0]?.position).toEqual({line: 23, column: 3})
    expect(lineOf('| microsoft.azure.serviceHealth/allEntities/allTasks |')).toBe(23)
    const credentials = permissions.find((p) => p.action === 'microsoft.directory/applications/credentials/update')
    expect(credentials).toEqual({
      action: 'microsoft.directory/applications/credentials/update',
      namespace: 'microsoft.directory',
      resource: 'applications/credentials',
      verb: 'update',
      description: 'Update application credentials',
      privileged: true,
      position: {line: 29, column: 3}
    })
    expect(lineOf('microsoft.directory/applications/credentials/update')).toBe(29)
  })

  it('marks exactly the rows whose description carries the badge', () => {
    const privileged = (record?.permissions ?? []).filter((p) => p.privileged).map((p) => p.action)
    expect(privileged).toHaveLength(9)
    const badgeRows = lines
      .filter((line) => line.startsWith('> | microsoft.') && line.includes('privileged-label.png'))
      .map((row) => row.split('|')[1]?.trim())
    expect(privileged).toEqual(badgeRows)
    expect(privileged).toContain('microsoft.directory/users/password/update')
  })

  it('splits actions into namespace, resource and verb', () => {
    const byAction = new Map((record?.permissions ?? []).map((p) => [p.action, p]))
    expect(byAction.get('microsoft.directory/contacts/create')).toMatchObject({
      namespace: 'microsoft.directory', resource: 'contacts', verb: 'create'
    })
    expect(byAction.get('microsoft.office365.webPortal/allEntities/standard/read')).toMatchObject({
      namespace: 'microsoft.office365.webPortal', resource: 'allEntities/standard', verb: 'read',
      description: 'Read basic properties on all resources in the Microsoft 365 admin center', privileged: false
    })
    expect(byAction.get('microsoft.directory/users/create')).toMatchObject({
      description: 'Add users', privileged: true
    })
  })

  it('keeps the front matter in source order with ms.date as ISO', () => {
    expect(record?.frontMatter).toEqual({
      title: 'Partner Tier1 Support',
      description: 'Partner Tier1 Support',
      'ms.service': 'entra-id',
      'ms.subservice': 'role-based-access-control',
      'ms.topic': 'include',
      'ms.date': '2025-07-09',
      'ms.custom': 'include file'
    })
    expect(Object.keys(record?.frontMatter ?? {})).toEqual([
      'title', 'description', 'ms.service', 'ms.subservice', 'ms.topic', 'ms.date', 'ms.custom'
    ])
    expect(lines[lineOf('ms.date:') - 1]).toBe('ms.date: 07/09/2025')
  })

  it('records the source path and the sha256 of the exact bytes', () => {
    expect(record?.source).toEqual({
      path: 'partner-tier1-support.md',
      sha256: createHash('sha256').update(bytes).digest('hex')
    })
  })

  it('compiles the same from a string as from bytes', () => {
    const fromString = compileRole(bytes.toString('utf8'), {id: 'partner-tier1-support', sourcePath: 'partner-tier1-support.md'})
    expect(fromString.record).toEqual(record)
  })
})
