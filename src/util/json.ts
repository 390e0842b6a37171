/**
 * @module util/json
 * Strict JSON (RFC 8259) for untrusted text: valid UTF-8 (§8.1), bounded size and nesting depth,
 * and refusal of duplicate member names. RFC 7517 §4 and RFC 7515 §5.2 let a parser take the last
 * duplicate; jwkit refuses instead, so two parsers can never read one input two ways.
 *
 * How, for speed (this runs on the token verification hot path): `JSON.parse` runs first
 * (native); then one walk over the parsed value bounds its depth and counts the members of every
 * object, and the name separators (`:`) outside strings are counted in the text. JSON.parse keeps
 * one member per distinct name, so any duplicate makes the member count fall short.
 *
 * Counting the separators: text without a backslash has no escapes, so each string's raw text is
 * its parsed value, and every `:` of the text is a separator or sits in a string. Without a
 * duplicate, the text's colons (native `indexOf`) are then exactly the members plus the colons of
 * the names and string values the walk meets. A duplicate only drops members (and their strings'
 * colons) from the parsed value, so the walk's sum falls short: exact, without a
 * character-by-character scan. Text with a backslash takes the scan that skips
 * strings ({@link countSeparators}).
 */
/** RFC 8259 §8.1: strict UTF-8 (fatal: malformed input throws instead of becoming U+FFFD; no BOM stripped). */
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
import { JwkitError, type ErrorCode } from '../errors.ts'
import { utf8Length } from '#codec'

export interface ParseJsonOptions {
  /** Largest input accepted, in UTF-8 bytes (strings are measured by UTF-16 length first). */
  maxBytes?: number
  /** Deepest nesting of objects and arrays accepted (the top-level value is depth 1). */
  maxDepth?: number
  /** The code thrown for syntax errors and duplicates (default `ERR_JSON_INVALID`). */
  code?: ErrorCode
  /** Names the input in messages, e.g. `JWK` or `JWS header`. */
  what?: string
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const COLON = 0x3a

/**
 * Parses JSON text strictly. Throws `ERR_INPUT_TOO_LARGE` past `maxBytes` or `maxDepth`, and
 * `options.code` (default `ERR_JSON_INVALID`) for bad syntax, bad UTF-8 or a duplicate member name.
 */
export function parseJsonStrict(text: string | Uint8Array, options: ParseJsonOptions = {}): unknown {
  return parseJsonText(text, options.maxBytes ?? 1024 * 1024, options.maxDepth ?? 32, options.code ?? 'ERR_JSON_INVALID', 'ERR_INPUT_TOO_LARGE', options.what ?? 'JSON text')
}

/**
 * {@link parseJsonStrict} with positional arguments (no options object on hot paths) and the code
 * for size and depth (`limitCode`) chosen by the caller: JOSE reports every failure of a token's
 * JSON under one code (ERR_JWS_INVALID / ERR_JWT_INVALID).
 */
export function parseJsonText(text: string | Uint8Array, maxBytes: number, maxDepth: number, code: ErrorCode, limitCode: ErrorCode, what: string): unknown {
  let str: string
  if (typeof text === 'string') {
    if (text.length > maxBytes) throw new JwkitError(limitCode, `${what} is ${text.length} bytes, the limit is ${maxBytes}`)
    // A UTF-16 unit is at most 3 UTF-8 bytes: count bytes only when that bound is over the limit.
    if (text.length * 3 > maxBytes && utf8Length(text) > maxBytes) {
      throw new JwkitError(limitCode, `${what} is over ${maxBytes} bytes`)
    }
    str = text
  } else {
    if (text.byteLength > maxBytes) throw new JwkitError(limitCode, `${what} is ${text.byteLength} bytes, the limit is ${maxBytes}`)
    // RFC 8259 §8.1: UTF-8 only; a byte order mark is not stripped (JSON.parse then refuses it).
    try {
      str = UTF8.decode(text)
    } catch {
      throw new JwkitError(code, `${what} is not valid UTF-8`)
    }
  }
  let value: unknown
  try {
    value = JSON.parse(str)
  } catch {
    // Also a RangeError from a nesting too deep for the engine: bounded by maxBytes, reported as depth.
    if (nestedDeeperThan(str, maxDepth)) throw new JwkitError(limitCode, `${what} is nested deeper than ${maxDepth} levels`)
    throw new JwkitError(code, `${what} is not valid JSON`)
  }
  if (typeof value === 'object' && value !== null && !duplicateFree(str, value, maxDepth, limitCode, what)) {
    throw new JwkitError(code, `${what} has a member name twice (RFC 8259 §4: names should be unique; jwkit refuses duplicates)`)
  }
  return value
}

/**
 * True when `text` (accepted by JSON.parse as `value`) names no member twice in any object; throws
 * past `maxDepth`. Without a backslash in the text: the fast count (module summary); else the scan.
 */
export function duplicateFree(text: string, value: object, maxDepth: number, limitCode: ErrorCode, what: string): boolean {
  if (text.indexOf('\\') === -1) return countMembersAndColons(value, 1, maxDepth, limitCode, what) === colonsIn(text)
  return countMembers(value, 1, maxDepth, limitCode, what) === countSeparators(text)
}

/** The slow form of {@link duplicateFree} (the string-skipping scan), whatever the text: kept for tests that compare the two. */
export function duplicateFreeByScan(text: string, value: object, maxDepth: number, limitCode: ErrorCode, what: string): boolean {
  return countMembers(value, 1, maxDepth, limitCode, what) === countSeparators(text)
}

/** Colons in a string (native search: a few calls for the usual token, none inside most strings). */
function colonsIn(s: string): number {
  let n = 0
  for (let i = s.indexOf(':'); i !== -1; i = s.indexOf(':', i + 1)) n++
  return n
}

/** Members of every object plus the colons in member names and string values (= the text's colons when no name repeats); throws past `maxDepth`. */
function countMembersAndColons(value: object, depth: number, maxDepth: number, limitCode: ErrorCode, what: string): number {
  if (depth > maxDepth) throw new JwkitError(limitCode, `${what} is nested deeper than ${maxDepth} levels`)
  let n = 0
  if (Array.isArray(value)) {
    for (const v of value) {
      if (typeof v === 'string') n += colonsIn(v)
      else if (typeof v === 'object' && v !== null) n += countMembersAndColons(v, depth + 1, maxDepth, limitCode, what)
    }
    return n
  }
  for (const key in value) {
    // Own members only: a polluted Object.prototype must not change the count (CWE-1321).
    if (!Object.hasOwn(value, key)) continue
    n += 1 + colonsIn(key)
    const v = (value as Record<string, unknown>)[key]
    if (typeof v === 'string') n += colonsIn(v)
    else if (typeof v === 'object' && v !== null) n += countMembersAndColons(v, depth + 1, maxDepth, limitCode, what)
  }
  return n
}

/** Members of every object in a parsed value; throws past `maxDepth` nested containers. */
function countMembers(value: object, depth: number, maxDepth: number, limitCode: ErrorCode, what: string): number {
  if (depth > maxDepth) throw new JwkitError(limitCode, `${what} is nested deeper than ${maxDepth} levels`)
  let n = 0
  if (Array.isArray(value)) {
    for (const v of value) if (typeof v === 'object' && v !== null) n += countMembers(v, depth + 1, maxDepth, limitCode, what)
    return n
  }
  for (const key in value) {
    // Own members only: a polluted Object.prototype must not change the count (CWE-1321).
    if (!Object.hasOwn(value, key)) continue
    n++
    const v = (value as Record<string, unknown>)[key]
    if (typeof v === 'object' && v !== null) n += countMembers(v, depth + 1, maxDepth, limitCode, what)
  }
  return n
}

/** Name separators (`:`) outside strings, in text JSON.parse has accepted. */
function countSeparators(text: string): number {
  let colons = 0
  let i = 0
  const n = text.length
  for (;;) {
    const q = text.indexOf('"', i)
    const end = q === -1 ? n : q
    for (let k = i; k < end; k++) if (text.charCodeAt(k) === COLON) colons++
    const e = q === -1 ? -1 : stringEnd(text, q)
    if (e === -1) return colons
    i = e + 1
  }
}

/** For refused text only: true when `[` and `{` outside strings nest deeper than `maxDepth`. */
function nestedDeeperThan(text: string, maxDepth: number): boolean {
  let depth = 0
  const n = text.length
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = stringEnd(text, i)
      if (i === -1) return false
    } else if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      if (++depth > maxDepth) return true
    } else if ((c === 0x7d /* } */ || c === 0x5d /* ] */) && depth > 0) {
      depth--
    }
  }
  return false
}

/** Index of the quote closing the string opened at `q`: the next one after an even run of backslashes; -1 if none. */
function stringEnd(text: string, q: number): number {
  let j = q
  for (;;) {
    j = text.indexOf('"', j + 1)
    if (j === -1) return -1
    let b = j - 1
    while (text.charCodeAt(b) === BACKSLASH) b--
    if ((j - 1 - b) % 2 === 0) return j
  }
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
