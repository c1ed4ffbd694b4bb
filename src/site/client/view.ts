/**
 * What every view gets (the page's index and main element, the place the
 * URL names) and what it gives the router. A new view is a module with a
 * `create…View` function, and one line in `main.ts`.
 */
import type {ExplorerIndex} from './data.js'
import {setTitle} from './dom.js'

export interface Explorer {
  /** Where the views render. */
  main: HTMLElement
  index: ExplorerIndex
  /** The roles list's URL with its filters, as last shown: the role view links back to it. */
  rolesHash: string
}

export interface View {
  /** The `data-view` of the navigation link marked current while the view shows. */
  nav: string
  /** Replace the main element's contents with the view of this place. */
  render(place: Place): void
}

/** A URL hash, read: `#/<view>/<argument>?<params>`. */
export interface Place {
  /** `roles` when the hash names none. */
  view: string
  /** What follows the view's name, decoded: the role's id in `#/role/<id>`. */
  argument: string
  params: URLSearchParams
}

/** What a view of data the page may lack says without it: the title, what the page was built without, and the command that adds it. */
export interface MissingData {
  title: string
  without: string
  command: string
  toSee: string
}

/**
 * A view of data that only some pages hold (`changes` with `--since`,
 * `history` with `--history`): `html` of it, or a note that says how to
 * build a page that has it.
 */
export function optionalView<T>(explorer: Explorer, nav: string, data: T | null, html: (data: T) => string, missing: MissingData): View {
  return {
    nav,
    render: () => {
      setTitle(missing.title)
      explorer.main.innerHTML = data === null ? missingHtml(missing) : html(data)
    }
  }
}

function missingHtml({title, without, command, toSee}: MissingData): string {
  return `<h1 tabindex="-1">${title}</h1><p class="empty">This page was built without ${without}. Build it with <code>${command}</code> to see ${toSee}.</p>`
}
