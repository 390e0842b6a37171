/**
 * @module crypto/key-management
 * JWE key management (RFC 7518 §4): `dir` (§4.5), AES Key Wrap A128KW/A192KW/A256KW (§4.4,
 * RFC 3394), AES-GCM key wrap A128GCMKW/A192GCMKW/A256GCMKW (§4.7), RSA-OAEP and RSA-OAEP-256
 * (§4.3; -384/-512 as registered by WebCrypto users), and ECDH-ES / ECDH-ES+A*KW (§4.6) on
 * P-256/P-384/P-521 and, per RFC 8037 §3.2, X25519/X448, with the Concat KDF of §4.6.2
 * (the agreement itself is in `crypto/ecdh-es`).
 *
 * Refused by policy (`ERR_ALG_NOT_ALLOWED`): RSA1_5 (RFC 7518 §4.2; PKCS #1 v1.5 decryption is a
 * Bleichenbacher padding oracle, RFC 8725 §3.2; Node 20 also disables it for private decryption)
 * and PBES2 (§4.8; password-based, with an attacker-chosen iteration count `p2c`).
 *
 * Unwrapping never fails early on a cryptographic error: a failed unwrap, OAEP decoding or a CEK
 * of the wrong length yields a random CEK instead, so the content decryption fails the same way
 * and at about the same time whatever went wrong (RFC 7516 §11.5).
 */
import { aesGcmDecrypt, aesGcmEncrypt, aesKwUnwrap, aesKwWrap, exportSecret, randomBytes, rsaOaepDecrypt, rsaOaepEncrypt } from '#backend'
import type { BackendKey } from '../backend/types.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { JwkitError } from '../errors.ts'
import { dict, ownSnapshot } from '../util/dict.ts'
import type { Jwk } from '../jwk/types.ts'
import { contentEncryption, generateCek } from './content-encryption.ts'
import { concatKdf, ecdhEphemeral, ecdhSharedSecret } from './ecdh-es.ts'

export type KeyManagementFamily = 'dir' | 'aes-kw' | 'aes-gcm-kw' | 'rsa-oaep' | 'ecdh-es' | 'ecdh-es-kw'

export interface KeyManagement {
  readonly alg: string
  readonly family: KeyManagementFamily
  /** AES key wrap / GCM key wrap / ECDH-ES+KW: the KEK length in bytes. */
  readonly kekBytes?: number
  readonly oaepHash?: 'sha1' | 'sha256' | 'sha384' | 'sha512'
}

const entries: KeyManagement[] = [
  { alg: 'dir', family: 'dir' },
  { alg: 'RSA-OAEP', family: 'rsa-oaep', oaepHash: 'sha1' },
  { alg: 'RSA-OAEP-256', family: 'rsa-oaep', oaepHash: 'sha256' },
  { alg: 'RSA-OAEP-384', family: 'rsa-oaep', oaepHash: 'sha384' },
  { alg: 'RSA-OAEP-512', family: 'rsa-oaep', oaepHash: 'sha512' },
  { alg: 'ECDH-ES', family: 'ecdh-es' },
]
for (const bits of [128, 192, 256]) {
  entries.push({ alg: `A${bits}KW`, family: 'aes-kw', kekBytes: bits / 8 })
  entries.push({ alg: `A${bits}GCMKW`, family: 'aes-gcm-kw', kekBytes: bits / 8 })
  entries.push({ alg: `ECDH-ES+A${bits}KW`, family: 'ecdh-es-kw', kekBytes: bits / 8 })
}
// Entries without a prototype: a field an entry lacks (kekBytes, oaepHash) reads as absent whatever Object.prototype holds.
const TABLE: ReadonlyMap<string, KeyManagement> = new Map(entries.map((e) => [e.alg, dict(e as unknown as Record<string, unknown>) as unknown as KeyManagement]))

/** Every key management `alg` jwkit implements. */
export const KEY_MANAGEMENT_ALGORITHMS: readonly string[] = Object.freeze([...TABLE.keys()])

/** The key management algorithm `alg`; RSA1_5, PBES2 and unknown names are `ERR_ALG_NOT_ALLOWED`. */
export function keyManagement(alg: string): KeyManagement {
  const km = typeof alg === 'string' ? TABLE.get(alg) : undefined
  if (km !== undefined) return km
  if (alg === 'RSA1_5') {
    // RFC 8725 §3.2, RFC 7516 §11.5: PKCS #1 v1.5 key transport invites padding oracles.
    throw new JwkitError('ERR_ALG_NOT_ALLOWED', 'key management algorithm RSA1_5 is refused (PKCS #1 v1.5 padding oracle); use RSA-OAEP-256')
  }
  if (typeof alg === 'string' && alg.startsWith('PBES2-')) {
    throw new JwkitError('ERR_ALG_NOT_ALLOWED', `key management algorithm ${alg} (password-based) is not supported`)
  }
  const shown = typeof alg === 'string' ? JSON.stringify(alg.slice(0, 40).replace(/[^\x20-\x7e]/g, '?')) : typeof alg
  throw new JwkitError('ERR_ALG_NOT_ALLOWED', `key management algorithm ${shown} is not supported`)
}

/** Header parameters key management reads or writes (RFC 7518 §4.6.1, §4.7.1). */
export interface KeyManagementParams {
  epk?: Jwk
  apu?: Uint8Array
  apv?: Uint8Array
  iv?: Uint8Array
  tag?: Uint8Array
}

export interface WrappedKey {
  readonly cek: Uint8Array
  readonly encryptedKey: Uint8Array
  /** Header members to add (`epk`, `iv`, `tag`), base64url-encoded where binary. */
  readonly header: Record<string, unknown>
}

/**
 * Produces the CEK and the JWE Encrypted Key for one recipient (RFC 7516 §5.1 steps 1–6). `key`
 * is the recipient's public key (RSA, ECDH) or the shared secret (dir, A*KW, A*GCMKW). `cek`
 * gives the CEK when several recipients share one (never for dir / ECDH-ES).
 */
export function wrapKey(alg: string, enc: string, key: BackendKey, given: { apu?: Uint8Array; apv?: Uint8Array; cek?: Uint8Array } = {}): WrappedKey | Promise<WrappedKey> {
  const params = ownSnapshot(given) as typeof given // own members only: a polluted Object.prototype.apu is no apu
  const km = keyManagement(alg)
  const keyBytes = contentEncryption(enc).keyBytes
  if ((km.family === 'dir' || km.family === 'ecdh-es') && params.cek !== undefined) {
    throw new TypeError(`${alg} determines the CEK itself; it cannot share one with other recipients`)
  }
  const cek = params.cek === undefined ? generateCek(enc) : new Uint8Array(params.cek)
  if (cek.length !== keyBytes) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${enc} needs a ${keyBytes}-byte content encryption key`)
  switch (km.family) {
    case 'dir': {
      const secret = secretOf(key, alg)
      // RFC 7518 §4.5: the shared key is the CEK, so its length is the one enc needs.
      if (secret.length !== keyBytes) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `dir with ${enc} needs a ${keyBytes}-byte key`)
      return { cek: secret, encryptedKey: new Uint8Array(0), header: {} }
    }
    case 'aes-kw':
      return { cek, encryptedKey: aesWrap(kek(key, km), cek), header: {} }
    case 'aes-gcm-kw': {
      const iv = randomBytes(12)
      const sealed = aesGcmEncrypt(kek(key, km), iv, cek, new Uint8Array(0))
      // RFC 7518 §4.7.1.1, §4.7.1.2: iv and tag header parameters.
      return { cek, encryptedKey: sealed.ciphertext, header: { iv: encodeBase64url(iv), tag: encodeBase64url(sealed.tag) } }
    }
    case 'rsa-oaep':
      rsaKeyOf(key, alg, 'public')
    {
      const encrypted = rsaOaepEncrypt(km.oaepHash!, key, cek) as Uint8Array | Promise<Uint8Array>
      return encrypted instanceof Uint8Array
        ? { cek, encryptedKey: encrypted, header: {} }
        : encrypted.then((e) => ({ cek, encryptedKey: e, header: {} }))
    }
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      const { z, epk } = ecdhEphemeral(key, alg)
      const header: Record<string, unknown> = { epk }
      if (params.apu !== undefined) header.apu = encodeBase64url(params.apu)
      if (params.apv !== undefined) header.apv = encodeBase64url(params.apv)
      if (km.family === 'ecdh-es') {
        // RFC 7518 §4.6.2: for direct key agreement, AlgorithmID is enc and keydatalen its key size.
        return { cek: concatKdf(z, keyBytes, enc, params.apu, params.apv), encryptedKey: new Uint8Array(0), header }
      }
      const derived = concatKdf(z, km.kekBytes!, alg, params.apu, params.apv)
      return { cek, encryptedKey: aesWrap(derived, cek), header }
    }
  }
}

/**
 * Recovers the CEK for one recipient (RFC 7516 §5.2 steps 9–10). Structural problems (a bad
 * `epk`, a missing `iv`) throw; cryptographic failures give a random CEK (RFC 7516 §11.5).
 */
export function unwrapKey(alg: string, enc: string, key: BackendKey, encryptedKey: Uint8Array, params: KeyManagementParams): Uint8Array | Promise<Uint8Array> {
  const km = keyManagement(alg)
  const keyBytes = contentEncryption(enc).keyBytes
  const direct = km.family === 'dir' || km.family === 'ecdh-es'
  // RFC 7518 §4.5, §4.6: with direct encryption or agreement the Encrypted Key is empty;
  // otherwise it must be present.
  if (direct && encryptedKey.length !== 0) throw new JwkitError('ERR_JWE_INVALID', `JWE encrypted key must be empty with ${alg}`)
  if (!direct && encryptedKey.length === 0) throw new JwkitError('ERR_JWE_INVALID', `JWE encrypted key is missing (${alg})`)
  switch (km.family) {
    case 'dir': {
      const secret = secretOf(key, alg)
      if (secret.length !== keyBytes) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `dir with ${enc} needs a ${keyBytes}-byte key`)
      return secret
    }
    case 'aes-kw':
      return orRandom(enc, () => aesUnwrap(kek(key, km), encryptedKey))
    case 'aes-gcm-kw': {
      const { iv, tag } = params
      // RFC 7518 §4.7.1: a 96-bit iv and a 128-bit tag, both required.
      if (iv === undefined || iv.length !== 12) throw new JwkitError('ERR_JWE_INVALID', `JWE header member iv must be 96 bits for ${alg}`)
      if (tag === undefined || tag.length !== 16) throw new JwkitError('ERR_JWE_INVALID', `JWE header member tag must be 128 bits for ${alg}`)
      const secret = kek(key, km)
      return orRandom(enc, () => aesGcmDecrypt(secret, iv, encryptedKey, tag, new Uint8Array(0)))
    }
    case 'rsa-oaep':
      rsaKeyOf(key, alg, 'private')
    {
      let decrypted: Uint8Array | Promise<Uint8Array>
      try {
        decrypted = rsaOaepDecrypt(km.oaepHash!, key, encryptedKey) as Uint8Array | Promise<Uint8Array>
      } catch {
        return generateCek(enc)
      }
      if (decrypted instanceof Uint8Array) return orRandom(enc, () => decrypted)
      return decrypted.then((d) => orRandom(enc, () => d), () => generateCek(enc))
    }
    case 'ecdh-es':
    case 'ecdh-es-kw': {
      let z: Uint8Array
      try {
        z = ecdhSharedSecret(key, params.epk, alg)
      } catch (error) {
        if ((error as JwkitError).code !== 'ERR_JWE_DECRYPTION_FAILED') throw error
        return generateCek(enc)
      }
      if (km.family === 'ecdh-es') return concatKdf(z, keyBytes, enc, params.apu, params.apv)
      const derived = concatKdf(z, km.kekBytes!, alg, params.apu, params.apv)
      return orRandom(enc, () => aesUnwrap(derived, encryptedKey))
    }
  }
}

/** Runs an unwrap; a failure or a CEK of the wrong length becomes a random CEK (RFC 7516 §11.5). */
function orRandom(enc: string, unwrap: () => Uint8Array): Uint8Array {
  const keyBytes = contentEncryption(enc).keyBytes
  let cek: Uint8Array | undefined
  try {
    cek = unwrap()
  } catch {
    cek = undefined
  }
  // RFC 7516 §5.2 step 10: the CEK must have the length enc needs.
  return cek !== undefined && cek.length === keyBytes ? cek : generateCek(enc)
}

/** RFC 3394 AES Key Wrap with the default IV (RFC 7518 §4.4). */
export function aesWrap(kekBytes: Uint8Array, cek: Uint8Array): Uint8Array {
  if (cek.length < 16 || cek.length % 8 !== 0) throw new RangeError('AES key wrap input must be 16 or more octets, a multiple of 8')
  return aesKwWrap(kekBytes, cek)
}

/** RFC 3394 AES Key Unwrap; throws (a node:crypto error) when the integrity check fails. */
export function aesUnwrap(kekBytes: Uint8Array, wrapped: Uint8Array): Uint8Array {
  // RFC 3394 §2.2.2: n ≥ 2 64-bit blocks of key data, so at least 24 octets, a multiple of 8
  // (node:crypto would unwrap an empty input to an empty key).
  if (wrapped.length < 24 || wrapped.length % 8 !== 0) throw new RangeError('AES key unwrap input must be 24 or more octets, a multiple of 8')
  return aesKwUnwrap(kekBytes, wrapped)
}

function secretOf(key: BackendKey, alg: string): Uint8Array {
  if (key.type !== 'secret') throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${alg} needs a symmetric (oct) key`)
  return exportSecret(key)
}

function kek(key: BackendKey, km: KeyManagement): Uint8Array {
  const secret = secretOf(key, km.alg)
  // RFC 7518 §4.4, §4.7: the KEK is exactly 128, 192 or 256 bits.
  if (secret.length !== km.kekBytes) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${km.alg} needs a ${km.kekBytes}-byte key`)
  return secret
}

function rsaKeyOf(key: BackendKey, alg: string, type: 'public' | 'private'): void {
  if (key.asymmetricKeyType !== 'rsa') throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${alg} needs an RSA key`)
  if (type === 'private' && key.type !== 'private') throw new JwkitError('ERR_KEY_USAGE_FORBIDDEN', `${alg} decryption needs the private key`)
  // RFC 7518 §4.3: "A key of size 2048 bits or larger MUST be used".
  if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) throw new JwkitError('ERR_JWK_WEAK_KEY', `${alg} needs an RSA modulus of at least 2048 bits`)
}
