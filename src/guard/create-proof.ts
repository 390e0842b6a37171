/**
 * @module guard/create-proof
 * `createDpopProof`: a DPoP proof JWT for a client (RFC 9449 §4.2): header `typ: dpop+jwt`, the
 * asymmetric `alg`, the public `jwk`; claims `jti` (128 random bits), `htm`, `htu` (without query
 * and fragment), `iat`, and `ath` (the access token's SHA-256, §7) and `nonce` (§8, §9) when given.
 */
import { randomBytes } from '#backend'
import type { KeyLike as KeyObject } from '../crypto/key-handle.ts'
import { encodeBase64url } from '../util/base64url.ts'
import { accessTokenHash } from './dpop-proof.ts'
import type { Jwk } from '../jwk/types.ts'
import { parseJwk } from '../jwk/parse.ts'
import { toPublicJwk, isPrivateJwk } from '../jwk/public.ts'
import { exportJwk } from '../crypto/export.ts'
import { signatureAlgorithmsForKey } from '../jwk/algorithms.ts'
import { signJwt } from '../jwt/sign.ts'
import { ownOptions } from '../util/dict.ts'

export interface CreateDpopProofOptions {
  /** The HTTP method of the request. */
  htm: string
  /** The request URL; query and fragment are left out. */
  htu: string | URL
  /** The access token sent with the proof: sets `ath`. */
  accessToken?: string
  /** The server's latest `DPoP-Nonce`. */
  nonce?: string
  /** The signature algorithm; default the key's `alg`, else the first its type permits (ES256 for P-256). */
  alg?: string
  /** `iat` as a Date; default now. */
  iat?: Date
  /** Extra claims. */
  claims?: Record<string, unknown>
}

const MEMBERS: Readonly<Record<string, readonly string[]>> = { EC: ['kty', 'crv', 'x', 'y'], OKP: ['kty', 'crv', 'x'], RSA: ['kty', 'n', 'e'] }

/** Signs a DPoP proof with a private asymmetric key (JWK or KeyObject). */
export async function createDpopProof(privateKey: Jwk | KeyObject, options: CreateDpopProofOptions): Promise<string> {
  options = ownOptions(options, 'createDpopProof: options') // own properties only (a polluted Object.prototype changes nothing)
  const jwk = typeof (privateKey as KeyObject).asymmetricKeyType === 'string' || (privateKey as KeyObject).type === 'private' ? exportJwk(privateKey as KeyObject) : parseJwk(privateKey as Jwk)
  if (jwk.kty === 'oct' || !isPrivateJwk(jwk)) throw new TypeError('createDpopProof: the key must be a private asymmetric key (RFC 9449 §4.2)')
  if (typeof options?.htm !== 'string' || options.htm === '') throw new TypeError('createDpopProof: options.htm (the HTTP method) is required')
  const url = new URL(String(options.htu))
  url.search = ''
  url.hash = ''
  const alg = options.alg ?? (typeof jwk.alg === 'string' ? jwk.alg : signatureAlgorithmsForKey(jwk)[0])
  if (alg === undefined || alg.startsWith('HS')) throw new TypeError('createDpopProof: no asymmetric signature algorithm fits the key')
  const pub = toPublicJwk(jwk) as Record<string, unknown>
  // The header key is the bare public key (the RFC 7638 members): no kid, use or alg to leak or confuse.
  const header: Record<string, unknown> = {}
  for (const m of MEMBERS[jwk.kty] ?? Object.keys(pub)) if (pub[m] !== undefined) header[m] = pub[m]
  const claims: Record<string, unknown> = { ...options.claims, htm: options.htm, htu: url.href }
  if (options.accessToken !== undefined) claims['ath'] = accessTokenHash(options.accessToken)
  if (options.nonce !== undefined) claims['nonce'] = options.nonce
  return signJwt(claims, jwk, {
    alg,
    typ: 'dpop+jwt',
    jti: encodeBase64url(randomBytes(16)),
    iat: options.iat ?? new Date(),
    protectedHeader: { jwk: header },
  })
}
