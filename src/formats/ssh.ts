/**
 * @module formats/ssh
 * OpenSSH public key lines (`<name> <base64 blob> [comment]`, as in `id_ed25519.pub`) ↔ JWK.
 * Blobs per RFC 4253 §6.6 (`ssh-rsa`), RFC 5656 §3.1 (`ecdsa-sha2-nistp256/384/521`) and
 * RFC 8709 §4 (`ssh-ed25519`, `ssh-ed448`); wire types per RFC 4251 §5 (string, mpint).
 * Fingerprints are what `ssh-keygen -l -E sha256` prints: `SHA256:` + unpadded base64 of SHA-256.
 */
import { digest } from '#backend'
import { JwkitError } from '../errors.ts'
import { exportJwk } from '../crypto/export.ts'
import { importJwk } from '../crypto/import.ts'
import { toPublicJwk } from '../jwk/public.ts'
import type { EcCurve, Jwk } from '../jwk/types.ts'
import { decodeBase64, decodeBase64url, encodeBase64, encodeBase64url } from '../util/base64url.ts'
import { latin1Decode, latin1Encode } from '#codec'
import { concatBytes, readUint32BE, uint32BE } from '../util/bytes.ts'

/** RFC 5656 §6.1 / §10.1: curve identifier per JWK curve. */
export const SSH_CURVES: Readonly<Record<string, Exclude<EcCurve, 'secp256k1'>>> = { nistp256: 'P-256', nistp384: 'P-384', nistp521: 'P-521' }
export const CURVE_SIZE: Readonly<Record<string, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66 }
const OKP_NAMES: Readonly<Record<string, { crv: 'Ed25519' | 'Ed448'; length: number }>> = {
  'ssh-ed25519': { crv: 'Ed25519', length: 32 },
  'ssh-ed448': { crv: 'Ed448', length: 57 },
}
const MAX_LINE = 16 * 1024

const fail = (message: string): never => {
  throw new JwkitError('ERR_SSH_INVALID', message)
}

/** Bytes as Latin-1 text (names and comments; no argument spread, so any length). */
export const latin1 = (bytes: Uint8Array): string => {
  let text = ''
  for (let i = 0; i < bytes.length; i += 4096) text += String.fromCharCode(...bytes.subarray(i, i + 4096))
  return text
}

/**
 * Reads RFC 4251 §5 wire types (uint32, string, mpint) from a blob: a public key blob, or the
 * sections of an OpenSSH private key file (formats/ssh-private). `label` names the blob in
 * messages ("SSH blob is truncated before the EC point").
 */
export class SshReader {
  #bytes: Uint8Array
  #offset = 0
  #label: string
  constructor(bytes: Uint8Array, label = 'SSH blob') {
    this.#bytes = bytes
    this.#label = label
  }
  get offset(): number {
    return this.#offset
  }
  uint32(what: string): number {
    const b = this.#bytes
    const o = this.#offset
    if (o + 4 > b.length) fail(`${this.#label} is truncated before ${what}`)
    this.#offset += 4
    return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0
  }
  string(what: string): Uint8Array {
    const length = this.uint32(what)
    const start = this.#offset
    if (length > this.#bytes.length - start) fail(`${this.#label} is truncated inside ${what}`)
    this.#offset = start + length
    return this.#bytes.subarray(start, this.#offset)
  }
  text(what: string): string {
    return latin1(this.string(what))
  }
  /** RFC 4251 §5 mpint, which must be positive and minimal (a public key blob). */
  positiveMpint(what: string): Uint8Array {
    const v = this.string(what)
    if (v.length === 0 || (v[0]! & 0x80) !== 0) fail(`${what} must be a positive mpint`)
    if (v[0] === 0 && (v.length === 1 || (v[1]! & 0x80) === 0)) fail(`${what} has an unnecessary leading zero (RFC 4251 §5)`)
    return v[0] === 0 ? v.subarray(1) : v
  }
  /** RFC 4251 §5 mpint, non-negative; leading zeros stripped (private key sections). */
  mpint(what: string): Uint8Array {
    const v = this.string(what)
    if (v.length > 0 && (v[0]! & 0x80) !== 0) fail(`${what} is a negative mpint`)
    let i = 0
    while (i < v.length - 1 && v[i] === 0) i++
    return v.subarray(i)
  }
  rest(): Uint8Array {
    return this.#bytes.subarray(this.#offset)
  }
  end(): void {
    if (this.#offset !== this.#bytes.length) fail(`${this.#label} has trailing bytes`)
  }
}

function sshString(bytes: Uint8Array | string): Uint8Array {
  const body = typeof bytes === 'string' ? latin1Encode(bytes) : bytes
  return concatBytes(uint32BE(body.length), body)
}

function sshMpint(unsigned: Uint8Array): Uint8Array {
  let i = 0
  while (i < unsigned.length - 1 && unsigned[i] === 0) i++
  const v = unsigned.subarray(i)
  return sshString((v[0]! & 0x80) !== 0 ? concatBytes(Uint8Array.of(0), v) : v)
}

export interface ReadSshResult {
  jwk: Jwk
  /** The comment after the blob, if any. */
  comment?: string
}

/** Parses an OpenSSH public key line and returns the key and its comment. */
export function readSsh(line: string): ReadSshResult {
  if (typeof line !== 'string') throw new TypeError('fromSsh: the line must be a string')
  if (line.length > MAX_LINE) throw new JwkitError('ERR_INPUT_TOO_LARGE', `SSH line is over ${MAX_LINE} characters`)
  const text = line.replace(/\r?\n$/, '')
  if (/[\r\n]/.test(text)) fail('SSH input must be a single line')
  const match = /^([a-z0-9-]+@?[a-z0-9.-]*) ([A-Za-z0-9+/=]+)(?: (.*))?$/.exec(text.trim())
  if (match === null) fail('SSH line is not "<algorithm> <base64> [comment]" (authorized_keys options are not accepted)')
  const [, name, b64, comment] = match!
  const blob = decodeBase64(b64!)
  if (blob === undefined) fail('SSH key blob is not canonical standard base64')
  const reader = new SshReader(blob!)
  const inner = reader.text('the algorithm name')
  // RFC 4253 §6.6: the name inside the blob identifies the format; the line's name must agree.
  if (inner !== name) fail(`SSH line says ${name} but the blob holds ${inner.replace(/[^\x20-\x7e]/g, '?').slice(0, 40)}`)
  let jwk: Jwk
  if (name === 'ssh-rsa') {
    const e = reader.positiveMpint('RSA exponent e')
    const n = reader.positiveMpint('RSA modulus n')
    jwk = { kty: 'RSA', n: encodeBase64url(n), e: encodeBase64url(e) }
  } else if (name!.startsWith('ecdsa-sha2-')) {
    const id = name!.slice('ecdsa-sha2-'.length)
    const crv = SSH_CURVES[id]
    if (crv === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `SSH key type ${name} is not supported`)
    // RFC 5656 §3.1: the curve identifier inside the blob repeats the one in the name.
    if (reader.text('the curve identifier') !== id) fail(`SSH ${name} blob names another curve`)
    const q = reader.string('the EC point')
    const size = CURVE_SIZE[crv]!
    if (q.length !== 1 + 2 * size || q[0] !== 4) fail(`SSH ${name} point is not an uncompressed ${crv} point`)
    jwk = { kty: 'EC', crv, x: encodeBase64url(q.subarray(1, 1 + size)), y: encodeBase64url(q.subarray(1 + size)) }
  } else if (OKP_NAMES[name!] !== undefined) {
    const { crv, length } = OKP_NAMES[name!]!
    const key = reader.string(`the ${crv} key`)
    if (key.length !== length) fail(`SSH ${name} key is ${key.length} bytes, expected ${length}`)
    jwk = { kty: 'OKP', crv, x: encodeBase64url(key) }
  } else {
    throw new JwkitError('ERR_JWK_UNSUPPORTED', `SSH key type ${name} is not supported (ssh-rsa, ecdsa-sha2-nistp256/384/521, ssh-ed25519, ssh-ed448)`)
  }
  reader.end()
  // node:crypto checks the point is on the curve; exportJwk runs parseJwk on the result.
  const checked = exportJwk(importJwk(jwk))
  return comment === undefined || comment === '' ? { jwk: checked } : { jwk: checked, comment }
}

/** Parses an OpenSSH public key line (`ssh-ed25519 AAAA... comment`) to a public JWK. */
export function fromSsh(line: string): Jwk {
  return readSsh(line).jwk
}

/** The SSH wire blob of a JWK's public key. */
export function sshBlob(jwk: Jwk): Uint8Array {
  const pub = toPublicJwk(jwk)
  const b = (v: unknown): Uint8Array => decodeBase64url(String(v)) ?? fail('a JWK member is not base64url')
  if (pub.kty === 'RSA') return concatBytes(sshString('ssh-rsa'), sshMpint(b(pub.e)), sshMpint(b(pub.n)))
  if (pub.kty === 'EC') {
    const id = Object.keys(SSH_CURVES).find((k) => SSH_CURVES[k] === pub.crv)
    if (id === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `OpenSSH has no key type for curve ${pub.crv}`)
    return concatBytes(sshString(`ecdsa-sha2-${id}`), sshString(id), sshString(concatBytes(Uint8Array.of(4), b(pub.x), b(pub.y))))
  }
  if (pub.kty === 'OKP') {
    const name = Object.keys(OKP_NAMES).find((k) => OKP_NAMES[k]!.crv === pub.crv)
    if (name === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `OpenSSH has no key type for ${pub.crv} (signature keys only)`)
    return concatBytes(sshString(name), sshString(b(pub.x)))
  }
  throw new JwkitError('ERR_JWK_UNSUPPORTED', `OpenSSH has no key type for kty ${pub.kty}`)
}

/** Writes the OpenSSH public key line of a JWK (private members are dropped). */
export function toSsh(jwk: Jwk, comment?: string): string {
  if (comment !== undefined && (typeof comment !== 'string' || /[\r\n]/.test(comment))) {
    throw new TypeError('toSsh: the comment must be a single-line string')
  }
  const blob = sshBlob(jwk)
  const name = latin1Decode(blob.subarray(4, 4 + readUint32BE(blob, 0)))
  return `${name} ${encodeBase64(blob)}${comment ? ` ${comment}` : ''}`
}

/** The SHA-256 fingerprint as `ssh-keygen -l -E sha256` prints it: `SHA256:` + unpadded base64. */
export function sshFingerprint(jwk: Jwk): string {
  return 'SHA256:' + encodeBase64(digest('sha256', sshBlob(jwk))).replace(/=+$/, '')
}
