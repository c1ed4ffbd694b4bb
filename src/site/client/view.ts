/**
 * What every view gets (the page's index and main element, the place the
 * URL names) and what it gives the router. A new view is a module with a
 * `create…View` function, and one line in `main.ts`.
 */
import type {ExplorerIndex} from './data.js'

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
