/**
 * @module jwk/normalize
 * The lenient reading of a JWK (the default mode): members that are not canonical but have
 * exactly one reading are rewritten to their canonical form, each with a warning naming the
 * member and the rule; the strict rules then run on the canonical copy. What counts:
 *
 * - base64url members with `=` padding or the standard alphabet used throughout (RFC 7515 §2
 *   wants neither; RFC 4648 §3.2, §4 give them one reading) — Battle.net, PayPal's X25519 key;
 * - RSA integers with leading zero octets (RFC 7518 §2 Base64urlUInt wants the minimum) —
 *   PayPal, Yahoo, Salesforce;
 * - EC `x`, `y`, `d` off the field length only by leading zero octets (RFC 7518 §6.2.1.2,
 *   §6.2.2.1 want the full length): PyJWT and Authlib strip a leading zero, Keycloak before 20
 *   adds a sign octet;
 * - an empty `x5c` or `oth` array (.NET output): dropped.
 *
 * Anything with two readings (mixed alphabets, whitespace, non-zero pad bits, wrong padding) is
 * left as it is, for the strict rules to refuse. Byte strings whose length is their meaning
 * (OKP `x`/`d`, `oct` `k`, AKP `pub`/`priv`) get only the base64 spelling fixed, never a length.
 */
import { problem, type Problem } from '../errors.ts'
import { decodeBase64urlLenient } from '../util/base64-lenient.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { dict, ownSnapshot } from '../util/dict.ts'
import { ecCurve, type CurveParams } from './curves.ts'

/** RFC 7518 §6.3: the Base64urlUInt members of an RSA key. */
const RSA_INTEGERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const
/** The base64url members of each kty whose length is not touched. */
const BYTE_STRINGS: Readonly<Record<string, readonly string[]>> = dict({
  OKP: ['x', 'd'],
  oct: ['k'],
  AKP: ['pub', 'priv'],
})
/** RFC 7518 §6.2.1.2, §6.2.1.3, §6.2.2.1: the field elements of an EC key. */
const EC_MEMBERS = ['x', 'y', 'd'] as const
/** RFC 7517 §4.8, §4.9: digests, base64url too. */
const DIGESTS = ['x5t', 'x5t#S256'] as const

export interface Normalized {
  /** A fresh snapshot holding the canonical members. */
  readonly snap: Record<string, unknown>
  /** One warning (`ERR_JWK_NON_CANONICAL`) per member rewritten or dropped. */
  readonly warnings: Problem[]
}

/** Where a warning points: `base` is the key's pointer (`''`, or `/keys/3`). */
function at(base: string, member: string): string {
  return base + '/' + member.replace(/~/g, '~0').replace(/\//g, '~1')
}

const SPELLING: Readonly<Record<string, string>> = dict({
  padding: '= padding removed (RFC 7515 §2: base64url without padding)',
  'standard-alphabet': 'standard base64 alphabet (+ /) read as base64url (RFC 7515 §2)',
})

/**
 * Long members already normalised (RSA moduli, mostly), by kind and text: a non-canonical key seen
 * again (the same set refetched, the same key parsed per request) is decoded once, on first
 * sight. Only public facts about the text are kept (its canonical spelling), and only for
 * members long enough to be worth it; bounded, emptied when full.
 */
const MEMO = new Map<string, { canonical: string; notes: string } | null>()
const MEMO_MAX = 256
const MEMO_MIN_CHARS = 128
/** The members that may be remembered: public key members of some kty (RFC 7518 §6.2.1, §6.3.1; RFC 8037 §2; AKP). */
const PUBLIC_MEMBERS: ReadonlySet<string> = new Set(['n', 'e', 'x', 'y', 'pub'])

/** How a member's value is read once decoded: an integer, a field element of a curve, or bytes. */
type Kind = 'uint' | 'bytes' | CurveParams

/**
 * The canonical bytes of a decoded member and the note of what changed in its length;
 * undefined when the length does not have one reading (the rules then refuse it).
 */
function fixLength(bytes: Uint8Array, kind: Kind): { bytes: Uint8Array; note?: string } | undefined {
  if (kind === 'bytes') return { bytes }
  if (kind === 'uint') {
    let i = 0
    while (i < bytes.length - 1 && bytes[i] === 0) i++
    // RFC 7518 §2 Base64urlUInt: the minimum number of octets; the value is unchanged.
    return i === 0 ? { bytes } : { bytes: bytes.subarray(i), note: 'leading zero octets removed (RFC 7518 §2 Base64urlUInt)' }
  }
  const size = kind.bytes
  if (bytes.length === size) return { bytes }
  if (bytes.length === 0) return undefined
  if (bytes.length < size) {
    // RFC 7518 §6.2.1.2: the full field length, leading zeros kept; PyJWT/Authlib strip them.
    const full = new Uint8Array(size)
    full.set(bytes, size - bytes.length)
    return { bytes: full, note: `leading zero octets restored to the ${size}-octet field length of ${kind.crv} (RFC 7518 §6.2.1.2)` }
  }
  const extra = bytes.length - size
  for (let i = 0; i < extra; i++) if (bytes[i] !== 0) return { bytes } // longer by a value: refused by the rules
  return { bytes: bytes.subarray(extra), note: `leading zero octets removed to the ${size}-octet field length of ${kind.crv} (RFC 7518 §6.2.1.2)` }
}

/** The canonical text of a member and the notes of what changed; null when unchanged or unreadable. */
function rewritten(value: string, kind: Kind): { canonical: string; notes: string } | null {
  const read = decodeBase64urlLenient(value)
  if (!read.ok) return null
  const notes = read.spellings.map((s) => SPELLING[s]!)
  const fixed = fixLength(read.bytes, kind)
  if (fixed === undefined) return null
  if (fixed.note !== undefined) notes.push(fixed.note)
  const canonical = encodeBase64url(fixed.bytes)
  return canonical === value ? null : { canonical, notes: notes.join('; ') }
}

/** Rewrites `member` of `snap` to its canonical form when it has one and differs; reports it. */
function rewrite(snap: Record<string, unknown>, warnings: Problem[], base: string, member: string, kind: Kind): void {
  const value = snap[member]
  if (typeof value !== 'string') return
  // Public members only are remembered: a private or secret value is never kept past its check.
  const memo = value.length >= MEMO_MIN_CHARS && PUBLIC_MEMBERS.has(member)
  const key = memo ? (typeof kind === 'string' ? kind : kind.crv) + '\u0000' + value : ''
  let done = memo ? MEMO.get(key) : undefined
  if (done === undefined) {
    done = rewritten(value, kind)
    if (memo) {
      if (MEMO.size >= MEMO_MAX) MEMO.clear()
      MEMO.set(key, done)
    }
  }
  if (done === null) return
  snap[member] = done.canonical
  warnings.push(problem('ERR_JWK_NON_CANONICAL', at(base, member), `JWK: member ${member}: ${done.notes}`, 'warning'))
}

/**
 * The canonical copy of a key snapshot and a warning per rewritten member. Members without a
 * single reading are left untouched (the rules report them).
 */
export function normalizeSnapshot(input: Record<string, unknown>, base = ''): Normalized {
  const snap = ownSnapshot(input)
  const warnings: Problem[] = []
  const kty = snap.kty
  if (kty === 'RSA') {
    for (const m of RSA_INTEGERS) rewrite(snap, warnings, base, m, 'uint')
    // RFC 7518 §6.3.2.7: an empty "oth" lists no further primes: the same two-prime key.
    if (Array.isArray(snap.oth) && snap.oth.length === 0) {
      delete snap.oth
      warnings.push(problem('ERR_JWK_NON_CANONICAL', at(base, 'oth'), 'JWK: member oth: empty array dropped (RFC 7518 §6.3.2.7: no other primes)', 'warning'))
    }
  } else if (kty === 'EC') {
    const curve = ecCurve(snap.crv)
    for (const m of EC_MEMBERS) rewrite(snap, warnings, base, m, curve ?? 'bytes')
  } else if (typeof kty === 'string') {
    for (const m of BYTE_STRINGS[kty] ?? []) rewrite(snap, warnings, base, m, 'bytes')
  }
  for (const m of DIGESTS) rewrite(snap, warnings, base, m, 'bytes')
  // RFC 7517 §4.7: x5c, when present, holds a certificate; an empty array holds no information.
  if (Array.isArray(snap.x5c) && snap.x5c.length === 0) {
    delete snap.x5c
    warnings.push(problem('ERR_JWK_NON_CANONICAL', at(base, 'x5c'), 'JWK: member x5c: empty array dropped (RFC 7517 §4.7: a chain holds at least one certificate)', 'warning'))
  }
  return { snap, warnings }
}
