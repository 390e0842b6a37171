/**
 * @module guard/dpop-proof
 * `verifyDpopProof`: the checks of RFC 9449 §4.3 on one DPoP proof JWT. The proof's own `jwk`
 * header is the key — the one place a token's key is the point — read through the strict JWK
 * parser (public keys only, never `oct`, RFC 9449 §4.3 step 7) with an asymmetric algorithm
 * allowlist (step 5). `typ` is `dpop+jwt` (step 4); `htm` and `htu` match the request (steps 8,
 * 9); `iat` is within the window (step 11); `ath` is the access token's hash (step 12); a server
 * nonce when one is required (step 10); and the `jti` is claimed in the replay cache last, so a
 * refused proof never spends its `jti`.
 */
import { digestBase64url } from '#backend'
import { JwkitError, isJwkitError, type ErrorCode } from '../errors.ts'
import type { Jwk } from '../jwk/types.ts'
import { thumbprint } from '../jwk/thumbprint.ts'
import { insecureEmbeddedJwkResolver } from '../jws/embedded-jwk.ts'
import type { JwsHeader } from '../jws/header.ts'
import type { KeySelectionHeader, KeySource, ResolvedKey } from '../jws/key-source.ts'
import { parseDuration } from '../jwt/duration.ts'
import { verifyJwt, type JwtClaims } from '../jwt/verify.ts'
import { normalizeHtu } from './htu.ts'
import type { DpopNonces } from './nonce.ts'
import { createMemoryReplayCache, type ReplayCache } from './replay-cache.ts'
import { ownOptions, ownSnapshot } from '../util/dict.ts'

/** Asymmetric JWS algorithms accepted for proofs unless told otherwise (RFC 9449 §4.3 step 5). */
export const DEFAULT_DPOP_ALGORITHMS: readonly string[] = Object.freeze(['ES256', 'ES384', 'ES512', 'PS256', 'PS384', 'PS512', 'EdDSA', 'Ed25519'])

/** DPoP policy of a resource (`verifyAccessToken`'s `dpop` option). */
export interface DpopOptions {
  /** Proof algorithms accepted (asymmetric only); default {@link DEFAULT_DPOP_ALGORITHMS}. */
  algorithms?: readonly string[]
  /** Where `jti`s are remembered; default one in-memory cache for the process. */
  replayCache?: ReplayCache
  /** Require a server nonce (RFC 9449 §9) from this source. */
  nonces?: DpopNonces
  /** Oldest accepted proof, from its `iat`: seconds or a span; default 300 s. */
  maxAge?: number | string
  /** Leeway for clocks, seconds or a span; default 5 s. */
  clockTolerance?: number | string
  /** Accept DPoP only (no Bearer); default false. */
  required?: boolean
}

export interface VerifyDpopProofOptions extends DpopOptions {
  /** The request method (`htm`). */
  method: string
  /** The absolute request URL (`htu`; query and fragment are ignored). */
  url: string
  /** The access token presented with the proof: `ath` is then required and checked. */
  accessToken?: string
  /** The clock; default now. */
  currentDate?: Date
}

export interface VerifiedDpopProof {
  /** The RFC 7638 SHA-256 thumbprint of the proof's key (what `cnf.jkt` must equal). */
  jkt: string
  /** The proof's public key. */
  jwk: Jwk
  claims: JwtClaims
  protectedHeader: JwsHeader
  /** A newer nonce to send as `DPoP-Nonce` (RFC 9449 §8.2), when the proof used an older one. */
  nextNonce?: string
}

/** Longest proof accepted, in characters (an RSA-4096 proof is about 2 KiB). */
export const MAX_PROOF_LENGTH = 8192
const MAX_JTI_LENGTH = 256

const fail = (code: ErrorCode, message: string, cause?: unknown): JwkitError => new JwkitError(code, message, cause === undefined ? {} : { cause })
const invalid = (message: string, cause?: unknown) => fail('ERR_DPOP_PROOF_INVALID', message, cause)

/** The embedded-key source, remembering each (frozen, cached) header's key. */
function embeddedKeys(algorithms: readonly string[]): KeySource {
  const inner = insecureEmbeddedJwkResolver({ algorithms })
  const known = new WeakMap<object, readonly ResolvedKey[]>()
  return {
    getKeys(header: KeySelectionHeader) {
      const hit = known.get(header)
      if (hit !== undefined) return hit
      const found = inner.getKeys(header) as readonly ResolvedKey[]
      if (Object.isFrozen(header)) known.set(header, found)
      return found
    },
  }
}

const sources = new WeakMap<readonly string[], KeySource>()
const thumbprints = new WeakMap<Jwk, string>()

/** The RFC 7638 thumbprint, once per key object (the embedded-key source reuses them per header). */
function thumbprintOf(jwk: Jwk): string {
  let t = thumbprints.get(jwk)
  if (t === undefined) thumbprints.set(jwk, (t = thumbprint(jwk)))
  return t
}

/** RFC 9449 §4.2 ath: base64url(SHA-256(ASCII(token))) (the Node backend uses the one-shot hash where Node has it, 20.12+). */
export function accessTokenHash(token: string): string {
  return digestBase64url('sha256', token)
}

/** The URL up to its query or fragment. */
function withoutQuery(url: string): string {
  const q = url.indexOf('?')
  const h = url.indexOf('#')
  const end = q === -1 ? h : h === -1 ? q : Math.min(q, h)
  return end === -1 ? url : url.slice(0, end)
}
/** The replay cache of policies that name none: one per process (keys are per jkt and jti). */
const processReplayCache = createMemoryReplayCache()

/** The replay cache of a policy: its own, or the process-wide memory cache. */
export function replayCacheFor(options: DpopOptions): ReplayCache {
  return options.replayCache ?? processReplayCache
}

/** Why a proof's JWT layer failed, as fixed text (never the proof's content). */
function jwtFailure(error: JwkitError): JwkitError {
  switch (error.code) {
    case 'ERR_JWS_SIGNATURE_INVALID': return invalid('DPoP proof signature does not verify with its jwk', error)
    case 'ERR_ALG_NOT_ALLOWED': case 'ERR_ALG_NONE': return invalid('DPoP proof alg is not an accepted asymmetric algorithm', error)
    case 'ERR_JWKS_NO_MATCHING_KEY': return invalid('DPoP proof header has no jwk', error)
    case 'ERR_JWK_PRIVATE_MEMBER': case 'ERR_JWK_NO_PUBLIC_FORM': return invalid('DPoP proof jwk must be a public key', error)
    case 'ERR_JWT_CLAIM_INVALID': if (error.path === '/typ') return invalid('DPoP proof typ must be dpop+jwt', error); break
    case 'ERR_JWT_NOT_YET_VALID': return invalid('DPoP proof iat is in the future', error)
    case 'ERR_JWT_EXPIRED': return invalid('DPoP proof is expired', error)
    default: break
  }
  if (error.code.startsWith('ERR_JWK')) return invalid('DPoP proof jwk is not a valid public key', error)
  return invalid('DPoP proof is not a well-formed JWT', error)
}

/** Verifies a DPoP proof for a request; throws a `JwkitError` (ERR_DPOP_*) naming the failed check. */
export async function verifyDpopProof(proof: string, options: VerifyDpopProofOptions): Promise<VerifiedDpopProof> {
  options = ownOptions(options, 'verifyDpopProof: options') // own properties only (a polluted Object.prototype changes nothing)
  const algorithms = options.algorithms ?? DEFAULT_DPOP_ALGORITHMS
  if (typeof proof !== 'string' || proof.length === 0) throw invalid('DPoP proof is missing')
  if (proof.length > MAX_PROOF_LENGTH) throw invalid(`DPoP proof is longer than ${MAX_PROOF_LENGTH} characters`)
  let source = sources.get(algorithms)
  if (source === undefined) sources.set(algorithms, (source = embeddedKeys(algorithms)))
  const now = options.currentDate?.getTime() ?? Date.now()
  const tolerance = parseDuration(options.clockTolerance ?? 5, 'dpop.clockTolerance')
  const maxAge = parseDuration(options.maxAge ?? 300, 'dpop.maxAge')
  let verified
  try {
    verified = await verifyJwt(proof, source, { algorithms, typ: 'dpop+jwt', clockTolerance: tolerance, currentDate: new Date(now), maxBytes: MAX_PROOF_LENGTH })
  } catch (error) {
    if (isJwkitError(error)) throw jwtFailure(error)
    throw error
  }
  const { claims, protectedHeader, key } = verified
  // RFC 9449 §4.3 step 4: typ exactly (media-type rules allow case and the application/ prefix).
  // RFC 9449 §4.2: jti, htm, htu, iat are required.
  // The proof's own claims only: a polluted Object.prototype.jti must not stand in for a missing one.
  const c = ownSnapshot(claims) as JwtClaims
  const { jti, htm, htu, iat } = c
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > MAX_JTI_LENGTH) throw invalid('DPoP proof jti is missing or not a string of at most 256 characters')
  if (typeof htm !== 'string') throw invalid('DPoP proof htm is missing')
  if (typeof htu !== 'string') throw invalid('DPoP proof htu is missing')
  if (typeof iat !== 'number') throw invalid('DPoP proof iat is missing')
  // Step 8: the method, case-sensitively (RFC 9110 §9.1).
  if (htm !== options.method) throw invalid('DPoP proof htm does not match the request method')
  // Step 9: the URI without query and fragment, normalized (RFC 3986 §6.2.2, §6.2.3). Equal
  // text needs no normalizing; other text is compared in normal form.
  if (htu !== withoutQuery(options.url) || !/^https?:\/\//.test(htu)) {
    const expected = normalizeHtu(options.url)
    if (expected === undefined || normalizeHtu(htu) !== expected) throw invalid('DPoP proof htu does not match the request URL')
  }
  // Step 11: the creation time within the window.
  const ageSeconds = now / 1000 - iat
  if (ageSeconds > maxAge + tolerance) throw invalid('DPoP proof iat is older than the accepted window')
  // Step 12: ath binds the proof to the access token.
  if (options.accessToken !== undefined) {
    if (typeof c.ath !== 'string') throw invalid('DPoP proof ath is missing')
    if (c.ath !== accessTokenHash(options.accessToken)) throw invalid('DPoP proof ath does not match the access token')
  }
  // Step 10: a current server nonce.
  let nextNonce: string | undefined
  if (options.nonces !== undefined) {
    const nonce = c.nonce
    if (typeof nonce !== 'string' || !options.nonces.check(nonce)) {
      throw new JwkitError('ERR_DPOP_NONCE_REQUIRED', 'Resource server requires nonce in DPoP proof')
    }
    const current = options.nonces.current()
    if (current !== nonce) nextNonce = current
  }
  const jkt = thumbprintOf(key)
  // RFC 9449 §11.1: one use per jti (per key) within the window; claimed only once all else holds.
  // The key is the thumbprint (43 characters) and the jti (at most 256): bounded, no hashing needed.
  const replayKey = jkt + '.' + jti
  let first: boolean
  try {
    first = await replayCacheFor(options).claim(replayKey, Math.ceil((maxAge + 2 * tolerance) * 1000))
  } catch (error) {
    if (isJwkitError(error) && error.code === 'ERR_REPLAY_CACHE_UNAVAILABLE') throw error
    throw fail('ERR_REPLAY_CACHE_UNAVAILABLE', 'the DPoP replay cache failed, so the proof cannot be checked for replay', error)
  }
  if (!first) throw fail('ERR_DPOP_PROOF_REPLAYED', 'DPoP proof jti was already used')
  const result: VerifiedDpopProof = { jkt, jwk: key, claims, protectedHeader }
  if (nextNonce !== undefined) result.nextNonce = nextNonce
  return result
}
