/**
 * The explorer page (`emitSite`): pure checks on the HTML, then the page
 * built from the real role reference, opened from the file system in
 * Chromium. Every expectation is computed from the records, never hard-coded.
 */
import {execFileSync} from 'node:child_process'
import {existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../src/driver/build.js'
import type {DiffResult} from '../src/compare/change.js'
import {diffRecords, isPrivilegeChange} from '../src/compare/diff.js'
import {emitSite} from '../src/emit/site.js'
import {clientScript} from '../src/site/client-script.js'
import type {DatasetRecord, RoleRecord} from '../src/types.js'
import {followHash, launchBrowser, openPage, renderTimes, skipBrowser, skipReason, type OpenedPage} from './helpers/browser.js'
import {reference, root} from './helpers/paths.js'

const baseUrl = 'https://github.com/MicrosoftDocs/entra-docs/blob/main/docs/identity/role-based-access-control/'
const artifacts = path.join(root, 'test/artifacts')

let corpus: Promise<DatasetRecord[]> | undefined

/** The records of the real reference folder, built once per file. */
async function realRecords(): Promise<DatasetRecord[]> {
  corpus ??= build({inputs: [reference], cwd: root}).then((result) => result.records)
  return corpus
}

function rolesOf(records: readonly DatasetRecord[]): RoleRecord[] {
  return records.filter((record): record is RoleRecord => record.kind === 'role')
}

interface PageData {
  sourceFolders: string[]
  roles: Array<{id: string; name: string | null; source: {path: string; href: string; folder: number | null}}>
}

/** The JSON the page embeds. */
function pageData(html: string): PageData {
  const match = /<script type="application\/json" id="roledoc-data">(.*?)<\/script>/s.exec(html)
  if (!match?.[1]) throw new Error('no data element')
  return JSON.parse(match[1]) as PageData
}

function createRole(id: string, fields: Partial<RoleRecord> = {}): RoleRecord {
  return {
    schemaVersion: 1,
    id,
    kind: 'role',
    anchor: id,
    name: id,
    description: 'A test role.',
    templateId: null,
    privileged: false,
    deprecated: false,
    summary: '',
    callouts: [],
    permissions: [
      {
        action: 'microsoft.directory/users/password/update',
        namespace: 'microsoft.directory',
        resource: 'users/password',
        verb: 'update',
        description: 'Reset passwords for all users',
        privileged: true,
        position: {line: 12, column: 3}
      }
    ],
    tables: [],
    includes: [],
    frontMatter: {},
    source: {path: `includes/${id}.md`, sha256: '0'.repeat(64)},
    ...fields
  }
}

describe('emitSite', () => {
  it('gives the same bytes for the same records, in any order', async () => {
    const records = await realRecords()
    const first = emitSite(records, {version: '1.2.3'})
    expect(emitSite(records, {version: '1.2.3'})).toBe(first)
    expect(emitSite([...records].reverse(), {version: '1.2.3'})).toBe(first)
    expect(first).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/)
    expect(first).not.toContain(root)
    // The page may load nothing: its policy allows no fetch, and only its own script and style.
    expect(first).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-[^']+';/)
  })

  it('keeps `</script>` in the data from breaking out of the data element', () => {
    const name = '</script><script>alert(1)</script><!--'
    const html = emitSite([createRole('evil', {name, description: '<b>&amp;</b>'})], {version: '0'})
    expect(html.split('</script>')).toHaveLength(3)
    expect(html).not.toContain('<!--')
    expect(pageData(html).roles[0]?.name).toBe(name)
  })

  it('links sources relative to site/index.html by default, or under the base URL', () => {
    const records = [createRole('a-role', {source: {path: 'includes/a role.md', sha256: '0'.repeat(64)}})]
    const relative = pageData(emitSite(records, {version: '0'}))
    expect(relative.sourceFolders[relative.roles[0]?.source.folder ?? -1] + (relative.roles[0]?.source.href ?? '')).toBe('../includes/a%20role.md')
    const absolute = pageData(emitSite(records, {version: '0', baseUrl: baseUrl.slice(0, -1)}))
    expect(absolute.sourceFolders[absolute.roles[0]?.source.folder ?? -1] + (absolute.roles[0]?.source.href ?? '')).toBe(baseUrl + 'includes/a%20role.md')
  })

  it('leaves out fragments and has a changes view only when given a diff', async () => {
    const records = await realRecords()
    const html = emitSite(records, {version: '0'})
    expect(pageData(html).roles).toHaveLength(rolesOf(records).length)
    expect(html).not.toContain('href="#/changes"')
    const diff = diffRecords(records, records)
    expect(emitSite(records, {version: '0', changes: diff})).toContain('href="#/changes"')
  })
})

describe('the client script (src/site/client/, bundled into src/site/client-script.ts)', () => {
  it('is the bundle of the sources as they are, the same from any working folder', () => {
    // `npm run build` writes it; a stale one would test old code. `--check` bundles again and compares.
    expect(() => execFileSync(process.execPath, [path.join(root, 'rolldown.client.mjs'), '--check'], {cwd: tmpdir(), stdio: 'pipe'})).not.toThrow()
  })

  it('is one classic script, inlined whole, that cannot close its element', () => {
    // A module (import/export) would not parse as a function body; a bundle loads nothing.
    expect(() => new Function(clientScript)).not.toThrow()
    expect(clientScript).not.toMatch(/\bimport\s*\(|\brequire\s*\(/)
    expect(clientScript).toContain('// src/site/client/main.ts')
    expect(clientScript.toLowerCase()).not.toContain('</script')
    expect(clientScript).not.toContain('<!--')
    expect(emitSite([createRole('a-role')], {version: '0'})).toContain(`<script>${clientScript}</script>`)
  })

  it('is type-checked with the DOM library, apart from the Node code, which has none', () => {
    const tsc = path.join(root, 'node_modules/.bin/tsc')
    const list = (project: string): string[] =>
      execFileSync(tsc, ['-p', project, '--listFilesOnly'], {cwd: root, encoding: 'utf8'}).split('\n').map((file) => path.relative(root, file))
    const sources = readdirSync(path.join(root, 'src/site/client')).filter((name) => name.endsWith('.ts'))
    expect(sources).toContain('main.ts')
    const client = list('tsconfig.client.json')
    for (const name of sources) expect(client).toContain(`src/site/client/${name}`)
    expect(client.some((file) => file.endsWith('lib.dom.d.ts'))).toBe(true)
    // Outside the client: the page's data types and the record and change types they build on (types only), and the CSV writer its downloads share with actions.csv.
    expect(client.filter((file) => file.startsWith('src/') && !file.startsWith('src/site/client/')).sort()).toEqual(['src/compare/change.ts', 'src/emit/csv.ts', 'src/site/page-data.ts', 'src/types.ts'])
    expect(client.filter((file) => file.includes('@types/node'))).toEqual([])
    const node = list('tsconfig.json')
    expect(node).toContain('src/emit/site.ts')
    expect(node.filter((file) => file.startsWith('src/site/client/') || file.endsWith('lib.dom.d.ts'))).toEqual([])
  })
})

describe.skipIf(skipBrowser)(`explorer page in Chromium ${skipReason}`, () => {
  let browser: Browser
  let records: DatasetRecord[]
  let roles: RoleRecord[]
  let diff: DiffResult
  let file: string
  let folder: string
  const opened: OpenedPage[] = []

  beforeAll(async () => {
    records = await realRecords()
    roles = rolesOf(records)
    diff = diffRecords(modifiedCopy(records), records, {old: 'previous', new: 'current'})
    folder = mkdtempSync(path.join(tmpdir(), 'roledoc-site-'))
    file = path.join(folder, 'site/index.html')
    mkdirSync(path.dirname(file), {recursive: true})
    writeFileSync(file, emitSite(records, {version: '0.0.0-test', changes: diff, baseUrl}))
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (folder) rmSync(folder, {recursive: true, force: true})
  })

  async function open(hash = ''): Promise<OpenedPage> {
    const page = await openPage(browser, file, hash)
    opened.push(page)
    return page
  }

  /** Nothing but the file itself was requested, and nothing went wrong. */
  function expectQuiet(page: OpenedPage): void {
    expect(page.requests).toEqual([page.url])
    expect(page.errors).toEqual([])
  }

  it('lists every role that grants `password/update` in the action view', async () => {
    const page = await open()
    await page.page.getByRole('link', {name: 'Actions', exact: true}).click()
    await page.page.getByLabel('Action or part of one').fill('password/update')
    const needle = 'password/update'
    const matched = new Set<string>()
    const granting = new Set<string>()
    for (const role of roles) {
      for (const permission of role.permissions) {
        if (!permission.action.toLowerCase().includes(needle)) continue
        matched.add(permission.action)
        granting.add(role.id)
      }
    }
    expect(granting.size).toBeGreaterThan(0)
    expect(new Set(await page.page.locator('#granting-roles li').evaluateAll(dataRoles))).toEqual(granting)
    expect(new Set(await page.page.locator('#matching-actions > li').evaluateAll(dataActions))).toEqual(matched)
    await expect.poll(() => page.page.locator('#action-count').textContent()).toContain(`granted by ${granting.size} roles`)
    expect(page.page.url()).toContain('#/actions?q=password/update')

    // Roles that grant an allTasks wildcard over a match are listed apart.
    const wildcard = new Set<string>()
    for (const role of roles) {
      if (granting.has(role.id)) continue
      for (const permission of role.permissions) {
        const prefix = wildcardPrefix(permission.action)
        if (prefix !== null && [...matched].some((action) => action.startsWith(prefix))) wildcard.add(role.id)
      }
    }
    expect(wildcard.has('global-administrator')).toBe(true)
    expect(new Set(await page.page.locator('#wildcards li[data-role]').evaluateAll(dataRoles))).toEqual(wildcard)
    expectQuiet(page)
  })

  it('shows exactly the privileged roles under the privileged filter', async () => {
    const page = await open('#/roles')
    const privileged = new Set(roles.filter((role) => role.privileged).map((role) => role.id))
    expect(await page.page.locator('#role-list > li:visible').count()).toBe(roles.length)
    await page.page.getByLabel('Privileged roles').check()
    expect(new Set(await page.page.locator('#role-list > li:visible').evaluateAll(dataRoles))).toEqual(privileged)
    expect(await page.page.locator('#role-count').textContent()).toBe(`Showing ${privileged.size} of ${roles.length} roles`)
    const labels = await page.page.locator('#role-list > li:visible .badge-privileged').allTextContents()
    expect(labels).toEqual([...privileged].map(() => 'Privileged'))
    expectQuiet(page)
  })

  it('opens a role with its permission count and exactly its privileged rows', async () => {
    const role = roles.find((candidate) => candidate.id === 'user-administrator') ?? roles.find((candidate) => candidate.privileged)
    if (!role) throw new Error('no privileged role in the corpus')
    const page = await open('#/roles?privileged=1')
    await followHash(page.page, () => page.page.getByRole('link', {name: role.name ?? role.id, exact: true}).click())
    await page.page.waitForURL(`**#/role/${role.id}`)
    expect(await page.page.locator('h1').textContent()).toContain(role.name ?? role.id)

    const privileged = role.permissions.filter((permission) => permission.privileged)
    const count = page.page.locator('#permission-count')
    expect(await count.getAttribute('data-count')).toBe(String(role.permissions.length))
    expect(await count.textContent()).toBe(`${role.permissions.length} permissions, ${privileged.length} privileged`)
    expect(await page.page.locator('tr[data-action]:visible').evaluateAll(dataActions)).toEqual(role.permissions.map((p) => p.action))
    const labelled = await page.page.locator('tr[data-action]:visible:has(.badge-privileged)').evaluateAll(dataActions)
    expect(labelled).toEqual(privileged.map((permission) => permission.action))
    const label = page.page.locator('tr[data-action]:has(.badge-privileged) .badge-privileged').first()
    expect(await label.textContent()).toBe('Privileged')

    const first = role.permissions[0]
    if (first) {
      const link = page.page.locator(`tr[data-action="${first.action}"] td.line a`)
      expect(await link.getAttribute('href')).toBe(`${baseUrl}${role.source.path}#L${first.position.line}`)
    }

    mkdirSync(artifacts, {recursive: true})
    await page.page.screenshot({path: path.join(artifacts, 'role-view.png')})
    expect(existsSync(path.join(artifacts, 'role-view.png'))).toBe(true)

    await page.page.goBack()
    await page.page.waitForURL('**#/roles?privileged=1')
    expect(await page.page.getByLabel('Privileged roles').isChecked()).toBe(true)
    expectQuiet(page)
  })

  it('lists privilege changes first in the changes view', async () => {
    const page = await open('#/changes')
    const items = await page.page.locator('li.change').evaluateAll((elements) =>
      elements.map((element) => ({
        kind: element.getAttribute('data-change'),
        role: element.getAttribute('data-role'),
        privilege: element.getAttribute('data-privilege') === 'true'
      }))
    )
    expect(diff.summary.privilegeChanges).toBeGreaterThan(0)
    expect(diff.changes.length).toBeGreaterThan(diff.summary.privilegeChanges)
    const privilege = diff.changes.filter(isPrivilegeChange)
    const other = diff.changes.filter((change) => !isPrivilegeChange(change))
    expect(items.slice(0, privilege.length)).toEqual(privilege.map((change) => ({kind: change.kind, role: change.role.id, privilege: true})))
    expect(items.slice(privilege.length).every((item) => !item.privilege)).toBe(true)
    expect(items.slice(privilege.length).map((item) => `${item.role} ${item.kind}`).sort()).toEqual(
      other.map((change) => `${change.role.id} ${change.kind}`).sort()
    )
    expect(await page.page.locator('main h2').first().textContent()).toBe(`Privilege changes (${privilege.length})`)
    expectQuiet(page)
  })

  it('can be used from the keyboard, with a visible focus', async () => {
    const page = await open('#/roles')
    let presses = 0
    // (Expressions as strings: this project's TypeScript has no DOM types.)
    while ((await page.page.evaluate('document.activeElement && document.activeElement.id')) !== 'role-q') {
      await page.page.keyboard.press('Tab')
      if (++presses > 10) throw new Error('the role search is not reachable with Tab')
    }
    await page.page.keyboard.type('password')
    const expected = roles.filter((role) => roleText(role).includes('password')).length
    expect(await page.page.locator('#role-list > li:visible').count()).toBe(expected)
    await page.page.keyboard.press('Tab')
    await page.page.keyboard.press('Tab')
    const outline = await page.page.evaluate('getComputedStyle(document.activeElement).outlineStyle')
    expect(outline).not.toBe('none')
    expectQuiet(page)
  })

  it('filters the whole corpus without visible delay', async () => {
    const page = await open('#/roles')
    await page.page.evaluate(() => performance.clearMeasures())
    await page.page.getByLabel('Search names, IDs, template IDs, descriptions and actions').pressSequentially('microsoft.directory/users', {delay: 0})
    await page.page.getByRole('link', {name: 'Actions', exact: true}).click()
    await page.page.getByLabel('Action or part of one').pressSequentially('microsoft.', {delay: 0})
    const times = await renderTimes(page.page)
    expect(times.length).toBeGreaterThan(30)
    const sorted = [...times].sort((a, b) => a - b)
    const median = sorted[Math.floor(sorted.length / 2)] ?? 0
    expect(median).toBeLessThan(50)
    expect(sorted[sorted.length - 1]).toBeLessThan(200)
    expectQuiet(page)
  })

  it('writes the README screenshot when ROLEDOC_UPDATE_SCREENSHOT=1', async () => {
    if (process.env.ROLEDOC_UPDATE_SCREENSHOT !== '1') return
    // The real corpus alone: no made-up changes in the README.
    const plain = path.join(folder, 'readme/index.html')
    mkdirSync(path.dirname(plain), {recursive: true})
    writeFileSync(plain, emitSite(records, {version: '0.0.0-test', baseUrl}))
    const page = await openPage(browser, plain, '#/role/user-administrator?q=microsoft.directory/users')
    opened.push(page)
    const target = path.join(root, 'test/screenshots/explorer.png')
    mkdirSync(path.dirname(target), {recursive: true})
    await page.page.screenshot({path: target})
    expectQuiet(page)
  })

  it('shows hostile text as text', async () => {
    const name = '<img src=x onerror=alert(1)></script><script>alert(2)</script>'
    const hostile = path.join(folder, 'hostile/index.html')
    mkdirSync(path.dirname(hostile), {recursive: true})
    writeFileSync(hostile, emitSite([createRole('evil', {name, privileged: true})], {version: '0'}))
    const page = await openPage(browser, hostile, '#/role/evil')
    opened.push(page)
    expect(await page.page.locator('h1').textContent()).toBe(name + ' Privileged')
    expectQuiet(page)
  })
})

/** A copy of `records` that differs in ways with and without privilege. */
function modifiedCopy(records: readonly DatasetRecord[]): DatasetRecord[] {
  const copy = structuredClone([...records])
  const roles = rolesOf(copy)
  // A privileged role missing before: added, a privilege change.
  const added = roles.find((role) => role.privileged)
  // A permission missing before (not privileged), a privilege flag flipped, a description changed.
  const changed = roles.find((role) => role !== added && role.permissions.some((p) => !p.privileged) && role.permissions.length > 1)
  if (!added || !changed) throw new Error('the corpus lacks the roles this test needs')
  const plain = changed.permissions.findIndex((permission) => !permission.privileged)
  changed.permissions.splice(plain, 1)
  const flipped = changed.permissions[0]
  if (flipped) flipped.privileged = !flipped.privileged
  changed.description = 'An older description.'
  // A role that is gone now: removed, not privileged.
  copy.push(createRole('retired-role', {name: 'Retired Role', templateId: '00000000-0000-4000-8000-000000000000', permissions: []}))
  return copy.filter((record) => record !== added)
}

function wildcardPrefix(action: string): string | null {
  const parts = action.split('/')
  if (parts.length < 3 || parts[parts.length - 1] !== 'allTasks') return null
  if (parts[parts.length - 2] === 'allProperties') return parts.slice(0, -2).join('/') + '/'
  if (parts[parts.length - 2] === 'allEntities' && parts.length === 3) return `${parts[0]}/`
  return null
}

function roleText(role: RoleRecord): string {
  const texts = [role.name ?? role.id, role.id, role.templateId ?? '', role.description ?? '']
  for (const permission of role.permissions) texts.push(permission.action, permission.description)
  return texts.join('\n').toLowerCase()
}

interface Attributed {
  getAttribute(name: string): string | null
}

function dataRoles(elements: Attributed[]): Array<string | null> {
  return elements.map((element) => element.getAttribute('data-role'))
}

function dataActions(elements: Attributed[]): Array<string | null> {
  return elements.map((element) => element.getAttribute('data-action'))
}
