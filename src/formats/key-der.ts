/**
 * @module formats/key-der
 * Recognises a DER key structure and checks it before node:crypto sees it: SPKI (RFC 5280
 * §4.1.2.7), PKCS#8 (RFC 5208 §5, RFC 5958 §2), PKCS#1 (RFC 8017 Appendix A.1), SEC1
 * (RFC 5915 §3), encrypted PKCS#8 (RFC 5958 §3) and X.509 certificates (RFC 5280 §4.1).
 * Algorithm and curve OIDs are checked against what jwkit supports (ERR_JWK_UNSUPPORTED
 * otherwise), inner structures are parsed strictly, and only then does node:crypto import.
 */
import { JwkitError } from '../errors.ts'
import type { DerNode } from './der.ts'
import { TAG, children, expectTag, parseDer, readBitString, readOid, readSmallInteger, readUnsignedInteger, sequence } from './der.ts'
import { CURVE_BY_OID, OID_EC, OID_PBES2, OID_RSA, OKP_BY_OID, UNSUPPORTED_ALGORITHMS } from './oids.ts'
import type { EcCurve, OkpCurve } from '../jwk/types.ts'

export type DerKind = 'spki' | 'pkcs8' | 'encrypted-pkcs8' | 'pkcs1-private' | 'pkcs1-public' | 'sec1' | 'certificate'

/** Key algorithm named by an AlgorithmIdentifier. */
export type KeyAlgorithm = { kty: 'RSA' } | { kty: 'EC'; crv: EcCurve } | { kty: 'OKP'; crv: OkpCurve }

const fail = (message: string): never => {
  throw new JwkitError('ERR_DER_INVALID', message)
}

/** Bytes of a field element (and of an EC private scalar) per curve, SEC 1 §2.3.5. */
export const EC_FIELD_BYTES: Readonly<Record<EcCurve, number>> = { 'P-256': 32, 'P-384': 48, 'P-521': 66, secp256k1: 32 }
/** RFC 8410 §3/§7 key lengths: [public, private]. */
export const OKP_LENGTHS: Readonly<Record<OkpCurve, readonly [number, number]>> = {
  Ed25519: [32, 32], Ed448: [57, 57], X25519: [32, 32], X448: [56, 56],
}

/** Tells what a DER element is by its structure alone. */
export function classifyDer(der: Uint8Array): { kind: DerKind; root: DerNode } {
  const root = parseDer(der)
  if (root.tag !== TAG.SEQUENCE) fail('DER key or certificate must be a SEQUENCE')
  const items = children(root)
  const [a, b, c] = items
  if (a?.tag === TAG.SEQUENCE) {
    const firstInner = children(a)[0]
    if (items.length === 2 && firstInner?.tag === TAG.OID && b?.tag === TAG.BIT_STRING) return { kind: 'spki', root }
    if (items.length === 2 && firstInner?.tag === TAG.OID && b?.tag === TAG.OCTET_STRING) return { kind: 'encrypted-pkcs8', root }
    if (items.length === 3 && b?.tag === TAG.SEQUENCE && c?.tag === TAG.BIT_STRING) return { kind: 'certificate', root }
  } else if (a?.tag === TAG.INTEGER) {
    if (items.length === 2 && b?.tag === TAG.INTEGER) return { kind: 'pkcs1-public', root }
    if (items.length >= 9 && items.every((i) => i.tag === TAG.INTEGER)) return { kind: 'pkcs1-private', root }
    if (items.length >= 3 && b?.tag === TAG.SEQUENCE && c?.tag === TAG.OCTET_STRING) return { kind: 'pkcs8', root }
    if (items.length >= 2 && b?.tag === TAG.OCTET_STRING) return { kind: 'sec1', root }
  }
  return fail('DER is not a key structure jwkit knows (SPKI, PKCS#8, PKCS#1, SEC1, certificate)')
}

/** Reads an AlgorithmIdentifier (RFC 5280 §4.1.1.2) naming a key algorithm. */
export function readKeyAlgorithm(node: DerNode | undefined, what: string): KeyAlgorithm {
  const [oidNode, params] = sequence(node, what, 1, 2)
  const oid = readOid(oidNode, `${what} algorithm`)
  if (oid === OID_RSA) {
    // RFC 3279 §2.3.1: the parameters of rsaEncryption are NULL.
    if (params === undefined || params.tag !== TAG.NULL || params.content.length !== 0) fail(`${what}: rsaEncryption parameters must be NULL`)
    return { kty: 'RSA' }
  }
  if (oid === OID_EC) {
    // RFC 5480 §2.1.1: only namedCurve is allowed (no implicitCurve, no specifiedCurve).
    if (params?.tag !== TAG.OID) throw new JwkitError('ERR_JWK_UNSUPPORTED', `${what}: EC parameters must name a curve (explicit curve parameters are not supported)`)
    return { kty: 'EC', crv: curveFromOid(readOid(params, `${what} curve`)) }
  }
  const okp = OKP_BY_OID[oid]
  if (okp !== undefined) {
    // RFC 8410 §3: the parameters MUST be absent.
    if (params !== undefined) fail(`${what}: ${okp} parameters must be absent (RFC 8410 §3)`)
    return { kty: 'OKP', crv: okp }
  }
  const name = UNSUPPORTED_ALGORITHMS[oid]
  throw new JwkitError('ERR_JWK_UNSUPPORTED', `${what}: key algorithm ${name ?? `OID ${oid}`} is not supported`)
}

/** Maps a named-curve OID to its JWK curve, refusing every other curve (brainpool, sect*, ...). */
export function curveFromOid(oid: string): EcCurve {
  const crv = CURVE_BY_OID[oid]
  if (crv === undefined) throw new JwkitError('ERR_JWK_UNSUPPORTED', `EC curve OID ${oid} is not supported (P-256, P-384, P-521, secp256k1)`)
  return crv
}

/** Checks an SPKI's structure and public key bytes; returns its algorithm. */
export function checkSpki(root: DerNode): KeyAlgorithm {
  const [algId, bits] = sequence(root, 'SubjectPublicKeyInfo', 2)
  const alg = readKeyAlgorithm(algId, 'SubjectPublicKeyInfo')
  const key = readBitString(bits, 'subjectPublicKey')
  if (alg.kty === 'RSA') checkRsaPublic(parseDer(key))
  else if (alg.kty === 'EC') checkEcPoint(key, alg.crv)
  else if (key.length !== OKP_LENGTHS[alg.crv][0]) fail(`${alg.crv} public key is ${key.length} bytes, expected ${OKP_LENGTHS[alg.crv][0]}`)
  return alg
}

/** SEC 1 §2.3.3: an uncompressed (0x04) or compressed (0x02/0x03) point of the curve's size. */
function checkEcPoint(point: Uint8Array, crv: EcCurve): void {
  const size = EC_FIELD_BYTES[crv]
  const ok = (point[0] === 4 && point.length === 1 + 2 * size) || ((point[0] === 2 || point[0] === 3) && point.length === 1 + size)
  if (!ok) fail(`EC public key is not a ${crv} point encoding`)
}

/** RFC 8017 Appendix A.1.1: RSAPublicKey ::= SEQUENCE { modulus, publicExponent }. */
export function checkRsaPublic(root: DerNode): void {
  const [n, e] = sequence(root, 'RSAPublicKey', 2)
  readUnsignedInteger(n, 'RSAPublicKey modulus')
  readUnsignedInteger(e, 'RSAPublicKey publicExponent')
}

/** RFC 8017 Appendix A.1.2: two-prime RSAPrivateKey, version 0. */
export function checkRsaPrivate(root: DerNode): void {
  const items = sequence(root, 'RSAPrivateKey', 9, 10)
  const version = readSmallInteger(items[0], 'RSAPrivateKey version')
  if (version !== 0 || items.length !== 9) throw new JwkitError('ERR_JWK_UNSUPPORTED', 'multi-prime RSA keys (RSAPrivateKey version 1) are not supported')
  items.slice(1).forEach((item, i) => readUnsignedInteger(item, `RSAPrivateKey field ${i + 1}`))
}

/** RFC 5915 §3 ECPrivateKey; `known` is the curve from the PKCS#8 AlgorithmIdentifier, if any. */
export function checkSec1(root: DerNode, known?: EcCurve): EcCurve {
  const items = sequence(root, 'ECPrivateKey', 2, 4)
  if (readSmallInteger(items[0], 'ECPrivateKey version') !== 1) fail('ECPrivateKey version must be 1 (RFC 5915 §3)')
  const d = expectTag(items[1], TAG.OCTET_STRING, 'ECPrivateKey privateKey').content
  let crv = known
  let rest = items.slice(2)
  if (rest[0]?.tag === 0xa0) {
    const [curve] = children(rest[0])
    const named = curveFromOid(readOid(curve, 'ECPrivateKey parameters'))
    // RFC 5915 §3: parameters inside PKCS#8 must agree with the AlgorithmIdentifier.
    if (known !== undefined && named !== known) fail('ECPrivateKey parameters name another curve than the AlgorithmIdentifier')
    crv = named
    rest = rest.slice(1)
  }
  if (rest[0]?.tag === 0xa1) {
    const [bits] = children(rest[0])
    if (crv !== undefined) checkEcPoint(readBitString(bits, 'ECPrivateKey publicKey'), crv)
    rest = rest.slice(1)
  }
  if (rest.length !== 0) fail('ECPrivateKey has unexpected trailing fields')
  if (crv === undefined) fail('ECPrivateKey names no curve (RFC 5915 §3 parameters are required outside PKCS#8)')
  const size = EC_FIELD_BYTES[crv as EcCurve]
  // RFC 5915 §3: privateKey is ceiling(log2(n)/8) octets long.
  if (d.length !== size) fail(`ECPrivateKey privateKey is ${d.length} bytes, ${crv} needs ${size}`)
  return crv as EcCurve
}

/** RFC 5208 §5 / RFC 5958 §2 OneAsymmetricKey; returns its algorithm after checking the inner key. */
export function checkPkcs8(root: DerNode): KeyAlgorithm {
  const items = sequence(root, 'PrivateKeyInfo', 3, 5)
  const version = readSmallInteger(items[0], 'PrivateKeyInfo version')
  if (version !== 0 && version !== 1) fail('PrivateKeyInfo version must be 0 or 1 (RFC 5958 §2)')
  const alg = readKeyAlgorithm(items[1], 'PrivateKeyInfo privateKeyAlgorithm')
  const inner = expectTag(items[2], TAG.OCTET_STRING, 'PrivateKeyInfo privateKey').content
  for (const extra of items.slice(3)) {
    // [0] attributes, [1] publicKey (RFC 5958 §2; publicKey only in version 1).
    if (extra.tag !== 0xa0 && extra.tag !== 0x81 && extra.tag !== 0xa1) fail('PrivateKeyInfo has an unexpected field')
  }
  if (alg.kty === 'RSA') checkRsaPrivate(parseDer(inner))
  else if (alg.kty === 'EC') checkSec1(parseDer(inner), alg.crv)
  else {
    // RFC 8410 §7: CurvePrivateKey ::= OCTET STRING.
    const key = expectTag(parseDer(inner), TAG.OCTET_STRING, `${alg.crv} CurvePrivateKey`).content
    if (key.length !== OKP_LENGTHS[alg.crv][1]) fail(`${alg.crv} private key is ${key.length} bytes, expected ${OKP_LENGTHS[alg.crv][1]}`)
  }
  return alg
}

/** True when an EncryptedPrivateKeyInfo uses PBES2 (the only scheme jwkit opens). */
export function isPbes2(root: DerNode): boolean {
  const [algId] = children(root)
  return readOid(children(algId!)[0], 'encryptionAlgorithm') === OID_PBES2
}
