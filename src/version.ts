/** roledoc's version, read from its package.json (one folder up from src/ and dist/). */
import {createRequire} from 'node:module'

export const version: string = (createRequire(import.meta.url)('../package.json') as {version: string}).version
