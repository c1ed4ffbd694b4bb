/**
 * What roledoc knows of its own package: its version, and where its code
 * runs from. This module sits at the top of `src/` (and of `dist/`, where
 * the bundled bin and worker sit too), so `import.meta.url` means the same
 * folder whether it runs bundled or not.
 */
import {createRequire} from 'node:module'

/** roledoc's version, read from its package.json (one folder up from src/ and dist/). */
export const version: string = (createRequire(import.meta.url)('../package.json') as {version: string}).version

/** The folder of roledoc's code: `dist/`, or `src/` when the tests run the sources. */
export const codeFolder: URL = new URL('./', import.meta.url)

/** The compile worker's script, `dist/worker.js` (bundled by rolldown), also when the code runs from `src/` (tests build `dist/` first). */
export const workerScript: URL = import.meta.url.endsWith('.ts') ? new URL('../dist/worker.js', import.meta.url) : new URL('./worker.js', import.meta.url)
