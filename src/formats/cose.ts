/**
 * @module formats/cose
 * COSE_Key (RFC 9052 §7, RFC 9053 §7, RFC 8230 §4, RFC 8812 §3) ↔ JWK, as WebAuthn stores
 * credential public keys. kty 1 OKP, 2 EC2, 3 RSA, 4 Symmetric; `alg` through the COSE ↔ JOSE
 * table; `key_ops` through RFC 9052 Table 5.
 *
 * `kid`: COSE carries bytes, JWK a string. Bytes that are valid UTF-8 become that string; any
 * other bytes become their base64url text. `toCose` always writes the UTF-8 bytes of the JWK kid.
 * JWK members COSE cannot carry (`use`, `x5c`, `x5t#S256`, `ext`, ...) are dropped by `toCose`;
 * COSE labels jwkit does not know are refused by `fromCose` so nothing is silently lost.
 */
import { JwkitError, isJwkitError } from '../errors.ts'
import { parseJwk } from '../jwk/parse.ts'
import type { Jwk } from '../jwk/types.ts'
import { decodeBase64url, encodeBase64url } from '../util/base64url.ts'
import { utf8Encode } from '#codec'
import { decodeCbor, encodeCbor, type CborMap, type CborValue } from './cbor.ts'
import { ALGORITHMS, CURVES, KEY_OPS, KTY, LABEL, MEMBERS } from './cose-tables.ts'
import { EC_FIELD_BYTES, OKP_LENGTHS } from './key-der.ts'

const fail = (message: string): never => {
  throw new JwkitError('ERR_COSE_INVALID', message)
}
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

const JWK_KTY: Readonly<Record<number, 'OKP' | 'EC' | 'RSA' | 'oct'>> = { [KTY.OKP]: 'OKP', [KTY.EC2]: 'EC', [KTY.RSA]: 'RSA', [KTY.Symmetric]: 'oct' }
const COSE_KTY: Readonly<Record<string, number>> = { OKP: KTY.OKP, EC: KTY.EC2, RSA: KTY.RSA, oct: KTY.Symmetric }

function bytesOf(map: CborMap, label: number, what: string): Uint8Array {
  const v = map.get(label)
  if (!(v instanceof Uint8Array)) return fail(`COSE_Key label ${label} (${what}) must be a byte string`)
  return v
}

/** Converts a COSE_Key (CBOR bytes or an already decoded map) to a JWK checked by parseJwk. */
export function fromCose(key: Uint8Array | Map<number, unknown>): Jwk {
  let map: CborMap
  if (key instanceof Uint8Array) {
    const value = decodeCbor(key)
    if (!(value instanceof Map)) return fail('COSE_Key must be a CBOR map (RFC 9052 §7)')
    map = value
  } else if (key instanceof Map) {
    // Re-encode and decode so a caller's map gets exactly the same checks as bytes.
    try {
      map = decodeCbor(encodeCbor(key as CborMap)) as CborMap
    } catch (error) {
      if (isJwkitError(error)) throw error
      return fail('COSE_Key map holds values that are not COSE_Key CBOR types')
    }
  } else {
    throw new TypeError('fromCose: key must be a Uint8Array or a Map')
  }
  const ktyValue = map.get(LABEL.kty)
  if (ktyValue === undefined) return fail('COSE_Key is missing label 1 (kty)')
  const kty = typeof ktyValue === 'number' ? JWK_KTY[ktyValue] : undefined
  if (kty === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `COSE_Key kty ${JSON.stringify(ktyValue)} is not supported (1 OKP, 2 EC2, 3 RSA, 4 Symmetric)`)
  const jwk: Record<string, unknown> = { kty }
  const known = new Set<number | string>([LABEL.kty, LABEL.kid, LABEL.alg, LABEL.key_ops])
  if (kty === 'EC' || kty === 'OKP') {
    known.add(-1)
    const crvValue = map.get(-1)
    if (crvValue === undefined) return fail('COSE_Key is missing label -1 (crv)')
    const entry = CURVES.find(([id]) => id === crvValue)
    if (entry === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `COSE crv ${JSON.stringify(crvValue)} is not supported`)
    // RFC 9053 §7.1: EC2 curves with kty 2, OKP curves with kty 1.
    if (entry[2] !== kty) fail(`COSE crv ${entry[0]} (${entry[1]}) does not belong to kty ${ktyValue}`)
    jwk.crv = entry[1]
  }
  for (const [label, name] of MEMBERS[kty]) {
    known.add(label)
    if (!map.has(label)) continue
    if (kty === 'EC' && label === -3 && typeof map.get(-3) === 'boolean') {
      throw new JwkitError('ERR_JWK_UNSUPPORTED', 'COSE EC2 keys with a compressed point (y as a sign bit) are not supported')
    }
    const bytes = bytesOf(map, label, name)
    checkLength(jwk, name, bytes)
    jwk[name] = encodeBase64url(bytes)
  }
  for (const label of map.keys()) {
    if (!known.has(label)) fail(`COSE_Key label ${JSON.stringify(label)} is not supported for this kty`)
  }
  const required = kty === 'EC' ? ['x', 'y'] : kty === 'OKP' ? ['x'] : kty === 'RSA' ? ['n', 'e'] : ['k']
  for (const name of required) {
    if (jwk[name] === undefined) {
      const label = MEMBERS[kty].find(([, n]) => n === name)![0]
      fail(`COSE_Key is missing label ${label} (${name})`)
    }
  }
  const meta = readMetadata(map)
  return finish(jwk, meta)
}

/** RFC 9053 §7.1.1/§7.2: coordinates and keys have the curve's fixed length, leading zeros kept. */
function checkLength(jwk: Record<string, unknown>, name: string, bytes: Uint8Array): void {
  if (jwk.kty === 'EC') {
    const size = EC_FIELD_BYTES[jwk.crv as keyof typeof EC_FIELD_BYTES]
    if (bytes.length !== size) fail(`COSE_Key ${name} is ${bytes.length} bytes, ${String(jwk.crv)} needs ${size}`)
  } else if (jwk.kty === 'OKP') {
    const size = OKP_LENGTHS[jwk.crv as keyof typeof OKP_LENGTHS][name === 'd' ? 1 : 0]
    if (bytes.length !== size) fail(`COSE_Key ${name} is ${bytes.length} bytes, ${String(jwk.crv)} needs ${size}`)
  } else if (bytes.length === 0) {
    fail(`COSE_Key ${name} is empty`)
  }
}

function readMetadata(map: CborMap): Record<string, unknown> {
  const meta: Record<string, unknown> = {}
  if (map.has(LABEL.kid)) {
    const kid = bytesOf(map, LABEL.kid, 'kid')
    let text: string
    try {
      text = utf8.decode(kid)
    } catch {
      text = encodeBase64url(kid)
    }
    meta.kid = text
  }
  if (map.has(LABEL.alg)) {
    const alg = map.get(LABEL.alg)
    if (typeof alg !== 'number' && typeof alg !== 'string') fail('COSE_Key label 3 (alg) must be an integer or text')
    const entry = ALGORITHMS.find(([id]) => id === alg)
    if (entry === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `COSE alg ${JSON.stringify(alg)} has no JOSE equivalent jwkit knows`)
    meta.alg = entry[1]
  }
  if (map.has(LABEL.key_ops)) {
    const ops = map.get(LABEL.key_ops)
    if (!Array.isArray(ops) || ops.length === 0) return fail('COSE_Key label 4 (key_ops) must be a non-empty array')
    const out: string[] = []
    for (const op of ops) {
      const name = typeof op === 'number' ? KEY_OPS.find(([id]) => id === op)?.[1] : typeof op === 'string' ? op : undefined
      if (name === undefined) fail(`COSE key_ops value ${JSON.stringify(op)} is not supported`)
      if (out.includes(name!)) fail('COSE key_ops has a duplicate operation')
      out.push(name!)
    }
    meta.key_ops = out
  }
  return meta
}

/**
 * Checks the key with parseJwk, whose rules hold every mathematical check node:crypto's import
 * would add: an EC point on its curve (RFC 7518 §6.2.1), d·G = (x, y), an OKP x derived from d,
 * RSA p·q = n and the CRT members (RFC 8017 §3.2). No node:crypto import is needed.
 */
function finish(core: Record<string, unknown>, meta: Record<string, unknown>): Jwk {
  const parsed = parseJwk({ ...core, ...meta })
  if (parsed.kty === 'RSA' && parsed.d !== undefined && parsed.p === undefined) {
    // RFC 8230 §4 lets a COSE RSA private key carry d alone; without p, q, dp, dq, qi it can be
    // neither checked (p·q = n) nor imported by node:crypto, so it is refused, not half-built.
    throw new JwkitError('ERR_JWK_UNSUPPORTED', 'COSE RSA private key without p, q, dp, dq and qi (labels -4 to -8) cannot be checked')
  }
  return parsed
}

/** Encodes a JWK as a COSE_Key (deterministic CBOR, RFC 8949 §4.2.1). */
export function toCose(jwk: Jwk): Uint8Array {
  const key = parseJwk(jwk)
  const kty = COSE_KTY[key.kty]
  if (kty === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `COSE has no key type for kty ${key.kty}`)
  const map: CborMap = new Map<number | string, CborValue>([[LABEL.kty, kty]])
  const src = key as unknown as Record<string, unknown>
  if (typeof src.kid === 'string') map.set(LABEL.kid, utf8Encode(src.kid))
  if (typeof src.alg === 'string') {
    const entry = ALGORITHMS.find(([, name]) => name === src.alg)
    if (entry === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `JOSE alg ${src.alg} has no COSE equivalent jwkit knows`)
    map.set(LABEL.alg, entry[0])
  }
  if (Array.isArray(src.key_ops)) {
    map.set(LABEL.key_ops, src.key_ops.map((op: string) => KEY_OPS.find(([, name]) => name === op)?.[0] ?? op))
  }
  if (key.kty === 'EC' || key.kty === 'OKP') map.set(-1, CURVES.find(([, name]) => name === key.crv)![0])
  for (const [label, name] of MEMBERS[key.kty as 'EC' | 'OKP' | 'RSA' | 'oct']) {
    if (typeof src[name] === 'string') map.set(label, decodeBase64url(src[name] as string)!)
  }
  return encodeCbor(map)
}
