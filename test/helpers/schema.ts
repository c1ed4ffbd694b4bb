import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {root} from './paths.js'

const load = (name: string): object => JSON.parse(readFileSync(path.join(root, 'schema', name), 'utf8')) as object
const ajv = new Ajv2020({allErrors: true, strict: true})
for (const name of ['role', 'fragment', 'roles', 'fragments', 'index', 'actions', 'diff', 'manifest', 'history']) ajv.addSchema(load(`${name}.schema.json`))

const get = (name: string) => {
  const validate = ajv.getSchema(`https://roledoc.dev/schema/${name}.schema.json`)
  if (!validate) throw new Error(`no schema ${name}`)
  return validate
}

export const validateRole = get('role')
export const validateFragment = get('fragment')
export const validateRoles = get('roles')
export const validateFragments = get('fragments')
export const validateIndex = get('index')
export const validateActions = get('actions')
export const validateDiff = get('diff')
export const validateManifest = get('manifest')
export const validateHistory = get('history')

/** Validate a record of either kind; returns the errors as text, or '' when valid. */
export function recordErrors(record: unknown): string {
  const kind = (record as {kind?: string} | null)?.kind
  const validate = kind === 'fragment' ? validateFragment : validateRole
  return validate(record) ? '' : JSON.stringify(validate.errors)
}
