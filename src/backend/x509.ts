/**
 * @module backend/x509
 * Just enough X.509 (RFC 5280) for the web backend, where there is no `X509Certificate`: the
 * DER walk to the SubjectPublicKeyInfo, the validity dates, serial, names and basicConstraints.
 * formats/ still checks the certificate's DER strictly before any of this runs.
 */
import type { BackendCertificate, CertificateDetails } from './types.ts'
import { b64u } from './bytes.ts'

/** One DER element: tag, content span [start, end), and where its header starts. */
export interface Node { tag: number; start: number; end: number; headerStart: number }

export function read(der: Uint8Array, offset: number): Node {
  const tag = der[offset]
  if (tag === undefined) throw new RangeError('truncated DER')
  let length = der[offset + 1]
  if (length === undefined) throw new RangeError('truncated DER')
  let start = offset + 2
  if (length & 0x80) {
    const count = length & 0x7f
    if (count < 1 || count > 3) throw new RangeError('unexpected DER length')
    length = 0
    for (let i = 0; i < count; i++) length = length * 256 + (der[start + i] ?? 0)
    start += count
  }
  if (start + length > der.length) throw new RangeError('truncated DER')
  return { tag, start, end: start + length, headerStart: offset }
}

export function kids(der: Uint8Array, node: Node): Node[] {
  const out: Node[] = []
  for (let at = node.start; at < node.end;) {
    const child = read(der, at)
    out.push(child)
    at = child.end
  }
  return out
}

export interface ParsedCertificate extends BackendCertificate {
  readonly tbs: Node[]
  readonly version: number
}

export function parseCertificateDer(der: Uint8Array): ParsedCertificate {
  const root = read(der, 0)
  if (root.tag !== 0x30 || root.end !== der.length) throw new RangeError('not a DER certificate')
  const [tbsNode, sigAlg, sig] = kids(der, root)
  if (tbsNode?.tag !== 0x30 || sigAlg?.tag !== 0x30 || sig?.tag !== 0x03) throw new RangeError('not a DER certificate')
  const tbs = kids(der, tbsNode)
  const version = tbs[0]?.tag === 0xa0 ? 1 : 0
  if (tbs.length < 6 + version) throw new RangeError('not a DER certificate')
  return { der, tbs, version }
}

export const oidText = (der: Uint8Array, node: Node): string => {
  const bytes = der.subarray(node.start, node.end)
  const parts: number[] = [Math.floor(bytes[0]! / 40), bytes[0]! % 40]
  let value = 0
  for (let i = 1; i < bytes.length; i++) {
    value = value * 128 + (bytes[i]! & 0x7f)
    if ((bytes[i]! & 0x80) === 0) { parts.push(value); value = 0 }
  }
  return parts.join('.')
}

export const EC_OIDS: Readonly<Record<string, string>> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384', '1.3.132.0.35': 'P-521', '1.3.132.0.10': 'secp256k1' }
export const OKP_OIDS: Readonly<Record<string, string>> = { '1.3.101.112': 'Ed25519', '1.3.101.113': 'Ed448', '1.3.101.110': 'X25519', '1.3.101.111': 'X448' }

const unsigned = (bytes: Uint8Array): Uint8Array => {
  let i = 0
  while (i < bytes.length - 1 && bytes[i] === 0) i++
  return bytes.subarray(i)
}

/** The SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) as JWK members; `uncompress` turns a compressed EC point into 0x04 ‖ X ‖ Y. */
export function spkiJwkOf(cert: ParsedCertificate, uncompress: (crv: string, point: Uint8Array) => Uint8Array | undefined): Record<string, unknown> {
  return spkiMembers(cert.der, cert.tbs[5 + cert.version]!, uncompress)
}

/** A DER SubjectPublicKeyInfo (the whole input) as JWK members. */
export function spkiDerJwk(der: Uint8Array, uncompress: (crv: string, point: Uint8Array) => Uint8Array | undefined): Record<string, unknown> {
  const root = read(der, 0)
  if (root.tag !== 0x30 || root.end !== der.length) throw new RangeError('not a DER SubjectPublicKeyInfo')
  return spkiMembers(der, root, uncompress)
}

/** A DER RSAPublicKey (RFC 8017 A.1.1, PKCS #1) as JWK members. */
export function rsaPublicDerJwk(der: Uint8Array): Record<string, unknown> {
  const root = read(der, 0)
  if (root.tag !== 0x30 || root.end !== der.length) throw new RangeError('not a DER RSAPublicKey')
  return rsaMembers(der)
}

function rsaMembers(key: Uint8Array): Record<string, unknown> {
  const [n, e] = kids(key, read(key, 0))
  if (n?.tag !== 0x02 || e?.tag !== 0x02) throw new RangeError('bad RSAPublicKey')
  return { kty: 'RSA', n: b64u(unsigned(key.subarray(n.start, n.end))), e: b64u(unsigned(key.subarray(e.start, e.end))) }
}

const RSA_PRIVATE_MEMBERS = ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'] as const

/** RSAPrivateKey (RFC 8017 A.1.2, two primes only) as JWK members. */
function rsaPrivateMembers(key: Uint8Array): Record<string, unknown> {
  const [version, ...ints] = kids(key, read(key, 0))
  if (version?.tag !== 0x02 || key[version.start] !== 0 || ints.length !== 8 || ints.some((n) => n.tag !== 0x02)) throw new RangeError('bad RSAPrivateKey (two-prime only)')
  const out: Record<string, unknown> = { kty: 'RSA' }
  RSA_PRIVATE_MEMBERS.forEach((name, i) => { out[name] = b64u(unsigned(key.subarray(ints[i]!.start, ints[i]!.end))) })
  return out
}

/**
 * ECPrivateKey (RFC 5915 §3) as JWK members: d, and x/y from the embedded public key when present
 * (so a stored public key that is not d's is caught by the caller's consistency check, as on
 * Node), else derived from d by `derive`.
 */
function ecPrivateMembers(key: Uint8Array, crvFromParams: string | undefined, derive: (crv: string, d: Uint8Array) => Uint8Array | undefined, uncompress: (crv: string, point: Uint8Array) => Uint8Array | undefined): Record<string, unknown> {
  const [version, d, ...rest] = kids(key, read(key, 0))
  if (version?.tag !== 0x02 || d?.tag !== 0x04) throw new RangeError('bad ECPrivateKey')
  let crv = crvFromParams
  let point: Uint8Array | undefined
  for (const node of rest) {
    if (node.tag === 0xa0) {
      const oid = read(key, node.start)
      crv ??= EC_OIDS[oidText(key, oid)]
    } else if (node.tag === 0xa1) {
      const bits = read(key, node.start)
      point = key.subarray(bits.start + 1, bits.end)
    }
  }
  if (crv === undefined) throw new RangeError('unsupported EC curve')
  const dBytes = key.subarray(d.start, d.end)
  const full = point === undefined ? derive(crv, dBytes) : point[0] === 4 ? point : uncompress(crv, point)
  if (full === undefined) throw new RangeError('bad EC private key')
  const size = (full.length - 1) / 2
  return { kty: 'EC', crv, x: b64u(full.subarray(1, 1 + size)), y: b64u(full.subarray(1 + size)), d: b64u(dBytes) }
}

/** A DER private key (PKCS #8 PrivateKeyInfo, PKCS #1 RSAPrivateKey, SEC1 ECPrivateKey) as JWK members; OKP `x` is derived by `okpX`. */
export function privateDerJwk(
  der: Uint8Array, type: 'pkcs8' | 'pkcs1' | 'sec1',
  derive: (crv: string, d: Uint8Array) => Uint8Array | undefined,
  uncompress: (crv: string, point: Uint8Array) => Uint8Array | undefined,
  okpX: (crv: string, d: Uint8Array) => string | undefined,
): Record<string, unknown> {
  const root = read(der, 0)
  if (root.tag !== 0x30 || root.end !== der.length) throw new RangeError('not a DER private key')
  if (type === 'pkcs1') return rsaPrivateMembers(der)
  if (type === 'sec1') return ecPrivateMembers(der, undefined, derive, uncompress)
  // RFC 5208 §5 / RFC 5958 §2: PrivateKeyInfo ::= SEQUENCE { version, algorithm, privateKey OCTET STRING, ... }
  const [version, alg, octets] = kids(der, root)
  if (version?.tag !== 0x02 || alg?.tag !== 0x30 || octets?.tag !== 0x04) throw new RangeError('bad PrivateKeyInfo')
  const [oidNode, param] = kids(der, alg)
  const oid = oidText(der, oidNode!)
  const inner = der.subarray(octets.start, octets.end)
  if (oid === '1.2.840.113549.1.1.1') return rsaPrivateMembers(inner)
  if (oid === '1.2.840.10045.2.1') return ecPrivateMembers(inner, param?.tag === 0x06 ? EC_OIDS[oidText(der, param)] : undefined, derive, uncompress)
  const okp = OKP_OIDS[oid]
  if (okp !== undefined) {
    // RFC 8410 §7: CurvePrivateKey ::= OCTET STRING
    const d = read(inner, 0)
    if (d.tag !== 0x04) throw new RangeError('bad CurvePrivateKey')
    const dBytes = inner.subarray(d.start, d.end)
    const x = okpX(okp, dBytes)
    if (x === undefined) throw new RangeError('bad OKP private key')
    return { kty: 'OKP', crv: okp, x, d: b64u(dBytes) }
  }
  throw new RangeError(`no JWK form for the key algorithm ${oid}`)
}

function spkiMembers(der: Uint8Array, spki: Node, uncompress: (crv: string, point: Uint8Array) => Uint8Array | undefined): Record<string, unknown> {
  const [alg, bits] = kids(der, spki)
  if (alg === undefined || bits === undefined || bits.tag !== 0x03) throw new RangeError('bad SubjectPublicKeyInfo')
  const [oidNode, param] = kids(der, alg)
  const oid = oidText(der, oidNode!)
  const key = der.subarray(bits.start + 1, bits.end)
  if (oid === '1.2.840.113549.1.1.1') {
    // RFC 8017 A.1.1: RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER }
    return rsaMembers(key)
  }
  if (oid === '1.2.840.10045.2.1') {
    const crv = param?.tag === 0x06 ? EC_OIDS[oidText(der, param)] : undefined
    if (crv === undefined) throw new RangeError('unsupported EC curve')
    const point = key[0] === 4 ? key : uncompress(crv, key)
    if (point === undefined) throw new RangeError('bad EC point')
    const size = (point.length - 1) / 2
    return { kty: 'EC', crv, x: b64u(point.subarray(1, 1 + size)), y: b64u(point.subarray(1 + size)) }
  }
  const okp = OKP_OIDS[oid]
  if (okp !== undefined) return { kty: 'OKP', crv: okp, x: b64u(key) }
  throw new RangeError(`no JWK form for the key algorithm ${oid}`)
}

const NAMES: Readonly<Record<string, string>> = {
  '2.5.4.3': 'CN', '2.5.4.6': 'C', '2.5.4.7': 'L', '2.5.4.8': 'ST', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.5': 'serialNumber',
  '0.9.2342.19200300.100.1.25': 'DC', '1.2.840.113549.1.9.1': 'emailAddress',
}
const decoder = new TextDecoder()

/** A Name (RFC 5280 §4.1.2.4) as node:crypto prints it: one `TYPE=value` per line. */
function nameText(der: Uint8Array, name: Node): string {
  const lines: string[] = []
  for (const rdn of kids(der, name)) {
    for (const atv of kids(der, rdn)) {
      const [type, value] = kids(der, atv)
      const oid = oidText(der, type!)
      lines.push(`${NAMES[oid] ?? oid}=${decoder.decode(der.subarray(value!.start, value!.end))}`)
    }
  }
  return lines.join('\n')
}

/** UTCTime / GeneralizedTime (RFC 5280 §4.1.2.5) → the date string node:crypto's validFrom would parse to the same instant. */
function timeText(der: Uint8Array, node: Node): string {
  const t = decoder.decode(der.subarray(node.start, node.end))
  const full = node.tag === 0x17 ? (Number(t.slice(0, 2)) >= 50 ? '19' : '20') + t : t
  return `${full.slice(0, 4)}-${full.slice(4, 6)}-${full.slice(6, 8)}T${full.slice(8, 10)}:${full.slice(10, 12)}:${full.slice(12, 14)}Z`
}

export function certificateDetailsOf(cert: ParsedCertificate, sha256: (der: Uint8Array) => Uint8Array): CertificateDetails {
  const { der, tbs, version } = cert
  const serial = der.subarray(tbs[version]!.start, tbs[version]!.end)
  const validity = kids(der, tbs[3 + version]!)
  let ca = false
  const extensions = tbs.find((n) => n.tag === 0xa3)
  if (extensions !== undefined) {
    for (const ext of kids(der, kids(der, extensions)[0]!)) {
      const parts = kids(der, ext)
      if (oidText(der, parts[0]!) !== '2.5.29.19') continue
      // RFC 5280 §4.2.1.9: BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, ... }
      const value = parts[parts.length - 1]!
      const inner = read(der, value.start)
      const first = inner.start < inner.end ? read(der, inner.start) : undefined
      ca = first?.tag === 0x01 && der[first.start] !== 0
    }
  }
  const hex = (bytes: Uint8Array, sep: string) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(sep)
  return {
    subject: nameText(der, tbs[4 + version]!),
    issuer: nameText(der, tbs[2 + version]!),
    validFrom: timeText(der, validity[0]!),
    validTo: timeText(der, validity[1]!),
    serialNumber: hex(unsigned(serial), ''),
    fingerprint256: hex(sha256(der), ':'),
    ca,
  }
}
