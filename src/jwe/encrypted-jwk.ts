/**
 * @module jwe/encrypted-jwk
 * Encrypted JWK files (RFC 7517 Appendix C): a JWE whose plaintext is a JWK (`cty: "jwk+json"`),
 * its key wrapped under a key derived from a passphrase with PBES2 (RFC 7518 §4.8: PBKDF2 with
 * HMAC-SHA-2, then AES Key Wrap). This is what `step crypto jwk create` writes and jwcrypto reads.
 *
 * PBES2 is refused for tokens (`decryptJwe`): the sender chooses `p2c`, so a token could make the
 * receiver spend minutes of CPU. A key file is opened by its owner with their own passphrase, so
 * it is allowed here, with `p2c` bounded: above {@link MAX_P2C} (or the caller's lower
 * `maxP2c`) the file is refused before any derivation, and below {@link MIN_P2C} too. Files are
 * written with {@link DEFAULT_P2C} iterations (OWASP's 2023 figure for PBKDF2-HMAC-SHA256).
 */
import { pbkdf2Async, randomBytes } from '#backend'
import { JwkitError } from '../errors.ts'
import { decodeBase64url, encodeBase64url } from '../util/base64url.ts'
import { concatBytes } from '../util/bytes.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { ownSnapshot } from '../util/dict.ts'
import { CONTENT_ENCRYPTION_ALGORITHMS, decryptContent, decryptionFailed, encryptContent, generateCek } from '../crypto/content-encryption.ts'
import { aesUnwrap, aesWrap } from '../crypto/key-management.ts'
import { parseJwk } from '../jwk/parse.ts'
import type { Jwk } from '../jwk/types.ts'
import { parseJweProtectedHeader, type JweHeader } from './header.ts'

/** The PBES2 algorithms (RFC 7518 §4.8.1): PBKDF2 hash and AES Key Wrap key length. */
const PBES2: Readonly<Record<string, { hash: 'sha256' | 'sha384' | 'sha512'; keyBytes: 16 | 24 | 32 }>> = Object.freeze({
  'PBES2-HS256+A128KW': { hash: 'sha256', keyBytes: 16 },
  'PBES2-HS384+A192KW': { hash: 'sha384', keyBytes: 24 },
  'PBES2-HS512+A256KW': { hash: 'sha512', keyBytes: 32 },
})

/** The PBES2 algorithms a key file may use. */
export const PBES2_ALGORITHMS: readonly string[] = Object.freeze(Object.keys(PBES2))
/** Iterations written by {@link encryptJwk}. */
export const DEFAULT_P2C = 600_000
/** The most iterations {@link decryptJwk} derives (about a second of CPU); more is refused unread. */
export const MAX_P2C = 1_000_000
/** The fewest iterations accepted (RFC 7518 §4.8.1.2 recommends at least 1000). */
export const MIN_P2C = 1_000
/** RFC 7518 §4.8.1.1: the salt input is at least 8 octets; 16 are written. */
const MIN_P2S_BYTES = 8
const P2S_BYTES = 16
/** The largest key file read: a JWK Set of a few hundred keys, encrypted. */
const MAX_FILE_BYTES = 4 * 1024 * 1024

export interface EncryptJwkOptions {
  /** PBES2 variant; default `PBES2-HS256+A128KW` (RFC 7517 Appendix C). */
  alg?: string
  /** Content encryption; default `A256GCM`. */
  enc?: string
  /** PBKDF2 iterations, {@link MIN_P2C} to {@link MAX_P2C}; default {@link DEFAULT_P2C}. */
  p2c?: number
  /** `kid` for the JWE header (default: none; the header is not encrypted, so a kid there is public). */
  kid?: string
}

export interface DecryptJwkOptions {
  /** The most PBKDF2 iterations to perform; default and ceiling {@link MAX_P2C}. */
  maxP2c?: number
}

export interface DecryptedKeyFile {
  /** The decrypted JWK or JWK Set, as bytes (UTF-8 JSON), for the caller's own strict parser. */
  plaintext: Uint8Array
  protectedHeader: JweHeader
}

const utf8 = new TextEncoder()

function passphraseBytes(passphrase: string | Uint8Array, fn: string): Uint8Array {
  if (typeof passphrase === 'string') {
    if (passphrase.length === 0) throw new TypeError(`${fn}: the passphrase is empty`)
    return utf8.encode(passphrase)
  }
  if (!(passphrase instanceof Uint8Array) || passphrase.length === 0) throw new TypeError(`${fn}: the passphrase must be a non-empty string or Uint8Array`)
  return new Uint8Array(passphrase) // a copy: the caller may clear theirs while the derivation runs
}

/** RFC 7518 §4.8.1.1: the PBKDF2 salt is UTF8(alg) ‖ 0x00 ‖ p2s. */
function salt(alg: string, p2s: Uint8Array): Uint8Array {
  return concatBytes(utf8.encode(alg), new Uint8Array(1), p2s)
}

/**
 * Encrypts a JWK (or a JWK Set object) to a compact JWE with PBES2 (RFC 7517 Appendix C).
 * The JWK is checked strictly first (`parseJwk`) unless it is a set.
 */
export async function encryptJwk(jwk: object, passphrase: string | Uint8Array, options: EncryptJwkOptions = {}): Promise<string> {
  if (typeof options !== 'object' || options === null) throw new TypeError('encryptJwk: options must be an object')
  const o = ownSnapshot(options) as EncryptJwkOptions
  const alg = o.alg ?? 'PBES2-HS256+A128KW'
  const params = Object.hasOwn(PBES2, alg) ? PBES2[alg]! : undefined
  if (params === undefined) throw new TypeError(`encryptJwk: options.alg must be one of ${PBES2_ALGORITHMS.join(', ')}`)
  const enc = o.enc ?? 'A256GCM'
  if (!CONTENT_ENCRYPTION_ALGORITHMS.includes(enc)) throw new TypeError(`encryptJwk: options.enc must be one of ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}`)
  const p2c = o.p2c ?? DEFAULT_P2C
  if (!Number.isSafeInteger(p2c) || p2c < MIN_P2C || p2c > MAX_P2C) throw new RangeError(`encryptJwk: options.p2c must be an integer from ${MIN_P2C} to ${MAX_P2C}`)
  if (o.kid !== undefined && typeof o.kid !== 'string') throw new TypeError('encryptJwk: options.kid must be a string')
  const secret = passphraseBytes(passphrase, 'encryptJwk')
  const isSet = isJsonObject(jwk) && Object.hasOwn(jwk, 'keys') && !Object.hasOwn(jwk, 'kty')
  const body = isSet ? jwk : parseJwk(jwk)
  const plaintext = utf8.encode(JSON.stringify(body))
  const p2s = randomBytes(P2S_BYTES)
  const kek = await pbkdf2Async(secret, salt(alg, p2s), p2c, params.keyBytes, params.hash)
  const cek = generateCek(enc)
  const header: JweHeader = { alg, enc, p2s: encodeBase64url(p2s), p2c, cty: isSet ? 'jwk-set+json' : 'jwk+json', ...(o.kid === undefined ? {} : { kid: o.kid }) }
  const protectedSegment = encodeBase64url(JSON.stringify(header))
  const { iv, ciphertext, tag } = encryptContent(enc, cek, plaintext, utf8.encode(protectedSegment))
  return [protectedSegment, encodeBase64url(aesWrap(kek, cek)), encodeBase64url(iv), encodeBase64url(ciphertext), encodeBase64url(tag)].join('.')
}

/** True when `text` has the shape of a JWE (compact: five segments; JSON: `ciphertext` and `protected`). */
export function looksLikeJwe(text: string): boolean {
  const t = text.trim()
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(t)) return true
  return t.startsWith('{') && /"ciphertext"\s*:/.test(t) && /"protected"\s*:/.test(t) && !/"kty"\s*:/.test(t.slice(0, 200))
}

/**
 * Decrypts an encrypted key file (compact or flattened JSON serialization) to its plaintext
 * bytes. Header checks — PBES2 only, a known `enc`, `p2c` in bounds, no `zip`, no `crit` — run
 * before any key derivation. A wrong passphrase and a damaged file give the same error.
 */
export async function decryptKeyFile(text: string | Uint8Array, passphrase: string | Uint8Array, options: DecryptJwkOptions = {}): Promise<DecryptedKeyFile> {
  if (typeof options !== 'object' || options === null) throw new TypeError('decryptJwk: options must be an object')
  const o = ownSnapshot(options) as DecryptJwkOptions
  const maxP2c = o.maxP2c ?? MAX_P2C
  if (!Number.isSafeInteger(maxP2c) || maxP2c < MIN_P2C || maxP2c > MAX_P2C) throw new RangeError(`decryptJwk: options.maxP2c must be an integer from ${MIN_P2C} to ${MAX_P2C}`)
  const secret = passphraseBytes(passphrase, 'decryptJwk')
  const source = typeof text === 'string' ? text : new TextDecoder().decode(text)
  if (source.length > MAX_FILE_BYTES) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the encrypted key file is over ${MAX_FILE_BYTES} characters`)
  const parts = splitKeyFile(source.trim())
  const protectedHeader = parseJweProtectedHeader(parts.protected)
  // jwcrypto's JSON serialization puts p2s and p2c in the recipient's header: accepted there
  // (they are bound to the key by the derivation), names disjoint (RFC 7516 §7.2.1).
  for (const name of Object.keys(parts.header)) {
    if (!['p2s', 'p2c', 'kid'].includes(name)) throw new JwkitError('ERR_JWE_INVALID', `an encrypted key file keeps ${JSON.stringify(name.slice(0, 40))} in its protected header`)
    if (Object.hasOwn(protectedHeader, name)) throw new JwkitError('ERR_JWE_INVALID', `JWE header member ${name} appears twice`)
  }
  const header: JweHeader = { ...protectedHeader, ...parts.header }
  for (const name of Object.keys(header)) {
    if (!['alg', 'enc', 'p2s', 'p2c', 'cty', 'kid', 'typ'].includes(name)) {
      throw new JwkitError('ERR_JWE_INVALID', `an encrypted key file header has no member ${JSON.stringify(name.slice(0, 40))} (zip, crit and others are not used in key files)`)
    }
  }
  const { alg, enc, p2s, p2c, cty } = header
  if (typeof alg !== 'string' || !Object.hasOwn(PBES2, alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `an encrypted key file uses one of ${PBES2_ALGORITHMS.join(', ')}`)
  if (typeof enc !== 'string' || !CONTENT_ENCRYPTION_ALGORITHMS.includes(enc)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `enc must be one of ${CONTENT_ENCRYPTION_ALGORITHMS.join(', ')}`)
  if (cty !== undefined && !['jwk+json', 'jwk-set+json', 'application/jwk+json', 'application/jwk-set+json'].includes(String(cty).toLowerCase())) {
    throw new JwkitError('ERR_JWE_INVALID', 'the JWE content type (cty) is not jwk+json or jwk-set+json: it is not a key file')
  }
  // RFC 7518 §4.8.1.2: p2c is a positive integer. The bound is checked before any work.
  if (typeof p2c !== 'number' || !Number.isSafeInteger(p2c) || p2c < 1) throw new JwkitError('ERR_JWE_INVALID', 'JWE header p2c must be a positive integer')
  if (p2c > maxP2c) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the key file asks for ${p2c} PBKDF2 iterations (p2c); the limit is ${maxP2c}`, { path: '/p2c' })
  if (p2c < MIN_P2C) throw new JwkitError('ERR_JWK_WEAK_KEY', `the key file uses ${p2c} PBKDF2 iterations (p2c); at least ${MIN_P2C} are required`, { path: '/p2c' })
  const salt8 = typeof p2s === 'string' ? decodeBase64url(p2s) : undefined
  if (salt8 === undefined || salt8.length < MIN_P2S_BYTES) throw new JwkitError('ERR_JWE_INVALID', `JWE header p2s must be base64url of ${MIN_P2S_BYTES} or more octets`)
  const encryptedKey = b64(parts.encrypted_key, 'encrypted_key')
  const iv = b64(parts.iv, 'iv')
  const ciphertext = b64(parts.ciphertext, 'ciphertext')
  const tag = b64(parts.tag, 'tag')
  const params = PBES2[alg]!
  const kek = await pbkdf2Async(secret, salt(alg, salt8), p2c, params.keyBytes, params.hash)
  let cek: Uint8Array
  try {
    cek = aesUnwrap(kek, encryptedKey)
  } catch {
    throw decryptionFailed()
  }
  const plaintext = decryptContent(enc, cek, iv, ciphertext, tag, utf8.encode(parts.protected))
  return { plaintext, protectedHeader }
}

/** Decrypts an encrypted JWK file and checks the JWK strictly (`parseJwk`). */
export async function decryptJwk(text: string | Uint8Array, passphrase: string | Uint8Array, options: DecryptJwkOptions = {}): Promise<Jwk> {
  const { plaintext } = await decryptKeyFile(text, passphrase, options)
  const value = parseJsonStrict(plaintext, { maxBytes: MAX_FILE_BYTES, what: 'the decrypted key' })
  if (isJsonObject(value) && Object.hasOwn(value, 'keys') && !Object.hasOwn(value, 'kty')) throw new JwkitError('ERR_JWK_INVALID', 'the key file holds a JWK Set, not one JWK (use decryptKeyFile and parseJwkSet)')
  return parseJwk(plaintext)
}

interface KeyFileParts { protected: string; header: Record<string, unknown>; encrypted_key: string; iv: string; ciphertext: string; tag: string }

function splitKeyFile(text: string): KeyFileParts {
  if (!text.startsWith('{')) {
    const parts = text.split('.')
    if (parts.length !== 5) throw new JwkitError('ERR_JWE_INVALID', 'a compact JWE has exactly five period-separated segments')
    const [h, ek, iv, ct, tag] = parts as [string, string, string, string, string]
    return { protected: h, header: {}, encrypted_key: ek, iv, ciphertext: ct, tag }
  }
  const value = parseJsonStrict(text, { maxBytes: MAX_FILE_BYTES, code: 'ERR_JWE_INVALID', what: 'the encrypted key file' })
  if (!isJsonObject(value)) throw new JwkitError('ERR_JWE_INVALID', 'the encrypted key file is not a JSON object')
  let flat: Record<string, unknown> = value
  // The general serialization with one recipient reads like the flattened one (RFC 7516 §7.2.2).
  if (Object.hasOwn(value, 'recipients')) {
    const list = value.recipients
    if (!Array.isArray(list) || list.length !== 1 || !isJsonObject(list[0])) throw new JwkitError('ERR_JWE_INVALID', 'an encrypted key file has exactly one recipient')
    flat = { ...value, ...list[0] }
  }
  for (const name of ['unprotected', 'aad']) {
    if (Object.hasOwn(flat, name)) throw new JwkitError('ERR_JWE_INVALID', `an encrypted key file has no ${name} member`)
  }
  const header = flat.header ?? {}
  if (!isJsonObject(header)) throw new JwkitError('ERR_JWE_INVALID', 'JWE member header must be a JSON object')
  const get = (name: string): string => {
    const v = flat[name]
    if (typeof v !== 'string') throw new JwkitError('ERR_JWE_INVALID', `JWE member ${name} must be a string`)
    return v
  }
  return { protected: get('protected'), header, encrypted_key: get('encrypted_key'), iv: get('iv'), ciphertext: get('ciphertext'), tag: get('tag') }
}

function b64(segment: string, name: string): Uint8Array {
  const bytes = decodeBase64url(segment)
  if (bytes === undefined) throw new JwkitError('ERR_JWE_INVALID', `JWE ${name} is not canonical base64url`)
  return bytes
}
