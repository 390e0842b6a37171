/**
 * @module store/seal
 * Encryption of private JWKs at rest: AES-256-GCM (NIST SP 800-38D) under a key-encryption key
 * (KEK), a random 96-bit nonce per blob, and the record's `kid` as associated data so that a
 * sealed blob cannot be moved to another row. Several KEKs may be configured: the first seals,
 * every one unseals (rotation of the KEK itself, then `jwk keys rewrap`).
 *
 * Blob format, version 1 (all lengths in bytes):
 * `0x01 | len(kekId) (1) | kekId (ASCII) | nonce (12) | ciphertext | tag (16)`;
 * the associated data is the header (everything before the nonce) followed by the UTF-8 `kid`.
 */
import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto'
import { JwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { decodeBase64url, encodeBase64url } from '../util/base64url.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'

const VERSION = 1
const NONCE_BYTES = 12
const TAG_BYTES = 16
const MAX_SEALED_BYTES = 1 << 20

/** One key-encryption key: 32 bytes, identified by the first bytes of its RFC 7638 thumbprint as an `oct` JWK. */
export interface Kek {
  readonly id: string
  readonly key: Uint8Array
}

/** Seals and unseals private JWKs with a ring of KEKs (the first seals). */
export interface Sealer {
  /** The id of the KEK that seals new blobs. */
  readonly primaryKekId: string
  /** Ids of every configured KEK. */
  readonly kekIds: readonly string[]
  seal(kid: string, privateJwk: Jwk): { sealed: Uint8Array; kekId: string }
  /** Throws `ERR_UNSEAL_FAILED` when no configured KEK opens the blob (never returns garbage). */
  unseal(kid: string, sealed: Uint8Array): Jwk
}

/** Builds a {@link Kek} from 32 raw bytes. */
export function kekFromBytes(bytes: Uint8Array): Kek {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('kek must be a Uint8Array')
  if (bytes.length !== 32) throw new JwkitError('ERR_KEK_INVALID', `a KEK must be 32 bytes, got ${bytes.length}`)
  // RFC 7638 §3.2: the thumbprint input of an oct key is {"k":...,"kty":"oct"}.
  const input = `{"k":"${encodeBase64url(bytes)}","kty":"oct"}`
  const id = encodeBase64url(createHash('sha256').update(input).digest().subarray(0, 6))
  return { id, key: new Uint8Array(bytes) }
}

/** Parses a comma- (or newline-) separated list of base64url KEKs, as in `JWKIT_KEK`. */
export function parseKekList(text: string, what = 'JWKIT_KEK'): Kek[] {
  const parts = text.split(/[\s,]+/).filter((p) => p !== '')
  if (parts.length === 0) throw new JwkitError('ERR_KEK_INVALID', `${what} holds no key`)
  return parts.map((part, i) => {
    const bytes = decodeBase64url(part)
    if (bytes === undefined || bytes.length !== 32) {
      throw new JwkitError('ERR_KEK_INVALID', `${what}: entry ${i + 1} is not 32 bytes of base64url`)
    }
    return kekFromBytes(bytes)
  })
}

/** Generates a new random KEK, base64url encoded (for a KEK file or `JWKIT_KEK`). */
export function generateKekText(): string {
  return encodeBase64url(randomBytes(32))
}

/** A {@link Sealer} over KEKs; the first seals. */
export function createSealer(keks: readonly Kek[]): Sealer {
  if (!Array.isArray(keks) || keks.length === 0) throw new JwkitError('ERR_KEK_MISSING', 'no key-encryption key is configured')
  const ring = [...keks]
  const primary = ring[0]!
  return {
    primaryKekId: primary.id,
    kekIds: ring.map((k) => k.id),
    seal(kid, privateJwk) {
      return { sealed: sealWith(primary, kid, new TextEncoder().encode(JSON.stringify(privateJwk))), kekId: primary.id }
    },
    unseal(kid, sealed) {
      const header = parseHeader(sealed)
      // Try the KEK the header names first, then the others (ids are a hint, not trusted).
      const ordered = [...ring.filter((k) => k.id === header.kekId), ...ring.filter((k) => k.id !== header.kekId)]
      for (const kek of ordered) {
        const plain = openWith(kek, kid, sealed, header.headerLength)
        if (plain !== undefined) return toJwk(plain)
      }
      throw new JwkitError('ERR_UNSEAL_FAILED', `sealed private key of kid ${JSON.stringify(kid)} cannot be opened with any configured KEK`, {
        detail: { kekId: header.kekId },
      })
    },
  }
}

/**
 * The sealer of a store opened to read public keys only (`openKeyStore`'s `publicOnly`): it holds
 * no KEK, and sealing or unsealing refuses with ERR_KEK_MISSING.
 */
export function publicOnlySealer(): Sealer {
  const refuse = (): never => {
    throw new JwkitError('ERR_KEK_MISSING', 'this key store was opened for public keys only (publicOnly): it holds no KEK to seal or unseal a private key')
  }
  return { primaryKekId: '', kekIds: [], seal: refuse, unseal: refuse }
}

/** The KEK id a sealed blob names in its header. */
export function sealedKekId(sealed: Uint8Array): string {
  return parseHeader(sealed).kekId
}

function sealWith(kek: Kek, kid: string, plaintext: Uint8Array): Uint8Array {
  const id = Buffer.from(kek.id, 'ascii')
  const header = Buffer.concat([Buffer.from([VERSION, id.length]), id])
  const nonce = randomBytes(NONCE_BYTES)
  const cipher = createCipheriv('aes-256-gcm', kek.key, nonce, { authTagLength: TAG_BYTES })
  cipher.setAAD(Buffer.concat([header, Buffer.from(kid, 'utf8')]))
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()])
  return new Uint8Array(Buffer.concat([header, nonce, body, cipher.getAuthTag()]))
}

function parseHeader(sealed: Uint8Array): { kekId: string; headerLength: number } {
  if (!(sealed instanceof Uint8Array) || sealed.length > MAX_SEALED_BYTES || sealed.length < 2) {
    throw new JwkitError('ERR_UNSEAL_FAILED', 'sealed private key is malformed')
  }
  if (sealed[0] !== VERSION) throw new JwkitError('ERR_UNSEAL_FAILED', `sealed private key has unknown format version ${sealed[0]}`)
  const idLength = sealed[1]!
  const headerLength = 2 + idLength
  if (sealed.length < headerLength + NONCE_BYTES + TAG_BYTES + 1) throw new JwkitError('ERR_UNSEAL_FAILED', 'sealed private key is truncated')
  return { kekId: Buffer.from(sealed.subarray(2, headerLength)).toString('ascii'), headerLength }
}

function openWith(kek: Kek, kid: string, sealed: Uint8Array, headerLength: number): Uint8Array | undefined {
  const header = sealed.subarray(0, headerLength)
  const nonce = sealed.subarray(headerLength, headerLength + NONCE_BYTES)
  const body = sealed.subarray(headerLength + NONCE_BYTES, sealed.length - TAG_BYTES)
  const tag = sealed.subarray(sealed.length - TAG_BYTES)
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek.key, nonce, { authTagLength: TAG_BYTES })
    decipher.setAAD(Buffer.concat([header, Buffer.from(kid, 'utf8')]))
    decipher.setAuthTag(tag)
    return Buffer.concat([decipher.update(body), decipher.final()])
  } catch {
    return undefined // wrong KEK, wrong kid or tampered blob: GCM authentication failed
  }
}

function toJwk(plain: Uint8Array): Jwk {
  try {
    const value = parseJsonStrict(plain, { maxBytes: MAX_SEALED_BYTES, code: 'ERR_UNSEAL_FAILED', what: 'sealed private key' })
    if (!isJsonObject(value) || typeof value.kty !== 'string') throw new Error('not a JWK')
    return value as unknown as Jwk
  } catch (error) {
    throw new JwkitError('ERR_UNSEAL_FAILED', 'sealed private key does not hold a JWK', { cause: error })
  } finally {
    if (plain instanceof Buffer) plain.fill(0)
  }
}
