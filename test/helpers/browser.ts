/**
 * A real browser for the explorer page tests: Debian's `chromium` driven by
 * playwright-core. On a developer machine without it the browser tests are
 * skipped; in CI (`CI` set) a missing Chromium fails them, so CI cannot skip
 * silently (`.ci/run` installs it).
 */
import {existsSync} from 'node:fs'
import {pathToFileURL} from 'node:url'
import {chromium, type Browser, type BrowserContext, type Page} from 'playwright-core'

/** The system Chromium; override with ROLEDOC_CHROMIUM. */
export const chromiumPath = process.env.ROLEDOC_CHROMIUM ?? '/usr/bin/chromium'

export const hasChromium = existsSync(chromiumPath)

/** Skip only where Chromium is missing and this is not CI. */
export const skipBrowser = !hasChromium && !process.env.CI

export const skipReason = skipBrowser
  ? `(skipped: no Chromium at ${chromiumPath}; install it with \`apt-get install chromium\`, or set ROLEDOC_CHROMIUM)`
  : ''

export async function launchBrowser(): Promise<Browser> {
  if (!hasChromium) {
    throw new Error(`No Chromium at ${chromiumPath}: install Debian's chromium (\`apt-get install -y chromium\`), as .ci/run does`)
  }
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic'
    ]
  })
}

export interface OpenedPage {
  context: BrowserContext
  page: Page
  /** The file's URL, without a hash. */
  url: string
  /** Every request the page made, in order. */
  requests: string[]
  /** Uncaught exceptions, console errors and dialogs. */
  errors: string[]
}

/**
 * Open `file` (absolute path) at `hash` in a fresh context, light colour
 * scheme, 1280×900. Requests to anything but a file are recorded and aborted.
 */
export async function openPage(browser: Browser, file: string, hash = ''): Promise<OpenedPage> {
  const context = await browser.newContext({viewport: {width: 1280, height: 900}, colorScheme: 'light', serviceWorkers: 'block'})
  const page = await context.newPage()
  const url = pathToFileURL(file).href
  const opened: OpenedPage = {context, page, url, requests: [], errors: []}
  context.on('request', (request) => opened.requests.push(request.url()))
  await context.route('**/*', async (route) => {
    if (route.request().url().startsWith('file:')) await route.continue()
    else await route.abort()
  })
  page.on('pageerror', (error) => opened.errors.push(`pageerror: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') opened.errors.push(`console: ${message.text()}`)
  })
  page.on('dialog', async (dialog) => {
    opened.errors.push(`dialog: ${dialog.message()}`)
    await dialog.dismiss()
  })
  await page.goto(url + hash)
  await page.waitForSelector('html[data-ready]')
  return opened
}

/** The durations (ms) of the page's renders since `performance.clearMeasures()`. */
export async function renderTimes(page: Page): Promise<number[]> {
  return page.evaluate(() => performance.getEntriesByName('roledoc:render').map((entry) => entry.duration))
}

/** The page's global object as `followHash` uses it (the tests are type-checked without the DOM's types). */
interface RoutedWindow {
  roledocRouted?: Promise<void>
  addEventListener: (type: 'hashchange', listener: () => void, options: {once: true}) => void
}

/**
 * Run `act`, which takes the explorer to another hash (a link, Back), and
 * wait until its router has drawn that view. `waitForURL` alone does not:
 * the URL changes before the page handles `hashchange`. The router listens
 * to `hashchange` from the page's start, so a listener added here runs
 * after it.
 */
export async function followHash(page: Page, act: () => Promise<unknown>): Promise<void> {
  await page.evaluate(() => {
    const window = globalThis as unknown as RoutedWindow
    window.roledocRouted = new Promise<void>((resolve) => window.addEventListener('hashchange', () => resolve(), {once: true}))
  })
  await act()
  await page.evaluate(() => (globalThis as unknown as RoutedWindow).roledocRouted)
}
