/**
 * @module jwt/claims
 * Validation of a JWT Claims Set (RFC 7519 §4.1, RFC 8725 §3.8–3.11, RFC 9068 §4): registered
 * claim types, `exp`/`nbf`/`iat` against a clock with tolerance, token age, `iss`, `aud`, `sub`,
 * required claims, and the `typ` header.
 */
import { JwkitError } from '../errors.ts'
import { parseDuration } from './duration.ts'

/** Claim checks of `verifyJwt`. */
export interface JwtClaimOptions {
  /** Accepted issuer(s): `iss` must equal one (RFC 7519 §4.1.1). */
  issuer?: string | readonly string[]
  /** Accepted audience(s): `aud` (string or array) must contain one (RFC 7519 §4.1.3). */
  audience?: string | readonly string[]
  /** Expected `sub`. */
  subject?: string
  /** Expected `typ` header, e.g. `at+jwt` (RFC 9068 §4); compared case-insensitively, `application/` optional. */
  typ?: string
  /** Leeway for `exp`, `nbf`, `iat`: seconds or a span like `"30s"`. Default 0. */
  clockTolerance?: number | string
  /** Largest accepted age from `iat` (which becomes required): seconds or a span like `"1h"`. */
  maxTokenAge?: number | string
  /** The clock; default now. */
  currentDate?: Date
  /** Claims that must be present. */
  requiredClaims?: readonly string[]
}

type Claims = Record<string, unknown>

/** RFC 7515 §4.1.9: media types compare case-insensitively, `application/` may be omitted. */
export function normalizeTyp(typ: string): string {
  const t = typ.toLowerCase()
  return t.startsWith('application/') ? t.slice(12) : t
}

/** Checks the `typ` header when the caller expects one. */
export function checkTyp(headerTyp: unknown, expected: string | undefined): void {
  if (expected === undefined) return
  if (typeof headerTyp !== 'string' || normalizeTyp(headerTyp) !== normalizeTyp(expected)) {
    throw claimError('typ', 'the JWT header typ is missing or not the expected type')
  }
}

/** A NumericDate as RFC 3339 UTC, and a span of seconds in words, for messages that say when. */
const at = (t: number) => (Number.isFinite(t * 1000) && Math.abs(t) < 8.64e12 ? new Date(Math.round(t * 1000)).toISOString().replace('.000Z', 'Z') : String(t))
const span = (s: number) => (s < 120 ? `${Math.round(s)} s` : s < 7200 ? `${Math.round(s / 60)} min` : s < 172800 ? `${Math.round(s / 3600)} h` : `${Math.round(s / 86400)} days`)

function claimError(claim: string, message: string, code: 'ERR_JWT_CLAIM_INVALID' | 'ERR_JWT_EXPIRED' | 'ERR_JWT_NOT_YET_VALID' = 'ERR_JWT_CLAIM_INVALID'): JwkitError {
  return new JwkitError(code, message, { path: '/' + claim, detail: { claim } })
}

function typeError(claim: string, rule: string): JwkitError {
  return new JwkitError('ERR_JWT_INVALID', `JWT claim ${claim} ${rule}`, { path: '/' + claim, detail: { claim } })
}

function checkNumericDate(v: unknown, name: string): void {
  if (v !== undefined && (typeof v !== 'number' || !Number.isFinite(v))) throw typeError(name, 'must be a NumericDate (a number of seconds)')
}

function checkString(v: unknown, name: string): void {
  if (v !== undefined && typeof v !== 'string') throw typeError(name, 'must be a string')
}

/** An own member of the claims (an inherited one, e.g. a polluted `Object.prototype.exp`, reads as absent). */
function own(claims: Claims, name: string): unknown {
  return Object.hasOwn(claims, name) ? claims[name] : undefined
}

function unreadable(cause: unknown): JwkitError {
  return new JwkitError('ERR_JWT_INVALID', 'the JWT claims set cannot be read (a getter or proxy trap threw)', { cause })
}

function audienceMatches(aud: string | string[] | undefined, accepted: string | readonly string[]): boolean {
  if (aud === undefined) return false
  if (typeof aud === 'string') return typeof accepted === 'string' ? aud === accepted : accepted.includes(aud)
  for (const a of aud) if (typeof accepted === 'string' ? a === accepted : accepted.includes(a)) return true
  return false
}

/** Validates a claims set; throws the first failure with its code. */
export function validateClaims(claims: Claims, options: JwtClaimOptions): void {
  // Own claims only, each read once (no copy: this runs per token). A throwing getter or proxy
  // trap of a caller-built claims object is a refusal, never a raw error.
  let exp: unknown, nbf: unknown, iat: unknown, iss: unknown, sub: unknown, jti: unknown, aud: unknown
  try {
    // Read first, own-checked only when a value came back: an absent claim (most of the seven) costs
    // one property miss instead of an Object.hasOwn call. A value from a polluted Object.prototype
    // (CWE-1321 sets values) is dropped by the check; only code that already runs in the process
    // could plant a getter there.
    exp = claims.exp
    if (exp !== undefined && !Object.hasOwn(claims, 'exp')) exp = undefined
    nbf = claims.nbf
    if (nbf !== undefined && !Object.hasOwn(claims, 'nbf')) nbf = undefined
    iat = claims.iat
    if (iat !== undefined && !Object.hasOwn(claims, 'iat')) iat = undefined
    iss = claims.iss
    if (iss !== undefined && !Object.hasOwn(claims, 'iss')) iss = undefined
    sub = claims.sub
    if (sub !== undefined && !Object.hasOwn(claims, 'sub')) sub = undefined
    jti = claims.jti
    if (jti !== undefined && !Object.hasOwn(claims, 'jti')) jti = undefined
    aud = claims.aud
    if (aud !== undefined && !Object.hasOwn(claims, 'aud')) aud = undefined
  } catch (cause) {
    throw unreadable(cause)
  }
  // RFC 7519 §4.1: registered claim types.
  checkNumericDate(exp, 'exp')
  checkNumericDate(nbf, 'nbf')
  checkNumericDate(iat, 'iat')
  checkString(iss, 'iss')
  checkString(sub, 'sub')
  checkString(jti, 'jti')
  if (aud !== undefined && typeof aud !== 'string' && !(Array.isArray(aud) && aud.every((a) => typeof a === 'string'))) {
    throw typeError('aud', 'must be a string or an array of strings')
  }
  const required = options.requiredClaims
  if (required !== undefined) {
    for (const name of required) {
      let present: boolean
      try {
        present = own(claims, name) !== undefined
      } catch (cause) {
        throw unreadable(cause)
      }
      if (!present) throw claimError(name, `JWT claim ${name} is required`)
    }
  }
  const now = (options.currentDate?.getTime() ?? Date.now()) / 1000
  const tolerance = options.clockTolerance === undefined ? 0 : parseDuration(options.clockTolerance, 'clockTolerance')
  // RFC 7519 §4.1.4: the current time must be before exp.
  if (typeof exp === 'number' && now - tolerance >= exp) throw claimError('exp', `the JWT expired at ${at(exp)} (exp), ${span(now - exp)} ago`, 'ERR_JWT_EXPIRED')
  // RFC 7519 §4.1.5: the current time must be at or after nbf.
  if (typeof nbf === 'number' && now + tolerance < nbf) throw claimError('nbf', `the JWT is not valid before ${at(nbf)} (nbf), in ${span(nbf - now)}`, 'ERR_JWT_NOT_YET_VALID')
  if (typeof iat === 'number' && now + tolerance < iat) throw claimError('iat', 'the JWT was issued in the future (iat)', 'ERR_JWT_NOT_YET_VALID')
  if (options.maxTokenAge !== undefined) {
    const maxAge = parseDuration(options.maxTokenAge, 'maxTokenAge')
    if (typeof iat !== 'number') throw claimError('iat', 'JWT claim iat is required to check the token age')
    if (now - tolerance - iat > maxAge) throw claimError('iat', 'the JWT is older than maxTokenAge', 'ERR_JWT_EXPIRED')
  }
  if (options.issuer !== undefined) {
    if (typeof iss !== 'string' || !(typeof options.issuer === 'string' ? iss === options.issuer : options.issuer.includes(iss))) {
      throw claimError('iss', 'JWT claim iss is missing or not an accepted issuer')
    }
  }
  if (options.audience !== undefined) {
    // RFC 7519 §4.1.3: aud may be one string or an array; one match is enough.
    if (!audienceMatches(aud as string | string[] | undefined, options.audience)) throw claimError('aud', 'JWT claim aud is missing or names no accepted audience')
  }
  if (options.subject !== undefined && sub !== options.subject) throw claimError('sub', 'JWT claim sub is missing or not the expected subject')
}
