/**
 * @module jwe/key
 * Which key may encrypt or decrypt what (RFC 7517 §4.2 `use: "enc"`, §4.3 `key_ops`, §4.4 `alg`;
 * RFC 8725 §3.1 allowlists): the default key management allowlist of a key is its own `alg`, or
 * what its type and size permit — so never `dir` or an AES key wrap for an RSA, EC or OKP key,
 * and never ECDH-ES for an Ed25519 key.
 */
import type { KeyObject } from 'node:crypto'
import { JwkitError } from '../errors.ts'
import { algorithmMisfit, keyFitsAlgorithm } from '../jwk/algorithms.ts'
import type { Jwk } from '../jwk/types.ts'
import { isMlDsaKey } from '../crypto/key-handle.ts'
import { CONTENT_ENCRYPTION_ALGORITHMS } from '../crypto/content-encryption.ts'
import { KEY_MANAGEMENT_ALGORITHMS, keyManagement, type KeyManagementFamily } from '../crypto/key-management.ts'
import { prepareKey, type KeyInput, type PreparedKey } from '../jws/key-usage.ts'

/** A key made ready for JWE: the checked JWK and the node:crypto key. */
export interface JweKey {
  /** The JWK as validated (private members included when given). */
  readonly jwk: Jwk
  /** What results report: the public JWK, or the `oct` JWK itself. */
  readonly publicJwk: Jwk
  /** The public key (encrypt), the private key (decrypt), or the secret (oct). */
  readonly handle: KeyObject
  /** The default key management allowlist. */
  readonly algorithms: readonly string[]
  /** True when the JWK was normalised from a non-canonical form (see parseJwk). */
  readonly normalized: boolean
}

/** By the prepared key (jws/key-usage), which is itself redone when the caller's JWK object changes. */
const cache = new WeakMap<PreparedKey, JweKey>()

/**
 * Prepares the caller's key: for `encrypt` its public half, for `decrypt` the private key. With
 * `strict`, a JWK valid only once normalised (see parseJwk) is refused.
 */
export function prepareJweKey(input: KeyInput, op: 'encrypt' | 'decrypt', strict = false): JweKey {
  const prepared = prepareKey(input, op === 'encrypt' ? 'verify' : 'sign', strict)
  const hit = cache.get(prepared)
  if (hit !== undefined) return hit
  if (isMlDsaKey(prepared.handle)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', 'an AKP (ML-DSA) key cannot encrypt or decrypt')
  const key: JweKey = { jwk: prepared.jwk, publicJwk: prepared.publicJwk, handle: prepared.handle, algorithms: defaultKeyManagement(prepared.jwk), normalized: prepared.normalized }
  cache.set(prepared, key)
  return key
}

/** The key's own `alg` (or `dir` when that `alg` is a content encryption algorithm), else what fits. */
export function defaultKeyManagement(jwk: Jwk): readonly string[] {
  const alg = jwk.alg
  if (typeof alg === 'string') {
    if (KEY_MANAGEMENT_ALGORITHMS.includes(alg)) return Object.freeze([alg])
    // A shared key whose alg names the content encryption (RFC 7520 §5.6 keys): direct use only.
    if (jwk.kty === 'oct' && CONTENT_ENCRYPTION_ALGORITHMS.includes(alg)) return Object.freeze(['dir'])
    return Object.freeze([])
  }
  return Object.freeze(KEY_MANAGEMENT_ALGORITHMS.filter((a) => keyFitsAlgorithm(jwk, a)))
}

/** RFC 7517 §4.3: the key_ops values that permit each family, per direction. */
const OPS: Readonly<Record<KeyManagementFamily, { encrypt: readonly string[]; decrypt: readonly string[] }>> = {
  dir: { encrypt: ['encrypt'], decrypt: ['decrypt'] },
  'aes-kw': { encrypt: ['wrapKey'], decrypt: ['unwrapKey'] },
  'aes-gcm-kw': { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  'rsa-oaep': { encrypt: ['wrapKey', 'encrypt'], decrypt: ['unwrapKey', 'decrypt'] },
  'ecdh-es': { encrypt: ['deriveKey', 'deriveBits'], decrypt: ['deriveKey', 'deriveBits'] },
  'ecdh-es-kw': { encrypt: ['deriveKey', 'deriveBits'], decrypt: ['deriveKey', 'deriveBits'] },
}

/**
 * Throws unless `key` may do `op` with key management `alg` and content encryption `enc`:
 * the allowlist (the caller's, else the key's default), the key fitting the algorithm, `use`,
 * `key_ops`, `alg`.
 */
export function checkJweKey(key: JweKey, alg: string, enc: string, op: 'encrypt' | 'decrypt', allowlist: readonly string[] | undefined): void {
  const km = keyManagement(alg) // RSA1_5, PBES2, unknown: ERR_ALG_NOT_ALLOWED
  if (allowlist !== undefined && !allowlist.includes(alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `key management algorithm ${alg} is not in the allowlist`)
  const jwk = key.jwk
  const misfit = algorithmMisfit(jwk, alg)
  if (misfit !== undefined) {
    // RFC 7518 §4.2, §4.3: RSA keys under 2048 bits; RFC 8725 §3.1: type and size must fit.
    if (misfit.kind === 'weak') throw new JwkitError('ERR_JWK_WEAK_KEY', misfit.message)
    throw new JwkitError('ERR_ALG_NOT_ALLOWED', `key management algorithm ${alg} does not fit the key: ${misfit.message}`)
  }
  if (allowlist === undefined && !key.algorithms.includes(alg)) {
    throw new JwkitError('ERR_ALG_NOT_ALLOWED', `key management algorithm ${alg} is not allowed for this key (allowed: ${key.algorithms.join(', ') || 'none'})`)
  }
  // RFC 7517 §4.2: "enc" is the use that encrypts and decrypts.
  if (jwk.use !== undefined && jwk.use !== 'enc') throw new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `the key's use "${String(jwk.use).slice(0, 20)}" forbids ${op}`)
  // RFC 7517 §4.3: key_ops, when present, must list an operation this step performs.
  const ops = OPS[km.family][op]
  if (jwk.key_ops !== undefined && !jwk.key_ops.some((o) => ops.includes(o))) {
    throw new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `the key's key_ops do not include ${ops.join(' or ')}`)
  }
  // RFC 7517 §4.4: a key with alg is for that algorithm only (a dir key may name its enc).
  if (jwk.alg !== undefined && jwk.alg !== alg && !(alg === 'dir' && jwk.alg === enc)) {
    throw new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `the key's alg forbids ${alg}`)
  }
}
