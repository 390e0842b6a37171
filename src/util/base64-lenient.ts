/**
 * @module util/base64-lenient
 * Reading base64url text that is not canonical but has exactly one reading (RFC 4648 §3.2
 * padding, §4 the standard alphabet), as real JWK producers publish it, and saying precisely why
 * other text has no single reading. Only JWK members go through here, never token segments: a
 * signature covers the exact bytes of a segment (RFC 7515 §5.2), so those stay strict.
 *
 * One reading means: one alphabet used throughout (base64url `-` `_`, or standard `+` `/`, never
 * both), padding absent or exactly what RFC 4648 §3.2 puts there, nothing but alphabet
 * characters (no whitespace), and zero pad bits (RFC 4648 §3.5). Anything else is refused: two
 * decoders could read two different byte strings from it.
 */
import { fromBase64, fromBase64url } from '#codec'

/** What makes text non-canonical but still readable one way. */
export type Base64Spelling = 'padding' | 'standard-alphabet'

export type LenientBase64 =
  | { readonly ok: true; readonly bytes: Uint8Array; readonly spellings: readonly Base64Spelling[] }
  | { readonly ok: false; readonly reason: string }

const BOTH_ALPHABETS = /^[A-Za-z0-9+/_-]*$/
const URL_ONLY = /[-_]/
const STANDARD_ONLY = /[+/]/
const VALUES = /* @__PURE__ */ (() => {
  const table = new Int8Array(128).fill(-1)
  const url = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  for (let i = 0; i < 64; i++) table[url.charCodeAt(i)] = i
  table[0x2b] = 62 // '+'
  table[0x2f] = 63 // '/'
  return table
})()

/**
 * Decodes base64url or base64 text that has one reading; `spellings` lists what differs from
 * canonical unpadded base64url (empty for canonical text). For anything else, `reason` says why
 * (it never quotes the text).
 */
export function decodeBase64urlLenient(text: string): LenientBase64 {
  let end = text.length
  let pad = 0
  while (end > 0 && text.charCodeAt(end - 1) === 0x3d /* = */) {
    end--
    pad++
  }
  const body = pad === 0 ? text : text.slice(0, end)
  if (!BOTH_ALPHABETS.test(body)) {
    return { ok: false, reason: body.indexOf('=') !== -1 ? 'has padding inside the text' : /\s/.test(body) ? 'holds whitespace' : 'has characters outside base64url and base64' }
  }
  const standard = STANDARD_ONLY.test(body)
  // RFC 4648 §5 vs §4: one member spelled in two alphabets has no single reading.
  if (standard && URL_ONLY.test(body)) return { ok: false, reason: 'mixes the base64url (- _) and standard (+ /) alphabets' }
  const rem = body.length & 3
  if (rem === 1) return { ok: false, reason: 'has a length no base64 text has' }
  // RFC 4648 §3.2: padding, when present, completes the last quantum exactly.
  if (pad !== 0 && pad !== (4 - rem) % 4) return { ok: false, reason: 'has the wrong amount of = padding' }
  if (rem !== 0) {
    const last = VALUES[body.charCodeAt(body.length - 1)]!
    // RFC 4648 §3.5: the pad bits of the last character are zero.
    if ((rem === 2 ? last & 0x0f : last & 0x03) !== 0) return { ok: false, reason: 'has non-zero pad bits in its last character' }
  }
  const spellings: Base64Spelling[] = []
  if (pad !== 0) spellings.push('padding')
  if (standard) spellings.push('standard-alphabet')
  return { ok: true, bytes: standard ? fromBase64(body) : fromBase64url(body), spellings }
}

/** Why `text` is not canonical unpadded base64url, in words (never quoting it). */
export function base64urlDefect(text: string): string {
  const read = decodeBase64urlLenient(text)
  if (!read.ok) return read.reason
  if (read.spellings.length === 0) return 'is canonical'
  return read.spellings.map((s) => (s === 'padding' ? 'has = padding' : 'uses the standard alphabet (+ /)')).join(' and ')
}
