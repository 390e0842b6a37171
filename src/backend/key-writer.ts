/**
 * @module backend/key-writer
 * The web backend's key writer: SPKI (RFC 5280 §4.1.2.7), PKCS #8 (RFC 5208 §5), PKCS #1
 * (RFC 8017 A.1) and SEC1 (RFC 5915 §3) DER from a key's JWK members, synchronously and without
 * WebCrypto. The output is byte for byte what node:crypto (OpenSSL 3) exports for the same key:
 * an EC point uncompressed; a PKCS #8 EC key without the curve inside ECPrivateKey (it is in the
 * AlgorithmIdentifier) but with the public key; a SEC1 key with both; an RFC 8410 key as
 * version 0 without its public key; RSA integers minimal (test/backend/key-writer.test.ts
 * compares every format against node:crypto).
 */
import { derBitString, derExplicit, derInteger, derNull, derOctetString, derOid, derSequence } from '../util/der-writer.ts'
import { fromB64u } from './bytes.ts'
import { EC_OIDS, OKP_OIDS } from './x509.ts'

const OID_RSA = '1.2.840.113549.1.1.1'
const OID_EC = '1.2.840.10045.2.1'
const oidOf = (table: Readonly<Record<string, string>>, name: string): string | undefined => Object.keys(table).find((oid) => table[oid] === name)

export type KeyDerType = 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'
type Members = Readonly<Record<string, string | undefined>>

const member = (m: Members, name: string): Uint8Array => {
  const value = m[name]
  if (value === undefined) throw new TypeError(`the key has no member ${name}`)
  return fromB64u(value)
}

/** The AlgorithmIdentifier of a key (RFC 3279 §2.3.1 NULL parameters for RSA, RFC 5480 §2.1.1 namedCurve, RFC 8410 §3 none). */
function algorithmOf(m: Members): Uint8Array {
  if (m.kty === 'RSA') return derSequence(derOid(OID_RSA), derNull())
  const crv = m.crv ?? ''
  if (m.kty === 'EC') {
    const curve = oidOf(EC_OIDS, crv)
    if (curve === undefined) throw new TypeError(`no OID for the EC curve ${crv}`)
    return derSequence(derOid(OID_EC), derOid(curve))
  }
  const oid = m.kty === 'OKP' ? oidOf(OKP_OIDS, crv) : undefined
  if (oid === undefined) throw new TypeError(`no DER form for ${String(m.kty)} ${crv} keys`)
  return derSequence(derOid(oid))
}

/** SEC 1 §2.3.3 uncompressed point 0x04 ‖ X ‖ Y. */
function ecPoint(m: Members): Uint8Array {
  const x = member(m, 'x')
  const y = member(m, 'y')
  const out = new Uint8Array(1 + x.length + y.length)
  out[0] = 4
  out.set(x, 1)
  out.set(y, 1 + x.length)
  return out
}

const rsaPublic = (m: Members): Uint8Array => derSequence(derInteger(member(m, 'n')), derInteger(member(m, 'e')))

/** RFC 8017 A.1.2, version 0 (two primes). */
const rsaPrivate = (m: Members): Uint8Array =>
  derSequence(derInteger(0), ...['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi'].map((name) => derInteger(member(m, name))))

/** RFC 5915 §3 ECPrivateKey; `withCurve` adds the [0] parameters (SEC1 files), PKCS #8 leaves them out. */
function ecPrivate(m: Members, withCurve: boolean): Uint8Array {
  const params = withCurve ? [derExplicit(0, derOid(oidOf(EC_OIDS, m.crv ?? '')!))] : []
  return derSequence(derInteger(1), derOctetString(member(m, 'd')), ...params, derExplicit(1, derBitString(ecPoint(m))))
}

function subjectPublicKey(m: Members): Uint8Array {
  if (m.kty === 'RSA') return rsaPublic(m)
  if (m.kty === 'EC') return ecPoint(m)
  return member(m, 'x')
}

/**
 * A key's DER in one structure. `members` are the JWK members (a public key has no `d`); SPKI
 * of a private key is its public half, as node:crypto writes it. Throws a TypeError for a
 * structure that cannot hold the key (formats/to-pem.ts refuses those first, with a JwkitError).
 */
export function writeKeyDer(members: Members, type: KeyDerType): Uint8Array {
  const isPrivate = members.d !== undefined
  switch (type) {
    case 'spki':
      return derSequence(algorithmOf(members), derBitString(subjectPublicKey(members)))
    case 'pkcs1':
      if (members.kty !== 'RSA') throw new TypeError('PKCS #1 holds RSA keys only')
      return isPrivate ? rsaPrivate(members) : rsaPublic(members)
    case 'sec1':
      if (members.kty !== 'EC' || !isPrivate) throw new TypeError('SEC1 holds EC private keys only')
      return ecPrivate(members, true)
    case 'pkcs8': {
      if (!isPrivate) throw new TypeError('PKCS #8 holds private keys only')
      const inner = members.kty === 'RSA' ? rsaPrivate(members) : members.kty === 'EC' ? ecPrivate(members, false) : derOctetString(member(members, 'd'))
      return derSequence(derInteger(0), algorithmOf(members), derOctetString(inner))
    }
  }
}
