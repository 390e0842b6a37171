/**
 * @module jwt/sign
 * `signJwt`: a JWT (RFC 7519 §7.1) as a compact JWS, with the registered claims set from options
 * (`iat` default now, `exp` from `expiresIn`, `nbf`, `iss`, `aud`, `sub`, `jti`) and `typ: JWT`
 * by default (RFC 7519 §5.1; e.g. `at+jwt` for RFC 9068 access tokens).
 */
import type { KeyLike as KeyObject } from '../crypto/key-handle.ts'
import type { Jwk } from '../jwk/types.ts'
import { isJsonObject } from '../util/json.ts'
import { parseDuration } from './duration.ts'
import type { JwsHeader } from '../jws/header.ts'
import type { JwtClaims } from './verify.ts'
import { signJwsCore } from '../jws/sign.ts'
import { ownOptions } from '../util/dict.ts'

export interface SignJwtOptions {
  /** Default: the key's `alg`. */
  alg?: string
  kid?: string
  /** The `typ` header; default `JWT`. */
  typ?: string
  /** Sets `exp` = `iat` + span (seconds or `"10m"`). */
  expiresIn?: number | string
  /** Sets `nbf` = `iat` + span (seconds or `"10s"`). */
  notBefore?: number | string
  issuer?: string
  audience?: string | string[]
  subject?: string
  jti?: string
  /** `iat`: a NumericDate, a Date, or `false` to leave it out. Default: now. */
  iat?: number | Date | false
  /** Extra protected header members. */
  protectedHeader?: JwsHeader
}

/** Signs a claims set as a compact JWT. */
export async function signJwt(claims: JwtClaims, key: Jwk | KeyObject | string, options: SignJwtOptions = {}): Promise<string> {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (!isJsonObject(claims)) throw new TypeError('signJwt: claims must be a plain object')
  const out: JwtClaims = { ...claims }
  const iat = options.iat === undefined ? Math.floor(Date.now() / 1000)
    : options.iat === false ? undefined
    : options.iat instanceof Date ? Math.floor(options.iat.getTime() / 1000) : options.iat
  if (iat !== undefined) out.iat = iat
  const base = iat ?? Math.floor(Date.now() / 1000)
  if (options.expiresIn !== undefined) out.exp = base + parseDuration(options.expiresIn, 'expiresIn')
  if (options.notBefore !== undefined) out.nbf = base + parseDuration(options.notBefore, 'notBefore')
  if (options.issuer !== undefined) out.iss = options.issuer
  if (options.audience !== undefined) out.aud = options.audience
  if (options.subject !== undefined) out.sub = options.subject
  if (options.jti !== undefined) out.jti = options.jti
  const protectedHeader: JwsHeader = { ...options.protectedHeader, typ: options.typ ?? options.protectedHeader?.typ ?? 'JWT' }
  return signJwsCore(JSON.stringify(out), key, {
    ...(options.alg === undefined ? {} : { alg: options.alg }),
    ...(options.kid === undefined ? {} : { kid: options.kid }),
    protectedHeader,
    serialization: 'compact',
  }, false) as string | Promise<string>
}
