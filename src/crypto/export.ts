/**
 * @module crypto/export
 * node:crypto `KeyObject` or WebCrypto `CryptoKey` → JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2,
 * RFC 8812 §3.1). What we emit is checked by our own `parseJwk`, so an
 * exported key always passes jwkit's rules (members in a fixed order: `kty`, then the RFC's).
 * JWK → CryptoKey is {@link jwkToCryptoKey} (crypto/crypto-key.ts).
 */
import { exportJwkMembers, exportSecret, fromCryptoKey, isBackendKey } from '#backend'
import type { BackendKey, CryptoKeyLike } from '../backend/types.ts'
import type { KeyLike } from './key-handle.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { JwkitError, isJwkitError } from '../errors.ts'
import { parseJwk } from '../jwk/parse.ts'
import type { Jwk } from '../jwk/types.ts'
import { ownSnapshot, JWK_EXPORT } from '../util/dict.ts'

/** The key members of each `kty`, in the order jwkit writes them. */
export const MEMBER_ORDER: Readonly<Record<string, readonly string[]>> = {
  RSA: ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'], // RFC 7518 §6.3
  EC: ['crv', 'x', 'y', 'd'], // RFC 7518 §6.2
  OKP: ['crv', 'x', 'd'], // RFC 8037 §2
  oct: ['k'], // RFC 7518 §6.4
}

/** True for a WebCrypto CryptoKey (Node's own class). */
export function isCryptoKey(key: unknown): key is CryptoKeyLike {
  // Node 20 exposes the class as a global only (crypto.webcrypto.CryptoKey is undefined there).
  const CryptoKeyClass = (globalThis as { CryptoKey?: abstract new () => unknown }).CryptoKey
  return CryptoKeyClass !== undefined && key instanceof CryptoKeyClass
}

/**
 * Exports a KeyObject or an extractable CryptoKey as a JWK: private keys with their private
 * members, secret keys as `oct`. Throws `ERR_KEY_NOT_EXTRACTABLE` for a non-extractable
 * CryptoKey and `ERR_KEY_EXPORT_FAILED` for a key with no JWK form (DSA, DH). An RSA-PSS
 * KeyObject exports as its RSA key, with `alg` PS256/384/512 when it is restricted to one hash.
 */
export function exportJwk(key: KeyLike | BackendKey | CryptoKeyLike): Jwk {
  const jwk = keyObjectToJwk(toKeyObject(key))
  try {
    return parseJwk(jwk)
  } catch (error) {
    if (!isJwkitError(error)) throw error
    throw new JwkitError('ERR_KEY_EXPORT_FAILED', `the exported ${jwk.kty} key breaks a JWK rule: ${error.message}`, {
      cause: error,
      problems: error.problems,
      ...(error.path === undefined ? {} : { path: error.path }),
    })
  }
}

/** A backend key (a KeyObject on Node), or the backend key of an extractable CryptoKey. */
export function toKeyObject(key: KeyLike | BackendKey | CryptoKeyLike): BackendKey {
  if (isBackendKey(key)) return key
  if (isCryptoKey(key)) {
    // W3C WebCrypto §14.3.9 exportKey: a non-extractable key must not leave.
    if (!key.extractable) throw new JwkitError('ERR_KEY_NOT_EXTRACTABLE', `the ${key.algorithm.name} CryptoKey is not extractable`)
    return fromCryptoKey(key)
  }
  throw new TypeError('exportJwk: the key must be a node:crypto KeyObject or a WebCrypto CryptoKey')
}

/**
 * The JWK members of a KeyObject, in jwkit's order, NOT yet checked: callers that check the
 * result themselves (generateJwk) use it to avoid checking twice; everyone else uses exportJwk.
 */
export function keyObjectToJwk(keyObject: BackendKey): Jwk {
  if (keyObject.type === 'secret') return { kty: 'oct', k: encodeBase64url(exportSecret(keyObject)) }
  let raw: Record<string, unknown>
  try {
    raw = exportJwkMembers(keyObject)
  } catch (cause) {
    throw new JwkitError('ERR_KEY_EXPORT_FAILED', `a ${keyObject.asymmetricKeyType ?? 'unknown'} ${keyObject.type} key has no JWK form`, { cause })
  }
  return ordered(raw)
}

function ordered(exported: Record<string, unknown>): Jwk {
  const raw = ownSnapshot(exported) as Record<string, unknown> // the backend's own members, never inherited ones
  const kty = String(raw.kty)
  const out: Record<string, unknown> = { kty }
  if (typeof raw.alg === 'string') out.alg = raw.alg
  for (const name of MEMBER_ORDER[kty] ?? []) {
    const value = (raw as Record<string, unknown>)[name]
    if (value !== undefined) out[name] = value
  }
  return out as unknown as Jwk
}

export { jwkToCryptoKey, type JwkToCryptoKeyOptions } from './crypto-key.ts'
