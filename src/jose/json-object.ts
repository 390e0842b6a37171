/**
 * @module jose/json-object
 * Strict parsing of the JSON objects in a token (JOSE header, RFC 7515 §4; JWT Claims Set,
 * RFC 7519 §7.2 step 10) on the verification hot path: valid UTF-8 (RFC 8259 §8.1), a bound on
 * size and nesting depth, and no duplicate member names (RFC 7515 §5.2 allows a parser to take
 * the last one; jwkit refuses instead, like util/json's parseJsonStrict).
 *
 * The same rules as parseJsonStrict, computed differently for speed: `JSON.parse` runs first
 * (native), then duplicates are found by comparing the number of name/value separators outside
 * strings with the number of members the parsed value holds — JSON.parse keeps one member per
 * distinct name, so any duplicate makes the count fall short.
 */
import { isUtf8 } from 'node:buffer'
import { JwkitError } from '../errors.ts'

type Code = 'ERR_JWS_INVALID' | 'ERR_JWT_INVALID'

/** Parses `bytes` as one JSON object; every failure is a JwkitError with `code`. */
export function parseJsonObject(bytes: Buffer, code: Code, what: string, maxBytes: number, maxDepth: number): Record<string, unknown> {
  if (bytes.length > maxBytes) throw new JwkitError(code, `${what} is ${bytes.length} bytes, the limit is ${maxBytes}`)
  if (!isUtf8(bytes)) throw new JwkitError(code, `${what} is not valid UTF-8`)
  const text = bytes.toString('utf8')
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    throw new JwkitError(code, `${what} is not valid JSON`)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new JwkitError(code, `${what} is not a JSON object`)
  const members = countMembers(value, 1, maxDepth, code, what)
  if (members !== countSeparators(text)) {
    throw new JwkitError(code, `${what} has a member name twice (RFC 8259 §4: names should be unique; jwkit refuses duplicates)`)
  }
  return value as Record<string, unknown>
}

/** Members of every object in a parsed value; throws past `maxDepth` nested containers. */
function countMembers(value: object, depth: number, maxDepth: number, code: Code, what: string): number {
  if (depth > maxDepth) throw new JwkitError(code, `${what} is nested deeper than ${maxDepth} levels`)
  let n = 0
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'object' && v !== null) n += countMembers(v, depth + 1, maxDepth, code, what)
    return n
  }
  for (const key in value) {
    n++
    const v = (value as Record<string, unknown>)[key]
    if (typeof v === 'object' && v !== null) n += countMembers(v, depth + 1, maxDepth, code, what)
  }
  return n
}

/** Name separators (':') outside strings, in text JSON.parse has accepted. */
function countSeparators(text: string): number {
  let colons = 0
  let i = 0
  const n = text.length
  for (;;) {
    const q = text.indexOf('"', i)
    const end = q === -1 ? n : q
    for (let k = i; k < end; k++) if (text.charCodeAt(k) === 0x3a) colons++
    if (q === -1) return colons
    // Skip the string: its closing quote is the first one preceded by an even run of backslashes.
    let j = q
    for (;;) {
      j = text.indexOf('"', j + 1)
      let b = j - 1
      while (text.charCodeAt(b) === 0x5c) b--
      if ((j - 1 - b) % 2 === 0) break
    }
    i = j + 1
  }
}
