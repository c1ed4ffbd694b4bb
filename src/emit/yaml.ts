/**
 * YAML output carrying exactly the data of the JSON output. Written with the
 * YAML 1.1 rules, so every string that a 1.1 parser (PyYAML, for one) would
 * read as a date, boolean or number (`2025-07-09`, `yes`, `on`, `0777`) is
 * quoted; the result reads the same under YAML 1.2.
 */
import {stringify} from 'yaml'

export function emitYaml(value: unknown): string {
  return stringify(value, {
    version: '1.1',
    lineWidth: 0,
    aliasDuplicateObjects: false
  })
}
