/**
 * @module backend/cert-signature
 * "Did this issuer issue this certificate?" for the web backend, synchronously and in pure code,
 * with the verdicts of node:crypto's `checkIssued(issuer) && verify(issuer.publicKey)` (OpenSSL
 * 3's X509_check_issued and X509_verify):
 *
 * - names chain: the certificate's issuer is the issuer's subject (RFC 5280 §4.1.2.4; compared
 *   as DER bytes, where OpenSSL compares canonical forms: a name differing only in letter case,
 *   spacing or string type chains there and not here);
 * - the authority key identifier, when present, matches the issuer's subject key identifier,
 *   serial and name (RFC 5280 §4.2.1.1);
 * - an issuer with a keyUsage extension has keyCertSign (RFC 5280 §4.2.1.3);
 * - the signature algorithm outside the TBSCertificate is the one inside (RFC 5280 §4.1.1.2);
 * - the signature verifies with the issuer's key: ECDSA on P-256/384/521 and secp256k1 (a strict
 *   DER Ecdsa-Sig-Value, RFC 5758 §3.2), Ed25519 and Ed448 (RFC 8410 §6, RFC 8032 strict
 *   encodings), RSASSA-PKCS1-v1_5 (the whole EMSA encoding compared, RFC 8017 §8.2.2) and
 *   RSASSA-PSS with the certificate's parameters (RFC 4055 §3.1, RFC 8017 §9.1.2), hashes
 *   SHA-1 and SHA-2. RSA is BigInt modular exponentiation with the public exponent: no secret
 *   is involved, so no side-channel care is needed.
 *
 * Anything else (an unknown algorithm, a malformed field) answers false, as OpenSSL does.
 */
import { ed25519 } from '@noble/curves/ed25519.js'
import { ed448 } from '@noble/curves/ed448.js'
import { p256, p384, p521 } from '@noble/curves/nist.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { sha1 } from '@noble/hashes/legacy.js'
import { sha224, sha256, sha384, sha512 } from '@noble/hashes/sha2.js'
import { fromB64u } from './bytes.ts'
import { kids, oidText, parseCertificateDer, read, type Node, type ParsedCertificate } from './x509.ts'

type Hash = ((data: Uint8Array) => Uint8Array) & { outputLen: number }

const HASH_BY_OID: Readonly<Record<string, Hash>> = {
  '1.3.14.3.2.26': sha1, '2.16.840.1.101.3.4.2.4': sha224, '2.16.840.1.101.3.4.2.1': sha256,
  '2.16.840.1.101.3.4.2.2': sha384, '2.16.840.1.101.3.4.2.3': sha512,
}
/** RFC 8017 §9.2 note 1: the DER DigestInfo prefix per hash (AlgorithmIdentifier with NULL parameters). */
const DIGEST_INFO_OID: ReadonlyMap<Hash, string> = new Map([
  [sha1, '1.3.14.3.2.26'], [sha224, '2.16.840.1.101.3.4.2.4'], [sha256, '2.16.840.1.101.3.4.2.1'],
  [sha384, '2.16.840.1.101.3.4.2.2'], [sha512, '2.16.840.1.101.3.4.2.3'],
])
/** RFC 4055 §5, RFC 3279 §2.2.1: sha*WithRSAEncryption. */
const RSA_PKCS1: Readonly<Record<string, Hash>> = {
  '1.2.840.113549.1.1.5': sha1, '1.2.840.113549.1.1.14': sha224, '1.2.840.113549.1.1.11': sha256,
  '1.2.840.113549.1.1.12': sha384, '1.2.840.113549.1.1.13': sha512,
}
const RSA_PSS = '1.2.840.113549.1.1.10'
const MGF1 = '1.2.840.113549.1.1.8'
/** RFC 5758 §3.2, RFC 3279 §2.2.3: ecdsa-with-SHA*. */
const ECDSA: Readonly<Record<string, Hash>> = {
  '1.2.840.10045.4.1': sha1, '1.2.840.10045.4.3.1': sha224, '1.2.840.10045.4.3.2': sha256,
  '1.2.840.10045.4.3.3': sha384, '1.2.840.10045.4.3.4': sha512,
}
const WEIERSTRASS = { 'P-256': p256, 'P-384': p384, 'P-521': p521, secp256k1 } as const
const EDDSA: Readonly<Record<string, 'Ed25519' | 'Ed448'>> = { '1.3.101.112': 'Ed25519', '1.3.101.113': 'Ed448' }

const bytesOf = (der: Uint8Array, node: Node): Uint8Array => der.subarray(node.start, node.end)
const rawOf = (der: Uint8Array, node: Node): Uint8Array => der.subarray(node.headerStart, node.end)

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

const toBigInt = (bytes: Uint8Array): bigint => {
  let out = 0n
  for (const b of bytes) out = (out << 8n) | BigInt(b)
  return out
}

function toBytes(value: bigint, length: number): Uint8Array {
  const out = new Uint8Array(length)
  for (let i = length - 1; i >= 0 && value > 0n; i--) {
    out[i] = Number(value & 0xffn)
    value >>= 8n
  }
  return out
}

function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n
  base %= modulus
  for (let e = exponent; e > 0n; e >>= 1n) {
    if (e & 1n) result = (result * base) % modulus
    base = (base * base) % modulus
  }
  return result
}

/** The parts of a certificate this check reads. */
interface Parts {
  readonly tbs: Uint8Array
  readonly outerAlg: Node
  readonly innerAlg: Node
  readonly signature: Node
  readonly serial: Uint8Array
  readonly issuer: Uint8Array
  readonly subject: Uint8Array
  readonly extensions: ReadonlyMap<string, Uint8Array>
}

function partsOf(cert: ParsedCertificate): Parts {
  const { der, tbs, version } = cert
  const [tbsNode, outerAlg, signature] = kids(der, read(der, 0))
  const extensions = new Map<string, Uint8Array>()
  const holder = tbs.find((n) => n.tag === 0xa3)
  if (holder !== undefined) {
    for (const ext of kids(der, kids(der, holder)[0]!)) {
      const fields = kids(der, ext)
      const id = oidText(der, fields[0]!)
      // RFC 5280 §4.2: a certificate must not include more than one instance of an extension.
      if (extensions.has(id)) throw new RangeError('duplicate extension')
      extensions.set(id, bytesOf(der, fields[fields.length - 1]!))
    }
  }
  return {
    tbs: rawOf(der, tbsNode!), outerAlg: outerAlg!, innerAlg: tbs[1 + version]!, signature: signature!,
    serial: bytesOf(der, tbs[version]!), issuer: rawOf(der, tbs[2 + version]!), subject: rawOf(der, tbs[4 + version]!), extensions,
  }
}

/** A definite-length element tree that fills `bytes` exactly (constructed elements tile their content). */
function wellFormed(bytes: Uint8Array, node: Node, depth = 0): boolean {
  if (depth > 16) return false
  if ((node.tag & 0x20) === 0) return true
  let at = node.start
  while (at < node.end) {
    const child = read(bytes, at)
    if (child.end > node.end || !wellFormed(bytes, child, depth + 1)) return false
    at = child.end
  }
  return true
}

/** The top element of an extension value, when the value is one well-formed element of `tag`. */
function valueNode(value: Uint8Array, tag: number): Node | undefined {
  const top = read(value, 0)
  return top.tag === tag && top.end === value.length && wellFormed(value, top) ? top : undefined
}

/** Extensions OpenSSL decodes for every certificate, and the outer tag each must have (RFC 5280 §4.2.1). */
const DECODED: Readonly<Record<string, number>> = {
  '2.5.29.17': 0x30, '2.5.29.30': 0x30, '2.5.29.31': 0x30, '2.5.29.37': 0x30, // subjectAltName, nameConstraints, cRLDistributionPoints, extKeyUsage
  '2.16.840.1.113730.1.1': 0x03, '1.3.6.1.5.5.7.1.14': 0x30, // netscape-cert-type, proxyCertInfo
}

/**
 * True when the extensions OpenSSL decodes decode (a certificate with a broken one is neither
 * issued nor an issuer there): basicConstraints (§4.2.1.9; a pathLenConstraint needs cA),
 * keyUsage (§4.2.1.3; not empty), the key identifiers (§4.2.1.1, §4.2.1.2) and the others'
 * outer shape.
 */
function extensionsValid(parts: Parts): boolean {
  for (const [id, value] of parts.extensions) {
    if (id === '2.5.29.19') {
      const top = valueNode(value, 0x30)
      if (top === undefined) return false
      const fields = kids(value, top)
      let ca = false
      let i = 0
      if (fields[i]?.tag === 0x01) {
        if (fields[i]!.end - fields[i]!.start !== 1) return false
        ca = value[fields[i]!.start] !== 0
        i++
      }
      if (fields[i]?.tag === 0x02) {
        if (derUnsigned(value, fields[i]) === undefined || !ca) return false
        i++
      }
      if (i !== fields.length) return false
    } else if (id === '2.5.29.15') {
      // RFC 5280 §4.2.1.3: at least one bit set.
      const ku = keyUsageOf(parts)
      if (ku === null || ku === 0) return false
    } else if (id === '2.5.29.14') {
      if (valueNode(value, 0x04) === undefined) return false
    } else if (id === '2.5.29.35') {
      const top = valueNode(value, 0x30)
      if (top === undefined) return false
      let last = -1
      for (const field of kids(value, top)) {
        const n = field.tag & 0x1f
        if ((field.tag & 0xc0) !== 0x80 || n > 2 || n <= last || (field.tag & 0x20) !== (n === 1 ? 0x20 : 0)) return false
        last = n
      }
    } else {
      const tag = DECODED[id]
      if (tag !== undefined && valueNode(value, tag) === undefined) return false
    }
  }
  return true
}

/** RFC 5280 §4.2.1.1 against §4.2.1.2: keyIdentifier, authorityCertIssuer (its directoryName), serial. */
function akidMatches(cert: Parts, issuer: Parts): boolean {
  const akid = cert.extensions.get('2.5.29.35')
  if (akid === undefined) return true
  const fields = kids(akid, read(akid, 0))
  for (const field of fields) {
    if (field.tag === 0x80) {
      const skid = issuer.extensions.get('2.5.29.14')
      if (skid !== undefined) {
        const id = read(skid, 0)
        if (id.tag !== 0x04 || !sameBytes(bytesOf(skid, id), bytesOf(akid, field))) return false
      }
    } else if (field.tag === 0xa1) {
      const dirName = kids(akid, field).find((n) => n.tag === 0xa4)
      if (dirName !== undefined && !sameBytes(rawOf(akid, read(akid, dirName.start)), issuer.issuer)) return false
    } else if (field.tag === 0x82) {
      if (!sameBytes(bytesOf(akid, field), issuer.serial)) return false
    }
  }
  return true
}

/**
 * The keyUsage bits (RFC 5280 §4.2.1.3) as OpenSSL reads them: the first two octets of the BIT
 * STRING, its unused bits cleared (c2i_ASN1_BIT_STRING); undefined when absent, null when broken.
 */
function keyUsageOf(parts: Parts): number | undefined | null {
  const value = parts.extensions.get('2.5.29.15')
  if (value === undefined) return undefined
  const top = valueNode(value, 0x03)
  if (top === undefined || top.end === top.start) return null
  const unused = value[top.start]!
  const bytes = Uint8Array.from(value.subarray(top.start + 1, top.end))
  if (unused > 7 || (unused !== 0 && bytes.length === 0)) return null
  if (bytes.length > 0) bytes[bytes.length - 1]! &= (0xff << unused) & 0xff
  return (bytes[0] ?? 0) | ((bytes[1] ?? 0) << 8)
}

/** With a keyUsage extension, keyCertSign (bit 5) must be set to sign certificates. */
function mayIssue(issuer: Parts): boolean {
  const ku = keyUsageOf(issuer)
  return ku === undefined || (ku !== null && (ku & 0x04) !== 0)
}

/** X.690 §10.1: the length in the fewest octets (backend/x509.ts's reader does not insist). */
function minimalLength(node: Node): boolean {
  const length = node.end - node.start
  return node.start - node.headerStart === (length < 0x80 ? 2 : length < 0x100 ? 3 : length < 0x10000 ? 4 : 5)
}

/** A strict DER INTEGER's magnitude (X.690 §8.3: minimal, non-negative), or undefined. */
function derUnsigned(der: Uint8Array, node: Node | undefined): Uint8Array | undefined {
  if (node?.tag !== 0x02 || node.end === node.start) return undefined
  const c = bytesOf(der, node)
  if (c[0]! & 0x80) return undefined
  if (c.length > 1 && c[0] === 0 && (c[1]! & 0x80) === 0) return undefined
  return c[0] === 0 && c.length > 1 ? c.subarray(1) : c
}

/** Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } (RFC 5758 §3.2), strict DER, as r ‖ s of `size` bytes each. */
function ecdsaCompact(sig: Uint8Array, size: number): Uint8Array | undefined {
  const root = read(sig, 0)
  if (root.tag !== 0x30 || root.end !== sig.length || !minimalLength(root)) return undefined
  const parts = kids(sig, root)
  if (parts.length !== 2 || !parts.every(minimalLength)) return undefined
  const out = new Uint8Array(2 * size)
  for (let i = 0; i < 2; i++) {
    const v = derUnsigned(sig, parts[i])
    if (v === undefined || v.length > size) return undefined
    out.set(v, (i + 1) * size - v.length)
  }
  return out
}

/** MGF1 (RFC 8017 B.2.1). */
function mgf1(hash: Hash, seed: Uint8Array, length: number): Uint8Array {
  const out = new Uint8Array(length)
  const block = new Uint8Array(seed.length + 4)
  block.set(seed)
  for (let counter = 0, at = 0; at < length; counter++) {
    block[seed.length] = counter >>> 24
    block[seed.length + 1] = (counter >>> 16) & 0xff
    block[seed.length + 2] = (counter >>> 8) & 0xff
    block[seed.length + 3] = counter & 0xff
    const h = hash(block)
    out.set(h.subarray(0, Math.min(h.length, length - at)), at)
    at += h.length
  }
  return out
}

/** RSAVP1 (RFC 8017 §5.2.2) to the encoded message of `k` bytes, or undefined when s is out of range. */
function rsaOpen(n: Uint8Array, e: Uint8Array, signature: Uint8Array, k: number): Uint8Array | undefined {
  // RFC 8017 §8.2.2 step 1: the signature is exactly k octets.
  if (signature.length !== k) return undefined
  const modulus = toBigInt(n)
  const s = toBigInt(signature)
  if (s >= modulus) return undefined
  return toBytes(modPow(s, toBigInt(e), modulus), k)
}

/** EMSA-PKCS1-v1_5 (RFC 8017 §9.2): 0x00 0x01 FF…FF 0x00 ‖ DigestInfo, compared whole. */
function pkcs1Verifies(hash: Hash, n: Uint8Array, e: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const k = n.length
  const em = rsaOpen(n, e, signature, k)
  if (em === undefined) return false
  const oid = encodeOid(DIGEST_INFO_OID.get(hash)!)
  const digest = hash(data)
  // DigestInfo ::= SEQUENCE { SEQUENCE { OID, NULL }, OCTET STRING digest }
  const algId = [0x30, oid.length + 2, ...oid, 0x05, 0x00]
  const info = [0x30, algId.length + 2 + digest.length, ...algId, 0x04, digest.length, ...digest]
  if (k < info.length + 11) return false
  const expected = new Uint8Array(k)
  expected[1] = 0x01
  expected.fill(0xff, 2, k - info.length - 1)
  expected.set(info, k - info.length)
  return sameBytes(em, expected)
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) with MGF1 and a fixed salt length. */
function pssVerifies(hash: Hash, mgfHash: Hash, saltLength: number, n: Uint8Array, e: Uint8Array, data: Uint8Array, signature: Uint8Array): boolean {
  const modBits = toBigInt(n).toString(2).length
  const emBits = modBits - 1
  const emLen = Math.ceil(emBits / 8)
  const opened = rsaOpen(n, e, signature, n.length)
  if (opened === undefined) return false
  // RFC 8017 §8.1.2 step 2c: EM is the last emLen octets; any octet before them must be zero.
  for (let i = 0; i < opened.length - emLen; i++) if (opened[i] !== 0) return false
  const em = opened.subarray(opened.length - emLen)
  const hLen = hash.outputLen
  const mHash = hash(data)
  if (emLen < hLen + saltLength + 2 || em[emLen - 1] !== 0xbc) return false
  const maskedDb = em.subarray(0, emLen - hLen - 1)
  const h = em.subarray(emLen - hLen - 1, emLen - 1)
  const zeroBits = 8 * emLen - emBits
  if ((maskedDb[0]! & (0xff << (8 - zeroBits)) & 0xff) !== 0) return false
  const db = mgf1(mgfHash, h, maskedDb.length)
  for (let i = 0; i < db.length; i++) db[i]! ^= maskedDb[i]!
  db[0]! &= 0xff >>> zeroBits
  const psLen = emLen - hLen - saltLength - 2
  for (let i = 0; i < psLen; i++) if (db[i] !== 0) return false
  if (db[psLen] !== 0x01) return false
  const salt = db.subarray(db.length - saltLength)
  const mPrime = new Uint8Array(8 + hLen + saltLength)
  mPrime.set(mHash, 8)
  mPrime.set(salt, 8 + hLen)
  return sameBytes(hash(mPrime), h)
}

/** A hash AlgorithmIdentifier (parameters absent or NULL, RFC 4055 §2.1). */
function hashOf(der: Uint8Array, node: Node): Hash | undefined {
  const [oid, params] = kids(der, node)
  if (oid?.tag !== 0x06) return undefined
  if (params !== undefined && (params.tag !== 0x05 || params.end !== params.start)) return undefined
  return HASH_BY_OID[oidText(der, oid)]
}

/** RSASSA-PSS-params (RFC 4055 §3.1): defaults SHA-1, MGF1 with SHA-1, salt 20, trailer 1. */
function pssParams(der: Uint8Array, params: Node | undefined): { hash: Hash; mgfHash: Hash; saltLength: number } | undefined {
  let hash: Hash | undefined = sha1
  let mgfHash: Hash | undefined = sha1
  let saltLength = 20
  if (params === undefined || params.tag !== 0x30) return undefined
  for (const field of kids(der, params)) {
    const inner = read(der, field.start)
    if (field.tag === 0xa0) hash = hashOf(der, inner)
    else if (field.tag === 0xa1) {
      const [oid, mgfParams] = kids(der, inner)
      if (oid?.tag !== 0x06 || oidText(der, oid) !== MGF1 || mgfParams?.tag !== 0x30) return undefined
      mgfHash = hashOf(der, mgfParams)
    } else if (field.tag === 0xa2) {
      const v = derUnsigned(der, inner)
      if (v === undefined || v.length > 2) return undefined
      saltLength = Number(toBigInt(v))
    } else if (field.tag === 0xa3) {
      const v = derUnsigned(der, inner)
      if (v === undefined || v.length !== 1 || v[0] !== 1) return undefined
    } else return undefined
    if (hash === undefined || mgfHash === undefined) return undefined
  }
  return { hash, mgfHash, saltLength }
}

/** An OBJECT IDENTIFIER's DER (tag, length, arcs): the DigestInfo prefixes. */
function encodeOid(oid: string): number[] {
  const arcs = oid.split('.').map(Number)
  const out: number[] = []
  for (const arc of [arcs[0]! * 40 + arcs[1]!, ...arcs.slice(2)]) {
    const chunk = [arc & 0x7f]
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) chunk.unshift((v & 0x7f) | 0x80)
    out.push(...chunk)
  }
  return [0x06, out.length, ...out]
}

/** The issuer's public key as JWK members (kty, n/e, crv/x/y, crv/x): backend/x509.ts's spkiJwkOf. */
export type IssuerKey = Readonly<Record<string, unknown>>

/** True when the signature of `cert` verifies under `key` by the certificate's own algorithm. */
function signatureVerifies(cert: ParsedCertificate, parts: Parts, key: IssuerKey): boolean {
  const { der } = cert
  const [oidNode, params] = kids(der, parts.outerAlg)
  if (oidNode?.tag !== 0x06) return false
  const oid = oidText(der, oidNode)
  // X.690 §8.6.2.2: the BIT STRING's first octet is the count of unused bits; a signature has none.
  const sigBits = bytesOf(der, parts.signature)
  if (sigBits[0] !== 0) return false
  const signature = sigBits.subarray(1)
  const tbs = parts.tbs
  const text = (name: string): string => (typeof key[name] === 'string' ? key[name] as string : '')
  if (key.kty === 'RSA') {
    const n = fromB64u(text('n'))
    const e = fromB64u(text('e'))
    const pkcs1 = RSA_PKCS1[oid]
    if (pkcs1 !== undefined) return pkcs1Verifies(pkcs1, n, e, tbs, signature)
    if (oid !== RSA_PSS) return false
    const pss = pssParams(der, params)
    return pss !== undefined && pssVerifies(pss.hash, pss.mgfHash, pss.saltLength, n, e, tbs, signature)
  }
  if (key.kty === 'EC') {
    const hash = ECDSA[oid]
    const curve = WEIERSTRASS[text('crv') as keyof typeof WEIERSTRASS]
    if (hash === undefined || curve === undefined) return false
    const x = fromB64u(text('x'))
    const compact = ecdsaCompact(signature, x.length)
    if (compact === undefined) return false
    const point = new Uint8Array(1 + 2 * x.length)
    point[0] = 4
    point.set(x, 1)
    point.set(fromB64u(text('y')), 1 + x.length)
    return curve.verify(compact, hash(tbs), point, { prehash: false, lowS: false })
  }
  if (key.kty === 'OKP') {
    const crv = EDDSA[oid]
    // RFC 8410 §3: the parameters MUST be absent.
    if (crv === undefined || crv !== text('crv') || params !== undefined) return false
    const impl = crv === 'Ed25519' ? ed25519 : ed448
    return impl.verify(signature, tbs, fromB64u(text('x')), { zip215: false })
  }
  return false
}

/**
 * The issuer as OpenSSL reads its SubjectPublicKeyInfo: a BIT STRING with n (≤ 7) unused bits
 * has them cleared in its last octet (X.690 §8.6.2; OpenSSL's c2i_ASN1_BIT_STRING), so the key is
 * read from a copy with them cleared; an RSAPublicKey must fill its BIT STRING (RFC 8017 A.1.1).
 * Undefined when OpenSSL would not read the key.
 */
function issuerAsRead(issuer: ParsedCertificate): ParsedCertificate | undefined {
  const { der, tbs, version } = issuer
  const [alg, bits] = kids(der, tbs[5 + version]!)
  if (alg?.tag !== 0x30 || bits?.tag !== 0x03 || bits.end === bits.start) return undefined
  const unused = der[bits.start]!
  if (unused > 7 || (unused !== 0 && bits.end - bits.start < 2)) return undefined
  let asRead = issuer
  if (unused !== 0) {
    const copy = Uint8Array.from(der)
    copy[bits.start] = 0
    copy[bits.end - 1]! &= (0xff << unused) & 0xff
    asRead = parseCertificateDer(copy)
  }
  const [oid] = kids(der, alg)
  if (oid?.tag !== 0x06 || oidText(der, oid) !== '1.2.840.113549.1.1.1') return asRead
  const key = asRead.der.subarray(bits.start + 1, bits.end)
  const root = read(key, 0)
  const ints = root.tag === 0x30 && root.end === key.length ? kids(key, root) : []
  return ints.length === 2 && ints.every((n) => derUnsigned(key, n) !== undefined) ? asRead : undefined
}

/**
 * See the module comment. `keyOf` reads a certificate's subject public key as JWK members
 * (backend/x509.ts's spkiJwkOf); it may throw.
 */
export function certificateSignedBy(cert: ParsedCertificate, issuer: ParsedCertificate, keyOf: (cert: ParsedCertificate) => IssuerKey): boolean {
  try {
    const c = partsOf(cert)
    const i = partsOf(issuer)
    if (!extensionsValid(c) || !extensionsValid(i)) return false
    if (!sameBytes(c.issuer, i.subject) || !akidMatches(c, i) || !mayIssue(i)) return false
    if (!sameBytes(rawOf(cert.der, c.outerAlg), rawOf(cert.der, c.innerAlg))) return false
    const keyCert = issuerAsRead(issuer)
    return keyCert !== undefined && signatureVerifies(cert, c, keyOf(keyCert))
  } catch {
    return false
  }
}
