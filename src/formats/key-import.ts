/**
 * @module formats/key-import
 * DER key structures → JWK. Each structure is checked by jwkit's own DER code first
 * (formats/key-der), encrypted PKCS#8 is opened (RFC 5958 §3, RFC 8018), node:crypto imports the
 * key, and the JWK it exports passes `parseJwk` (through `exportJwk`). A private key whose stored
 * public part disagrees with its private part (SEC1 publicKey, RSA n ≠ p·q) is refused.
 */
import { ecPublicPoint, importKeyDer, okpPublicX } from '#backend'
import type { BackendKey } from '../backend/types.ts'
import { JwkitError, isJwkitError } from '../errors.ts'
import { exportJwk } from '../crypto/export.ts'
import type { EcCurve, Jwk } from '../jwk/types.ts'
import { bytesToBigInt, concatBytes, equalBytes } from '../util/bytes.ts'
import { decodeBase64url } from '../util/base64url.ts'
import type { DerNode } from './der.ts'
import { decryptPkcs8 } from './encrypted-pkcs8.ts'
import type { DerKind, KeyAlgorithm } from './key-der.ts'
import { checkPkcs8, checkRsaPrivate, checkRsaPublic, checkSec1, checkSpki, classifyDer } from './key-der.ts'
import { ownOptions, JWK_EXPORT } from '../util/dict.ts'

export interface KeyFromDerOptions {
  /** Passphrase for an encrypted PKCS#8 key. */
  passphrase?: string | Uint8Array
}

/** Key kinds (every DerKind but certificate). */
export type KeyDerKind = Exclude<DerKind, 'certificate'>

/** Converts one DER key structure to a JWK; `expected` (from a PEM label) must match the structure. */
export function jwkFromKeyDer(der: Uint8Array, expected?: DerKind, options: KeyFromDerOptions = {}): Jwk {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const { kind, root } = classifyDer(der)
  if (expected !== undefined && kind !== expected) {
    throw new JwkitError('ERR_PEM_INVALID', `the PEM label announces ${expected} but the content is ${kind}`)
  }
  if (kind === 'certificate') throw new JwkitError('ERR_FORMAT_UNRECOGNIZED', 'a certificate is not a key: use fromX509')
  return jwkFromClassified(kind, root, der, options)
}

/** As {@link jwkFromKeyDer}, for a structure already classified. */
export function jwkFromClassified(kind: KeyDerKind, root: DerNode, der: Uint8Array, options: KeyFromDerOptions): Jwk {
  if (kind === 'encrypted-pkcs8') {
    const plain = decryptPkcs8(root, options.passphrase)
    const inner = classifyDer(plain)
    if (inner.kind !== 'pkcs8') throw new JwkitError('ERR_PASSPHRASE_WRONG', 'the passphrase does not open the private key')
    return jwkFromClassified('pkcs8', inner.root, plain, options)
  }
  let alg: KeyAlgorithm
  switch (kind) {
    case 'spki': alg = checkSpki(root); break
    case 'pkcs8': alg = checkPkcs8(root); break
    case 'pkcs1-public': checkRsaPublic(root); alg = { kty: 'RSA' }; break
    case 'pkcs1-private': checkRsaPrivate(root); alg = { kty: 'RSA' }; break
    case 'sec1': alg = { kty: 'EC', crv: checkSec1(root) }; break
  }
  const key = importDer(kind, der)
  let jwk: Jwk
  try {
    jwk = exportJwk(key)
  } catch (error) {
    // The key node:crypto read breaks a JWK rule (e.g. a public point that is not the private key's).
    if (isJwkitError(error) && error.code === 'ERR_KEY_EXPORT_FAILED') throw new JwkitError('ERR_DER_INVALID', error.message, { cause: error })
    throw error
  }
  if (jwk.kty !== alg.kty || ('crv' in alg && (jwk as { crv?: string }).crv !== alg.crv)) {
    throw new JwkitError('ERR_DER_INVALID', `node:crypto read an ${jwk.kty} key where the structure names ${alg.kty}`)
  }
  // node:crypto derives an OKP x from d itself; EC and RSA keep what the DER says, so check those.
  if (key.type === 'private' && jwk.kty !== 'OKP') assertKeyConsistent(jwk)
  return jwk
}

const NODE_TYPE: Readonly<Record<KeyDerKind, 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'>> = {
  spki: 'spki', pkcs8: 'pkcs8', 'encrypted-pkcs8': 'pkcs8', 'pkcs1-public': 'pkcs1', 'pkcs1-private': 'pkcs1', sec1: 'sec1',
}

function importDer(kind: KeyDerKind, der: Uint8Array): BackendKey {
  try {
    return importKeyDer(der, NODE_TYPE[kind], kind === 'spki' || kind === 'pkcs1-public' ? 'public' : 'private')
  } catch (cause) {
    if (isJwkitError(cause)) throw cause
    throw new JwkitError('ERR_KEY_IMPORT_FAILED', `node:crypto refused the ${kind} key`, { cause })
  }
}

const NODE_CURVE: Readonly<Record<EcCurve, string>> = {
  'P-256': 'prime256v1', 'P-384': 'secp384r1', 'P-521': 'secp521r1', secp256k1: 'secp256k1',
}

/** Refuses a private key whose public members do not follow from its private ones (ERR_DER_INVALID unless told). */
export function assertKeyConsistent(jwk: Jwk, code: 'ERR_DER_INVALID' | 'ERR_COSE_INVALID' = 'ERR_DER_INVALID'): void {
  const b = (value: unknown): Uint8Array => decodeBase64url(String(value)) ?? new Uint8Array(0)
  if (jwk.kty === 'EC' && jwk.d !== undefined) {
    const point = ecPublicPoint(jwk.crv, b(jwk.d))
    if (point === undefined) throw new JwkitError(code, 'the EC private scalar is out of range')
    if (!equalBytes(point, concatBytes(Uint8Array.of(4), b(jwk.x), b(jwk.y)))) {
      throw new JwkitError(code, 'the EC public key stored with the private key does not match it')
    }
  } else if (jwk.kty === 'OKP' && jwk.d !== undefined) {
    // node:crypto derives x from d and ignores the given x: compare.
    const derived = okpPublicX(jwk.crv, jwk.d, jwk.x)
    if (derived === undefined) throw new JwkitError('ERR_KEY_IMPORT_FAILED', `the crypto backend refused the ${jwk.crv} key`)
    if (derived !== jwk.x) throw new JwkitError(code, `the ${jwk.crv} public key x does not match the private key d`)
  } else if (jwk.kty === 'RSA' && jwk.p !== undefined && jwk.q !== undefined) {
    // RFC 8017 §3.2: n = p·q.
    if (bytesToBigInt(b(jwk.p)) * bytesToBigInt(b(jwk.q)) !== bytesToBigInt(b(jwk.n))) {
      throw new JwkitError(code, 'the RSA modulus is not the product of its primes')
    }
  }
}
