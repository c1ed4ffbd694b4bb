/**
 * The explorer's tools (issue #25), in Chromium on the small dataset of
 * test/helpers/site-fixture.ts: search by template ID and role id, the
 * sortable role list, actions that wrap only at `/`, the comparison of two
 * roles, the CSV of the view, and source links that work from disk. Every
 * expectation is computed from the fixture's records, never hard-coded.
 */
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emitSite} from '../src/emit/site.js'
import type {RoleRecord} from '../src/types.js'
import {launchBrowser, openPage, skipBrowser, skipReason, type OpenedPage} from './helpers/browser.js'
import {siteRecords} from './helpers/site-fixture.js'

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
      await page.getByRole('link', {name: '← All roles'}).click()
      await page.waitForURL('**#/roles?q=microsoft.directory&sort=privileged&dir=asc')
      expect(await shownRoles(page)).toEqual(expected)

      // An unknown key or direction is the default order.
      const other = await open('#/roles?sort=nothing&dir=up')
      expect(await shownRoles(other)).toEqual(sortedRoles('name', 'asc'))
      expectQuiet()
    })
  })
})

/** Code-unit order, as the page sorts. */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}
