/**
 * @module crypto/content-encryption
 * JWE content encryption (RFC 7518 §5): AES-GCM with a 96-bit IV and a 128-bit tag (§5.3) and
 * AES_CBC_HMAC_SHA2 (§5.2: A128CBC-HS256, A192CBC-HS384, A256CBC-HS512). Decryption checks the
 * tag before any plaintext exists: the CBC MAC is compared in constant time BEFORE decrypting,
 * and every failure (tag, MAC, padding, lengths) is the one `ERR_JWE_DECRYPTION_FAILED` with one
 * fixed message, so no padding or MAC oracle is exposed (RFC 7516 §11.5).
 */
import { aesCbcDecrypt, aesCbcEncrypt, aesGcmDecrypt, aesGcmEncrypt, hmac, randomBytes, timingSafeEqual } from '#backend'
import { concatBytes } from '../util/bytes.ts'
import { JwkitError } from '../errors.ts'

/** The one message of every failed decryption (STYLE §7 rule 4). */
export const DECRYPTION_FAILED_MESSAGE = 'decryption operation failed'

/** A content encryption algorithm (`enc`) and its parameters. */
export interface ContentEncryption {
  readonly enc: string
  readonly kind: 'gcm' | 'cbc-hs'
  /** CEK length in bytes (CBC-HS: MAC key ‖ ENC key, RFC 7518 §5.2.2.1). */
  readonly keyBytes: number
  readonly ivBytes: number
  readonly tagBytes: number
  /** node:crypto cipher name. */
  readonly cipher: string
  /** CBC-HS: the HMAC hash. */
  readonly hash?: 'sha256' | 'sha384' | 'sha512'
}

const gcm = (bits: number): ContentEncryption =>
  // RFC 7518 §5.3: 96-bit IV, 128-bit authentication tag.
  ({ enc: `A${bits}GCM`, kind: 'gcm', keyBytes: bits / 8, ivBytes: 12, tagBytes: 16, cipher: `aes-${bits}-gcm` })
const cbc = (bits: number, hash: 'sha256' | 'sha384' | 'sha512', hashBits: number): ContentEncryption =>
  // RFC 7518 §5.2.3–5.2.5: key = MAC_KEY ‖ ENC_KEY, 128-bit IV, tag = first half of the HMAC.
  ({ enc: `A${bits}CBC-HS${hashBits}`, kind: 'cbc-hs', keyBytes: (bits / 8) * 2, ivBytes: 16, tagBytes: bits / 8, cipher: `aes-${bits}-cbc`, hash })

const TABLE: ReadonlyMap<string, ContentEncryption> = new Map(
  [gcm(128), gcm(192), gcm(256), cbc(128, 'sha256', 256), cbc(192, 'sha384', 384), cbc(256, 'sha512', 512)].map((c) => [c.enc, c]),
)

/** Every `enc` value jwkit implements (RFC 7518 §5.1). */
export const CONTENT_ENCRYPTION_ALGORITHMS: readonly string[] = Object.freeze([...TABLE.keys()])

/** The parameters of `enc`, or `ERR_ALG_NOT_ALLOWED` for anything else. */
export function contentEncryption(enc: string): ContentEncryption {
  const c = typeof enc === 'string' ? TABLE.get(enc) : undefined
  if (c === undefined) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `content encryption algorithm ${printable(enc)} is not supported`)
  return c
}

/** A fresh random CEK of the length `enc` needs. */
export function generateCek(enc: string): Uint8Array {
  return randomBytes(contentEncryption(enc).keyBytes)
}

export interface EncryptedContent {
  readonly iv: Uint8Array
  readonly ciphertext: Uint8Array
  readonly tag: Uint8Array
}

/**
 * Encrypts `plaintext` under `cek` with additional authenticated data `aad` (RFC 7516 §5.1
 * step 15). The IV is random unless given (tests reproducing published vectors).
 */
export function encryptContent(enc: string, cek: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, iv?: Uint8Array): EncryptedContent {
  const c = contentEncryption(enc)
  // RFC 7518 §5.2.2.1, §5.3: the CEK has exactly the length the algorithm needs.
  if (cek.length !== c.keyBytes) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `${enc} needs a ${c.keyBytes}-byte content encryption key`)
  const nonce = iv === undefined ? randomBytes(c.ivBytes) : new Uint8Array(iv)
  if (nonce.length !== c.ivBytes) throw new TypeError(`${enc} needs a ${c.ivBytes}-byte IV`)
  if (c.kind === 'gcm') {
    const sealed = aesGcmEncrypt(cek, nonce, plaintext, aad)
    return { iv: nonce, ciphertext: sealed.ciphertext, tag: sealed.tag }
  }
  const half = c.keyBytes / 2
  // RFC 7518 §5.2.2.1: PKCS #7 padding, CBC mode, ENC_KEY is the second half of the key.
  const ciphertext = aesCbcEncrypt(cek.subarray(half), nonce, plaintext)
  return { iv: nonce, ciphertext, tag: cbcTag(c, cek.subarray(0, half), aad, nonce, ciphertext) }
}

/**
 * Decrypts and authenticates (RFC 7516 §5.2 step 16). Any failure — wrong CEK, IV or tag length,
 * bad tag, bad MAC, bad padding — throws `ERR_JWE_DECRYPTION_FAILED` with the one fixed message.
 */
export function decryptContent(enc: string, cek: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array, tag: Uint8Array, aad: Uint8Array): Uint8Array {
  const c = contentEncryption(enc)
  if (cek.length !== c.keyBytes || iv.length !== c.ivBytes || tag.length !== c.tagBytes) throw decryptionFailed()
  if (c.kind === 'gcm') {
    try {
      // RFC 7518 §5.3: the tag is exactly 128 bits (node would otherwise accept shorter tags).
      return aesGcmDecrypt(cek, iv, ciphertext, tag, aad)
    } catch {
      throw decryptionFailed()
    }
  }
  const half = c.keyBytes / 2
  // RFC 7518 §5.2.2.2: check the MAC first (constant time), and only then decrypt.
  const expected = cbcTag(c, cek.subarray(0, half), aad, iv, ciphertext)
  if (!timingSafeEqual(expected, tag)) throw decryptionFailed()
  if (ciphertext.length === 0 || ciphertext.length % 16 !== 0) throw decryptionFailed()
  try {
    return aesCbcDecrypt(cek.subarray(half), iv, ciphertext)
  } catch {
    throw decryptionFailed()
  }
}

/** RFC 7518 §5.2.2.1 steps 4–6: HMAC(MAC_KEY, A ‖ IV ‖ E ‖ AL), truncated to T_LEN. */
function cbcTag(c: ContentEncryption, macKey: Uint8Array, aad: Uint8Array, iv: Uint8Array, ciphertext: Uint8Array): Uint8Array {
  const al = new Uint8Array(8)
  // AL: the number of bits in A, as a 64-bit big-endian integer.
  new DataView(al.buffer).setBigUint64(0, BigInt(aad.length) * 8n)
  const mac = hmac(c.hash!, macKey, concatBytes(aad, iv, ciphertext, al)) as Uint8Array
  return mac.subarray(0, c.tagBytes)
}

/** The decryption failure: one code, one message, whatever the reason. */
export function decryptionFailed(): JwkitError {
  return new JwkitError('ERR_JWE_DECRYPTION_FAILED', DECRYPTION_FAILED_MESSAGE)
}

function printable(value: unknown): string {
  if (typeof value !== 'string') return typeof value
  const cut = value.length > 40 ? value.slice(0, 40) + '…' : value
  return JSON.stringify(cut.replace(/[^\x20-\x7e]/g, '?'))
}
