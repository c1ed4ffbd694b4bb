/**
 * roledoc as a unified plugin, for any remark pipeline that parses with
 * remark-parse, remark-frontmatter and remark-gfm:
 *
 *     unified().use(remarkParse).use(remarkFrontmatter).use(remarkGfm).use(remarkRoledoc)
 *
 * The record goes to `file.data.roledoc` and every problem to
 * `file.messages`, so vfile-reporter and unified-engine show them as they
 * show any remark-lint message.
 */
import {createHash} from 'node:crypto'
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import {compileTree, type CompiledContent} from './compile/compile.js'

export interface RemarkRoledocOptions {
  /**
   * `role` (default) compiles every file as a role include, as `compileRole`
   * does; `any` tells roles, fragments and reference pages apart, as
   * `roledoc build` does.
   */
  kind?: 'role' | 'any'
}

/**
 * What the plugin puts on `file.data.roledoc`: the role or fragment record,
 * or what a reference page holds, told apart by `kind` (`if (data.kind ===
 * 'role')` narrows `data.record` to a `RoleRecord`).
 */
export type RoledocData = CompiledContent

declare module 'vfile' {
  interface DataMap {
    roledoc: RoledocData
  }
}

const emptyOptions: RemarkRoledocOptions = {}

/** Compile each file's tree into a roledoc record on `file.data.roledoc`. */
export default function remarkRoledoc(options?: RemarkRoledocOptions | null) {
  const settings = options ?? emptyOptions
  const kind = settings.kind ?? 'role'
  return function (tree: Root, file: VFile): undefined {
    const id = file.stem || 'untitled'
    const sha256 = createHash('sha256').update(file.value).digest('hex')
    const path = file.path ? file.path.split('\\').join('/') : `${id}.md`
    file.data.roledoc = compileTree(tree, file, {kind, id, source: {path, sha256}})
  }
}
