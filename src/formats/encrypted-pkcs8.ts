/**
 * @module formats/encrypted-pkcs8
 * Encrypted PKCS#8 (RFC 5958 §3 EncryptedPrivateKeyInfo) with PBES2 (RFC 8018 §6.2): PBKDF2
 * (RFC 8018 §5.2) with HMAC-SHA1 or HMAC-SHA-256, and AES-128/192/256-CBC (RFC 3565), as
 * `openssl pkcs8 -topk8 -v2 aes-256-cbc` writes it. The parameters are read by jwkit's own DER
 * code so the iteration count is bounded before any work is done.
 */
import { aesCbcDecrypt, aesCbcEncrypt, pbkdf2, randomBytes } from '#backend'
import { JwkitError } from '../errors.ts'
import type { DerNode } from './der.ts'
import { TAG, expectTag, parseDer, readOid, readSmallInteger, sequence } from './der.ts'
import { derInteger, derNull, derOctetString, derOid, derSequence } from '../util/der-writer.ts'
import { AES_CBC_BY_OID, OID_AES256_CBC, OID_HMAC_SHA1, OID_HMAC_SHA256, OID_PBES2, OID_PBKDF2 } from './oids.ts'

/** Most PBKDF2 iterations jwkit will run for an input it was given: a work bound (about half a
 * second of CPU here), over three times the export default, far above what openssl writes (2048). */
export const MAX_PBKDF2_ITERATIONS = 2_000_000
/** Default for export: OWASP's 2023 figure for PBKDF2-HMAC-SHA256. */
export const DEFAULT_PBKDF2_ITERATIONS = 600_000

const fail = (message: string): never => {
  throw new JwkitError('ERR_DER_INVALID', message)
}

interface Pbes2Params {
  salt: Uint8Array
  iterations: number
  keyLength: number
  digest: 'sha1' | 'sha256'
  cipher: string
  iv: Uint8Array
}

function readPbes2(root: DerNode): { params: Pbes2Params; data: Uint8Array } {
  const [algId, encrypted] = sequence(root, 'EncryptedPrivateKeyInfo', 2)
  const [schemeOid, pbes2] = sequence(algId, 'encryptionAlgorithm', 2)
  const scheme = readOid(schemeOid, 'encryptionAlgorithm')
  if (scheme !== OID_PBES2) throw new JwkitError('ERR_JWK_UNSUPPORTED', `encryption scheme OID ${scheme} is not supported (only PBES2)`)
  const [kdf, enc] = sequence(pbes2, 'PBES2-params', 2)
  const [kdfOid, kdfParams] = sequence(kdf, 'keyDerivationFunc', 2)
  const kdfName = readOid(kdfOid, 'keyDerivationFunc')
  if (kdfName !== OID_PBKDF2) throw new JwkitError('ERR_JWK_UNSUPPORTED', `key derivation OID ${kdfName} is not supported (only PBKDF2)`)
  const fields = sequence(kdfParams, 'PBKDF2-params', 2, 4)
  // RFC 8018 Appendix A.2: salt is the `specified` OCTET STRING choice.
  const salt = expectTag(fields[0], TAG.OCTET_STRING, 'PBKDF2 salt').content
  if (salt.length < 1 || salt.length > 64) fail('PBKDF2 salt must be 1 to 64 bytes')
  const iterations = readSmallInteger(fields[1], 'PBKDF2 iterationCount')
  if (iterations < 1) fail('PBKDF2 iterationCount must be at least 1')
  if (iterations > MAX_PBKDF2_ITERATIONS) {
    throw new JwkitError('ERR_INPUT_TOO_LARGE', `PBKDF2 iterationCount ${iterations} exceeds the bound ${MAX_PBKDF2_ITERATIONS}`)
  }
  let rest = fields.slice(2)
  let keyLength: number | undefined
  if (rest[0]?.tag === TAG.INTEGER) {
    keyLength = readSmallInteger(rest[0], 'PBKDF2 keyLength')
    rest = rest.slice(1)
  }
  let digest: 'sha1' | 'sha256' = 'sha1' // RFC 8018 Appendix A.2: prf DEFAULT algid-hmacWithSHA1
  if (rest[0] !== undefined) {
    const [prfOid, prfParams] = sequence(rest[0], 'PBKDF2 prf', 1, 2)
    const prf = readOid(prfOid, 'PBKDF2 prf')
    if (prfParams !== undefined && (prfParams.tag !== TAG.NULL || prfParams.content.length !== 0)) fail('PBKDF2 prf parameters must be NULL')
    if (prf === OID_HMAC_SHA256) digest = 'sha256'
    else if (prf !== OID_HMAC_SHA1) throw new JwkitError('ERR_JWK_UNSUPPORTED', `PBKDF2 prf OID ${prf} is not supported (HMAC-SHA1, HMAC-SHA256)`)
    if (rest.length > 1) fail('PBKDF2-params has unexpected trailing fields')
  }
  const [encOid, ivNode] = sequence(enc, 'encryptionScheme', 2)
  const encName = readOid(encOid, 'encryptionScheme')
  const aes = AES_CBC_BY_OID[encName]
  if (aes === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `encryption scheme OID ${encName} is not supported (AES-CBC)`)
  const iv = expectTag(ivNode, TAG.OCTET_STRING, 'AES-CBC iv').content
  if (iv.length !== 16) fail('AES-CBC iv must be 16 bytes (RFC 3565 §4.1)')
  if (keyLength !== undefined && keyLength !== aes.keyLength) fail('PBKDF2 keyLength disagrees with the AES key size')
  const data = expectTag(encrypted, TAG.OCTET_STRING, 'encryptedData').content
  if (data.length === 0 || data.length % 16 !== 0) fail('encryptedData is not a whole number of AES blocks')
  return { params: { salt, iterations, keyLength: aes.keyLength, digest, cipher: aes.cipher, iv }, data }
}

/** Decrypts an EncryptedPrivateKeyInfo to PKCS#8 DER. */
export function decryptPkcs8(root: DerNode, passphrase: string | Uint8Array | undefined): Uint8Array {
  const { params, data } = readPbes2(root)
  if (passphrase === undefined) throw new JwkitError('ERR_PASSPHRASE_REQUIRED', 'the private key is encrypted; a passphrase is required')
  const key = pbkdf2(passphrase, params.salt, params.iterations, params.keyLength, params.digest)
  let plain: Uint8Array
  try {
    plain = aesCbcDecrypt(key, params.iv, data)
  } catch (cause) {
    throw new JwkitError('ERR_PASSPHRASE_WRONG', 'the passphrase does not open the private key', { cause })
  }
  try {
    // A wrong passphrase yields valid padding about once in 256 tries: the plaintext must also be DER.
    parseDer(plain)
  } catch (cause) {
    throw new JwkitError('ERR_PASSPHRASE_WRONG', 'the passphrase does not open the private key', { cause })
  }
  return plain
}

export interface EncryptPkcs8Options {
  /** PBKDF2 iterations (default 600,000). */
  iterations?: number
}

/** Encrypts PKCS#8 DER with PBES2: PBKDF2-HMAC-SHA256 and AES-256-CBC, random salt and IV. */
export function encryptPkcs8(pkcs8: Uint8Array, passphrase: string | Uint8Array, options: EncryptPkcs8Options = {}): Uint8Array {
  const iterations = options.iterations ?? DEFAULT_PBKDF2_ITERATIONS
  if (!Number.isSafeInteger(iterations) || iterations < 1 || iterations > MAX_PBKDF2_ITERATIONS) {
    throw new RangeError(`iterations must be an integer from 1 to ${MAX_PBKDF2_ITERATIONS}`)
  }
  if (typeof passphrase !== 'string' && !(passphrase instanceof Uint8Array)) throw new TypeError('passphrase must be a string or Uint8Array')
  if (passphrase.length === 0) throw new TypeError('passphrase must not be empty')
  const salt = randomBytes(16)
  const iv = randomBytes(16)
  const key = pbkdf2(passphrase, salt, iterations, 32, 'sha256')
  const data = aesCbcEncrypt(key, iv, pkcs8)
  const kdf = derSequence(
    derOid(OID_PBKDF2),
    derSequence(derOctetString(salt), derInteger(iterations), derSequence(derOid(OID_HMAC_SHA256), derNull())),
  )
  const enc = derSequence(derOid(OID_AES256_CBC), derOctetString(iv))
  return derSequence(derSequence(derOid(OID_PBES2), derSequence(kdf, enc)), derOctetString(data))
}
