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
import { dict, ownSnapshot } from '../util/dict.ts'
import { ecCurve } from './curves.ts'

/** RFC 7518 §6.3: the Base64urlUInt members of an RSA key. */
const RSA_INTEGERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const
/** The base64url members of each kty whose length is not touched. */
const BYTE_STRINGS: Readonly<Record<string, readonly string[]>> = dict({
  OKP: ['x', 'd'],
  oct: ['k'],
  AKP: ['pub', 'priv'],
})
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
 * The canonical copy of a key snapshot and a warning per rewritten member. Members without a
 * single reading are left untouched (the rules report them).
 */
export function normalizeSnapshot(input: Record<string, unknown>, base = ''): Normalized {
  const snap = ownSnapshot(input)
  const warnings: Problem[] = []
  const kty = snap.kty
  const rewrite = (member: string, fix: (bytes: Buffer) => { bytes: Buffer; note?: string } | undefined): void => {
    const value = snap[member]
    if (typeof value !== 'string') return
    const read = decodeBase64urlLenient(value)
    if (!read.ok) return
    const notes = read.spellings.map((s) => SPELLING[s]!)
    let bytes = read.bytes
    const fixed = fix(bytes)
    if (fixed === undefined) return
    bytes = fixed.bytes
    if (fixed.note !== undefined) notes.push(fixed.note)
    const canonical = bytes.toString('base64url')
    if (canonical === value) return
    snap[member] = canonical
    warnings.push(problem('ERR_JWK_NON_CANONICAL', at(base, member), `JWK: member ${member}: ${notes.join('; ')}`, 'warning'))
  }
  const asIs = (bytes: Buffer) => ({ bytes })

  if (kty === 'RSA') {
    for (const m of RSA_INTEGERS) {
      rewrite(m, (bytes) => {
        let i = 0
        while (i < bytes.length - 1 && bytes[i] === 0) i++
        // RFC 7518 §2 Base64urlUInt: the minimum number of octets; the value is unchanged.
        return i === 0 ? { bytes } : { bytes: bytes.subarray(i), note: 'leading zero octets removed (RFC 7518 §2 Base64urlUInt)' }
      })
    }
    // RFC 7518 §6.3.2.7: an empty "oth" lists no further primes: the same two-prime key.
    if (Array.isArray(snap.oth) && snap.oth.length === 0) {
      delete snap.oth
      warnings.push(problem('ERR_JWK_NON_CANONICAL', at(base, 'oth'), 'JWK: member oth: empty array dropped (RFC 7518 §6.3.2.7: no other primes)', 'warning'))
    }
  } else if (kty === 'EC') {
    const curve = ecCurve(snap.crv)
    for (const m of ['x', 'y', 'd']) {
      rewrite(m, (bytes) => {
        if (curve === undefined || bytes.length === curve.bytes) return { bytes }
        if (bytes.length === 0) return undefined
        if (bytes.length < curve.bytes) {
          // RFC 7518 §6.2.1.2: the full field length, leading zeros kept; PyJWT/Authlib strip them.
          const full = Buffer.alloc(curve.bytes)
          bytes.copy(full, curve.bytes - bytes.length)
          return { bytes: full, note: `leading zero octets restored to the ${curve.bytes}-octet field length of ${curve.crv} (RFC 7518 §6.2.1.2)` }
        }
        const extra = bytes.length - curve.bytes
        for (let i = 0; i < extra; i++) if (bytes[i] !== 0) return { bytes } // longer by a value: refused by the rules
        return { bytes: bytes.subarray(extra), note: `leading zero octets removed to the ${curve.bytes}-octet field length of ${curve.crv} (RFC 7518 §6.2.1.2)` }
      })
    }
  } else if (typeof kty === 'string') {
    for (const m of BYTE_STRINGS[kty] ?? []) rewrite(m, asIs)
  }
  for (const m of DIGESTS) rewrite(m, asIs)
  // RFC 7517 §4.7: x5c, when present, holds a certificate; an empty array holds no information.
  if (Array.isArray(snap.x5c) && snap.x5c.length === 0) {
    delete snap.x5c
    warnings.push(problem('ERR_JWK_NON_CANONICAL', at(base, 'x5c'), 'JWK: member x5c: empty array dropped (RFC 7517 §4.7: a chain holds at least one certificate)', 'warning'))
  }
  return { snap, warnings }
}
