/**
 * @module jwk/thumbprint
 * JWK thumbprints, RFC 7638, and their URIs, RFC 9278. The AKP members follow
 * draft-ietf-cose-dilithium ({alg, kty, pub}).
 */
import { createHash } from 'node:crypto'
import { JwkitError } from '../errors.ts'
import type { HashName, Jwk } from './types.ts'
import { readOwn } from '../util/dict.ts'

const HASHES: ReadonlySet<string> = new Set(['sha256', 'sha384', 'sha512'])
/** RFC 9278 §3 with the IANA "Named Information Hash Algorithm" names. */
const URI_HASH_NAMES: Readonly<Record<HashName, string>> = { sha256: 'sha-256', sha384: 'sha-384', sha512: 'sha-512' }

/** Characters JSON.stringify would escape (RFC 8259 §7), lone surrogates included. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/

/**
 * The JSON string of a member value (RFC 7638 §3.3: no escaping beyond what JSON requires).
 * base64url values and registered names need none, so the common case is a plain quote.
 */
function str(value: unknown, member: string): string {
  if (typeof value !== 'string') {
    throw new JwkitError('ERR_JWK_INVALID', `JWK thumbprint: member ${member} is required and must be a string`, { path: '/' + member })
  }
  return NEEDS_ESCAPE.test(value) ? JSON.stringify(value) : '"' + value + '"'
}

/**
 * RFC 7638 §3.2–3.3: the JSON object of the required members only, in lexicographic order, no
 * whitespace. Throws `ERR_JWK_UNSUPPORTED` for an unknown kty, `ERR_JWK_INVALID` when a required
 * member is missing or not a string.
 */
export function thumbprintInput(jwk: Jwk): string {
  if (typeof jwk !== 'object' || jwk === null) throw new TypeError('thumbprint: jwk must be an object')
  const k = readOwn(jwk, 'ERR_JWK_INVALID', 'JWK: the key object') // own members only
  switch (k.kty) {
    case 'EC':
      return `{"crv":${str(k.crv, 'crv')},"kty":"EC","x":${str(k.x, 'x')},"y":${str(k.y, 'y')}}`
    case 'RSA':
      return `{"e":${str(k.e, 'e')},"kty":"RSA","n":${str(k.n, 'n')}}`
    case 'OKP':
      return `{"crv":${str(k.crv, 'crv')},"kty":"OKP","x":${str(k.x, 'x')}}`
    case 'oct':
      return `{"k":${str(k.k, 'k')},"kty":"oct"}`
    case 'AKP':
      return `{"alg":${str(k.alg, 'alg')},"kty":"AKP","pub":${str(k.pub, 'pub')}}`
    default:
      throw new JwkitError('ERR_JWK_UNSUPPORTED', 'JWK thumbprint: the key type is not supported', { path: '/kty' })
  }
}

function checkHash(hash: unknown): asserts hash is HashName {
  if (typeof hash !== 'string' || !HASHES.has(hash)) throw new TypeError('thumbprint: hash must be sha256, sha384 or sha512')
}

/**
 * The RFC 7638 thumbprint of `jwk`, base64url. A private key and its public key have the same
 * thumbprint (only public members take part; for `oct`, `k` is the key).
 */
export function thumbprint(jwk: Jwk, hash: HashName = 'sha256'): string {
  checkHash(hash)
  return createHash(hash).update(thumbprintInput(jwk)).digest('base64url')
}

/** The RFC 9278 URI: `urn:ietf:params:oauth:jwk-thumbprint:sha-256:<thumbprint>`. */
export function thumbprintUri(jwk: Jwk, hash: HashName = 'sha256'): string {
  checkHash(hash)
  return `urn:ietf:params:oauth:jwk-thumbprint:${URI_HASH_NAMES[hash]}:${thumbprint(jwk, hash)}`
}
