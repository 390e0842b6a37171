/**
 * @module guard/access-token
 * `verifyAccessToken(request, options)`: the relying-party check of an OAuth 2.0 access token in
 * an HTTP request. The token comes from `Authorization` (RFC 6750 §2.1, or the `DPoP` scheme of
 * RFC 9449 §7.1); it is a JWT verified against the configured key source, issuer and audience
 * (RFC 7519, RFC 8725), with the RFC 9068 profile on request; its confirmation claim binds it to
 * a DPoP key (RFC 9449 §6.1, refused as Bearer: §7.2) or a TLS client certificate (RFC 8705 §3);
 * then the scopes. Every refusal is a {@link GuardError} with the status and the exact
 * `WWW-Authenticate` value to answer with (RFC 6750 §3, RFC 9449 §7.1, §7.2, §9).
 */
import { isJwkitError, type ErrorCode, type JwkitError } from '../errors.ts'
import { isJsonObject } from '../util/json.ts'
import type { JwsHeader } from '../jws/header.ts'
import type { VerifyKeyInput } from '../jws/verify-core.ts'
import { verifyJwt, type JwtClaims, type VerifyJwtOptions } from '../jwt/verify.ts'
import { formatChallenges, type Challenge, type ChallengeParam } from './challenge.ts'
import { readCredentials, type Scheme } from './credentials.ts'
import { DEFAULT_DPOP_ALGORITHMS, verifyDpopProof, type DpopOptions, type VerifyDpopProofOptions } from './dpop-proof.ts'
import { GuardError, type OAuthErrorCode } from './errors.ts'
import { certificateThumbprint, clientCertificate, type MtlsOptions } from './mtls.ts'
import { readRequest, type RequestLike } from './request.ts'

export type { RequestLike } from './request.ts'

/** A scope policy: every name listed is required, or a function deciding from the granted scopes. */
export type ScopePolicy = readonly string[] | ((granted: readonly string[], claims: JwtClaims) => boolean)

export interface VerifyAccessTokenOptions {
  /** Where the issuer's keys come from: `createRemoteJwks(...)`, `createLocalJwks(...)`, a JWK. */
  keys: VerifyKeyInput
  /** Accepted `iss` value(s). */
  issuer: string | readonly string[]
  /** Accepted `aud` value(s): this resource server. */
  audience: string | readonly string[]
  /** Required scopes (`scope` claim, space-separated, RFC 9068 §2.2.3). */
  scopes?: ScopePolicy
  /** Accept DPoP-bound tokens (RFC 9449): `true` for the defaults with an in-memory replay cache. */
  dpop?: boolean | DpopOptions
  /** Certificate-bound tokens (RFC 8705 §3). */
  mtls?: MtlsOptions
  /** `'rfc9068'`: JWT access token profile (typ at+jwt and the required claims). */
  profile?: 'rfc9068'
  /** Token signature algorithms accepted; default what the keys permit. */
  algorithms?: readonly string[]
  /** Leeway for exp/nbf/iat: seconds or a span. */
  clockTolerance?: number | string
  /** Largest accepted token age from `iat`. */
  maxTokenAge?: number | string
  /** The `realm` of the challenges. */
  realm?: string
  /** The trusted external origin (`https://api.example`), for `htu` behind a proxy; default from the request. */
  origin?: string
  /** Accept `access_token` in a form body (RFC 6750 §2.2). Default false. */
  allowBodyToken?: boolean
  /** Accept `access_token` in the query (RFC 6750 §2.3). Default false. */
  allowQueryToken?: boolean
  /** The clock; default now. */
  currentDate?: Date
}

export interface AccessTokenResult {
  claims: JwtClaims
  protectedHeader: JwsHeader
  /** The access token as presented. */
  token: string
  scheme: Scheme
  /** The DPoP key thumbprint the token is bound to (DPoP scheme). */
  jkt?: string
  /** The `x5t#S256` of the client certificate the token is bound to (mTLS). */
  x5tS256?: string
  /** A `DPoP-Nonce` to send with the response (RFC 9449 §8.2). */
  dpopNonce?: string
}

/** RFC 9068 §2.2: the claims a JWT access token must carry. */
const RFC9068_CLAIMS = Object.freeze(['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'])
const MAX_TOKEN_LENGTH = 64 * 1024

/** Key-source failures are the server's problem, not the client's: 503 without a challenge. */
const UNAVAILABLE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['ERR_JWKS_TIMEOUT', 'ERR_JWKS_FETCH_FAILED', 'ERR_JWKS_RESPONSE_TOO_LARGE', 'ERR_DISCOVERY_INVALID', 'ERR_DISCOVERY_ISSUER_MISMATCH', 'ERR_JWKS_URL_NOT_ALLOWED', 'ERR_REPLAY_CACHE_UNAVAILABLE'])

/** The options of one guard, read once (own properties only) and kept per options object. */
interface Prepared {
  readonly keys: VerifyKeyInput
  readonly jwt: VerifyJwtOptions
  readonly scopes: ScopePolicy | undefined
  readonly dpop: DpopOptions | undefined
  readonly schemes: readonly Scheme[]
  readonly algs: string
  readonly mtls: MtlsOptions | undefined
  readonly realm: string | undefined
  readonly origin: string | undefined
  readonly allowBodyToken: boolean
  readonly allowQueryToken: boolean
  readonly currentDate: Date | undefined
  readonly noCredentials: string
}

const prepared = new WeakMap<object, Prepared>()

function own<T>(options: object, name: string): T | undefined {
  return Object.hasOwn(options, name) ? (options as Record<string, T>)[name] : undefined
}

function ownCopy<T extends object>(value: T, names: readonly string[]): T {
  const out = Object.create(null) as Record<string, unknown>
  for (const name of names) if (Object.hasOwn(value, name)) out[name] = (value as Record<string, unknown>)[name]
  return out as T
}

function prepare(options: VerifyAccessTokenOptions): Prepared {
  if (typeof options !== 'object' || options === null) throw new TypeError('verifyAccessToken: options must be an object')
  const hit = prepared.get(options)
  if (hit !== undefined) return hit
  const keys = own<VerifyKeyInput>(options, 'keys')
  const issuer = own<string | readonly string[]>(options, 'issuer')
  const audience = own<string | readonly string[]>(options, 'audience')
  if (keys === undefined || keys === null) throw new TypeError('verifyAccessToken: options.keys (a key source or JWK) is required')
  if (issuer === undefined) throw new TypeError('verifyAccessToken: options.issuer is required')
  if (audience === undefined) throw new TypeError('verifyAccessToken: options.audience is required (RFC 9068 §4: the resource checks aud)')
  const profile = own<string>(options, 'profile')
  if (profile !== undefined && profile !== 'rfc9068') throw new TypeError('verifyAccessToken: options.profile must be "rfc9068"')
  const dpopOption = own<boolean | DpopOptions>(options, 'dpop')
  if (dpopOption !== undefined && typeof dpopOption !== 'boolean' && (typeof dpopOption !== 'object' || dpopOption === null)) throw new TypeError('verifyAccessToken: options.dpop must be a boolean or an object')
  // The policy's own members, copied once onto a null prototype (never an inherited member).
  const dpop: DpopOptions | undefined = dpopOption === undefined || dpopOption === false ? undefined
    : ownCopy(dpopOption === true ? {} : dpopOption, ['algorithms', 'replayCache', 'nonces', 'maxAge', 'clockTolerance', 'required'])
  const scopes = own<ScopePolicy>(options, 'scopes')
  if (scopes !== undefined && typeof scopes !== 'function' && !(Array.isArray(scopes) && scopes.every((s) => typeof s === 'string' && /^[\x21\x23-\x5b\x5d-\x7e]+$/.test(s)))) {
    throw new TypeError('verifyAccessToken: options.scopes must be an array of scope names (RFC 6749 §3.3) or a function')
  }
  const jwt: VerifyJwtOptions = { issuer, audience }
  const algorithms = own<readonly string[]>(options, 'algorithms')
  if (algorithms !== undefined) jwt.algorithms = algorithms
  const clockTolerance = own<number | string>(options, 'clockTolerance')
  if (clockTolerance !== undefined) jwt.clockTolerance = clockTolerance
  const maxTokenAge = own<number | string>(options, 'maxTokenAge')
  if (maxTokenAge !== undefined) jwt.maxTokenAge = maxTokenAge
  jwt.maxBytes = MAX_TOKEN_LENGTH
  if (profile === 'rfc9068') {
    jwt.typ = 'at+jwt'
    jwt.requiredClaims = RFC9068_CLAIMS
  }
  const required = dpop?.required === true
  const schemes: Scheme[] = dpop === undefined ? ['Bearer'] : required ? ['DPoP'] : ['Bearer', 'DPoP']
  const mtlsOption = own<MtlsOptions>(options, 'mtls')
  const realm = own<string>(options, 'realm')
  if (realm !== undefined && (typeof realm !== 'string' || !/^[\x20-\x7e]*$/.test(realm))) throw new TypeError('verifyAccessToken: options.realm must be printable ASCII')
  const origin = own<string>(options, 'origin')
  if (origin !== undefined && (typeof origin !== 'string' || !/^https?:\/\/[^/?#]+\/?$/i.test(origin))) throw new TypeError('verifyAccessToken: options.origin must be an origin like "https://api.example"')
  const p: Prepared = {
    keys, jwt, scopes, dpop, schemes,
    algs: (dpop?.algorithms ?? DEFAULT_DPOP_ALGORITHMS).join(' '),
    mtls: mtlsOption === undefined || mtlsOption === false ? undefined : mtlsOption === true ? true : ownCopy(mtlsOption, ['certificateHeader']),
    realm, origin,
    allowBodyToken: own<boolean>(options, 'allowBodyToken') === true,
    allowQueryToken: own<boolean>(options, 'allowQueryToken') === true,
    currentDate: own<Date>(options, 'currentDate'),
    noCredentials: '',
  }
  ;(p as { noCredentials: string }).noCredentials = challengeHeader(p, undefined, [])
  prepared.set(options, p)
  return p
}

/**
 * The `WWW-Authenticate` value: a challenge per accepted scheme; the error parameters go on the
 * challenge of the scheme the client used, or on both when that is unknown (RFC 9449 §7.2).
 */
function challengeHeader(p: Prepared, scheme: Scheme | 'both' | undefined, errorParams: readonly ChallengeParam[]): string {
  const list: Challenge[] = []
  const realm: ChallengeParam[] = p.realm === undefined ? [] : [['realm', p.realm]]
  for (const s of p.schemes) {
    const withError = scheme === 'both' || scheme === s ? errorParams : []
    list.push({ scheme: s, params: s === 'DPoP' ? [...realm, ...withError, ['algs', p.algs]] : [...realm, ...withError] })
  }
  return formatChallenges(list)
}

function refuse(p: Prepared, code: ErrorCode, error: OAuthErrorCode | undefined, description: string, scheme: Scheme | 'both' | undefined, extra: { cause?: unknown; scope?: string; dpopNonce?: string } = {}): GuardError {
  const status = error === undefined ? 401 : error === 'invalid_request' ? 400 : error === 'insufficient_scope' ? 403 : 401
  const params: ChallengeParam[] = error === undefined ? [] : [['error', error], ['error_description', description]]
  if (extra.scope !== undefined) params.push(['scope', extra.scope])
  return new GuardError(code, description, {
    status,
    wwwAuthenticate: error === undefined ? p.noCredentials : challengeHeader(p, scheme, params),
    error,
    cause: extra.cause,
    dpopNonce: extra.dpopNonce,
  })
}

function unavailable(code: ErrorCode, cause: unknown): GuardError {
  return new GuardError(code, code === 'ERR_REPLAY_CACHE_UNAVAILABLE' ? 'The DPoP replay cache is unavailable' : 'The token issuer\'s keys are unavailable', { status: 503, wwwAuthenticate: undefined, cause })
}

/** Token verification failures, as RFC 6750 §3.1 invalid_token with fixed descriptions. */
function tokenFailure(p: Prepared, error: JwkitError, scheme: Scheme): GuardError {
  if (UNAVAILABLE.has(error.code)) return unavailable(error.code, error)
  // RFC 6750 §3 example text for an expired token; nothing from the token itself.
  const description = error.code === 'ERR_JWT_EXPIRED' ? 'The access token expired' : 'Invalid token'
  return refuse(p, error.code, 'invalid_token', description, scheme, { cause: error })
}

const REQUEST_DESCRIPTIONS = {
  multiple: 'Multiple methods used to include access token',
  malformed: 'The Authorization header is malformed',
  'not-enabled': 'The access token must be sent in the Authorization header',
  'too-long': 'The access token is too long',
} as const

/** Verifies the access token of a request; resolves with its claims or throws a {@link GuardError}. */
export async function verifyAccessToken(request: RequestLike, options: VerifyAccessTokenOptions): Promise<AccessTokenResult> {
  const p = prepare(options)
  const req = readRequest(request, p.origin)
  const found = readCredentials(req, { schemes: p.schemes, allowBodyToken: p.allowBodyToken, allowQueryToken: p.allowQueryToken, maxTokenLength: MAX_TOKEN_LENGTH })
  if (found.kind === 'none') throw refuse(p, 'ERR_AUTH_MISSING', undefined, 'No access token', undefined)
  if (found.kind === 'invalid') {
    throw refuse(p, 'ERR_AUTH_REQUEST_INVALID', 'invalid_request', REQUEST_DESCRIPTIONS[found.reason], found.scheme ?? 'both')
  }
  const { scheme, token } = found.credentials
  const jwtOptions = p.currentDate === undefined ? p.jwt : { ...p.jwt, currentDate: p.currentDate }
  let verified
  try {
    verified = await verifyJwt(token, p.keys, jwtOptions)
  } catch (error) {
    if (isJwkitError(error)) throw tokenFailure(p, error, scheme)
    throw error
  }
  const { claims, protectedHeader } = verified
  const result: AccessTokenResult = { claims, protectedHeader, token, scheme }
  const cnf = claims['cnf']
  if (cnf !== undefined && !isJsonObject(cnf)) throw refuse(p, 'ERR_JWT_INVALID', 'invalid_token', 'Invalid token', scheme)
  const jkt = cnf?.['jkt']
  if (scheme === 'Bearer') {
    // RFC 9449 §7.2: a DPoP-bound token presented as a bearer token is a downgrade.
    if (jkt !== undefined) throw refuse(p, 'ERR_TOKEN_BINDING_MISMATCH', 'invalid_token', 'A DPoP-bound token must be presented with the DPoP scheme', scheme)
  } else {
    await checkDpop(p, req, token, jkt, result)
  }
  const x5t = cnf?.['x5t#S256']
  if (x5t !== undefined || p.mtls !== undefined) checkMtls(p, req, x5t, scheme, result)
  if (p.scopes !== undefined) checkScopes(p, claims, scheme)
  return result
}

async function checkDpop(p: Prepared, req: ReturnType<typeof readRequest>, token: string, jkt: unknown, result: AccessTokenResult): Promise<void> {
  const dpop = p.dpop!
  // RFC 9449 §7.1: the DPoP scheme is for DPoP-bound tokens.
  if (typeof jkt !== 'string') throw refuse(p, 'ERR_TOKEN_BINDING_MISMATCH', 'invalid_token', 'Invalid DPoP key binding', 'DPoP')
  const proofs = req.values('dpop')
  // RFC 9449 §4.3 steps 1 and 2: exactly one DPoP field holding one JWT (a fetch Headers joins repeats with ", ").
  if (proofs.length !== 1 || proofs[0]!.includes(',')) {
    throw refuse(p, 'ERR_DPOP_PROOF_INVALID', 'invalid_dpop_proof', proofs.length === 0 ? 'DPoP proof is missing' : 'More than one DPoP proof', 'DPoP')
  }
  let proof
  try {
    // One shape for every call (the policy was copied from own members in prepare).
    const check: VerifyDpopProofOptions = {
      method: req.method, url: req.url, accessToken: token,
      algorithms: dpop.algorithms, replayCache: dpop.replayCache, nonces: dpop.nonces, maxAge: dpop.maxAge, clockTolerance: dpop.clockTolerance,
      currentDate: p.currentDate,
    } as VerifyDpopProofOptions
    proof = await verifyDpopProof(proofs[0]!.trim(), check)
  } catch (error) {
    if (!isJwkitError(error)) throw error
    if (error.code === 'ERR_REPLAY_CACHE_UNAVAILABLE') throw unavailable(error.code, error)
    if (error.code === 'ERR_DPOP_NONCE_REQUIRED') {
      throw refuse(p, error.code, 'use_dpop_nonce', error.message, 'DPoP', { cause: error, dpopNonce: dpop.nonces!.current() })
    }
    throw refuse(p, error.code, 'invalid_dpop_proof', error.message, 'DPoP', { cause: error })
  }
  // RFC 9449 §6.1: cnf.jkt is the RFC 7638 thumbprint of the proof's key.
  if (proof.jkt !== jkt) throw refuse(p, 'ERR_TOKEN_BINDING_MISMATCH', 'invalid_token', 'Invalid DPoP key binding', 'DPoP')
  result.jkt = proof.jkt
  if (proof.nextNonce !== undefined) result.dpopNonce = proof.nextNonce
}

function checkMtls(p: Prepared, req: ReturnType<typeof readRequest>, x5t: unknown, scheme: Scheme, result: AccessTokenResult): void {
  if (x5t === undefined) return // mTLS enabled, token not certificate-bound: nothing to confirm
  // A certificate-bound token where mTLS is not configured cannot be confirmed: refused.
  if (p.mtls === undefined || typeof x5t !== 'string') throw refuse(p, 'ERR_TOKEN_BINDING_MISMATCH', 'invalid_token', 'Invalid certificate binding', scheme)
  const der = clientCertificate(req, p.mtls)
  if (der === undefined || certificateThumbprint(der) !== x5t) throw refuse(p, 'ERR_TOKEN_BINDING_MISMATCH', 'invalid_token', 'Invalid certificate binding', scheme)
  result.x5tS256 = x5t
}

function checkScopes(p: Prepared, claims: JwtClaims, scheme: Scheme): void {
  const scope = claims['scope']
  if (scope !== undefined && typeof scope !== 'string') throw refuse(p, 'ERR_JWT_INVALID', 'invalid_token', 'Invalid token', scheme)
  const granted = scope === undefined ? [] : scope.split(' ').filter((s) => s !== '')
  const policy = p.scopes!
  const ok = typeof policy === 'function' ? policy(granted, claims) === true : policy.every((s) => granted.includes(s))
  if (!ok) {
    throw refuse(p, 'ERR_AUTH_INSUFFICIENT_SCOPE', 'insufficient_scope', 'The access token lacks a required scope', scheme, typeof policy === 'function' ? {} : { scope: policy.join(' ') })
  }
}
