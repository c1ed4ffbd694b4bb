/**
 * YAML output carrying exactly the data of the JSON output. Written with the
 * YAML 1.1 rules, so every string that a 1.1 parser (PyYAML, for one) would
 * read as a date, boolean or number (`2025-07-09`, `yes`, `on`, `0777`) is
 * quoted; the result reads the same under YAML 1.2. Strings holding a tab or
 * a control character are double-quoted too, as PyYAML rejects them plain,
 * and line separators in them are escaped.
 */
import {Document, isScalar, visit} from 'yaml'

/** Characters that some YAML readers do not accept in a plain scalar. */
const needsQuotes = /[\t\u0000-\u0008\u000B-\u001F\u007F-\u009F\u2028\u2029\uFEFF]/

export function emitYaml(value: unknown): string {
  const document = new Document(value, {version: '1.1', aliasDuplicateObjects: false})
  visit(document, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && needsQuotes.test(node.value)) node.type = 'QUOTE_DOUBLE'
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && typeof pair.key.value === 'string' && needsQuotes.test(pair.key.value)) {
        pair.key.type = 'QUOTE_DOUBLE'
      }
    }
  })
  // Line and paragraph separators are line breaks to YAML 1.1 readers even
  // inside quotes; every one stands in a double-quoted scalar (see above),
  // where an escape reads back as the same character.
  return document.toString({lineWidth: 0}).replace(/[\u0085\u2028\u2029\uFEFF]/g, escapeCharacter)
}

function escapeCharacter(character: string): string {
  return '\\u' + (character.codePointAt(0) ?? 0).toString(16).padStart(4, '0')
}
