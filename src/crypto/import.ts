/**
 * @module crypto/import
 * JWK → node:crypto `KeyObject` (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2, RFC 8812 §3.1).
 * Every key goes through the full rules of `parseJwk` first: node:crypto accepts padded or
 * standard-alphabet base64, leading zero octets and contradictory `use`/`key_ops`; jwkit does not.
 * AKP (ML-DSA, draft-ietf-cose-dilithium) keys have no KeyObject on Node 20: {@link importKeyHandle}
 * gives them as an {@link MlDsaKey} instead.
 */
import { importJwkMembers, secretKey } from '#backend'
import type { BackendKey } from '../backend/types.ts'
import { JwkitError } from '../errors.ts'
import { keyFitsAlgorithm } from '../jwk/algorithms.ts'
import { checkSnapshot, errorFromProblems, snapshotJwk, type ParseJwkOptions } from '../jwk/parse.ts'
import { toPublicJwk } from '../jwk/public.ts'
import type { Jwk } from '../jwk/types.ts'
import { decodeBase64url } from '../util/base64url.ts'
import type { KeyHandle, KeyLike } from './key-handle.ts'
import { mlDsaKeyFromJwk } from './ml-dsa.ts'
import { ownOptions } from '../util/dict.ts'

export interface ImportJwkOptions {
  /** Largest JWK text accepted, in bytes (parseJwk's default: 64 KiB). */
  maxBytes?: number
  /** Refuse a private JWK (`ERR_JWK_PRIVATE_MEMBER`). */
  requirePublic?: boolean
  /** Refuse a public JWK. */
  requirePrivate?: boolean
  /** Refuse a key that does not fit this JWA algorithm (`ERR_ALG_NOT_ALLOWED`). */
  alg?: string
  /** Import only the public half of a private JWK (a `public` KeyObject). */
  asPublic?: boolean
  /** Refuse non-canonical members instead of normalising them (see parseJwk). */
  strict?: boolean
}

/**
 * Parses and checks a JWK strictly, then imports it as a node:crypto KeyObject: `public` for a
 * public JWK, `private` for a private one (unless `asPublic`), `secret` for `oct`.
 * Throws `ERR_JWK_UNSUPPORTED` for AKP (use {@link importKeyHandle} or signJws) and
 * `ERR_KEY_IMPORT_FAILED` when node:crypto refuses a key that passed the rules.
 */
export function importJwk(jwk: Jwk | string | Uint8Array | object, options: ImportJwkOptions = {}): KeyLike {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const parsed = parseChecked(jwk, options)
  if (parsed.kty === 'AKP') {
    throw new JwkitError(
      'ERR_JWK_UNSUPPORTED',
      `AKP (${parsed.alg}) keys have no node:crypto KeyObject on Node 20; sign and verify ML-DSA through signJws/verifyJws, or use importKeyHandle`,
      { path: '/kty' },
    )
  }
  return keyObjectOf(parsed, options.asPublic === true) as KeyLike
}

/** Like {@link importJwk}, but an AKP (ML-DSA) JWK gives an {@link MlDsaKey} instead of a refusal. */
export function importKeyHandle(jwk: Jwk | string | Uint8Array | object, options: ImportJwkOptions = {}): KeyHandle {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const parsed = parseChecked(jwk, options)
  if (parsed.kty === 'AKP') {
    const key = mlDsaKeyFromJwk(parsed)
    return options.asPublic === true && key.secretKey !== undefined
      ? Object.freeze({ type: 'ml-dsa', alg: key.alg, publicKey: key.publicKey })
      : key
  }
  return keyObjectOf(parsed, options.asPublic === true)
}

/**
 * parseJwk without its final plain-object copy: the checked snapshot (`ownSnapshot` from
 * util/dict: own members only, over an empty frozen null-prototype object) is only handed to
 * node:crypto (or mlDsaKeyFromJwk) and never returned, so the copy would be wasted.
 */
function parseChecked(jwk: unknown, options: ImportJwkOptions): Jwk {
  if (jwk === null || (typeof jwk !== 'object' && typeof jwk !== 'string')) {
    throw new TypeError('importJwk: the key must be a JWK object, JSON text or bytes')
  }
  const parseOptions: ParseJwkOptions = ownOptions({})
  if (options.maxBytes !== undefined) parseOptions.maxBytes = options.maxBytes
  if (options.requirePublic === true) parseOptions.requirePublic = true
  if (options.requirePrivate === true) parseOptions.requirePrivate = true
  if (options.strict === true) parseOptions.strict = true
  const snap = snapshotJwk(jwk, parseOptions)
  const ctx = checkSnapshot(snap, parseOptions)
  if (ctx.errors > 0) throw errorFromProblems(ctx.problems)
  const parsed = ctx.jwk as unknown as Jwk // canonical (normalised when it was not)
  if (options.alg !== undefined && !keyFitsAlgorithm(parsed, options.alg)) {
    throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${parsed.kty} key does not fit alg ${JSON.stringify(options.alg)}`, { path: '/alg' })
  }
  return parsed
}

/** Hands a checked JWK to node:crypto. */
function keyObjectOf(jwk: Exclude<Jwk, { kty: 'AKP' }>, asPublic: boolean): BackendKey {
  if (jwk.kty === 'oct') {
    if (asPublic) throw new JwkitError('ERR_JWK_NO_PUBLIC_FORM', 'oct key: a symmetric key has no public half', { path: '/kty' })
    // parseJwk has checked k (RFC 7518 §6.4.1): canonical base64url, not empty.
    return secretKey(decodeBase64url(jwk.k) ?? new Uint8Array(0))
  }
  const isPrivate = typeof jwk.d === 'string'
  if (isPrivate && jwk.kty === 'RSA' && (jwk.p === undefined || jwk.q === undefined || jwk.dp === undefined || jwk.dq === undefined || jwk.qi === undefined) && !asPublic) {
    // RFC 7518 §6.3.2 lets a producer omit the CRT members; node:crypto cannot import such a key.
    throw new JwkitError('ERR_JWK_UNSUPPORTED', 'RSA private key without p, q, dp, dq and qi cannot be imported (RFC 7518 §6.3.2 members omitted)', { path: '/p' })
  }
  try {
    if (!isPrivate) return importJwkMembers(jwk, 'public')
    if (asPublic) return importJwkMembers(toPublicJwk(jwk), 'public')
    return importJwkMembers(jwk, 'private')
  } catch (cause) {
    const curve = 'crv' in jwk ? ` ${jwk.crv}` : ''
    throw new JwkitError('ERR_KEY_IMPORT_FAILED', `the crypto backend refused the ${jwk.kty}${curve} ${isPrivate && !asPublic ? 'private' : 'public'} key`, { cause })
  }
}

