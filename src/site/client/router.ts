/**
 * The URL is the state: `#/<view>/<argument>?<filters>`, one history entry
 * per view. Filters replace the current entry as you type, so Back leaves the
 * view rather than undoing keystrokes.
 */
import type {Place, View} from './view.js'

/** A view's filters: empty and false values are left out of the URL, true is `1`. */
export type HashParams = Readonly<Record<string, string | boolean>>

export function parseLocation(hash: string): Place {
  const rest = hash.replace(/^#\/?/, '')
  const mark = rest.indexOf('?')
  const path = mark === -1 ? rest : rest.slice(0, mark)
  const params = new URLSearchParams(mark === -1 ? '' : rest.slice(mark + 1))
  const slash = path.indexOf('/')
  const view = slash === -1 ? path : path.slice(0, slash)
  const argument = slash === -1 ? '' : decode(path.slice(slash + 1))
  return {view: view || 'roles', argument, params}
}

function decode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

/** `#/path?key=value`, the keys in the order given, slashes kept readable. */
export function viewHash(path: string, params: HashParams): string {
  const pairs: string[] = []
  for (const [key, value] of Object.entries(params)) {
    if (value === '' || value === false) continue
    pairs.push(key + '=' + encodeParam(value === true ? '1' : value))
  }
  return '#/' + path + (pairs.length === 0 ? '' : '?' + pairs.join('&'))
}

function encodeParam(value: string): string {
  return encodeURIComponent(value).replace(/%2F/g, '/').replace(/%20/g, '+')
}

export function roleHref(id: string): string {
  return '#/role/' + encodeURIComponent(id)
}

/** Show `hash` in the address bar without a new history entry (or a render). */
export function replaceHash(hash: string): void {
  if (location.hash === hash) return
  try {
    history.replaceState(history.state, '', hash)
  } catch {
    location.replace(hash)
  }
}

/**
 * Render the view the URL names (`fallback` for a name that is not in
 * `views`), now and on every hash change; a change moves the focus to the
 * new view's heading.
 */
export function startRouter(main: HTMLElement, views: ReadonlyMap<string, View>, fallback: View): void {
  const route = (moveFocus: boolean): void => {
    const place = parseLocation(location.hash)
    const view = views.get(place.view) ?? fallback
    view.render(place)
    markNav(view.nav)
    if (moveFocus) {
      main.querySelector('h1')?.focus({preventScroll: true})
      window.scrollTo(0, 0)
    }
  }
  window.addEventListener('hashchange', () => route(true))
  route(false)
}

function markNav(view: string): void {
  for (const link of document.querySelectorAll('.site-nav a[data-view]')) {
    if (link.getAttribute('data-view') === view) link.setAttribute('aria-current', 'page')
    else link.removeAttribute('aria-current')
  }
}
