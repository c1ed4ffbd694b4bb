import {readFileSync} from 'node:fs'
import path from 'node:path'
import {Ajv2020} from 'ajv/dist/2020.js'
import {root} from './paths.js'

const ajv = new Ajv2020({allErrors: true, strict: true})
const load = (name: string): object => JSON.parse(readFileSync(path.join(root, 'schema', name), 'utf8')) as object

export const validateRole = ajv.compile(load('role.schema.json'))
export const validateIndex = ajv.compile(load('index.schema.json'))
