/**
 * @module jwk/rules-x5c
 * Rules for `x5c` (RFC 7517 §4.7): an array of standard-base64 DER certificates, leaf first,
 * whose leaf holds the JWK's own public key; and for `x5t` / `x5t#S256` (§4.8, §4.9), the SHA-1 /
 * SHA-256 digests of that leaf.
 */
import { dict } from '../util/dict.ts'
import { certificatePublicJwk, digestBase64url, parseCertificate } from '#backend'
import type { BackendCertificate } from '../backend/types.ts'
import { decodeBase64 } from '../util/base64url.ts'
import { equalBytes } from '../util/bytes.ts'
import { elementPointer, fail, hintFails, type CheckContext } from './check-context.ts'

/** Bound on chain length: real chains hold 1–4 certificates. */
export const MAX_X5C_ENTRIES = 10
/** Bound on one entry, in base64 characters (a 16384-bit RSA certificate is under 6 KiB). */
export const MAX_X5C_ENTRY_CHARS = 64 * 1024

/** The members that make up the public key of each kty, compared with the leaf's key. */
const KEY_MEMBERS: Readonly<Record<string, readonly string[]>> = dict({
  RSA: ['n', 'e'],
  EC: ['crv', 'x', 'y'],
  OKP: ['crv', 'x'],
})

/**
 * Certificates a caller has already parsed, and the public key it read from the first one (as
 * node:crypto exports it). Internal (formats/x509 builds a JWK from the very certificates it
 * parsed): an x5c entry whose DER is byte-identical to `ders[i]` reuses `certs[i]` instead of
 * parsing it again, and the key match compares with `leafKey` instead of exporting it again.
 * Every rule still runs: entries are still decoded and compared, digests recomputed, the key
 * members still compared. Entries that differ are parsed as usual.
 */
export interface KnownChain {
  readonly ders: readonly Uint8Array[]
  readonly certs: readonly BackendCertificate[]
  readonly leafKey: Readonly<Record<string, unknown>>
}

/** Checks x5c and its agreement with x5t / x5t#S256 and the key. `keyOk`: the key members passed. */
export function checkX5c(ctx: CheckContext, keyOk: boolean, known?: KnownChain): void {
  const value = ctx.jwk.x5c
  if (value === undefined) return
  if (!Array.isArray(value) || value.length === 0) {
    fail(ctx, 'ERR_JWK_INVALID', 'x5c', 'JWK: member x5c must be a non-empty array of certificates')
    return
  }
  if (value.length > MAX_X5C_ENTRIES) {
    fail(ctx, 'ERR_INPUT_TOO_LARGE', 'x5c', `JWK: member x5c has more than ${MAX_X5C_ENTRIES} certificates`)
    return
  }
  const certs: BackendCertificate[] = []
  const ders: Uint8Array[] = []
  for (let i = 0; i < value.length; i++) {
    const entry: unknown = value[i]
    const path = elementPointer('x5c', i)
    if (typeof entry === 'string' && entry.length > MAX_X5C_ENTRY_CHARS) {
      fail(ctx, 'ERR_INPUT_TOO_LARGE', path, `JWK: x5c entry is longer than ${MAX_X5C_ENTRY_CHARS} characters`)
      return
    }
    // RFC 7517 §4.7: "base64-encoded (Section 4 of [RFC4648] -- not base64url-encoded) DER".
    const der = typeof entry === 'string' ? decodeBase64(entry) : undefined
    if (der === undefined || der.length === 0) {
      fail(ctx, 'ERR_JWK_INVALID', path, 'JWK: x5c entries must be canonical standard base64 (RFC 4648 §4)')
      return
    }
    if (der[0] !== 0x30) {
      fail(ctx, 'ERR_X509_INVALID', path, 'JWK: x5c entry is not a DER certificate')
      return
    }
    const same = known?.ders[i]
    if (same !== undefined && equalBytes(der, same)) {
      certs.push(known!.certs[i]!)
      ders.push(der)
      continue
    }
    try {
      certs.push(parseCertificate(der))
      ders.push(der)
    } catch {
      fail(ctx, 'ERR_X509_INVALID', path, 'JWK: x5c entry is not a DER certificate')
      return
    }
  }
  const leaf = ders[0]!
  // RFC 7517 §4.8/§4.9: x5t / x5t#S256 are the digests of the DER encoding of x5c[0].
  const x5t = ctx.jwk.x5t
  if (typeof x5t === 'string' && digestBase64url('sha1', leaf) !== x5t) {
    hintFails(ctx, 'ERR_JWK_INVALID', 'x5t', 'JWK: member x5t is not the SHA-1 digest of x5c[0]')
  }
  const x5t256 = ctx.jwk['x5t#S256']
  if (typeof x5t256 === 'string' && digestBase64url('sha256', leaf) !== x5t256) {
    hintFails(ctx, 'ERR_JWK_INVALID', 'x5t#S256', 'JWK: member x5t#S256 is not the SHA-256 digest of x5c[0]')
  }
  if (!keyOk) return
  // RFC 7517 §4.7: "The key in the first certificate MUST match the public key represented by other members of the JWK."
  const members = KEY_MEMBERS[ctx.jwk.kty as string]
  if (members === undefined) {
    if (ctx.jwk.kty === 'AKP') fail(ctx, 'ERR_JWK_UNSUPPORTED', 'x5c', 'JWK: matching an ML-DSA certificate to an AKP key is not supported')
    else fail(ctx, 'ERR_JWK_INVALID', 'x5c', `JWK: a ${ctx.jwk.kty as string} key has no public key a certificate could hold`)
    return
  }
  let certKey: Readonly<Record<string, unknown>>
  try {
    certKey = known !== undefined && certs[0] === known.certs[0] ? known.leafKey : certificatePublicJwk(certs[0]!)
  } catch {
    fail(ctx, 'ERR_JWK_UNSUPPORTED', elementPointer('x5c', 0), 'JWK: the public key of x5c[0] cannot be read')
    return
  }
  if (certKey.kty !== ctx.jwk.kty || members.some((m) => certKey[m] !== ctx.jwk[m])) {
    fail(ctx, 'ERR_JWK_INVALID', elementPointer('x5c', 0), 'JWK: the public key of x5c[0] differs from the key of the JWK')
  }
}
