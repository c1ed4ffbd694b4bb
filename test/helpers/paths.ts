import path from 'node:path'
import {fileURLToPath} from 'node:url'

/** The repository root. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The shared corpus of real docs; override with ROLEDOC_CORPUS. */
export const corpus = path.resolve(root, process.env.ROLEDOC_CORPUS ?? '../shared/corpus')

/** The folder of real role include files; override with ROLEDOC_INCLUDES. */
export const includes = path.resolve(
  root,
  process.env.ROLEDOC_INCLUDES ?? path.join(corpus, 'entra-docs/docs/identity/role-based-access-control/includes')
)

export const fixtures = path.join(root, 'fixtures')

/** The real role reference folder (main page and includes); override with ROLEDOC_REFERENCE. */
export const reference = path.resolve(root, process.env.ROLEDOC_REFERENCE ?? path.join(includes, '..'))
