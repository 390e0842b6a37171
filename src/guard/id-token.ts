/**
 * @module guard/id-token
 * `verifyIdToken`: ID Token validation of OpenID Connect Core 1.0 §3.1.3.7 (and §3.2.2.11,
 * §3.3.2.12 for the hashes): signature under an algorithm allowlist, `iss`, `aud` containing the
 * client, `azp` when there are several audiences (and equal to the client when present), `exp`
 * and `iat` required, `nonce` equal to the one sent, `auth_time` required and recent enough for
 * `max_age`, and `at_hash` / `c_hash`: the left half of the hash the `alg` uses, base64url.
 * A JWT whose `typ` says it is something else (an RFC 9068 access token, a logout token) is
 * refused (RFC 8725 §3.11).
 */
import { digest as backendDigest, shake256 } from '#backend'
import { encodeBase64url } from '../util/base64url.ts'
import { JwkitError } from '../errors.ts'
import type { VerifyKeyInput } from '../jws/verify-core.ts'
import { parseDuration } from '../jwt/duration.ts'
import { verifyJwt, type VerifyJwtResult } from '../jwt/verify.ts'
import { normalizeTyp } from '../jwt/claims.ts'
import { ownOptions, ownSnapshot } from '../util/dict.ts'

export interface VerifyIdTokenOptions {
  /** The OpenID Provider's issuer identifier. */
  issuer: string
  /** This client's `client_id` (RFC 7519 aud; OIDC Core §3.1.3.7 step 3). */
  audience: string
  /** The `nonce` sent in the authentication request: then required and compared. */
  nonce?: string
  /** The `max_age` sent (seconds or a span): `auth_time` is then required and checked. */
  maxAge?: number | string
  /** The access token returned with the ID token: `at_hash` is then required and checked. */
  accessToken?: string
  /** The authorization code returned with the ID token: `c_hash` is then required and checked. */
  code?: string
  /** Algorithms accepted; default what the keys permit. */
  algorithms?: readonly string[]
  /** Leeway for exp/iat/auth_time. */
  clockTolerance?: number | string
  /** The clock; default now. */
  currentDate?: Date
}

const claimError = (claim: string, message: string) => new JwkitError('ERR_JWT_CLAIM_INVALID', message, { path: '/' + claim, detail: { claim } })

/**
 * The hash whose left half makes at_hash and c_hash for a JWS alg (OIDC Core §3.1.3.6, §3.3.2.11):
 * SHA-2 by the alg's size, SHA-512 for EdDSA / Ed25519, SHAKE256 (64 bytes) for ML-DSA (as
 * oidc-provider does); none is defined for the others, which then cannot carry these claims.
 */
function halfHash(alg: string, value: string, claim: string): string {
  const size = /^(?:[RPE]S|HS)(256|384|512)$/.exec(alg)?.[1] ?? (alg === 'ES256K' ? '256' : undefined)
  const digest = size !== undefined ? backendDigest(`sha${size}` as 'sha256' | 'sha384' | 'sha512', value)
    : alg === 'EdDSA' || alg === 'Ed25519' ? backendDigest('sha512', value)
    : alg.startsWith('ML-DSA-') ? shake256(value, 64)
    : undefined
  if (digest === undefined) throw claimError(claim, `${claim} cannot be checked: algorithm ${alg} defines no hash for it`)
  return encodeBase64url(digest.subarray(0, digest.length / 2))
}

/** Verifies an ID Token; resolves with its claims or throws a `JwkitError` naming the claim at fault. */
export async function verifyIdToken(token: string, keys: VerifyKeyInput, options: VerifyIdTokenOptions): Promise<VerifyJwtResult> {
  if (typeof options !== 'object' || options === null) throw new TypeError('verifyIdToken: options must be an object')
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const { issuer, audience } = options
  if (typeof issuer !== 'string' || typeof audience !== 'string') throw new TypeError('verifyIdToken: options.issuer and options.audience (the client_id) are required strings')
  const result = await verifyJwt(token, keys, {
    issuer, audience,
    requiredClaims: ['iss', 'sub', 'aud', 'exp', 'iat'],
    ...(options.algorithms === undefined ? {} : { algorithms: options.algorithms }),
    ...(options.clockTolerance === undefined ? {} : { clockTolerance: options.clockTolerance }),
    ...(options.currentDate === undefined ? {} : { currentDate: options.currentDate }),
  })
  const { protectedHeader } = result
  const claims = ownSnapshot(result.claims) as VerifyJwtResult['claims'] // the token's own claims only
  const typ = protectedHeader.typ
  if (typ !== undefined && normalizeTyp(typ) !== 'jwt') throw claimError('typ', 'an ID Token has typ JWT or none; this JWT is of another type')
  if (typeof claims.sub !== 'string' || claims.sub.length === 0 || claims.sub.length > 255) throw claimError('sub', 'ID Token claim sub must be a string of 1 to 255 characters (OIDC Core §2)')
  // §3.1.3.7 steps 4-5: several audiences need azp; azp, when present, is this client.
  const azp = claims['azp']
  if (Array.isArray(claims.aud) && claims.aud.length > 1 && azp === undefined) throw claimError('azp', 'ID Token with several audiences has no azp')
  if (azp !== undefined && azp !== audience) throw claimError('azp', 'ID Token claim azp is not this client')
  // §3.1.3.7 step 11: the nonce sent comes back.
  if (options.nonce !== undefined) {
    if (typeof claims['nonce'] !== 'string' || claims['nonce'] !== options.nonce) throw claimError('nonce', 'ID Token claim nonce is missing or not the nonce sent')
  }
  // §3.1.3.7 step 13: max_age needs auth_time, and the authentication must be recent enough.
  if (options.maxAge !== undefined) {
    const maxAge = parseDuration(options.maxAge, 'maxAge')
    const authTime = claims['auth_time']
    if (typeof authTime !== 'number' || !Number.isFinite(authTime)) throw claimError('auth_time', 'ID Token claim auth_time is required with max_age')
    const tolerance = options.clockTolerance === undefined ? 0 : parseDuration(options.clockTolerance, 'clockTolerance')
    const now = (options.currentDate?.getTime() ?? Date.now()) / 1000
    if (now - tolerance > authTime + maxAge) throw claimError('auth_time', 'ID Token auth_time is older than max_age allows')
  }
  const alg = protectedHeader.alg!
  if (options.accessToken !== undefined && claims['at_hash'] !== halfHash(alg, options.accessToken, 'at_hash')) throw claimError('at_hash', 'ID Token claim at_hash is missing or does not match the access token')
  if (options.code !== undefined && claims['c_hash'] !== halfHash(alg, options.code, 'c_hash')) throw claimError('c_hash', 'ID Token claim c_hash is missing or does not match the code')
  return result
}
