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
})
