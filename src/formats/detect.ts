/**
 * @module formats/detect
 * Reads a key in whatever format it arrives: JWK or JWK Set JSON (RFC 7517), PEM (RFC 7468),
 * DER (SPKI, PKCS#8 plain or encrypted, PKCS#1, SEC1, certificate), an OpenSSH public key line
 * (RFC 4253 §6.6), or a COSE_Key (RFC 9052 §7) as bytes, hex or base64. Used by `jwk convert`.
 */
import { JwkitError } from '../errors.ts'
import { parseJwk } from '../jwk/parse.ts'
import { parseJwkSet } from '../jwk/set.ts'
import type { Jwk, JwkSet } from '../jwk/types.ts'
import { decodeBase64, decodeBase64url } from '../util/base64url.ts'
import { fromHex } from '#codec'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { fromCose } from './cose.ts'
import { jwkFromPemBlocks } from './from-pem.ts'
import { classifyDer } from './key-der.ts'
import { jwkFromClassified } from './key-import.ts'
import { decodePem, looksLikePem } from './pem.ts'
import { readSsh } from './ssh.ts'
import { fromX509 } from './x509.ts'
import { ownOptions } from '../util/dict.ts'

export type KeyFormat = 'jwk' | 'jwks' | 'pem' | 'der' | 'ssh' | 'cose'

export interface ReadKeyOptions {
  /** Passphrase for an encrypted PKCS#8 key. */
  passphrase?: string | Uint8Array
}

export interface ReadKeyResult {
  /** The key, unless the input was a JWK Set. */
  jwk?: Jwk
  /** The set, when the input was one. */
  jwks?: JwkSet
  format: KeyFormat
  /** The SSH comment, when the input was an OpenSSH line with one. */
  comment?: string
}

/** Largest input read. */
export const MAX_KEY_INPUT_BYTES = 1024 * 1024
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/** Detects the format of `input` and converts it to a JWK (or JWK Set). */
export function readKey(input: string | Uint8Array, options: ReadKeyOptions = {}): ReadKeyResult {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (typeof input !== 'string' && !(input instanceof Uint8Array)) throw new TypeError('readKey: input must be a string or Uint8Array')
  const size = typeof input === 'string' ? input.length : input.length
  if (size > MAX_KEY_INPUT_BYTES) throw new JwkitError('ERR_INPUT_TOO_LARGE', `key input is ${size} bytes, the limit is ${MAX_KEY_INPUT_BYTES}`)
  if (typeof input === 'string') return readText(input, options)
  if (input.length === 0) throw new JwkitError('ERR_FORMAT_UNRECOGNIZED', 'the input is empty')
  if (isBinary(input)) return readBinary(input, options)
  let text: string
  try {
    text = utf8.decode(input)
  } catch {
    throw new JwkitError('ERR_FORMAT_UNRECOGNIZED', 'the input is neither a known binary format nor UTF-8 text')
  }
  return readText(text, options)
}

/** DER starts with a SEQUENCE (0x30); a COSE_Key with a CBOR map head (major type 5). */
function isBinary(bytes: Uint8Array): boolean {
  return bytes[0] === 0x30 || bytes[0]! >> 5 === 5
}

function readBinary(bytes: Uint8Array, options: ReadKeyOptions): ReadKeyResult {
  if (bytes[0]! >> 5 === 5) return { jwk: fromCose(bytes), format: 'cose' }
  const { kind, root } = classifyDer(bytes)
  if (kind === 'certificate') return { jwk: fromX509(bytes), format: 'der' }
  return { jwk: jwkFromClassified(kind, root, bytes, options), format: 'der' }
}

function readText(input: string, options: ReadKeyOptions): ReadKeyResult {
  const text = input.trim()
  if (text === '') throw new JwkitError('ERR_FORMAT_UNRECOGNIZED', 'the input is empty')
  if (text.startsWith('{')) {
    const value = parseJsonStrict(text, { maxBytes: MAX_KEY_INPUT_BYTES, maxDepth: 6, what: 'JWK' })
    if (isJsonObject(value) && Object.hasOwn(value, 'keys')) {
      const { keys } = parseJwkSet(value)
      return { jwks: { keys }, format: 'jwks' }
    }
    return { jwk: parseJwk(value as object), format: 'jwk' }
  }
  if (looksLikePem(text)) return { jwk: jwkFromPemBlocks(decodePem(text), options), format: 'pem' }
  if (/^(ssh-|ecdsa-|sk-)/.test(text)) {
    const { jwk, comment } = readSsh(text)
    return comment === undefined ? { jwk, format: 'ssh' } : { jwk, format: 'ssh', comment }
  }
  // Binary formats given as text: hex, standard base64 or base64url (as WebAuthn tools print COSE keys).
  const compact = text.replace(/\s+/g, '')
  let bytes: Uint8Array | undefined
  if (/^(?:[0-9a-fA-F]{2})+$/.test(compact)) bytes = fromHex(compact)
  else bytes = decodeBase64(compact) ?? decodeBase64url(compact)
  if (bytes !== undefined && bytes.length > 0 && isBinary(bytes)) return readBinary(bytes, options)
  throw new JwkitError('ERR_FORMAT_UNRECOGNIZED', 'the input is not a JWK, JWK Set, PEM, DER, OpenSSH key or COSE_Key')
}
