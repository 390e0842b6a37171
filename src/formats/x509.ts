/**
 * @module formats/x509
 * X.509 certificates (RFC 5280) → JWK with `x5c` and `x5t#S256` (RFC 7517 §4.7, §4.9). The
 * leaf's SubjectPublicKeyInfo goes through the same checks as any SPKI. With trust anchors, the
 * chain is verified: each certificate issued and signed by the next (RFC 5280 §6.1.3 (a)(1),
 * (a)(4)), issuers are CAs (§4.2.1.9), every validity period covers the given date (§4.1.2.5),
 * and the last certificate is an anchor or is signed by one.
 */
import { certificateDetails, certificateIssuedBy, certificatePublicKey, digest, parseCertificate as backendCertificate } from '#backend'
import type { BackendCertificate } from '../backend/types.ts'
import { JwkitError, isJwkitError } from '../errors.ts'
import { exportJwk } from '../crypto/export.ts'
import { parseJwkWithKnownChain } from '../jwk/parse.ts'
import type { Jwk } from '../jwk/types.ts'
import { decodeBase64, decodeBase64url, encodeBase64, encodeBase64url } from '../util/base64url.ts'
import { children, parseDer, readUnsignedInteger, sequence, TAG, type DerNode } from './der.ts'
import { checkSpki, classifyDer } from './key-der.ts'
import { decodePem, looksLikePem } from './pem.ts'
import { ownOptions } from '../util/dict.ts'

export type CertificateInput = string | Uint8Array

export interface FromX509Options {
  /** Certificates trusted as roots (PEM, base64 DER or DER). Given, the chain is verified. */
  trustAnchors?: CertificateInput | CertificateInput[]
  /** Verify signatures, order and dates even without anchors (default: true when anchors are given). */
  verifyChain?: boolean
  /** The time validity periods are checked at (default: now). */
  currentDate?: Date
}

export interface X509Description {
  subject: string
  issuer: string
  notBefore: string
  notAfter: string
  serialNumber: string
  fingerprint256: string
}

/** Most certificates in one chain. */
export const MAX_CHAIN_LENGTH = 10

/** Reads certificates from PEM text (one or more CERTIFICATE blocks), base64 DER, or DER bytes. */
export function readCertificates(input: CertificateInput | CertificateInput[]): Uint8Array[] {
  const items = Array.isArray(input) ? input : [input]
  const out: Uint8Array[] = []
  for (const item of items) {
    if (item instanceof Uint8Array) out.push(item)
    else if (typeof item !== 'string') throw new TypeError('a certificate must be a string or Uint8Array')
    else if (looksLikePem(item)) {
      for (const block of decodePem(item)) {
        if (block.label !== 'CERTIFICATE') throw new JwkitError('ERR_X509_INVALID', `PEM block "${block.label}" is not a CERTIFICATE`)
        out.push(block.der)
      }
    } else {
      // RFC 7517 §4.7: x5c values are standard base64 (not base64url) DER.
      const der = decodeBase64(item.trim())
      if (der === undefined || der.length === 0) throw new JwkitError('ERR_X509_INVALID', 'a certificate string is neither PEM nor canonical standard base64 DER')
      out.push(der)
    }
    if (out.length > MAX_CHAIN_LENGTH) throw new JwkitError('ERR_INPUT_TOO_LARGE', `a chain has more than ${MAX_CHAIN_LENGTH} certificates`)
  }
  if (out.length === 0) throw new JwkitError('ERR_X509_INVALID', 'no certificate given')
  return out
}

/** Parses one DER certificate strictly, then with the crypto backend. */
export function parseCertificate(der: Uint8Array): BackendCertificate {
  return readCertificate(der).cert
}

/** {@link parseCertificate}, keeping jwkit's own DER reading of it too. */
function readCertificate(der: Uint8Array): { cert: BackendCertificate; root: DerNode } {
  try {
    const { kind, root } = classifyDer(der)
    if (kind !== 'certificate') throw new JwkitError('ERR_X509_INVALID', 'the DER is a key, not a certificate')
    return { cert: backendCertificate(der), root }
  } catch (cause) {
    if (isJwkitError(cause) && cause.code === 'ERR_X509_INVALID') throw cause
    if (isJwkitError(cause) && cause.code === 'ERR_INPUT_TOO_LARGE') throw cause
    throw new JwkitError('ERR_X509_INVALID', 'a certificate cannot be parsed', { cause })
  }
}

/**
 * The leaf certificate's public key as a JWK carrying `x5c` (the whole chain, leaf first) and
 * `x5t#S256`. Throws `ERR_X509_CHAIN_INVALID` when verification was asked for and fails.
 */
export function fromX509(certOrChain: CertificateInput | CertificateInput[], options: FromX509Options = {}): Jwk {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const ders = readCertificates(certOrChain)
  const read = ders.map(readCertificate)
  const certs = read.map((r) => r.cert)
  const anchors = options.trustAnchors === undefined ? undefined : readCertificates(options.trustAnchors).map(parseCertificate)
  if (options.verifyChain ?? anchors !== undefined) verifyChain(certs, anchors, options.currentDate ?? new Date())
  const key = leafKey(certs[0]!, read[0]!.root)
  // parseJwk checks every rule again, x5c included; the chain only spares parsing the same
  // certificates and exporting the leaf key a second time.
  return parseJwkWithKnownChain({
    ...key,
    x5c: ders.map(encodeBase64),
    'x5t#S256': encodeBase64url(digest('sha256', ders[0]!)),
  }, { ders, certs, leafKey: key as unknown as Record<string, unknown> })
}

/**
 * The leaf's public key: its SubjectPublicKeyInfo (RFC 5280 §4.1.2.7) checked by jwkit's DER
 * rules as any SPKI is, the key node:crypto read from the same certificate exported (and checked
 * by parseJwk through exportJwk), and the two compared member by member.
 */
function leafKey(cert: BackendCertificate, root: DerNode): Jwk {
  // RFC 5280 §4.1: TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature,
  // issuer, validity, subject, subjectPublicKeyInfo, ... }.
  const tbs = children(children(root)[0]!)
  const spki = tbs[tbs[0]?.tag === 0xa0 ? 6 : 5]
  if (spki === undefined || spki.tag !== TAG.SEQUENCE) throw new JwkitError('ERR_X509_INVALID', 'the certificate has no SubjectPublicKeyInfo')
  const alg = checkSpki(spki)
  let jwk: Jwk
  try {
    jwk = exportJwk(certificatePublicKey(cert))
  } catch (cause) {
    throw new JwkitError('ERR_X509_INVALID', "the certificate's public key cannot be read", { cause })
  }
  const bits = sequence(spki, 'SubjectPublicKeyInfo', 2)[1]!.content.subarray(1)
  if (jwk.kty !== alg.kty || ('crv' in alg && (jwk as { crv?: string }).crv !== alg.crv) || !sameKey(jwk, bits)) {
    throw new JwkitError('ERR_X509_INVALID', "node:crypto read another key than the certificate's SubjectPublicKeyInfo")
  }
  return jwk
}

/** True when the JWK's public members are the subjectPublicKey bits (RFC 5480 §2.2, RFC 8410 §4, RFC 8017 A.1.1). */
function sameKey(jwk: Jwk, bits: Uint8Array): boolean {
  const b64 = encodeBase64url
  if (jwk.kty === 'OKP') return jwk.x === b64(bits)
  if (jwk.kty === 'EC') {
    const size = (bits.length - 1) >>> (bits[0] === 4 ? 1 : 0)
    if (jwk.x !== b64(bits.subarray(1, 1 + size))) return false
    // SEC 1 §2.3.3: a compressed point (0x02/0x03) carries the parity of y.
    if (bits[0] !== 4) return ((decodeBase64url(jwk.y)!.at(-1)! & 1) === (bits[0]! & 1))
    return jwk.y === b64(bits.subarray(1 + size))
  }
  if (jwk.kty === 'RSA') {
    const [n, e] = sequence(parseDer(bits), 'RSAPublicKey', 2)
    return jwk.n === b64(readUnsignedInteger(n, 'modulus')) && jwk.e === b64(readUnsignedInteger(e, 'publicExponent'))
  }
  return false
}

function chainError(message: string): JwkitError {
  return new JwkitError('ERR_X509_CHAIN_INVALID', message)
}

/** RFC 5280 §4.1.2.5: notBefore ≤ now ≤ notAfter. */
function checkDates(cert: BackendCertificate, now: Date, what: string): void {
  const details = certificateDetails(cert)
  const from = Date.parse(details.validFrom)
  const to = Date.parse(details.validTo)
  if (Number.isNaN(from) || Number.isNaN(to)) throw chainError(`${what} has unreadable validity dates`)
  if (now.getTime() < from) throw chainError(`${what} is not valid before ${new Date(from).toISOString()}`)
  if (now.getTime() > to) throw chainError(`${what} expired at ${new Date(to).toISOString()}`)
}

/** True when `issuer` issued `cert`: names chain, issuer is a CA, and the signature verifies. */
function signedBy(cert: BackendCertificate, issuer: BackendCertificate): boolean {
  try {
    // RFC 5280 §4.2.1.9: only a CA certificate may issue others.
    return certificateDetails(issuer).ca && certificateIssuedBy(cert, issuer)
  } catch {
    return false
  }
}

function verifyChain(certs: BackendCertificate[], anchors: BackendCertificate[] | undefined, now: Date): void {
  certs.forEach((cert, i) => checkDates(cert, now, `certificate ${i}`))
  for (let i = 0; i + 1 < certs.length; i++) {
    // RFC 5246 §7.4.2 / RFC 7517 §4.7: each certificate is certified by the one after it.
    if (!signedBy(certs[i]!, certs[i + 1]!)) throw chainError(`certificate ${i} is not issued and signed by certificate ${i + 1}`)
  }
  if (anchors === undefined) return
  const last = certs[certs.length - 1]!
  for (const anchor of anchors) {
    if (certificateDetails(anchor).fingerprint256 === certificateDetails(last).fingerprint256 || signedBy(last, anchor)) {
      checkDates(anchor, now, 'the trust anchor')
      return
    }
  }
  throw chainError('the chain does not end at a given trust anchor')
}

/** Subject, issuer, dates, serial and SHA-256 fingerprint of a certificate (for `jwk inspect`). */
export function describeX509(der: Uint8Array | string): X509Description {
  const cert = certificateDetails(parseCertificate(readCertificates(der)[0]!))
  return {
    subject: cert.subject.replaceAll('\n', ', '),
    issuer: cert.issuer.replaceAll('\n', ', '),
    notBefore: new Date(Date.parse(cert.validFrom)).toISOString(),
    notAfter: new Date(Date.parse(cert.validTo)).toISOString(),
    serialNumber: cert.serialNumber,
    fingerprint256: cert.fingerprint256,
  }
}
