/**
 * @module crypto/sign
 * The signature primitives of JWA (RFC 7518 §3), RFC 8037 (EdDSA), RFC 8812 (ES256K), RFC 9864
 * (Ed25519, Ed448) and draft-ietf-cose-dilithium (ML-DSA-44/65/87), over node:crypto one-shot
 * `sign`/`verify` (synchronous) and `@noble/post-quantum` for ML-DSA.
 *
 * `verifyBytes` answers `false` for any signature that does not verify, whatever the reason
 * (wrong length, DER instead of R‖S, r or s out of range); it throws only when the key cannot be
 * used with the algorithm at all (wrong type or curve: `ERR_ALG_NOT_ALLOWED`; RSA under 2048 bits
 * or an HMAC key shorter than the hash: `ERR_JWK_WEAK_KEY`) or the algorithm is unknown.
 */
import { fromHex } from '#codec'
import { hmac, sign as backendSign, timingSafeEqual, verify as backendVerify } from '#backend'
import type { BackendKey, SignatureParams } from '../backend/types.ts'
import { ml_dsa44, ml_dsa65, ml_dsa87 } from '@noble/post-quantum/ml-dsa.js'
import { JwkitError, isJwkitError } from '../errors.ts'
import type { KeyHandle, MlDsaKey } from './key-handle.ts'

type Family = 'HMAC' | 'RSA-PKCS1' | 'RSA-PSS' | 'ECDSA' | 'EdDSA' | 'ML-DSA'

/** What one `alg` needs from the primitive. */
interface Primitive {
  readonly family: Family
  readonly hash?: 'sha256' | 'sha384' | 'sha512'
  /** Hash output length in bytes (HMAC minimum key size, PSS salt length). */
  readonly hashBytes?: number
  /** ECDSA: node's curve name, the group order n (big-endian, `size` bytes) and the scalar size. */
  readonly namedCurve?: string
  readonly order?: Uint8Array
  readonly size?: number
  /** EdDSA: the key types the algorithm name admits. */
  readonly okp?: readonly string[]
}

const hex = fromHex

// Curve orders: SEC 2 §2.4.1 (secp256k1), FIPS 186-4 §D.1.2 (P-256, P-384, P-521).
const P256_N = hex('ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551')
const P384_N = hex('ffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973')
const P521_N = hex('01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409')
const K256_N = hex('fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141')

const PRIMITIVES: Readonly<Record<string, Primitive>> = {
  HS256: { family: 'HMAC', hash: 'sha256', hashBytes: 32 },
  HS384: { family: 'HMAC', hash: 'sha384', hashBytes: 48 },
  HS512: { family: 'HMAC', hash: 'sha512', hashBytes: 64 },
  RS256: { family: 'RSA-PKCS1', hash: 'sha256', hashBytes: 32 },
  RS384: { family: 'RSA-PKCS1', hash: 'sha384', hashBytes: 48 },
  RS512: { family: 'RSA-PKCS1', hash: 'sha512', hashBytes: 64 },
  PS256: { family: 'RSA-PSS', hash: 'sha256', hashBytes: 32 },
  PS384: { family: 'RSA-PSS', hash: 'sha384', hashBytes: 48 },
  PS512: { family: 'RSA-PSS', hash: 'sha512', hashBytes: 64 },
  ES256: { family: 'ECDSA', hash: 'sha256', namedCurve: 'prime256v1', order: P256_N, size: 32 },
  ES384: { family: 'ECDSA', hash: 'sha384', namedCurve: 'secp384r1', order: P384_N, size: 48 },
  ES512: { family: 'ECDSA', hash: 'sha512', namedCurve: 'secp521r1', order: P521_N, size: 66 },
  ES256K: { family: 'ECDSA', hash: 'sha256', namedCurve: 'secp256k1', order: K256_N, size: 32 },
  EdDSA: { family: 'EdDSA', okp: ['ed25519', 'ed448'] },
  Ed25519: { family: 'EdDSA', okp: ['ed25519'] },
  Ed448: { family: 'EdDSA', okp: ['ed448'] },
  'ML-DSA-44': { family: 'ML-DSA' },
  'ML-DSA-65': { family: 'ML-DSA' },
  'ML-DSA-87': { family: 'ML-DSA' },
}

const ML_DSA = { 'ML-DSA-44': ml_dsa44, 'ML-DSA-65': ml_dsa65, 'ML-DSA-87': ml_dsa87 } as const

/** The JWS algorithms these primitives implement (RFC 7518 §3.1 and later registrations). */
export const SIGNATURE_ALGORITHMS: readonly string[] = Object.freeze(Object.keys(PRIMITIVES))

/** True when `alg` names a signature or MAC algorithm jwkit implements. */
export function isSignatureAlgorithm(alg: string): boolean {
  return Object.hasOwn(PRIMITIVES, alg)
}

/** Keys already checked against an algorithm: a steady stream of tokens checks each key once. */
const checked = new WeakMap<object, Set<string>>()

function primitiveFor(alg: string): Primitive {
  const p = Object.hasOwn(PRIMITIVES, alg) ? PRIMITIVES[alg] : undefined
  if (p === undefined) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm "${printable(alg)}" is not a supported JWS algorithm`)
  return p
}

/** Throws unless `key` can do `alg` (type, curve, strength). Cached per key object. */
function checkKey(alg: string, p: Primitive, key: KeyHandle, signing: boolean): void {
  const seen = checked.get(key)
  const tag = signing ? alg + '/s' : alg
  if (seen?.has(tag)) return
  if (isMlDsa(key)) {
    if (p.family !== 'ML-DSA' || key.alg !== alg) mismatch(alg)
    if (signing && key.secretKey === undefined) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${alg} signing needs a private key`)
  } else {
    const ko = key as BackendKey
    if (p.family === 'HMAC') {
      if (ko.type !== 'secret') mismatch(alg)
      // RFC 7518 §3.2: a key of the same size as the hash output or larger MUST be used.
      if ((ko.symmetricKeySize ?? 0) < p.hashBytes!) {
        throw new JwkitError('ERR_JWK_WEAK_KEY', `${alg} needs a key of at least ${p.hashBytes} bytes, this one has ${ko.symmetricKeySize ?? 0}`)
      }
    } else {
      if (ko.type === 'secret' || (signing && ko.type !== 'private')) {
        if (ko.type === 'secret') mismatch(alg)
        throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${alg} signing needs a private key`)
      }
      const t = ko.asymmetricKeyType
      if (p.family === 'RSA-PKCS1' || p.family === 'RSA-PSS') {
        if (!(t === 'rsa' || (t === 'rsa-pss' && p.family === 'RSA-PSS'))) mismatch(alg)
        const bits = ko.asymmetricKeyDetails?.modulusLength ?? 0
        // RFC 7518 §3.3, §3.5: a key of size 2048 bits or larger MUST be used.
        if (bits < 2048) throw new JwkitError('ERR_JWK_WEAK_KEY', `${alg} needs an RSA key of at least 2048 bits, this one has ${bits}`)
      } else if (p.family === 'ECDSA') {
        if (t !== 'ec' || ko.asymmetricKeyDetails?.namedCurve !== p.namedCurve) mismatch(alg)
      } else if (p.family === 'EdDSA') {
        if (t === undefined || !p.okp!.includes(t)) mismatch(alg)
      } else {
        mismatch(alg)
      }
    }
  }
  if (seen) seen.add(tag)
  else checked.set(key, new Set([tag]))
}

function mismatch(alg: string): never {
  throw new JwkitError('ERR_ALG_NOT_ALLOWED', `the key does not fit algorithm ${alg} (key type, curve or parameter set)`)
}

function isMlDsa(key: KeyHandle): key is MlDsaKey {
  return (key as { type: string }).type === 'ml-dsa'
}

/** What the backend needs for each asymmetric algorithm, built once. */
const SIGNATURE_PARAMS: Readonly<Record<string, SignatureParams>> = Object.fromEntries(
  Object.entries(PRIMITIVES)
    .filter(([, p]) => p.family !== 'HMAC' && p.family !== 'ML-DSA')
    .map(([alg, p]) => [alg, Object.freeze({ family: p.family as SignatureParams['family'], ...(p.hash ? { hash: p.hash } : {}), ...(p.hashBytes ? { saltLength: p.hashBytes } : {}) })]),
)

/**
 * Signs `data` (the JWS signing input) with `alg`; returns the JWS signature octets
 * (ECDSA as R‖S, RFC 7518 §3.4). Synchronous wherever the backend is (always on Node); where
 * a runtime only signs asynchronously (WebCrypto), the answer is a Promise: the token layers use
 * this, {@link signBytes} is the synchronous form.
 */
export function signWith(alg: string, key: KeyHandle, data: Uint8Array): Uint8Array | Promise<Uint8Array> {
  const p = primitiveFor(alg)
  checkKey(alg, p, key, true)
  switch (p.family) {
    case 'HMAC':
      return hmac(p.hash!, key as BackendKey, data)
    case 'ML-DSA': {
      const k = key as MlDsaKey
      return ML_DSA[alg as keyof typeof ML_DSA].sign(data, k.secretKey!)
    }
    default:
      return backendSign(SIGNATURE_PARAMS[alg]!, key as BackendKey, data)
  }
}

/**
 * Verifies a JWS signature. `false` for any signature that does not verify; throws only when the
 * key cannot be used with `alg` at all (see the module summary). Like {@link signWith}, a Promise
 * only where the runtime verifies asynchronously.
 */
export function verifyWith(alg: string, key: KeyHandle, data: Uint8Array, signature: Uint8Array): boolean | Promise<boolean> {
  const p = primitiveFor(alg)
  checkKey(alg, p, key, false)
  try {
    let answer: boolean | Promise<boolean>
    switch (p.family) {
      case 'HMAC': {
        if (signature.length !== p.hashBytes) return false
        const mac = hmac(p.hash!, key as BackendKey, data) as Uint8Array | Promise<Uint8Array>
        // RFC 7515 §10.3 / RFC 7518 §3.2: constant-time comparison of the MAC.
        if (mac instanceof Uint8Array) return timingSafeEqual(mac, signature)
        answer = mac.then((m) => timingSafeEqual(m, signature))
        break
      }
      case 'ECDSA':
        // RFC 7518 §3.4: exactly R‖S, each the size of the group order; never DER.
        if (signature.length !== 2 * p.size! || !scalarInRange(signature, 0, p.size!, p.order!) ||
          !scalarInRange(signature, p.size!, p.size!, p.order!)) return false
        answer = backendVerify(SIGNATURE_PARAMS[alg]!, key as BackendKey, data, signature) as boolean | Promise<boolean>
        break
      case 'ML-DSA': {
        const m = ML_DSA[alg as keyof typeof ML_DSA]
        if (signature.length !== m.lengths.signature) return false
        return m.verify(signature, data, (key as MlDsaKey).publicKey)
      }
      default:
        answer = backendVerify(SIGNATURE_PARAMS[alg]!, key as BackendKey, data, signature) as boolean | Promise<boolean>
    }
    // A malformed signature some backends reject instead of answering false.
    return typeof answer === 'boolean' ? answer : answer.catch(falseUnlessRefusal)
  } catch (error) {
    // A malformed signature some backends throw on instead of answering false.
    return falseUnlessRefusal(error)
  }
}

/** {@link signWith}, synchronously: `ERR_JWK_UNSUPPORTED` where the runtime only signs asynchronously (use signJws). */
export function signBytes(alg: string, key: KeyHandle, data: Uint8Array): Uint8Array {
  const out = signWith(alg, key, data) as Uint8Array | Promise<Uint8Array>
  if (out instanceof Uint8Array) return out
  out.catch(() => undefined)
  throw asyncOnly(alg)
}

/** {@link verifyWith}, synchronously: `ERR_JWK_UNSUPPORTED` where the runtime only verifies asynchronously (use verifyJws). */
export function verifyBytes(alg: string, key: KeyHandle, data: Uint8Array, signature: Uint8Array): boolean {
  const out = verifyWith(alg, key, data, signature) as boolean | Promise<boolean>
  if (typeof out === 'boolean') return out
  out.catch(() => undefined)
  throw asyncOnly(alg)
}

/** A backend's own refusal (`ERR_JWK_UNSUPPORTED`: the runtime lacks the primitive) passes; anything else reads as a bad signature. */
function falseUnlessRefusal(error: unknown): false {
  if (isJwkitError(error)) throw error
  return false
}

function asyncOnly(alg: string): JwkitError {
  return new JwkitError('ERR_JWK_UNSUPPORTED', `${alg} has only an asynchronous implementation on this runtime (WebCrypto); use signJws/verifyJws`)
}

/** True when the big-endian integer `bytes[offset, offset+size)` lies in [1, n − 1]. */
function scalarInRange(bytes: Uint8Array, offset: number, size: number, n: Uint8Array): boolean {
  let nonZero = 0
  // 0 = equal so far, -1 less than n, 1 greater than n (decided at the first differing byte).
  let cmp = 0
  for (let i = 0; i < size; i++) {
    const b = bytes[offset + i]!
    nonZero |= b
    if (cmp === 0 && b !== n[i]) cmp = b < n[i]! ? -1 : 1
  }
  return nonZero !== 0 && cmp === -1
}

function printable(text: string): string {
  const cut = text.length > 20 ? text.slice(0, 20) + '…' : text
  return cut.replace(/[^\x20-\x7e]/g, '?')
}
