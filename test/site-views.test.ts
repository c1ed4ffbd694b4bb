/**
 * The explorer page pinned on a small dataset (test/helpers/site-fixture.ts):
 * the page around the client's script, byte for byte, and what every view
 * shows in Chromium for a list of URLs and interactions. Both snapshots were
 * first written by the page as it was before its client became TypeScript
 * (src/site/client/), to show that the conversion changed nothing a user
 * sees; since then they change only on purpose (issue #25's explorer tools,
 * each change named in its commit), reviewed like code. The facts below them
 * are checked against the fixture, never hard-coded; test/site-explorer.test.ts
 * checks the tools themselves.
 */
import {createHash} from 'node:crypto'
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import path from 'node:path'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {emitSite} from '../src/emit/site.js'
import {followHash, launchBrowser, openPage, skipBrowser, skipReason, type OpenedPage} from './helpers/browser.js'
import {BULK_ACTIONS, siteChanges, siteRecords} from './helpers/site-fixture.js'

const baseUrl = 'https://example.com/docs'

function fixturePage(withChanges = true): string {
  return emitSite(siteRecords(), withChanges ? {version: '1.0.0', changes: siteChanges(), baseUrl} : {version: '1.0.0', baseUrl})
}

interface PageParts {
  /** The text of the `<script>` element that holds the client. */
  script: string
  /** The page with that text replaced by `CLIENT`, and its hash in the policy by `sha256-CLIENT`. */
  rest: string
  /** The policy's `script-src` source. */
  scriptSource: string
}

function splitPage(html: string): PageParts {
  const start = html.lastIndexOf('<script>')
  const end = html.indexOf('</script>', start)
  expect(start).toBeGreaterThan(0)
  const script = html.slice(start + '<script>'.length, end)
  const scriptSource = /script-src '([^']+)'/.exec(html)?.[1] ?? ''
  const rest = (html.slice(0, start) + '<script>CLIENT' + html.slice(end)).replace(scriptSource, 'sha256-CLIENT')
  return {script, rest, scriptSource}
}

describe('the explorer page around its script', () => {
  it('is the same markup and data as before, with a policy that allows exactly the inlined script', async () => {
    const html = fixturePage()
    const {script, rest, scriptSource} = splitPage(html)
    expect(scriptSource).toBe('sha256-' + createHash('sha256').update(script, 'utf8').digest('base64'))
    await expect(rest).toMatchFileSnapshot('snapshots/site/page-without-client.html')

    // What a reader can check in the fixture: roles sorted by name, fragments of the totals, the changes link.
    const data = JSON.parse(/id="roledoc-data">(.*?)<\/script>/s.exec(rest)?.[1] ?? 'null') as {roles: Array<{id: string}>}
    expect(data.roles.map((role) => role.id)).toEqual(['alpha-administrator', 'beta-reader', 'bulk-operator', 'delta-operator', 'gamma'])
    const records = siteRecords()
    const permissions = records.flatMap((record) => record.permissions)
    const privileged = permissions.filter((permission) => permission.privileged).length
    const actions = new Set(permissions.map((permission) => permission.action)).size
    expect(rest).toContain(`<p class="totals">5 roles (1 privileged) &middot; ${permissions.length} permissions (${privileged} privileged) &middot; ${actions} distinct actions</p>`)
    expect(rest).toContain(`Changes (${siteChanges().changes.length})`)
    expect(rest.match(/<script/g)).toHaveLength(2)
  })
})

/** One line per fact of the page as it stands, then the view's markup, a tag per line. */
async function describePage(page: Page, name: string): Promise<string> {
  const facts = await page.evaluate(`(() => {
    const active = document.activeElement
    const fields = Array.from(document.querySelectorAll('#main input, #main select'))
      .map((field) => field.id + '=' + (field.type === 'checkbox' ? String(field.checked) : JSON.stringify(field.value)))
    const current = document.querySelector('.site-nav a[aria-current="page"]')
    return {
      hash: location.hash,
      title: document.title,
      nav: current ? current.getAttribute('data-view') : '-',
      focus: active === document.body || active === null ? 'body' : active.tagName.toLowerCase() + (active.id ? '#' + active.id : '') + ' ' + JSON.stringify((active.textContent || '').slice(0, 40)),
      fields: fields.join(' '),
      html: document.getElementById('main').innerHTML
    }
  })()`)
  const {hash, title, nav, focus, fields, html = ''} = facts as Partial<Record<string, string>>
  const markup = html.replace(/<(li|section|h1|h2|h3|p|tr|div|form|dl|dt|details|ul|table|fieldset)\b/g, '\n<$1')
  return [`## ${name}`, `hash: ${hash}`, `title: ${title}`, `nav: ${nav}`, `focus: ${focus}`, `fields: ${fields}`, markup.trim(), ''].join('\n')
}

describe.skipIf(skipBrowser)(`explorer views on the fixture ${skipReason}`, () => {
  let browser: Browser
  let folder: string
  let withChanges: string
  let without: string
  const opened: OpenedPage[] = []

  beforeAll(async () => {
    folder = mkdtempSync(path.join(tmpdir(), 'roledoc-site-views-'))
    withChanges = path.join(folder, 'changes/site/index.html')
    without = path.join(folder, 'plain/site/index.html')
    for (const [file, html] of [[withChanges, fixturePage()], [without, fixturePage(false)]] as const) {
      mkdirSync(path.dirname(file), {recursive: true})
      writeFileSync(file, html)
    }
    browser = await launchBrowser()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    if (folder) rmSync(folder, {recursive: true, force: true})
  })

  async function open(hash: string, file = withChanges): Promise<Page> {
    const page = await openPage(browser, file, hash)
    opened.push(page)
    return page.page
  }

  function expectQuiet(): void {
    for (const page of opened) {
      expect(page.requests).toEqual([page.url])
      expect(page.errors).toEqual([])
    }
  }

  it('shows every view as before, for each URL and interaction', async () => {
    const visits: Array<[name: string, hash: string, act?: (page: Page) => Promise<void>]> = [
      ['no hash: the roles', ''],
      ['roles, filters from the URL', '#/roles?q=password&ns=microsoft.directory&privileged=1'],
      ['roles, deprecated only', '#/roles?deprecated=1'],
      ['roles, unknown namespace ignored', '#/roles?ns=nowhere'],
      ['roles, nothing matches', '#/roles?q=zzz'],
      [
        'roles, filtered by hand',
        '#/roles',
        async (page) => {
          await page.getByLabel('Grants actions in namespace').selectOption('microsoft.directory')
          await page.getByLabel('Deprecated roles').check()
          await page.getByLabel('Search names, IDs, template IDs, descriptions and actions').fill('pass word')
        }
      ],
      ['one role', '#/role/alpha-administrator'],
      ['one role, filters from the URL', '#/role/alpha-administrator?q=users&privileged=1'],
      [
        'one role, filtered by hand to nothing',
        '#/role/alpha-administrator',
        async (page) => {
          await page.getByLabel('Privileged permissions').check()
          await page.getByLabel('Filter actions and descriptions').fill('exchange')
        }
      ],
      ['a role without a name, source path encoded', '#/role/gamma'],
      ['a role whose name is escaped', '#/role/delta-operator'],
      ['a role that does not exist', '#/role/no%20such%3Crole%3E'],
      [
        'a role opened from a filtered list, then its back link',
        '#/roles?privileged=1&q=alpha',
        async (page) => {
          await followHash(page, () => page.getByRole('link', {name: 'Alpha Administrator', exact: true}).click())
          await page.waitForURL('**#/role/alpha-administrator')
        }
      ],
      ['actions, no query', '#/actions'],
      ['actions, a query with wildcards', '#/actions?q=password'],
      ['actions, an exact action', '#/actions?q=microsoft.office365.exchange/mailboxes/read'],
      ['actions, nothing matches', '#/actions?q=%3Cnothing%3E'],
      [
        'actions, an example link',
        '#/actions',
        async (page) => {
          await followHash(page, () => page.getByRole('link', {name: 'allTasks', exact: true}).click())
          await page.waitForURL('**#/actions?q=allTasks')
        }
      ],
      ['compare, nothing chosen', '#/compare'],
      ['compare two roles, with wildcard notes', '#/compare?a=alpha-administrator&b=beta-reader'],
      ['compare a role with one it covers', '#/compare?a=alpha-administrator&b=delta-operator'],
      ['changes', '#/changes'],
      ['an unknown view', '#/nowhere'],
      ['a view named like an object property', '#/constructor'],
      ['another one', '#/__proto__?q=x']
    ]
    const pages: string[] = []
    for (const [name, hash, act] of visits) {
      const page = await open(hash)
      if (act) await act(page)
      pages.push(await describePage(page, name))
    }
    pages.push(await describePage(await open('#/changes', without), 'changes, on a page built without a previous dataset'))
    const text = pages.join('\n')
    await expect(text).toMatchFileSnapshot('snapshots/site/views.txt')

    // Facts behind the snapshot, from the fixture.
    expect(text).toContain('## a role that does not exist\nhash: #/role/no%20such%3Crole%3E\ntitle: Role not found')
    expect(text).toContain('No role has the id <code>no such&lt;role&gt;</code>.')
    for (const name of ['an unknown view', 'a view named like an object property', 'another one']) {
      expect(text).toMatch(new RegExp(`## ${name}\\nhash: [^\\n]*\\ntitle: Roles · roledoc explorer\\nnav: roles`))
    }
    expect(text).toContain('<a href="#/roles?q=alpha&amp;privileged=1">← All roles</a>')
    expect(text).toContain(`<a href="${baseUrl}/includes/gamma%20role.md">includes/gamma role.md</a>`)
    expectQuiet()
  })

  it(`lists ${BULK_ACTIONS} matching actions 200 at a time, and moves the focus to the first one shown by "Show all"`, async () => {
    const page = await open('#/actions?q=microsoft.bulk/')
    const items = page.locator('#matching-actions > li')
    expect(await items.count()).toBe(200)
    expect(await page.locator('#show-all button').textContent()).toBe(`Show all ${BULK_ACTIONS} actions`)
    expect(await page.locator('#show-all span').textContent()).toBe('(200 shown)')
    await page.locator('#show-all button').click()
    expect(await items.count()).toBe(BULK_ACTIONS)
    expect(await page.locator('#show-all').isHidden()).toBe(true)
    expect(await page.evaluate('document.activeElement.getAttribute("data-action")')).toBe('microsoft.bulk/items200/read')
    // Typing again goes back to the first 200.
    await page.getByLabel('Action or part of one').fill('microsoft.bulk/items')
    expect(await items.count()).toBe(200)
    expectQuiet()
  })

  it('moves the focus to the heading when the view changes, and Back restores the filters', async () => {
    const page = await open('#/roles?deprecated=1')
    await followHash(page, () => page.getByRole('link', {name: 'Beta Reader', exact: true}).click())
    await page.waitForURL('**#/role/beta-reader')
    expect(await page.evaluate('document.activeElement.tagName + " " + document.activeElement.textContent')).toBe('H1 Beta Reader Deprecated')
    await followHash(page, () => page.goBack())
    await page.waitForURL('**#/roles?deprecated=1')
    expect(await page.getByLabel('Deprecated roles').isChecked()).toBe(true)
    expect(await page.locator('#role-list > li:visible').evaluateAll((rows) => rows.map((row) => row.getAttribute('data-role')))).toEqual([
      'beta-reader'
    ])
    expectQuiet()
  })
})
