/**
 * The reference page as azure-docs published it from 2018 to 2020: the real
 * February 2019 page (in the shared corpus), and hand-written pages for the
 * 2020 layout and a machine-translated copy. Every count, line and name is
 * checked against the Markdown lines themselves, not against roledoc.
 */
import {mkdtempSync, readFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {main} from '../src/cli/index.js'
import {build, type DatasetRecord, type RoleRecord} from '../src/index.js'
import {corpus, root} from './helpers/paths.js'
import {recordErrors} from './helpers/schema.js'

const sample = path.join(corpus, 'legacy/directory-assign-admin-roles.2019-02.md')

const roles = (records: readonly DatasetRecord[]): Map<string, RoleRecord> =>
  new Map(records.filter((record): record is RoleRecord => record.kind === 'role').map((record) => [record.id, record]))

/** A heading's id as the docs formed it: lower case, spaces as `-` (these headings hold nothing else). */
const slug = (heading: string): string => heading.trim().toLowerCase().replace(/ /g, '-')

interface Section {
  heading: string
  line: number
  /** Each `| action | … |` row: its action and line. */
  rows: Array<{action: string; line: number}>
  /** The line of the paragraph under the heading. */
  summary: string
  callouts: number
}

/** The `###` sections under the `## Role Permissions` heading, read line by line. */
function sectionsOf(lines: readonly string[]): Section[] {
  const start = lines.findIndex((line) => line === '## Role Permissions')
  const sections: Section[] = []
  for (let index = start + 1; index < lines.length; index++) {
    const line = lines[index] ?? ''
    if (line.startsWith('## ')) break
    if (line.startsWith('### ')) {
      sections.push({heading: line.slice(4), line: index + 1, rows: [], summary: lines[index + 1] ?? '', callouts: 0})
      continue
    }
    const section = sections.at(-1)
    const row = /^\| (microsoft\.[^ |]+) \|/.exec(line)
    if (section && row) section.rows.push({action: row[1] ?? '', line: index + 1})
    if (section && /^\s*> \[!NOTE\]/.test(line)) section.callouts++
  }
  return sections
}

describe('the February 2019 page (azure-docs, directory-assign-admin-roles.md)', () => {
  const text = readFileSync(sample, 'utf8')
  const lines = text.split('\n')
  const sections = sectionsOf(lines)

  it('compiles every role section, with no message', async () => {
    const result = await build({inputs: [sample], cwd: root})
    expect(result.messages.map(String)).toEqual([])
    expect(result.summary).toMatchObject({files: 1, references: 1, fragments: 0, roles: 38, permissions: 511, privilegedPermissions: 0})
    // The same figures, from the Markdown lines.
    expect(sections.length).toBe(38)
    expect(sections.flatMap((section) => section.rows).length).toBe(511)
    expect(lines.filter((line) => /^\| microsoft\./.test(line)).length).toBe(511)
    expect([...roles(result.records).keys()]).toEqual(sections.map((section) => slug(section.heading)).sort())
    for (const record of result.records) expect(recordErrors(record), record.id).toBe('')
  })

  it('has, for each section, the rows of its bare table, at their lines', async () => {
    const records = roles((await build({inputs: [sample], cwd: root})).records)
    for (const section of sections) {
      const record = records.get(slug(section.heading))
      expect(record, section.heading).toBeDefined()
      expect(record?.anchor).toBe(slug(section.heading))
      expect(record?.permissions.map((p) => [p.action, p.position.line, p.position.column]), section.heading).toEqual(
        section.rows.map((row) => [row.action, row.line, 1])
      )
      expect(record?.summary).toBe(section.summary.replace(/\s+/g, ' ').trim())
      expect(record?.callouts.length, section.heading).toBe(section.callouts)
      expect(record?.privileged).toBe(false)
      expect(record?.templateId).toBe(null)
    }
    // One row checked by hand: line 247 is the first row of Application Administrator's table.
    expect(lines[246]).toBe('| microsoft.aad.directory/applications/audience/update | Update applications.audience property in Azure Active Directory. |')
    expect(records.get('application-administrator')?.permissions[0]).toMatchObject({
      action: 'microsoft.aad.directory/applications/audience/update',
      namespace: 'microsoft.aad.directory',
      resource: 'applications/audience',
      verb: 'update',
      description: 'Update applications.audience property in Azure Active Directory.',
      position: {line: 247, column: 1}
    })
    // The callout under a section (lines 311-314) is the role's, not part of its summary.
    expect(records.get('billing-administrator')?.callouts).toEqual([
      {type: 'note', text: 'This role has additonal permissions outside of Azure Active Directory. For more information, see role description above.', position: {line: 311, column: 3}}
    ])
  })

  it('takes names and descriptions from the "Available roles" list, joined by anchor', async () => {
    const records = roles((await build({inputs: [sample], cwd: root})).records)
    const bullets = [...text.matchAll(/^\* \*\*\[([^\]]+)\]\(#([^)]+)\)\*\*: (.*)$/gm)]
    expect(bullets.length).toBe(37)
    for (const [, name, anchor, first] of bullets) {
      const record = records.get(anchor ?? '')
      expect(record?.name, anchor).toBe(name)
      // Where the line holds plain text, the description starts with it.
      if (first && !/[[*_`<]/.test(first)) expect(record?.description?.startsWith(first.trim()), anchor).toBe(true)
    }
    expect(records.get('company-administrator')?.name).toBe('Global Administrator / Company Administrator')
    // Line 122 ends after the colon; the description goes on, in the same paragraph, on line 123.
    expect(records.get('license-administrator')?.description).toMatch(/^Users in this role can add, remove, and update license assignments/)
    // The one section the list does not link to: named by its heading, without a description.
    const desktop = records.get('desktop-analytics-administrator')
    expect(bullets.some(([, , anchor]) => anchor === 'desktop-analytics-administrator')).toBe(false)
    expect([desktop?.name, desktop?.description]).toEqual(['Desktop Analytics Administrator', null])
  })
})

describe('the 2020 layout (hand-written)', () => {
  const folder = 'test/reference/legacy-2020'

  it('names roles by the list of headings, takes template IDs from the table at the end, ids from the anchors', async () => {
    const result = await build({inputs: [folder], cwd: root})
    expect(result.messages.map(String)).toEqual([])
    const records = roles(result.records)
    expect([...records.values()].map((r) => [r.id, r.name, r.templateId, r.permissions.length])).toEqual([
      // `9B895D92-…` upper case in the table (line 93).
      ['application-administrator-permissions', 'Application Administrator', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3', 3],
      // `Global Administrator / Company Administrator`: both halves name the row of line 94.
      ['company-administrator-permissions', 'Global Administrator / Company Administrator', '62e90394-69f5-4237-9190-012177145e10', 2],
      ['compliance-administrator-permissions', 'Compliance Administrator', '17315797-102d-40b4-93e0-432062caca18', 1],
      // The halves of `Password Administrator / Helpdesk Administrator` name two rows; the heading names one (line 96).
      ['helpdesk-administrator', 'Password Administrator / Helpdesk Administrator', '729827e3-9c14-49f7-bb1b-9608f156bbb8', 1],
      // Not in the list, not in the table: the heading is its name.
      ['teams-devices-administrator-permissions', 'Teams Devices Administrator permissions', null, 1]
    ])
    const application = records.get('application-administrator-permissions')
    expect(application?.description).toBe('Users in this role can create and manage all aspects of enterprise applications.')
    expect(application?.summary).toBe('Can create and manage all aspects of app registrations and enterprise apps.')
    expect(application?.permissions.map((p) => p.position.line)).toEqual([47, 48, 49])
    // The list's `In | Can do` table and the list's callout are not the role's; the section's callout is.
    expect(records.get('compliance-administrator-permissions')?.tables).toEqual([])
    expect(records.get('company-administrator-permissions')?.callouts.map((c) => [c.type, c.position.line])).toEqual([['note', 55]])
  })
})

describe('a machine-translated copy (hand-written, after a pl-PL page of 2019)', () => {
  const folder = 'test/reference/legacy-machine-translated'
  const lines = readFileSync(path.join(root, folder, 'directory-assign-admin-roles.md'), 'utf8').split('\n')
  // Rows whose first cell the translation broke (a space after `Microsoft.`), from the lines.
  const mangled = lines.flatMap((line, index) => (/^\| Microsoft\. /.test(line) ? [index + 1] : []))

  it('reports each mangled action at its row, and keeps every other row', async () => {
    const result = await build({inputs: [folder], cwd: root})
    expect(mangled).toEqual([34, 36, 45, 46])
    expect(result.messages.map((m) => [m.ruleId, m.line, m.column, m.fatal])).toEqual(
      mangled.map((line) => ['malformed-action', line, 1, true])
    )
    expect(result.messages[0]?.reason).toContain('found `Microsoft. katalog/aplikacje/usuwanie`; the row is left out')
    const records = roles(result.records)
    const application = records.get('application-administrator-permissions')
    expect(application?.permissions.map((p) => [p.action, p.position.line])).toEqual([
      ['microsoft.directory/applications/create', 33],
      ['microsoft.directory/applications/owners/update', 35],
      ['microsoft.azure.serviceHealth/allEntities/allTasks', 37]
    ])
    expect([application?.name, application?.templateId]).toEqual(['Administrator aplikacji', '9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3'])
    // Every row mangled: the table is still the role's (its header is bold), and the role is kept.
    const billing = records.get('billing-administrator-permissions')
    expect([billing?.name, billing?.templateId, billing?.permissions]).toEqual(['Administrator rozliczeń', 'b0f54661-2d74-4c50-afa3-1ec803f12efe', []])
  })

  it('fails the build (exit 1, nothing written) without a stack trace', async () => {
    const stderr: string[] = []
    const code = await main(['build', folder, '--out', path.join(mkdtempSync(path.join(tmpdir(), 'roledoc-legacy-')), 'out'), '--no-cache'], {
      cwd: root,
      stdout: () => {},
      stderr: (text) => stderr.push(text)
    })
    expect(code).toBe(1)
    const output = stderr.join('')
    expect(output).toContain('directory-assign-admin-roles.md:34:1  error')
    expect(output).toContain('roledoc: 4 errors, 0 warnings')
    expect(output).toContain('nothing written')
    expect(output).not.toMatch(/\n\s+at /)
  })
})
