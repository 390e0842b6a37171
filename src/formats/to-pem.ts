/**
 * @module formats/to-pem
 * JWK → DER and PEM (RFC 7468): SPKI (`PUBLIC KEY`, RFC 5280 §4.1.2.7), PKCS#8 (`PRIVATE KEY`,
 * RFC 5958 §2), encrypted PKCS#8 (`ENCRYPTED PRIVATE KEY`, RFC 5958 §3 with PBES2: PBKDF2-HMAC-
 * SHA256 and AES-256-CBC), PKCS#1 (`RSA PRIVATE KEY` / `RSA PUBLIC KEY`, RFC 8017 Appendix A.1)
 * and SEC1 (`EC PRIVATE KEY`, RFC 5915). The backend writes the DER (node:crypto, or
 * backend/key-writer.ts off Node: the same bytes); jwkit encrypts.
 */
import { exportKeyDer } from '#backend'
import type { BackendKey } from '../backend/types.ts'
import { JwkitError } from '../errors.ts'
import { importJwk } from '../crypto/import.ts'
import { parseJwk } from '../jwk/parse.ts'
import { isPrivateJwk } from '../jwk/public.ts'
import type { Jwk } from '../jwk/types.ts'
import { encryptPkcs8 } from './encrypted-pkcs8.ts'
import type { DerKind } from './key-der.ts'
import { LABEL_BY_KIND, encodePem } from './pem.ts'
import { ownOptions } from '../util/dict.ts'

export type PemFormat = 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'

export interface ToPemOptions {
  /** Default: `pkcs8` for a private key, `spki` for a public one. */
  format?: PemFormat
  /** Encrypts the PKCS#8 output (format `pkcs8` only). */
  passphrase?: string | Uint8Array
  /** PBKDF2 iterations when encrypting (default 600,000). */
  iterations?: number
}

export interface ToDerResult {
  der: Uint8Array
  /** The DER structure written; its PEM label is `LABEL_BY_KIND[kind]`. */
  kind: Exclude<DerKind, 'certificate'>
}

const FORMATS: readonly PemFormat[] = ['spki', 'pkcs8', 'pkcs1', 'sec1']

/** Encodes a JWK as DER in the requested structure. */
export function toDer(jwk: Jwk, options: ToPemOptions = {}): ToDerResult {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const key = parseJwk(jwk)
  if (key.kty === 'oct' || key.kty === 'AKP') {
    throw new JwkitError('ERR_JWK_UNSUPPORTED', `an ${key.kty} key has no PEM/DER form in jwkit`, { path: '/kty' })
  }
  const isPrivate = isPrivateJwk(key)
  const format = options.format ?? (isPrivate ? 'pkcs8' : 'spki')
  if (!FORMATS.includes(format)) throw new TypeError(`toPem: format must be one of ${FORMATS.join(', ')}`)
  if (options.passphrase !== undefined && format !== 'pkcs8') throw new TypeError('toPem: a passphrase needs format pkcs8')
  const object: BackendKey = importJwk(key)
  const out = (der: Uint8Array, kind: ToDerResult['kind']): ToDerResult => ({ der, kind })
  switch (format) {
    case 'spki':
      return out(exportKeyDer(object, 'spki'), 'spki')
    case 'pkcs1':
      if (key.kty !== 'RSA') throw new JwkitError('ERR_JWK_UNSUPPORTED', `PKCS#1 holds RSA keys only, not ${key.kty}`, { path: '/kty' })
      return isPrivate
        ? out(exportKeyDer(object, 'pkcs1'), 'pkcs1-private')
        : out(exportKeyDer(object, 'pkcs1'), 'pkcs1-public')
    case 'sec1':
      if (key.kty !== 'EC') throw new JwkitError('ERR_JWK_UNSUPPORTED', `SEC1 holds EC keys only, not ${key.kty}`, { path: '/kty' })
      if (!isPrivate) throw new JwkitError('ERR_JWK_UNSUPPORTED', 'SEC1 holds private keys only; this JWK is public (use spki)', { path: '/d' })
      return out(exportKeyDer(object, 'sec1'), 'sec1')
    case 'pkcs8': {
      if (!isPrivate) throw new JwkitError('ERR_JWK_UNSUPPORTED', 'PKCS#8 holds private keys only; this JWK is public (use spki)', { path: '' })
      const der = exportKeyDer(object, 'pkcs8')
      if (options.passphrase === undefined) return out(der, 'pkcs8')
      const iterations = options.iterations === undefined ? {} : { iterations: options.iterations }
      return { der: encryptPkcs8(der, options.passphrase, iterations), kind: 'encrypted-pkcs8' }
    }
  }
}

/**
 * Encodes a JWK as PEM. A private JWK gives PKCS#8 by default, a public one SPKI; with a
 * passphrase, encrypted PKCS#8 that `openssl pkey -passin` opens.
 */
export function toPem(jwk: Jwk, options: ToPemOptions = {}): string {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const { der, kind } = toDer(jwk, options)
  return encodePem(LABEL_BY_KIND[kind], der)
}
