/**
 * @module crypto/export
 * node:crypto `KeyObject` or WebCrypto `CryptoKey` → JWK (RFC 7517 §4, RFC 7518 §6, RFC 8037 §2,
 * RFC 8812 §3.1). What we emit is checked by our own `parseJwk`, so an
 * exported key always passes jwkit's rules (members in a fixed order: `kty`, then the RFC's).
 * JWK → CryptoKey is {@link jwkToCryptoKey} (crypto/crypto-key.ts).
 */
import { KeyObject, createPrivateKey, createPublicKey, type JsonWebKey, type webcrypto } from 'node:crypto'
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
export function isCryptoKey(key: unknown): key is webcrypto.CryptoKey {
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
export function exportJwk(key: KeyObject | webcrypto.CryptoKey): Jwk {
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

/** A KeyObject, or the KeyObject of an extractable CryptoKey. */
export function toKeyObject(key: KeyObject | webcrypto.CryptoKey): KeyObject {
  if (key instanceof KeyObject) return key
  if (isCryptoKey(key)) {
    // W3C WebCrypto §14.3.9 exportKey: a non-extractable key must not leave.
    if (!key.extractable) throw new JwkitError('ERR_KEY_NOT_EXTRACTABLE', `the ${key.algorithm.name} CryptoKey is not extractable`)
    return KeyObject.from(key)
  }
  throw new TypeError('exportJwk: the key must be a node:crypto KeyObject or a WebCrypto CryptoKey')
}

/**
 * The JWK members of a KeyObject, in jwkit's order, NOT yet checked: callers that check the
 * result themselves (generateJwk) use it to avoid checking twice; everyone else uses exportJwk.
 */
export function keyObjectToJwk(keyObject: KeyObject): Jwk {
  if (keyObject.type === 'secret') return { kty: 'oct', k: keyObject.export().toString('base64url') }
  let raw: JsonWebKey
  try {
    raw = keyObject.asymmetricKeyType === 'rsa-pss' ? rsaPssJwk(keyObject) : keyObject.export(JWK_EXPORT)
  } catch (cause) {
    throw new JwkitError('ERR_KEY_EXPORT_FAILED', `a ${keyObject.asymmetricKeyType ?? 'unknown'} ${keyObject.type} key has no JWK form`, { cause })
  }
  return ordered(raw)
}

/**
 * An RSASSA-PSS key (RFC 4055 §1.2, OID id-RSASSA-PSS) holds an ordinary RSA key, but node:crypto
 * has no JWK form for it: unwrap the RSAPublicKey / RSAPrivateKey (RFC 8017 A.1) from the SPKI /
 * PKCS#8 and export that. A key restricted to one hash keeps it as `alg` (PS256/PS384/PS512).
 */
function rsaPssJwk(key: KeyObject): JsonWebKey {
  let inner: KeyObject
  if (key.type === 'public') {
    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } (RFC 5280 §4.1)
    const der = key.export({ format: 'der', type: 'spki' })
    const outer = readTlv(der, 0, 0x30)
    const algorithm = readTlv(der, outer.start, 0x30)
    const bits = readTlv(der, algorithm.end, 0x03)
    inner = createPublicKey({ key: der.subarray(bits.start + 1, bits.end), format: 'der', type: 'pkcs1' })
  } else {
    // PrivateKeyInfo ::= SEQUENCE { version INTEGER, algorithm AlgorithmIdentifier, privateKey OCTET STRING } (RFC 5208 §5)
    const der = key.export({ format: 'der', type: 'pkcs8', cipher: undefined, passphrase: undefined })
    const outer = readTlv(der, 0, 0x30)
    const version = readTlv(der, outer.start, 0x02)
    const algorithm = readTlv(der, version.end, 0x30)
    const octets = readTlv(der, algorithm.end, 0x04)
    inner = createPrivateKey({ key: der.subarray(octets.start, octets.end), format: 'der', type: 'pkcs1', passphrase: undefined })
  }
  const jwk = inner.export(JWK_EXPORT)
  const hash = key.asymmetricKeyDetails?.hashAlgorithm
  const alg = hash === 'sha256' ? 'PS256' : hash === 'sha384' ? 'PS384' : hash === 'sha512' ? 'PS512' : undefined
  return alg === undefined ? jwk : { ...jwk, alg }
}

/** One DER TLV (X.690 §8.1) of the expected tag at `offset`: where its content starts and ends. */
function readTlv(der: Buffer, offset: number, tag: number): { start: number; end: number } {
  if (der[offset] !== tag) throw new Error('unexpected DER tag')
  let length = der[offset + 1] ?? 0
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count < 1 || count > 3) throw new Error('unexpected DER length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0)
    start += count
  }
  if (start + length > der.length) throw new Error('truncated DER')
  return { start, end: start + length }
}

function ordered(exported: JsonWebKey): Jwk {
  const raw = ownSnapshot(exported) as JsonWebKey // node:crypto's own members, never inherited ones
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
