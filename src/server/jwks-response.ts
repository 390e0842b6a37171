/**
 * @module server/jwks-response
 * The bytes of `/.well-known/jwks.json` (RFC 7517 §5), built once per change of the published set
 * and never per request: the serialised set, its strong ETag (RFC 9110 §8.8.3, a hash of the
 * bytes), and the helpers the route needs for conditional requests (RFC 9110 §13.1.2) and
 * content negotiation (RFC 9110 §12.5.1, `application/jwk-set+json` per RFC 7517 §8.5.1).
 */
import { createHash } from 'node:crypto'
import type { JwkSet } from '../jwk/types.ts'
import type { RotationPolicy } from '../store/types.ts'

/** Private members of RFC 7518 §6.2.2 (EC), §6.3.2 (RSA), §6.4.1 (oct), RFC 8037 §2 (OKP) and the AKP draft. */
export const PRIVATE_MEMBERS: ReadonlySet<string> = new Set(['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k', 'priv'])

export interface JwksSnapshot {
  readonly body: Buffer
  /** Strong entity tag, quoted: `"<base64url sha-256 of body>"`. */
  readonly etag: string
  readonly kids: readonly string[]
  /** How many private members were found and dropped (must stay 0; logged when not). */
  readonly dropped: number
}

/**
 * Serialises a public set. A private member reaching this point is a bug upstream: it is dropped
 * (and counted) rather than published, and an `oct` key (no public form) is left out entirely.
 */
export function createJwksSnapshot(jwks: JwkSet): JwksSnapshot {
  let dropped = 0
  const keys: Record<string, unknown>[] = []
  for (const key of jwks.keys) {
    if (key.kty === 'oct') {
      dropped++
      continue
    }
    const copy: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(key)) {
      if (PRIVATE_MEMBERS.has(name)) dropped++
      else copy[name] = value
    }
    keys.push(copy)
  }
  const body = Buffer.from(JSON.stringify({ keys }))
  const etag = `"${createHash('sha256').update(body).digest('base64url')}"`
  const kids = keys.map((k) => (typeof k.kid === 'string' ? k.kid : ''))
  return { body, etag, kids, dropped }
}

/**
 * The `max-age` (seconds) announced for the set: the policy's `jwksMaxAge`, never more than half
 * the pre-publication window (so a client that cached the set before a new key was published
 * refetches at least once before that key signs), optionally capped further.
 */
export function jwksMaxAgeSeconds(policy: RotationPolicy, capSeconds?: number): number {
  let ms = Math.min(policy.jwksMaxAge, policy.prepublish / 2)
  if (capSeconds !== undefined) ms = Math.min(ms, capSeconds * 1000)
  return Math.max(0, Math.floor(ms / 1000))
}

/** Fraction of max-age that jitter may take off (served values lie in (0.8·N, N]). */
export const MAX_AGE_JITTER = 0.2

/** A jittered max-age: never above `maxAge`, never below 80 % of it. `jitter()` returns [0, 1). */
export function jitteredMaxAge(maxAge: number, jitter: () => number): number {
  const r = jitter()
  const f = r >= 0 && r < 1 ? r : 0
  return maxAge - Math.floor(maxAge * MAX_AGE_JITTER * f)
}

/**
 * RFC 9110 §13.1.2: If-None-Match uses the weak comparison, so `W/"x"` matches `"x"`; the field
 * is a list, and `*` matches any current representation.
 */
export function ifNoneMatchMatches(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  const value = header.trim()
  if (value === '*') return true
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag
  // entity-tag = [ "W/" ] DQUOTE *etagc DQUOTE; etagc excludes DQUOTE, so commas only split inside lists.
  for (const match of value.matchAll(/(W\/)?"([^"]*)"/g)) {
    if (`"${match[2]}"` === opaque) return true
  }
  return false
}

export const JWK_SET_MEDIA_TYPE = 'application/jwk-set+json'

/**
 * Content negotiation (RFC 9110 §12.5.1): `application/jwk-set+json` when the Accept field names
 * it with a q-value above zero and at least that of `application/json`; `application/json`
 * otherwise (including no Accept, `*\/*`, or only types we do not produce — we answer anyway).
 */
export function negotiateJwksType(accept: string | undefined): string {
  if (accept === undefined || !/jwk-set/i.test(accept)) return 'application/json'
  let jwkSetQ = -1
  let jsonQ = -1
  for (const part of accept.split(',')) {
    const [rawType, ...params] = part.split(';')
    const type = rawType!.trim().toLowerCase()
    let q = 1
    for (const p of params) {
      const [k, v] = p.split('=')
      if (k?.trim().toLowerCase() === 'q' && v !== undefined) {
        const n = Number(v.trim())
        q = Number.isFinite(n) ? n : 0
      }
    }
    if (type === JWK_SET_MEDIA_TYPE) jwkSetQ = Math.max(jwkSetQ, q)
    else if (type === 'application/json') jsonQ = Math.max(jsonQ, q)
  }
  return jwkSetQ > 0 && jwkSetQ >= jsonQ ? JWK_SET_MEDIA_TYPE : 'application/json'
}
