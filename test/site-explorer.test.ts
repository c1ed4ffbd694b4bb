/**
 * The explorer's tools (issue #25), in Chromium on the small dataset of
 * test/helpers/site-fixture.ts: search by template ID and role id, the
 * sortable role list, actions that wrap only at `/`, the comparison of two
 * roles, the CSV of the view, and source links that work from disk. Every
 * expectation is computed from the fixture's records, never hard-coded.
 */
import {createHash} from 'node:crypto'
import {copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {DiffResult} from '../src/compare/change.js'
import {main} from '../src/cli/index.js'
import {build} from '../src/driver/build.js'
import {folderLink} from '../src/driver/source-links.js'
import {emitDataset} from '../src/emit/dataset.js'
import {emitSite} from '../src/emit/site.js'
import type {SiteData} from '../src/site/page-data.js'
import type {RoleRecord} from '../src/types.js'
import {followHash, launchBrowser, openPage, skipBrowser, skipReason, type OpenedPage} from './helpers/browser.js'
import {reference, root} from './helpers/paths.js'
import {createRole, permission, siteRecords} from './helpers/site-fixture.js'

const records = siteRecords()

function recordOf(id: string): RoleRecord {
  const record = records.find((candidate) => candidate.id === id)
  if (record === undefined) throw new Error(`the fixture has no role ${id}`)
  return record
}

/** The ids of the roles whose name, id, template ID, description or actions contain every word of `query`, as the page searches. */
function rolesMatching(query: string): string[] {
  const terms = query.toLowerCase().split(/\s+/).filter((term) => term !== '')
  return records
    .filter((record) => {
      const texts = [record.name ?? record.id, record.id, record.templateId ?? '', record.description ?? '']
      for (const permission of record.permissions) texts.push(permission.action, permission.description)
      const haystack = texts.join('\n').toLowerCase()
      return terms.every((term) => haystack.includes(term))
    })
    .map((record) => record.id)
    .sort()
}

describe('source links in the page\'s data', () => {
  it('lead from the page\'s folder to an input folder below a folder they share, never up to the file system\'s root', () => {
    expect(folderLink('/work/p/out/site', '/work/p/docs/rbac')).toBe('../../docs/rbac/')
    expect(folderLink('/work/p/out/site', '/work/p/docs/b c#')).toBe('../../docs/b%20c%23/')
    expect(folderLink('/work/p/docs/out/site', '/work/p/docs')).toBe('../../')
    expect(folderLink('/work/p/site', '/work/p/site')).toBe('')
    // Only `/` in common: the link would spell out the absolute path.
    expect(folderLink('/tmp/x/out/site', '/work/docs')).toBeNull()
    expect(folderLink('/out/site', '/docs')).toBeNull()
  })

  it('are per role in the page\'s data, each folder once, `/`-ended, or none', () => {
    const two = [createRole('a-role', {source: {path: 'includes/a role.md', sha256: '0'.repeat(64)}}), createRole('b-role', {}), createRole('c-role', {})]
    const folders: Record<string, string | null> = {'a-role': '../../docs/a', 'b-role': null, 'c-role': '../../docs/a/'}
    const html = emitSite(two, {version: '0', sourceFolder: (record) => folders[record.id] ?? null})
    const data = JSON.parse(/id="roledoc-data">(.*?)<\/script>/s.exec(html)?.[1] ?? 'null') as SiteData
    expect(data.sourceFolders).toEqual(['../../docs/a/'])
    expect(data.roles.map((role) => role.source)).toEqual([
      {path: 'includes/a role.md', href: 'includes/a%20role.md', folder: 0},
      {path: 'includes/b-role.md', href: 'includes/b-role.md', folder: null},
      {path: 'includes/c-role.md', href: 'includes/c-role.md', folder: 0}
    ])
  })
})

describe.skipIf(skipBrowser)(`explorer tools on the fixture ${skipReason}`, () => {
  let browser: Browser
  let folder: string
  let file: string
  const opened: OpenedPage[] = []

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'roledoc-site-explorer-'))
    file = path.join(folder, 'out/site/index.html')
    mkdirSync(path.dirname(file), {recursive: true})
    writeFileSync(file, emitSite(records, {version: '1.0.0', baseUrl: 'https://example.com/docs'}))
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (folder) rmSync(folder, {recursive: true, force: true})
  })

  async function open(hash: string, at = file): Promise<Page> {
    const page = await openPage(browser, at, hash)
    opened.push(page)
    // A control that is missing fails the test at once, not at vitest's timeout.
    page.page.setDefaultTimeout(5000)
    return page.page
  }

  /** Nothing but the page itself was requested, and nothing went wrong. */
  function expectQuiet(): void {
    for (const page of opened) {
      expect(page.requests).toEqual([page.url])
      expect(page.errors).toEqual([])
    }
  }

  async function shownRoles(page: Page): Promise<Array<string | null>> {
    return page.locator('#role-list > li:visible').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-role')))
  }

  describe('search', () => {
    it('finds a role by its template ID, whole or in part, in any case, and says why it matched', async () => {
      const alpha = recordOf('alpha-administrator')
      const templateId = alpha.templateId ?? ''
      expect(templateId).not.toBe('')
      const page = await open('#/roles')
      const search = page.getByLabel(/^Search names/)
      for (const query of [templateId, templateId.slice(9, 23).toUpperCase()]) {
        await search.fill(query)
        expect(rolesMatching(query)).toEqual([alpha.id])
        expect(await shownRoles(page)).toEqual([alpha.id])
        expect(await page.locator(`#role-list > li[data-role="${alpha.id}"] .hits`).textContent()).toBe(`Template ID: ${templateId}`)
      }
      expect(page.url()).toContain(`#/roles?q=${templateId.slice(9, 23).toUpperCase()}`)
      expectQuiet()
    })

    it('finds a role by its id, which its name does not contain', async () => {
      const bulk = recordOf('bulk-operator')
      expect((bulk.name ?? '').toLowerCase()).not.toContain(bulk.id)
      const page = await open(`#/roles?q=${bulk.id}`)
      expect(rolesMatching(bulk.id)).toEqual([bulk.id])
      expect(await shownRoles(page)).toEqual([bulk.id])
      expect(await page.locator(`#role-list > li[data-role="${bulk.id}"] .hits`).textContent()).toBe(`ID: ${bulk.id}`)
      expectQuiet()
    })
  })
  describe('the role list', () => {
    /** The fixture's roles in the page's order for a sort: by the key, ties by name (then id) A to Z. */
    function sortedRoles(key: 'name' | 'permissions' | 'privileged', dir: 'asc' | 'desc', only: (record: RoleRecord) => boolean = () => true): string[] {
      const byName = (a: RoleRecord, b: RoleRecord): number => compareText((a.name ?? a.id).toLowerCase(), (b.name ?? b.id).toLowerCase()) || compareText(a.id, b.id)
      const value = (record: RoleRecord): number =>
        key === 'permissions' ? record.permissions.length : record.permissions.filter((permission) => permission.privileged).length
      const sign = dir === 'asc' ? 1 : -1
      return records
        .filter(only)
        .sort((a, b) => (key === 'name' ? sign * byName(a, b) : sign * (value(a) - value(b)) || byName(a, b)))
        .map((record) => record.id)
    }

    it('sorts by name, permission count or privileged count from the column headings, and keeps the order in the URL', async () => {
      const page = await open('#/roles')
      expect(await shownRoles(page)).toEqual(sortedRoles('name', 'asc'))
      const heading = (name: RegExp) => page.locator('#role-sort').getByRole('button', {name})

      await heading(/^Permissions/).click()
      expect(await shownRoles(page)).toEqual(sortedRoles('permissions', 'desc'))
      expect(page.url()).toMatch(/#\/roles\?sort=permissions$/)
      expect(await heading(/^Permissions/).textContent()).toContain('sorted, most first')

      await heading(/^Permissions/).click()
      expect(await shownRoles(page)).toEqual(sortedRoles('permissions', 'asc'))
      expect(page.url()).toMatch(/#\/roles\?sort=permissions&dir=asc$/)

      await heading(/^Privileged permissions/).click()
      expect(await shownRoles(page)).toEqual(sortedRoles('privileged', 'desc'))
      expect(await heading(/^Permissions/).textContent()).not.toContain('sorted')

      await heading(/^Role/).click()
      expect(await shownRoles(page)).toEqual(sortedRoles('name', 'asc'))
      // From the keyboard: the heading keeps the focus.
      await heading(/^Role/).focus()
      await page.keyboard.press('Enter')
      expect(await shownRoles(page)).toEqual(sortedRoles('name', 'desc'))
      expect(page.url()).toMatch(/#\/roles\?dir=desc$/)
      expect(await page.evaluate('document.activeElement.getAttribute("data-sort")')).toBe('name')
      expectQuiet()
    })

    it('takes the order from the URL, with the filters, and the back link of a role keeps both', async () => {
      const page = await open('#/roles?q=microsoft.directory&sort=privileged&dir=asc')
      const expected = sortedRoles('privileged', 'asc', (record) => rolesMatching('microsoft.directory').includes(record.id))
      expect(expected.length).toBeGreaterThan(1)
      expect(await shownRoles(page)).toEqual(expected)
      await page.getByRole('link', {name: recordOf(expected[0] ?? '').name ?? '', exact: true}).click()
      await followHash(page, () => page.getByRole('link', {name: '← All roles'}).click())
      await page.waitForURL('**#/roles?q=microsoft.directory&sort=privileged&dir=asc')
      expect(await shownRoles(page)).toEqual(expected)

      // An unknown key or direction is the default order.
      const other = await open('#/roles?sort=nothing&dir=up')
      expect(await shownRoles(other)).toEqual(sortedRoles('name', 'asc'))
      expectQuiet()
    })
  })
  describe('comparing two roles', () => {
    /** What `a` grants that `b` does not, each action once: privileged first, then by action. */
    function onlyIn(a: RoleRecord, b: RoleRecord): string[] {
      const inB = new Set(b.permissions.map((item) => item.action))
      const rows = new Map<string, boolean>()
      for (const item of a.permissions) if (!inB.has(item.action) && !rows.has(item.action)) rows.set(item.action, item.privileged)
      return [...rows].sort(([x, px], [y, py]) => Number(py) - Number(px) || compareText(x, y)).map(([action]) => action)
    }

    function inBoth(a: RoleRecord, b: RoleRecord): string[] {
      const inB = new Set(b.permissions.map((item) => item.action))
      return [...new Set(a.permissions.map((item) => item.action))].filter((action) => inB.has(action))
    }

    async function listed(page: Page, selector: string): Promise<Array<string | null>> {
      return page.locator(selector).evaluateAll((items) => items.map((item) => item.getAttribute('data-action')))
    }

    it('lists what each role grants that the other does not, privileged first, and what both grant', async () => {
      const alpha = recordOf('alpha-administrator')
      const beta = recordOf('beta-reader')
      const delta = recordOf('delta-operator')
      const page = await open(`#/compare?a=${alpha.id}&b=${beta.id}`)
      expect(await page.title()).toBe('Alpha Administrator and Beta Reader · roledoc explorer')
      expect(await page.locator('.site-nav a[aria-current="page"]').getAttribute('data-view')).toBe('compare')
      const onlyAlpha = onlyIn(alpha, beta)
      expect(await listed(page, '#only-a-list > li')).toEqual(onlyAlpha)
      expect(await listed(page, '#only-b-list > li')).toEqual(onlyIn(beta, alpha))
      // Privileged first: the labelled items are the first ones, as many as alpha's privileged rows among them.
      const privileged = alpha.permissions.filter((item) => item.privileged && onlyAlpha.includes(item.action)).map((item) => item.action)
      expect(privileged.length).toBeGreaterThan(0)
      expect(await listed(page, '#only-a-list > li:has(.badge-privileged)')).toEqual(onlyAlpha.slice(0, privileged.length))
      expect(await listed(page, '#compare-both > li')).toEqual(inBoth(alpha, beta))
      expect(await page.locator('#compare-count').textContent()).toBe(
        `Alpha Administrator grants ${onlyAlpha.length} actions that the other does not (${privileged.length} privileged), ` +
          `Beta Reader ${onlyIn(beta, alpha).length} (0 privileged); both grant ${inBoth(alpha, beta).length}.`
      )
      // Beta's actions under microsoft.directory/users/ may be covered by alpha's allProperties/allTasks wildcard over users.
      const wildcard = 'microsoft.directory/users/allProperties/allTasks'
      expect(alpha.permissions.map((item) => item.action)).toContain(wildcard)
      for (const action of onlyIn(beta, alpha)) {
        const note = page.locator(`#only-b-list > li[data-action="${action}"] .wildcard-note`)
        expect(await note.textContent()).toBe(`Alpha Administrator grants ${wildcard}, which may include it.`)
      }

      // Delta grants nothing that alpha does not; both grant its one action.
      const other = await open(`#/compare?a=${alpha.id}&b=${delta.id}`)
      expect(onlyIn(delta, alpha)).toEqual([])
      expect(await other.locator('section[data-role="delta-operator"] .empty').textContent()).toBe(
        'Nothing: Alpha Administrator grants every action of this role.'
      )
      expect(await listed(other, '#compare-both > li')).toEqual(inBoth(alpha, delta))
      expect(inBoth(alpha, delta)).toHaveLength(1)
      expectQuiet()
    })

    it('is chosen with two fields, starts from a role, swaps, and has a URL to share', async () => {
      const page = await open('#/role/alpha-administrator')
      await page.getByRole('link', {name: 'Compare with another role'}).click()
      await page.waitForURL('**#/compare?a=alpha-administrator')
      expect(await page.getByLabel('First role').inputValue()).toBe('alpha-administrator')
      expect(await page.locator('#compare-result').textContent()).toBe('Choose two roles to compare.')
      await page.getByLabel('Second role').selectOption({label: 'Beta Reader'})
      await page.waitForURL('**#/compare?a=alpha-administrator&b=beta-reader')
      const shared = page.url()
      const onlyA = await listed(page, '#only-a-list > li')
      expect(onlyA).toEqual(onlyIn(recordOf('alpha-administrator'), recordOf('beta-reader')))

      // The same URL, opened anew, shows the same comparison.
      const again = await open(shared.slice(shared.indexOf('#')))
      expect(await listed(again, '#only-a-list > li')).toEqual(onlyA)

      await page.getByRole('button', {name: 'Swap'}).click()
      await page.waitForURL('**#/compare?a=beta-reader&b=alpha-administrator')
      expect(await listed(page, '#only-b-list > li')).toEqual(onlyA)

      await page.getByLabel('First role').selectOption({label: 'Alpha Administrator'})
      expect(await page.locator('#compare-result').textContent()).toBe('These are the same role: choose two different roles.')
      const unknown = await open('#/compare?a=no-such-role&b=beta-reader')
      expect(await unknown.locator('#compare-result').textContent()).toBe('No role has the id no-such-role.Choose two roles to compare.')
      expectQuiet()
    })
  })

  describe('the CSV of the view', () => {
    /** The dataset's actions.csv for the fixture, as lines (CRLF ends, as RFC 4180 writes them). */
    const actionsCsv = (emitDataset(records, {version: '1.0.0', inputs: ['fixture'], files: records.length}).get('actions.csv') ?? '').split('\r\n')
    const [actionsHeader = '', ...actionLines] = actionsCsv.slice(0, -1)
    const lineRole = (line: string): string => line.slice(0, line.indexOf(','))

    /** Press the view's "Download CSV"; the file's name and lines. */
    async function download(page: Page): Promise<{name: string; text: string; lines: string[]}> {
      const [saved] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', {name: 'Download CSV'}).click()])
      const text = readFileSync(await saved.path(), 'utf8')
      expect(text.endsWith('\r\n')).toBe(true)
      return {name: saved.suggestedFilename(), text, lines: text.split('\r\n').slice(0, -1)}
    }

    it('of a role\'s filtered permissions is its rows of actions.csv, byte for byte, quoting included', async () => {
      expect(actionsHeader).toBe('role_id,role_name,template_id,action,privileged')
      const page = await open('#/role/alpha-administrator?privileged=1')
      const csv = await download(page)
      expect(csv.name).toBe('alpha-administrator-permissions.csv')
      const expected = actionLines.filter((line) => lineRole(line) === 'alpha-administrator' && line.endsWith(',true'))
      expect(expected).toHaveLength(recordOf('alpha-administrator').permissions.filter((item) => item.privileged).length)
      expect(csv.lines).toEqual([actionsHeader, ...expected])

      // A name with a quote is quoted, its quotes doubled, as in actions.csv.
      const delta = await download(await open('#/role/delta-operator'))
      expect(delta.lines).toEqual([actionsHeader, ...actionLines.filter((line) => lineRole(line) === 'delta-operator')])
      expect(delta.lines[1]).toBe(`delta-operator,"Delta <Ops> & ""Co"" 'x'",,microsoft.directory/users/password/update,true`)
      expectQuiet()
    })

    it('of the actions view is every row of actions.csv whose action matches, past the 200 shown too', async () => {
      for (const query of ['password', 'microsoft.bulk/']) {
        const page = await open(`#/actions?q=${query}`)
        const csv = await download(page)
        expect(csv.name).toBe(`actions-${query.replace(/\/$/, '')}.csv`)
        const expected = actionLines.filter((line) => line.split(',')[3]?.toLowerCase().includes(query))
        expect(expected.length).toBeGreaterThan(1)
        expect(csv.lines[0]).toBe(actionsHeader)
        expect(csv.lines.slice(1).sort()).toEqual(expected.sort())
      }
      expect(actionLines.filter((line) => line.includes('microsoft.bulk/')).length).toBeGreaterThan(200)
      expectQuiet()
    })

    it('of the role list is the roles shown, in the order shown, with their counts', async () => {
      const page = await open('#/roles?q=microsoft.directory&sort=permissions')
      const shown = await shownRoles(page)
      const csv = await download(page)
      expect(csv.name).toBe('roles.csv')
      expect(csv.lines[0]).toBe('role_id,role_name,template_id,privileged,deprecated,permissions,privileged_permissions')
      const rows = csv.lines.slice(1).map(parseCsvLine)
      expect(rows.map((row) => row[0])).toEqual(shown)
      for (const row of rows) {
        const record = recordOf(row[0] ?? '')
        const privileged = record.permissions.filter((item) => item.privileged).length
        expect(row).toEqual([record.id, record.name ?? '', record.templateId ?? '', String(record.privileged), String(record.deprecated), String(record.permissions.length), String(privileged)])
      }
      const delta = await download(await open('#/roles?q=delta'))
      expect(delta.lines[1]).toBe(`delta-operator,"Delta <Ops> & ""Co"" 'x'",,false,false,1,1`)
      // Nothing shown: nothing to download.
      const none = await open('#/roles?q=zzz')
      expect(await none.getByRole('button', {name: 'Download CSV'}).isDisabled()).toBe(true)
      expectQuiet()
    })

    it('of a comparison is the rows of actions.csv that only one of the roles has, the first role\'s first', async () => {
      const page = await open('#/compare?a=beta-reader&b=alpha-administrator')
      const csv = await download(page)
      expect(csv.name).toBe('compare-beta-reader-alpha-administrator.csv')
      const actionOf = (line: string): string => line.split(',')[3] ?? ''
      const betaActions = new Set(actionLines.filter((line) => lineRole(line) === 'beta-reader').map(actionOf))
      const alphaActions = new Set(actionLines.filter((line) => lineRole(line) === 'alpha-administrator').map(actionOf))
      const onlyBeta = actionLines.filter((line) => lineRole(line) === 'beta-reader' && !alphaActions.has(actionOf(line)))
      const onlyAlpha = actionLines.filter((line) => lineRole(line) === 'alpha-administrator' && !betaActions.has(actionOf(line)))
      expect(csv.lines[0]).toBe(actionsHeader)
      expect(csv.lines.slice(1, 1 + onlyBeta.length).sort()).toEqual(onlyBeta.sort())
      expect(csv.lines.slice(1 + onlyBeta.length).sort()).toEqual(onlyAlpha.sort())
      expect(await (await open('#/compare')).getByRole('button', {name: 'Download CSV'}).isDisabled()).toBe(true)
      expectQuiet()
    })
  })

  describe('source links', () => {
    it('open each role\'s Markdown file from a page built beside the docs, the same bytes from any working folder', async () => {
      const project = path.join(folder, 'project')
      const inputs = {'docs/a/partner tier1 support.md': 'fixtures/partner-tier1-support.md', 'docs/b c#/edge-case-role.md': 'fixtures/edge-case-role.md'}
      for (const [to, from] of Object.entries(inputs)) {
        mkdirSync(path.dirname(path.join(project, to)), {recursive: true})
        copyFileSync(path.join(root, from), path.join(project, to))
      }
      expect((await cli(['build', 'docs/a', 'docs/b c#', '--out', 'dataset', '--site', '--no-cache'], project)).code).toBe(0)
      const page = path.join(project, 'dataset/site/index.html')
      const html = readFileSync(page, 'utf8')
      expect(html).not.toContain(project)
      expect(html).not.toContain(tmpdir())
      // From another working folder, the same inputs and output give the same bytes.
      const checked = await cli(['build', 'a', 'b c#', '--out', '../dataset', '--site', '--no-cache', '--check'], path.join(project, 'docs'))
      expect(checked.code, checked.stderr).toBe(0)

      const roles = readdirSync(path.join(project, 'dataset/roles'))
        .filter((name) => name.endsWith('.json'))
        .map((name) => JSON.parse(readFileSync(path.join(project, 'dataset/roles', name), 'utf8')) as RoleRecord)
      expect(roles.map((role) => role.id).sort()).toEqual(['edge-case-role', 'partner-tier1-support'])
      for (const role of roles) {
        const opened = await openPage(browser, page, `#/role/${role.id}`)
        opened.page.setDefaultTimeout(5000)
        const link = opened.page.locator('.facts a')
        expect(await link.textContent()).toBe(role.source.path)
        const url = new URL((await link.getAttribute('href')) ?? '', opened.url)
        const file = fileURLToPath(url)
        expect(createHash('sha256').update(readFileSync(file)).digest('hex'), file).toBe(role.source.sha256)
        const first = role.permissions[0]
        if (first === undefined) throw new Error(`${role.id} has no permission`)
        const line = opened.page.locator(`tr[data-action="${first.action}"] td.line a`).first()
        expect(new URL((await line.getAttribute('href')) ?? '', opened.url).href).toBe(`${url.href}#L${first.position.line}`)
        // The browser opens it: the Markdown shows as text.
        await link.click()
        await opened.page.waitForURL(url.href)
        expect(await opened.page.evaluate('document.body.innerText')).toContain(readFileSync(file, 'utf8').split('\n')[0])
        expect(opened.requests).toEqual([opened.url, url.href])
        expect(opened.errors).toEqual([])
        await opened.context.close()
      }
    })

    it('show the path without a link when the page was built away from the docs', async () => {
      const away = path.join(folder, 'away/site/index.html')
      mkdirSync(path.dirname(away), {recursive: true})
      writeFileSync(away, emitSite(records, {version: '1.0.0', sourceFolder: () => null}))
      const alpha = recordOf('alpha-administrator')
      const page = await open(`#/role/${alpha.id}`, away)
      expect(await page.locator('.facts dd code').first().textContent()).toBe(alpha.id)
      expect(await page.locator('.facts').textContent()).toContain(`Source${alpha.source.path} (no link: this page was built away from the docs, and without --site-base-url)`)
      expect(await page.locator('#main a[href*=".md"]').count()).toBe(0)
      expect(await page.locator('td.line').allTextContents()).toEqual(alpha.permissions.map((item) => `line ${item.position.line}`))
      expect(await page.locator('.source-link').allTextContents()).toEqual(alpha.callouts.map((callout) => `source, line ${callout.position.line}`))
      expectQuiet()
    })
  })

  describe('long actions', () => {
    // Actions of the real reference: the longest, and the longest segments (a namespace, a verb with dots and hyphens).
    const longActions = [
      'microsoft.directory/crossTenantAccessPolicy/partners/templates/multiTenantOrganizationIdentitySynchronization/resetToDefaultSettings',
      'microsoft.azure.customSecurityAttributeDiagnosticSettings/allEntities/allProperties/allTasks',
      'microsoft.directory/servicePrincipals/managePermissionGrantsForAll.microsoft-application-admin'
    ]
    const longRecords = [
      createRole('long-actions', {
        name: 'Long Actions',
        permissions: longActions.map((action, index) => permission(action, `Long action ${index}`, index === 0, 10 + index))
      }),
      createRole('short-actions', {name: 'Short Actions', permissions: [permission('microsoft.directory/users/read', 'Read users', false, 5)]})
    ]
    const longChanges: DiffResult = {
      schemaVersion: 1,
      old: 'previous',
      new: 'current',
      summary: {added: 0, removed: 0, renamed: 0, changed: 1, privilegeChanges: 0, changes: longActions.length},
      changes: longActions.map((action) => ({
        kind: 'permission-added' as const,
        role: {id: 'long-actions', name: 'Long Actions', templateId: null},
        action,
        privileged: false,
        description: ''
      }))
    }
    let longFile: string

    beforeAll(() => {
      longFile = path.join(folder, 'long/site/index.html')
      mkdirSync(path.dirname(longFile), {recursive: true})
      writeFileSync(longFile, emitSite(longRecords, {version: '1.0.0', changes: longChanges}))
    })

    /** Each shown action of the page among `actions`: its text as copied, and each line break with the characters around it. */
    async function actionBreaks(page: Page, actions: readonly string[] = longActions): Promise<ActionLayout[]> {
      return (await page.evaluate(`(${layoutOfActions})(${JSON.stringify(actions)})`)) as ActionLayout[]
    }

    /** The breaks of `layout` that are neither after a slash nor between two words of a segment wider than the line. */
    function wrongBreaks(layout: ActionLayout): string[] {
      const wrong: string[] = []
      for (const line of layout.breaks) {
        if (line.before.endsWith('/')) continue
        const betweenWords = /[.-]$/.test(line.before) || (/[a-z0-9]$/.test(line.before) && /^[A-Z]/.test(line.after))
        if (line.segmentWidth > line.lineWidth && betweenWords) continue
        wrong.push(`${line.before}|${line.after} (segment ${Math.round(line.segmentWidth)} px, line ${Math.round(line.lineWidth)} px)`)
      }
      return wrong
    }

    for (const width of [1280, 375]) {
      it(`breaks them only after a slash, or between the words of a segment wider than the line, at ${width} px`, async () => {
        const views = ['#/role/long-actions', '#/actions?q=microsoft', '#/roles?q=microsoft', '#/changes', '#/compare?a=long-actions&b=short-actions']
        let wrapped = 0
        for (const hash of views) {
          const page = await open(hash, longFile)
          await page.setViewportSize({width, height: 900})
          const layouts = await actionBreaks(page)
          // Every long action of the view is checked (the roles view lists the first 3 matches).
          expect(layouts.map((layout) => layout.text).sort(), hash).toEqual([...longActions].sort())
          for (const layout of layouts) {
            expect(layout.copied, hash).toBe(layout.text)
            expect(layout.overflows, `${hash} ${layout.text}`).toBe(false)
            expect(wrongBreaks(layout), `${hash} at ${width}`).toEqual([])
            if (layout.breaks.length > 0) wrapped++
          }
        }
        // The longest action is wider than any of these columns: the check saw lines break.
        expect(wrapped).toBeGreaterThan(0)
        expectQuiet()
      })
    }

    it('breaks the real reference\'s actions the same way: the role with the longest action, and the actions of the longest namespace', async () => {
      const roles = (await build({inputs: [reference], cwd: root})).records.filter((record): record is RoleRecord => record.kind === 'role')
      const actions = [...new Set(roles.flatMap((role) => role.permissions.map((item) => item.action)))]
      const longest = actions.reduce((a, b) => (b.length > a.length ? b : a))
      const namespace = actions.map((action) => action.split('/')[0] ?? '').reduce((a, b) => (b.length > a.length ? b : a))
      const holder = roles.find((role) => role.permissions.some((item) => item.action === longest))
      if (holder === undefined) throw new Error('no role grants the longest action')
      const realFile = path.join(folder, 'real/site/index.html')
      mkdirSync(path.dirname(realFile), {recursive: true})
      writeFileSync(realFile, emitSite(roles, {version: '1.0.0'}))
      const views: Array<[hash: string, shown: string[]]> = [
        [`#/role/${holder.id}`, holder.permissions.map((item) => item.action)],
        [`#/actions?q=${namespace}/`, actions.filter((action) => action.startsWith(namespace + '/'))]
      ]
      for (const width of [1280, 375]) {
        for (const [hash, shown] of views) {
          const page = await open(hash, realFile)
          await page.setViewportSize({width, height: 900})
          const layouts = await actionBreaks(page, shown)
          expect(layouts.length, hash).toBe(new Set(shown).size)
          for (const layout of layouts) {
            expect(layout.copied).toBe(layout.text)
            expect(layout.overflows, `${hash} at ${width}: ${layout.text}`).toBe(false)
            expect(wrongBreaks(layout), `${hash} at ${width}`).toEqual([])
          }
          expect(layouts.some((layout) => layout.breaks.length > 0)).toBe(true)
        }
      }
      expectQuiet()
    })
  })
})

/** Code-unit order, as the page sorts. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

/** Where an action shown in the page breaks into lines. */
interface ActionLayout {
  text: string
  /** Its `innerText`: what a copy gives. */
  copied: string
  /** Whether a character lies right of the box it is in. */
  overflows: boolean
  breaks: Array<{before: string; after: string; segmentWidth: number; lineWidth: number}>
}

/**
 * Run in the page (as text: this project's TypeScript has no DOM types):
 * every visible `<code>` of `#main` that holds one of `actions`, with the
 * line breaks between its characters (a character lower than the one
 * before it starts a line), the width of the segment each falls in, and the
 * width of the line (the content box of the nearest block around it).
 */
const layoutOfActions = `function layoutOfActions(actions) {
  const wanted = new Set(actions)
  const layouts = []
  for (const code of document.querySelectorAll('#main code')) {
    if (!wanted.has(code.textContent) || code.getClientRects().length === 0) continue
    let block = code
    while (getComputedStyle(block).display.startsWith('inline')) block = block.parentElement
    const style = getComputedStyle(block)
    const box = block.getBoundingClientRect()
    const left = box.left + parseFloat(style.paddingLeft) + parseFloat(style.borderLeftWidth)
    const lineWidth = block.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
    const chars = []
    const range = document.createRange()
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT)
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      for (let index = 0; index < node.data.length; index++) {
        range.setStart(node, index)
        range.setEnd(node, index + 1)
        const rect = range.getBoundingClientRect()
        chars.push({char: node.data[index], top: rect.top, left: rect.left, right: rect.right})
      }
    }
    const text = chars.map((char) => char.char).join('')
    const segmentWidth = (at) => {
      const start = text.lastIndexOf('/', at - 1) + 1
      let end = text.indexOf('/', at)
      end = end === -1 ? text.length : end + 1
      let width = 0
      for (let index = start; index < end; index++) width += chars[index].right - chars[index].left
      return width
    }
    const breaks = []
    for (let index = 1; index < chars.length; index++) {
      if (chars[index].top - chars[index - 1].top < 4) continue
      breaks.push({before: text.slice(0, index), after: text.slice(index), segmentWidth: segmentWidth(index - 1), lineWidth})
    }
    const overflows = chars.some((char) => char.right > left + lineWidth + 1)
    layouts.push({text, copied: code.innerText, overflows, breaks})
  }
  return layouts
}`

/** One line of CSV (RFC 4180: a quoted field doubles its quotes), as fields; written apart from emit/csv.ts, to check it. */
function parseCsvLine(line: string): string[] {
  const fields: string[] = []
  let at = 0
  while (at <= line.length) {
    if (line[at] === '"') {
      let value = ''
      at++
      while (at < line.length) {
        if (line[at] === '"' && line[at + 1] === '"') {
          value += '"'
          at += 2
        } else if (line[at] === '"') {
          at++
          break
        } else value += line[at++]
      }
      fields.push(value)
      at++
    } else {
      const end = line.indexOf(',', at)
      fields.push(line.slice(at, end === -1 ? line.length : end))
      at = end === -1 ? line.length + 1 : end + 1
    }
  }
  return fields
}

/** Run the command line in `cwd`: its exit code and what it printed. */
async function cli(argv: string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
  let stdout = ''
  let stderr = ''
  const code = await main(argv, {stdout: (text) => (stdout += text), stderr: (text) => (stderr += text), cwd})
  return {code, stdout, stderr}
}
