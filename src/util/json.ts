/**
 * @module util/json
 * Strict JSON (RFC 8259) for untrusted text: bounded size and nesting depth, and refusal of
 * duplicate member names. RFC 7517 §4 and RFC 7515 §5.2 let a parser take the last duplicate;
 * jwkit refuses instead, so two parsers can never read one input two ways.
 */
import { JwkitError, type ErrorCode } from '../errors.ts'

export interface ParseJsonOptions {
  /** Largest input accepted, in UTF-8 bytes (strings are measured by UTF-16 length × 3 upper bound first). */
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

/**
 * Parses JSON text strictly. Throws `ERR_INPUT_TOO_LARGE` past `maxBytes` or `maxDepth`, and
 * `options.code` (default `ERR_JSON_INVALID`) for bad syntax or a duplicate member name.
 */
export function parseJsonStrict(text: string | Uint8Array, options: ParseJsonOptions = {}): unknown {
  const what = options.what ?? 'JSON text'
  const code = options.code ?? 'ERR_JSON_INVALID'
  const maxBytes = options.maxBytes ?? 1024 * 1024
  const size = typeof text === 'string' ? text.length : text.byteLength
  if (size > maxBytes) {
    throw new JwkitError('ERR_INPUT_TOO_LARGE', `${what} is ${size} bytes, the limit is ${maxBytes}`)
  }
  const str = typeof text === 'string' ? text : decodeUtf8(text, what, code)
  if (typeof text === 'string' && Buffer.byteLength(str, 'utf8') > maxBytes) {
    throw new JwkitError('ERR_INPUT_TOO_LARGE', `${what} is over ${maxBytes} bytes`)
  }
  scanStructure(str, options.maxDepth ?? 32, what, code)
  try {
    return JSON.parse(str)
  } catch {
    throw new JwkitError(code, `${what} is not valid JSON`)
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

function decodeUtf8(bytes: Uint8Array, what: string, code: ErrorCode): string {
  try {
    return utf8.decode(bytes)
  } catch {
    throw new JwkitError(code, `${what} is not valid UTF-8`)
  }
}

/**
 * One pass over the text before `JSON.parse` builds anything: tracks nesting depth and the member
 * names of every open object. It trusts `JSON.parse` for the grammar; on valid JSON it is exact.
 */
function scanStructure(str: string, maxDepth: number, what: string, code: ErrorCode): void {
  // Per open container: a Set of names for objects, null for arrays.
  const stack: Array<Set<string> | null> = []
  let expectKey = false
  const n = str.length
  for (let i = 0; i < n; i++) {
    const c = str.charCodeAt(i)
    if (c === QUOTE) {
      let j = i + 1
      let escaped = false
      while (j < n) {
        const d = str.charCodeAt(j)
        if (d === BACKSLASH) {
          escaped = true
          j += 2
          continue
        }
        if (d === QUOTE) break
        j++
      }
      if (j >= n) throw new JwkitError(code, `${what} has an unterminated string`)
      const top = stack[stack.length - 1]
      // On invalid text (`{[`, `{"a"["b"`) the scan can expect a name inside an array: JSON.parse
      // refuses such text below, so names are only tracked where an object is really open.
      if (expectKey && top !== undefined && top !== null) {
        const raw = str.slice(i + 1, j)
        let name = raw
        if (escaped) {
          try {
            name = JSON.parse(str.slice(i, j + 1)) as string
          } catch {
            throw new JwkitError(code, `${what} has an invalid member name`)
          }
        }
        if (top.has(name)) {
          throw new JwkitError(code, `${what} has the member name "${printable(name)}" twice (RFC 8259 §4: names should be unique; jwkit refuses duplicates)`)
        }
        top.add(name)
        expectKey = false
      }
      i = j
    } else if (c === 0x7b /* { */) {
      if (stack.length >= maxDepth) throw new JwkitError('ERR_INPUT_TOO_LARGE', `${what} is nested deeper than ${maxDepth} levels`)
      stack.push(new Set())
      expectKey = true
    } else if (c === 0x5b /* [ */) {
      if (stack.length >= maxDepth) throw new JwkitError('ERR_INPUT_TOO_LARGE', `${what} is nested deeper than ${maxDepth} levels`)
      stack.push(null)
      expectKey = false
    } else if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      stack.pop()
      expectKey = false
    } else if (c === 0x2c /* , */) {
      expectKey = stack.length > 0 && stack[stack.length - 1] !== null
    }
  }
}

/** A member name safe to echo in a message: short, printable. */
function printable(name: string): string {
  const cut = name.length > 40 ? name.slice(0, 40) + '…' : name
  return cut.replace(/[^\x20-\x7e]/g, '?')
}

/** True for a plain JSON object (not null, not an array). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
