/**
 * @module formats/ssh-private
 * OpenSSH private key files (`-----BEGIN OPENSSH PRIVATE KEY-----`, the `openssh-key-v1` format
 * of OpenSSH's PROTOCOL.key) → JWK: unencrypted, or encrypted with a passphrase through
 * bcrypt_pbkdf (the `bcrypt-pbkdf` package, a port of OpenBSD's function) and aes128/192/256-ctr,
 * aes128/256-cbc or aes128/256-gcm@openssh.com. Key types: ssh-ed25519 (RFC 8709),
 * ecdsa-sha2-nistp256/384/521 (RFC 5656), ssh-rsa (RFC 4253). One key per file, as ssh-keygen
 * writes. Every private key is checked against its public half (the file's public blob).
 */
import { aesCbcDecryptUnpadded, aesCtrDecrypt, aesGcmDecrypt, bcryptPbkdf } from '#backend'
import { JwkitError } from '../errors.ts'
import { exportJwk } from '../crypto/export.ts'
import { importJwk } from '../crypto/import.ts'
import { toPublicJwk } from '../jwk/public.ts'
import type { Jwk } from '../jwk/types.ts'
import { bigIntToBytes, bytesToBigInt } from '../util/bytes.ts'
import { encodeBase64, encodeBase64url } from '../util/base64url.ts'
import { decodePem } from './pem.ts'
import { CURVE_SIZE, fromSsh, SSH_CURVES, SshReader, sshBlob } from './ssh.ts'
import { thumbprint } from '../jwk/thumbprint.ts'
import { ownOptions } from '../util/dict.ts'

const MAGIC = /* @__PURE__ */ new TextEncoder().encode('openssh-key-v1\0')
/** The largest file read (an RSA 16384-bit key is about 13 kB). */
const MAX_FILE_CHARS = 64 * 1024
/** ssh-keygen writes 16 rounds (-a); each costs a few ms. More than this is refused unread. */
export const MAX_BCRYPT_ROUNDS = 1_000

const CIPHERS: Readonly<Record<string, { mode: 'ctr' | 'cbc' | 'gcm'; keyBytes: number; ivBytes: number; block: number; tagBytes?: number }>> = Object.freeze({
  'aes128-ctr': { mode: 'ctr', keyBytes: 16, ivBytes: 16, block: 16 },
  'aes192-ctr': { mode: 'ctr', keyBytes: 24, ivBytes: 16, block: 16 },
  'aes256-ctr': { mode: 'ctr', keyBytes: 32, ivBytes: 16, block: 16 },
  'aes128-cbc': { mode: 'cbc', keyBytes: 16, ivBytes: 16, block: 16 },
  'aes256-cbc': { mode: 'cbc', keyBytes: 32, ivBytes: 16, block: 16 },
  'aes128-gcm@openssh.com': { mode: 'gcm', keyBytes: 16, ivBytes: 12, block: 16, tagBytes: 16 },
  'aes256-gcm@openssh.com': { mode: 'gcm', keyBytes: 32, ivBytes: 12, block: 16, tagBytes: 16 },
})

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i])
const fail = (message: string): never => {
  throw new JwkitError('ERR_SSH_INVALID', message)
}

/** The file's sections, read as public key blobs are; messages name the file. */
const reader = (bytes: Uint8Array): SshReader => new SshReader(bytes, 'the OpenSSH private key')

export interface ReadSshPrivateKeyOptions {
  /** The passphrase, or a function asked only when the file is encrypted. */
  passphrase?: string | Uint8Array | (() => string | Uint8Array | Promise<string | Uint8Array>)
}

export interface ReadSshPrivateKeyResult {
  jwk: Jwk
  format: 'ssh'
  comment?: string
}

/** Reads an OpenSSH private key file (PROTOCOL.key) to a private JWK, checked against its public key. */
export async function readSshPrivateKey(text: string, options: ReadSshPrivateKeyOptions = {}): Promise<ReadSshPrivateKeyResult> {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (typeof text !== 'string') throw new TypeError('readSshPrivateKey: the key file must be a string')
  if (text.length > MAX_FILE_CHARS) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the OpenSSH private key file is over ${MAX_FILE_CHARS} characters`)
  const blocks = decodePem(text)
  if (blocks.length !== 1 || blocks[0]!.label !== 'OPENSSH PRIVATE KEY') fail('the file is not one OPENSSH PRIVATE KEY block')
  const der = blocks[0]!.der
  if (der.length < MAGIC.length || !sameBytes(der.subarray(0, MAGIC.length), MAGIC)) fail('the key is not in the openssh-key-v1 format')
  const r = reader(der.subarray(MAGIC.length))
  const cipherName = r.text('the cipher name')
  const kdfName = r.text('the KDF name')
  const kdfOptions = r.string('the KDF options')
  const count = r.uint32('the number of keys')
  if (count !== 1) fail(`the file holds ${count} keys; jwkit reads files of one key`)
  const publicBlob = r.string('the public key')
  const encrypted = r.string('the private section')
  // PROTOCOL.key: an AEAD cipher's tag follows the private section, outside its length.
  const trailer = r.rest()

  let section: Uint8Array
  if (cipherName === 'none') {
    if (kdfName !== 'none' || kdfOptions.length !== 0) fail('an unencrypted key names a KDF')
    if (trailer.length !== 0) fail('the OpenSSH private key has trailing bytes')
    section = encrypted
  } else {
    const cipher = Object.hasOwn(CIPHERS, cipherName) ? CIPHERS[cipherName]! : undefined
    if (cipher === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `OpenSSH cipher ${printable(cipherName)} is not supported (aes*-ctr, aes*-cbc, aes*-gcm@openssh.com)`)
    if (kdfName !== 'bcrypt') throw new JwkitError('ERR_JWK_UNSUPPORTED', `OpenSSH KDF ${printable(kdfName)} is not supported (bcrypt)`)
    const k = reader(kdfOptions)
    const salt = k.string('the bcrypt salt')
    const rounds = k.uint32('the bcrypt rounds')
    if (k.rest().length !== 0) fail('the bcrypt options have trailing bytes')
    if (salt.length === 0 || salt.length > 1024) fail('the bcrypt salt is empty or too long')
    if (rounds < 1 || rounds > MAX_BCRYPT_ROUNDS) throw new JwkitError('ERR_INPUT_TOO_LARGE', `the key asks for ${rounds} bcrypt rounds; the limit is ${MAX_BCRYPT_ROUNDS}`)
    const given = options.passphrase
    if (given === undefined) throw new JwkitError('ERR_PASSPHRASE_REQUIRED', 'the OpenSSH private key is encrypted; a passphrase is required')
    const pass = typeof given === 'function' ? await given() : given
    const passBytes = typeof pass === 'string' ? new TextEncoder().encode(pass) : new Uint8Array(pass)
    if (passBytes.length === 0) throw new TypeError('readSshPrivateKey: the passphrase is empty')
    const tagBytes = cipher.tagBytes ?? 0
    if (trailer.length !== tagBytes) fail('the OpenSSH private key has trailing bytes or a truncated tag')
    // The backend: the bcrypt-pbkdf package on Node; a clear ERR_JWK_UNSUPPORTED elsewhere.
    let derived: Uint8Array
    try {
      derived = bcryptPbkdf(passBytes, salt, rounds, cipher.keyBytes + cipher.ivBytes)
    } catch (error) {
      if (error instanceof JwkitError) throw error
      return fail('bcrypt_pbkdf refused its parameters')
    }
    section = decryptSection(cipher, derived, encrypted, trailer)
  }

  const p = reader(section)
  const check1 = p.uint32('the check integers')
  const check2 = p.uint32('the check integers')
  if (check1 !== check2) {
    if (cipherName === 'none') fail('the check integers of the private section differ')
    throw new JwkitError('ERR_PASSPHRASE_WRONG', 'the passphrase does not open the OpenSSH private key')
  }
  const type = p.text('the key type')
  const jwk = privateJwk(type, p)
  const comment = p.text('the comment')
  // PROTOCOL.key: padding 1, 2, 3, ... up to the cipher's block size.
  const padding = p.rest()
  for (let i = 0; i < padding.length; i++) if (padding[i] !== i + 1) fail('the private section has wrong padding')
  // node:crypto checks the key; the private key's public half must be the file's public key.
  const checked = exportJwk(importJwk(jwk))
  const stated = fromSsh(`${type} ${encodeBase64(publicBlob)}`)
  if (thumbprint(toPublicJwk(checked)) !== thumbprint(stated) || !sameBytes(sshBlob(checked), publicBlob)) fail('the private key does not match the public key of the file')
  return comment === '' ? { jwk: checked, format: 'ssh' } : { jwk: checked, format: 'ssh', comment }
}

function decryptSection(cipher: (typeof CIPHERS)[string], derived: Uint8Array, encrypted: Uint8Array, tag: Uint8Array): Uint8Array {
  const key = derived.subarray(0, cipher.keyBytes)
  const iv = derived.subarray(cipher.keyBytes)
  if (encrypted.length % cipher.block !== 0) fail('the private section is not a whole number of cipher blocks')
  try {
    if (cipher.mode === 'gcm') return aesGcmDecrypt(key, iv, encrypted, tag, new Uint8Array(0))
    return cipher.mode === 'ctr' ? aesCtrDecrypt(key, iv, encrypted) : aesCbcDecryptUnpadded(key, iv, encrypted)
  } catch {
    throw new JwkitError('ERR_PASSPHRASE_WRONG', 'the passphrase does not open the OpenSSH private key')
  }
}

function privateJwk(type: string, p: SshReader): Jwk {
  const b64 = encodeBase64url
  if (type === 'ssh-ed25519') {
    const pub = p.string('the Ed25519 public key')
    const priv = p.string('the Ed25519 private key')
    // RFC 8709 / PROTOCOL.key: the 64-byte private key is seed ‖ public key.
    if (pub.length !== 32 || priv.length !== 64 || !sameBytes(priv.subarray(32), pub)) fail('the Ed25519 key has wrong lengths or its halves disagree')
    return { kty: 'OKP', crv: 'Ed25519', x: b64(pub), d: b64(priv.subarray(0, 32)) }
  }
  if (type.startsWith('ecdsa-sha2-')) {
    const id = type.slice('ecdsa-sha2-'.length)
    const crv = Object.hasOwn(SSH_CURVES, id) ? SSH_CURVES[id]! : undefined
    if (crv === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `OpenSSH key type ${printable(type)} is not supported`)
    if (p.text('the curve identifier') !== id) fail(`the ${type} key names another curve`)
    const q = p.string('the EC point')
    const size = CURVE_SIZE[crv]!
    if (q.length !== 1 + 2 * size || q[0] !== 4) fail(`the ${type} point is not an uncompressed ${crv} point`)
    const d = p.mpint('the EC private scalar')
    if (d.length > size) fail(`the ${type} private scalar is too long`)
    return { kty: 'EC', crv, x: b64(q.subarray(1, 1 + size)), y: b64(q.subarray(1 + size)), d: b64(bigIntToBytes(bytesToBigInt(d), size)) }
  }
  if (type === 'ssh-rsa') {
    const n = p.mpint('RSA n')
    const e = p.mpint('RSA e')
    const d = p.mpint('RSA d')
    const iqmp = p.mpint('RSA iqmp')
    const pp = p.mpint('RSA p')
    const q = p.mpint('RSA q')
    const D = bytesToBigInt(d)
    const P = bytesToBigInt(pp)
    const Q = bytesToBigInt(q)
    if (P < 3n || Q < 3n) fail('the RSA primes are too small')
    return {
      kty: 'RSA', n: b64(n), e: b64(e), d: b64(d), p: b64(pp), q: b64(q),
      dp: b64(bigIntToBytes(D % (P - 1n))), dq: b64(bigIntToBytes(D % (Q - 1n))), qi: b64(iqmp),
    }
  }
  throw new JwkitError('ERR_JWK_UNSUPPORTED', `OpenSSH key type ${printable(type)} is not supported (ssh-ed25519, ecdsa-sha2-nistp256/384/521, ssh-rsa)`)
}

function printable(value: string): string {
  return JSON.stringify(value.replace(/[^\x20-\x7e]/g, '?').slice(0, 40))
}
