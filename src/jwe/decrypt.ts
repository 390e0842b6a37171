/**
 * @module jwe/decrypt
 * `decryptJwe`: RFC 7516 §5.2 for the compact (§7.1), flattened JSON (§7.2.2) and general JSON
 * (§7.2.1) serializations. Key management and content encryption are each checked against an
 * allowlist (RFC 8725 §3.1) before any key is used; every cryptographic failure — tag, MAC,
 * padding, key unwrap, OAEP — is `ERR_JWE_DECRYPTION_FAILED` with one fixed message, and a
 * failed unwrap continues with a random CEK rather than failing early (RFC 7516 §11.5).
 */
import { JwkitError, isJwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { parseJwk } from '../jwk/parse.ts'
import { decodeBase64url } from '../util/base64url.ts'
import { latin1Encode } from '#codec'
import { isJsonObject } from '../util/json.ts'
import { CONTENT_ENCRYPTION_ALGORITHMS, contentEncryption, decryptContent, decryptionFailed } from '../crypto/content-encryption.ts'
import { unwrapKey } from '../crypto/key-management.ts'
import { DEFAULT_MAX_BYTES } from '../jws/compact.ts'
import { headerBytes, joinJweHeaders, parseJweProtectedHeader, type JweHeader } from './header.ts'
import { checkJweKey, prepareJweKey, type JweKey } from './key.ts'
import { inflatePlaintext, DEFAULT_MAX_PLAINTEXT_BYTES } from './zip.ts'
import type { KeyInput } from '../jws/key-usage.ts'
import { ownOptions, readOwn } from '../util/dict.ts'

export interface DecryptJweOptions {
  /** Key management algorithms accepted; default: the key's own `alg`, or what its type permits. */
  keyManagementAlgorithms?: readonly string[]
  /** Content encryption algorithms accepted; default: all six of RFC 7518 §5.1. */
  contentEncryptionAlgorithms?: readonly string[]
  /** Bound on the compact JWE, or on the sum of a JSON JWE's strings; default 256 KiB. */
  maxBytes?: number
  /** Bound on the plaintext after `zip: "DEF"` decompression; default 1 MiB. */
  maxPlaintextBytes?: number
  /** Extensions the caller understands in `crit` (RFC 7516 §4.1.13). */
  crit?: readonly string[]
  /**
   * Refuse a key, or an `epk` header member, that is valid only once normalised from a
   * non-canonical form (see parseJwk) (default false). The JWE's segments are strict base64url
   * in both modes.
   */
  strict?: boolean
}

export interface DecryptJweResult {
  plaintext: Uint8Array
  protectedHeader: JweHeader
  /** JSON serializations: the shared unprotected header (`unprotected`). */
  sharedUnprotectedHeader?: JweHeader
  /** JSON serializations: the recipient's unprotected header (`header`). */
  unprotectedHeader?: JweHeader
  /** JSON serializations: the decoded `aad` member. */
  additionalAuthenticatedData?: Uint8Array
  /** General serialization: the index of the recipient that decrypted. */
  recipientIndex?: number
  /** The key that decrypted: its public JWK (or the `oct` JWK). */
  key: Jwk
}

/** One recipient of a JSON JWE. */
export interface JweRecipientJson {
  header?: JweHeader
  encrypted_key?: string
}

/** A flattened JWE JSON Serialization object (RFC 7516 §7.2.2). */
export interface FlattenedJwe extends JweRecipientJson {
  protected?: string
  unprotected?: JweHeader
  iv: string
  ciphertext: string
  tag: string
  aad?: string
}

/** A general JWE JSON Serialization object (RFC 7516 §7.2.1). */
export interface GeneralJwe {
  protected?: string
  unprotected?: JweHeader
  recipients: JweRecipientJson[]
  iv: string
  ciphertext: string
  tag: string
  aad?: string
}

const MAX_RECIPIENTS = 16
const ascii = latin1Encode

interface Parsed {
  protectedSegment: string
  protectedHeader: JweHeader
  shared: JweHeader | undefined
  aadSegment: string | undefined
  iv: Uint8Array
  ciphertext: Uint8Array
  tag: Uint8Array
}

/** Decrypts a JWE in any serialization; throws a `JwkitError` for anything it refuses. */
export async function decryptJwe(jwe: string | FlattenedJwe | GeneralJwe, key: KeyInput, options: DecryptJweOptions = {}): Promise<DecryptJweResult> {
  if (typeof options !== 'object' || options === null) throw new TypeError('decryptJwe: options must be an object')
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const kmAllowlist = allowlist(options.keyManagementAlgorithms, 'keyManagementAlgorithms')
  const encAllowlist = allowlist(options.contentEncryptionAlgorithms, 'contentEncryptionAlgorithms') ?? CONTENT_ENCRYPTION_ALGORITHMS
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const prepared = prepareJweKey(key, 'decrypt', options.strict === true)
  if (typeof jwe === 'string') {
    if (jwe.length > maxBytes) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the JWE is ${jwe.length} characters, the limit is ${maxBytes}`)
    const parts = jwe.split('.')
    // RFC 7516 §7.1: five segments: header, encrypted key, IV, ciphertext, tag.
    if (parts.length !== 5) throw new JwkitError('ERR_JWE_INVALID', 'a compact JWE has exactly five period-separated segments')
    const [h, ek, iv, ct, tag] = parts as [string, string, string, string, string]
    const parsed: Parsed = { protectedSegment: h, protectedHeader: parseJweProtectedHeader(h), shared: undefined, aadSegment: undefined, iv: b64(iv, 'iv'), ciphertext: b64(ct, 'ciphertext'), tag: b64(tag, 'tag') }
    return decryptRecipient(parsed, undefined, b64(ek, 'encrypted_key'), prepared, options, kmAllowlist, encAllowlist)
  }
  if (jwe === undefined || typeof jwe === 'function' || typeof jwe === 'symbol') throw new TypeError('a JWE must be a compact string or a JSON serialization object')
  // Any other JSON value (null, a number, a boolean, an array) is data: refused as a malformed JWE.
  if (!isJsonObject(jwe)) throw new JwkitError('ERR_JWE_INVALID', 'a JWE must be a compact string or a JSON serialization object')
  const own = readOwn(jwe, 'ERR_JWE_INVALID', 'the JWE object')
  let size: number
  try {
    size = jsonSize(own)
  } catch (cause) {
    throw new JwkitError('ERR_JWE_INVALID', 'the JWE object cannot be read (a getter or proxy trap threw)', { cause })
  }
  if (size > maxBytes) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the JWE is about ${size} characters, the limit is ${maxBytes}`)
  return decryptJson(own, prepared, options, kmAllowlist, encAllowlist)
}

async function decryptJson(jwe: Record<string, unknown>, key: JweKey, options: DecryptJweOptions, kmAllowlist: readonly string[] | undefined, encAllowlist: readonly string[]): Promise<DecryptJweResult> {
  const general = Object.hasOwn(jwe, 'recipients')
  // RFC 7516 §7.2.2: the flattened members never appear beside "recipients".
  if (general && (Object.hasOwn(jwe, 'header') || Object.hasOwn(jwe, 'encrypted_key'))) throw new JwkitError('ERR_JWE_INVALID', 'a JWE JSON object has both "recipients" and flattened members')
  const list = general ? jwe.recipients : [{ header: jwe.header, encrypted_key: jwe.encrypted_key }]
  if (!Array.isArray(list) || list.length === 0) throw new JwkitError('ERR_JWE_INVALID', 'JWE member recipients must be a non-empty array')
  if (list.length > MAX_RECIPIENTS) throw new JwkitError('ERR_INPUT_TOO_LARGE', `a JWE has ${list.length} recipients, the limit is ${MAX_RECIPIENTS}`)
  for (const name of ['protected', 'iv', 'ciphertext', 'tag', 'aad'] as const) {
    if (jwe[name] !== undefined && typeof jwe[name] !== 'string') throw new JwkitError('ERR_JWE_INVALID', `JWE member ${name} must be a string`)
  }
  // RFC 7516 §7.2.1: iv, ciphertext and tag are present for every algorithm jwkit implements.
  for (const name of ['iv', 'ciphertext', 'tag'] as const) if (jwe[name] === undefined) throw new JwkitError('ERR_JWE_INVALID', `JWE member ${name} is missing`)
  if (jwe.unprotected !== undefined && !isJsonObject(jwe.unprotected)) throw new JwkitError('ERR_JWE_INVALID', 'JWE member unprotected must be a JSON object')
  const protectedSegment = (jwe.protected as string | undefined) ?? ''
  const aadSegment = jwe.aad as string | undefined
  if (aadSegment !== undefined) b64(aadSegment, 'aad')
  const parsed: Parsed = {
    protectedSegment,
    // RFC 7516 §7.2.1: when present, "protected" is a non-empty encoded header.
    protectedHeader: jwe.protected === undefined ? {} : parseJweProtectedHeader(protectedSegment),
    shared: jwe.unprotected as JweHeader | undefined,
    aadSegment,
    iv: b64(jwe.iv as string, 'iv'),
    ciphertext: b64(jwe.ciphertext as string, 'ciphertext'),
    tag: b64(jwe.tag as string, 'tag'),
  }
  let firstError: unknown
  let sawFailure = false
  for (let i = 0; i < list.length; i++) {
    try {
      const entry: unknown = list[i]
      if (!isJsonObject(entry)) throw new JwkitError('ERR_JWE_INVALID', 'a JWE recipient must be a JSON object')
      const { header, encrypted_key: ek } = readOwn(entry, 'ERR_JWE_INVALID', 'a JWE recipient')
      if (header !== undefined && !isJsonObject(header)) throw new JwkitError('ERR_JWE_INVALID', 'JWE member header must be a JSON object')
      if (ek !== undefined && typeof ek !== 'string') throw new JwkitError('ERR_JWE_INVALID', 'JWE member encrypted_key must be a string')
      const result = await decryptRecipient(parsed, header as JweHeader | undefined, b64(ek ?? '', 'encrypted_key'), key, options, kmAllowlist, encAllowlist)
      return general ? { ...result, recipientIndex: i } : result
    } catch (error) {
      if (!isJwkitError(error)) throw error
      firstError ??= error
      if (error.code === 'ERR_JWE_DECRYPTION_FAILED') sawFailure = true
    }
  }
  // A recipient the key could try and that failed reads as one failure, never "which one".
  if (sawFailure) throw decryptionFailed()
  throw firstError
}

async function decryptRecipient(
  p: Parsed,
  recipient: JweHeader | undefined,
  encryptedKey: Uint8Array,
  key: JweKey,
  options: DecryptJweOptions,
  kmAllowlist: readonly string[] | undefined,
  encAllowlist: readonly string[],
): Promise<DecryptJweResult> {
  const { alg, enc, zip, joined } = joinJweHeaders(p.protectedHeader, p.shared, recipient, options.crit)
  // RFC 8725 §3.1: both algorithms are checked against allowlists before any key is used.
  if (!encAllowlist.includes(enc)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `content encryption algorithm ${JSON.stringify(enc.slice(0, 40))} is not in the allowlist`)
  contentEncryption(enc)
  checkJweKey(key, alg, enc, 'decrypt', kmAllowlist)
  // RSA-OAEP is asynchronous where WebCrypto is the backend.
  const cek = await unwrapKey(alg, enc, key.handle, encryptedKey, {
    epk: epkOf(joined.epk, options.strict === true),
    apu: headerBytes(joined, 'apu'),
    apv: headerBytes(joined, 'apv'),
    iv: headerBytes(joined, 'iv'),
    tag: headerBytes(joined, 'tag'),
  })
  // RFC 7516 §5.2 step 14: ASCII(BASE64URL(protected)), then '.' BASE64URL(aad) when present.
  const aad = ascii(p.aadSegment === undefined ? p.protectedSegment : `${p.protectedSegment}.${p.aadSegment}`)
  const decrypted = decryptContent(enc, cek, p.iv, p.ciphertext, p.tag, aad)
  // RFC 7516 §5.2 step 17: decompress after authentication, within a strict bound.
  const maxPlaintext = options.maxPlaintextBytes ?? DEFAULT_MAX_PLAINTEXT_BYTES
  const plaintext = zip === 'DEF' ? await inflatePlaintext(decrypted, maxPlaintext) : decrypted
  if (plaintext.length > maxPlaintext) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the JWE plaintext exceeds ${maxPlaintext} bytes`)
  const result: DecryptJweResult = { plaintext, protectedHeader: p.protectedHeader, key: key.publicJwk }
  if (p.shared !== undefined) result.sharedUnprotectedHeader = p.shared
  if (recipient !== undefined) result.unprotectedHeader = recipient
  if (p.aadSegment !== undefined) result.additionalAuthenticatedData = decodeBase64url(p.aadSegment)!
  return result
}

/**
 * The sender's `epk` (RFC 7518 §4.6.1.1) as the key agreement reads it: a public JWK, normalised
 * to canonical form by default like any other key (the key agreement parses it again and checks
 * its curve); under `strict`, refused when it is not canonical.
 */
function epkOf(epk: unknown, strict: boolean): Jwk | undefined {
  if (epk === undefined || !strict) return epk as Jwk | undefined
  try {
    return parseJwk(epk as object, { requirePublic: true, strict: true })
  } catch (cause) {
    throw new JwkitError('ERR_JWE_INVALID', 'JWE header member epk is not a valid canonical public JWK (strict)', { cause })
  }
}

function b64(segment: string, name: string): Uint8Array {
  const bytes = decodeBase64url(segment)
  if (bytes === undefined) throw new JwkitError('ERR_JWE_INVALID', `JWE ${name} is not canonical base64url`)
  return bytes
}

function allowlist(value: unknown, name: string): readonly string[] | undefined {
  if (value === undefined) return undefined
  if (!Array.isArray(value) || value.length === 0 || !value.every((a) => typeof a === 'string')) {
    throw new TypeError(`decryptJwe: options.${name} must be a non-empty array of algorithm names`)
  }
  return value as readonly string[]
}

/** Rough size of a JSON JWE: the sum of its string lengths (bounded walk). */
function jsonSize(value: unknown, depth = 0): number {
  if (typeof value === 'string') return value.length
  if (typeof value !== 'object' || value === null) return 8
  if (depth > 10) throw new JwkitError('ERR_INPUT_TOO_LARGE', 'the JWE JSON object is nested deeper than 10 levels')
  let n = 0
  for (const v of Array.isArray(value) ? value : Object.values(value)) n += jsonSize(v, depth + 1) + 4
  return n
}
