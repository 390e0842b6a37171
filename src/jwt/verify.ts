/**
 * @module jwt/verify
 * `verifyJwt`: a JWT (RFC 7519 §7.2) is a compact JWS whose payload is a JSON object. Header
 * and signature checks come first (RFC 8725 §3.1–3.2), then claims (RFC 7519 §4.1). Unencoded
 * payloads are refused (RFC 7797 §7: b64 is not for JWTs), and so is any `alg: none`, whatever
 * the options. This is the hot path: no per-call key import, synchronous crypto.
 */
import { JwkitError } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { decodeBase64url } from '../util/base64url.ts'
import { latin1Encode } from '#codec'
import { DEFAULT_MAX_BYTES, splitCompact } from '../jws/compact.ts'
import { checkHeader, parseJson, parseProtectedHeader, type JwsHeader } from '../jws/header.ts'
import { checkTyp, validateClaims, type JwtClaimOptions } from './claims.ts'
import type { KeySelectionHeader } from '../jws/key-source.ts'
import { checkAllowlist, resolveCandidates, verifyWithCandidates, type VerifyKeyInput } from '../jws/verify-core.ts'
import { ownOptions } from '../util/dict.ts'

export interface VerifyJwtOptions extends JwtClaimOptions {
  /** Algorithms accepted; default: the key's own `alg`, or what its type and curve permit. */
  algorithms?: readonly string[]
  /** Extensions the caller understands in `crit`. */
  crit?: readonly string[]
  /** Bound on the token length; default 256 KiB. */
  maxBytes?: number
  /** Most keys tried from a key source for one token; default 5. */
  maxCandidates?: number
  /**
   * Refuse a key that is valid only once normalised from a non-canonical form (see parseJwk),
   * whether given as a JWK or resolved by a key source (default false). The token's segments are
   * strict base64url in both modes.
   */
  strict?: boolean
}

/** A JWT Claims Set. */
export interface JwtClaims {
  iss?: string
  sub?: string
  aud?: string | string[]
  exp?: number
  nbf?: number
  iat?: number
  jti?: string
  [claim: string]: unknown
}

export interface VerifyJwtResult {
  claims: JwtClaims
  protectedHeader: JwsHeader
  /** The key that verified: its public JWK (or the `oct` JWK). */
  key: Jwk
}

/** Verifies a compact JWT and validates its claims; throws a `JwkitError` for anything refused. */
export async function verifyJwt(token: string, key: VerifyKeyInput, options: VerifyJwtOptions = {}): Promise<VerifyJwtResult> {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const allowlist = checkAllowlist(options.algorithms)
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
  const parts = splitCompact(token, maxBytes)
  const protectedHeader = parseProtectedHeader(parts.header)
  const { alg, b64 } = checkHeader(protectedHeader, undefined, options)
  // RFC 7797 §7: the unencoded payload option is not for JWTs.
  if (!b64) throw new JwkitError('ERR_JWT_INVALID', 'a JWT cannot use the unencoded payload option (b64: false)')
  if (allowlist !== undefined && !allowlist.includes(alg)) throw new JwkitError('ERR_ALG_NOT_ALLOWED', `algorithm ${alg} is not in the algorithms allowlist`)
  checkTyp(Object.hasOwn(protectedHeader, 'typ') ? protectedHeader.typ : undefined, options.typ)
  const payload = decodeBase64url(parts.payload)
  if (payload === undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWT payload is not canonical base64url')
  const signature = decodeBase64url(parts.signature)
  if (signature === undefined) throw new JwkitError('ERR_JWS_INVALID', 'JWT signature is not canonical base64url')
  const found = resolveCandidates(key, protectedHeader as KeySelectionHeader, options.maxCandidates, options.strict === true)
  const candidates = Array.isArray(found) ? found : await found
  const checked = verifyWithCandidates(alg, candidates, latin1Encode(token.slice(0, parts.signingInputEnd)), signature, allowlist, options.strict === true)
  const used = checked instanceof Promise ? await checked : checked
  // RFC 7519 §7.2 step 10: the payload is a JSON object (strict: no duplicate names, bounded depth).
  const claims = parseJson(payload, 'ERR_JWT_INVALID', 'JWT claims set', maxBytes) as JwtClaims
  validateClaims(claims, options)
  return { claims, protectedHeader, key: used.publicJwk }
}
