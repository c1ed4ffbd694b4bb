/**
 * The few things every view does to the page: find an element of a known
 * type, build elements from markup, escape text into markup (an action's
 * too, so that it wraps at `/`), set the title, and time a render.
 */

const TITLE = 'roledoc explorer'
const ESCAPES: Readonly<Record<string, string>> = {'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'}

/** Text as HTML: the five characters that could open markup or close an attribute, escaped. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (character) => ESCAPES[character] ?? character)
}

/** Where a segment of an action may break when it is wider than the line: after `.` or `-`, between a lower-case letter or digit and a capital. */
const WORD_BREAKS = /(?<=[.-])|(?<=[a-z0-9])(?=[A-Z])/

/**
 * An action as markup that wraps only after a `/`: each `/`-segment is a box
 * of its own, and breaks inside (between the words of its name) only when it
 * is wider than the whole line. The text, and so a copy, is the action.
 */
export function actionCode(action: string): string {
  const segments = action.split('/')
  const boxes = segments.map((segment, index) => {
    const words = (index < segments.length - 1 ? segment + '/' : segment).split(WORD_BREAKS)
    return `<span class="seg">${words.map(esc).join('<wbr>')}</span>`
  })
  return `<code class="action-code">${boxes.join('')}</code>`
}

/** `1 role`, `2 roles`. */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${count === 1 ? one : many}`
}

/** An element class (`HTMLInputElement`), to check what a lookup found. */
type ElementType<T extends Element> = abstract new () => T

/** The element with this id; it must exist and be of this type (the views write the ids they look up). */
export function byId<T extends HTMLElement>(id: string, type: ElementType<T>): T {
  return ofType(document.getElementById(id), type, `#${id}`)
}

/** The first element under `root` that matches `selector`, of this type. */
export function find<T extends Element>(root: ParentNode, selector: string, type: ElementType<T>): T {
  return ofType(root.querySelector(selector), type, selector)
}

/** The children of `parent`, each of this type. */
export function childrenOf<T extends Element>(parent: Element, type: ElementType<T>): T[] {
  return Array.from(parent.children, (child) => ofType(child, type, 'a child'))
}

function ofType<T extends Element>(element: Element | null, type: ElementType<T>, what: string): T {
  if (!(element instanceof type)) throw new Error(`roledoc explorer: ${what} is missing or not a ${type.name}`)
  return element
}

let template: HTMLTemplateElement | undefined

/** The first element of an HTML fragment, parsed by a template element. */
export function fromHtml(html: string): HTMLElement {
  template ??= document.createElement('template')
  template.innerHTML = html
  return ofType(template.content.firstElementChild, HTMLElement, 'the fragment')
}

/** Replace the children of a list, unless they are already these. */
export function setChildren(parent: Element, children: readonly Element[]): void {
  const current = parent.children
  let same = current.length === children.length
  for (let index = 0; same && index < children.length; index++) same = current[index] === children[index]
  if (!same) parent.replaceChildren(...children)
}

export function setTitle(text: string): void {
  document.title = `${text} \u00b7 ${TITLE}`
}

/** Run a render and record how long it took, as `performance.measure('roledoc:render')`. */
export function timed(render: () => void): void {
  const start = performance.now()
  render()
  performance.measure('roledoc:render', {start, end: performance.now()})
}
