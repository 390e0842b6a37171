/**
 * @module jwks/http-cache
 * Freshness of a fetched JWK Set or discovery document, from RFC 9111 (HTTP Caching):
 * `Cache-Control: max-age` (§5.2.2.1), then `Expires` minus `Date` (§4.2.1, §5.3), less `Age`
 * (§5.1), clamped to `[minTtlMs, maxTtlMs]`. `no-cache` and `no-store` mean "the minimum TTL":
 * a key source revalidates then, it never fetches once per request. No pure-function here reads
 * the clock: `now` is an argument.
 */

/** The Cache-Control directives that matter to a JWK Set client. */
export interface CacheControl {
  /** `max-age` in seconds; `null` when present but invalid (the response is then stale, §4.2.1). */
  maxAge?: number | null
  noCache: boolean
  noStore: boolean
}

/** How long a response stays fresh when it says nothing, and the clamps on what it says. */
export interface FreshnessPolicy {
  /** Lifetime when the response carries no freshness information. */
  cacheMaxAgeMs: number
  /** Lower clamp: even `no-cache`, `max-age=0` or a past `Expires` keep a set this long. */
  minTtlMs: number
  /** Upper clamp: a set is revalidated at least this often, whatever the server says. */
  maxTtlMs: number
}

export type FreshnessSource = 'max-age' | 'expires' | 'no-cache' | 'invalid' | 'default'

export interface Freshness {
  /** The clamped lifetime from now, in milliseconds. */
  ttlMs: number
  /** What the lifetime came from, before clamping. */
  source: FreshnessSource
  /** The lifetime the headers asked for (ms, before clamping); undefined for `default`. */
  requestedMs?: number
}

/** The minimal header view used here (a WHATWG `Headers` fits). */
export interface HeaderView {
  get(name: string): string | null
}

/** The caching-related response headers, as seen (for `jwk fetch` and logs). */
export interface CachingHeaders {
  'cache-control'?: string
  expires?: string
  age?: string
  date?: string
  etag?: string
  'last-modified'?: string
}

const DIRECTIVE = /^\s*([A-Za-z0-9!#$%&'*+.^_`|~-]+)\s*(?:=\s*("(?:[^"\\]|\\.)*"|[^,\s]*))?\s*$/

/** Parses `Cache-Control` (RFC 9111 §5.2). The first occurrence of a directive wins (§4.2.1). */
export function parseCacheControl(value: string | null | undefined): CacheControl {
  const result: CacheControl = { noCache: false, noStore: false }
  if (!value) return result
  for (const part of splitDirectives(value)) {
    const m = DIRECTIVE.exec(part)
    if (!m) continue
    const name = m[1]!.toLowerCase()
    let arg = m[2]
    if (arg !== undefined && arg.startsWith('"')) arg = arg.slice(1, -1).replace(/\\(.)/g, '$1')
    if (name === 'no-store') result.noStore = true
    else if (name === 'no-cache') result.noCache = true // with or without a field list (§5.2.2.4)
    else if (name === 'max-age' && !('maxAge' in result)) {
      // §1.2.2: delta-seconds is 1*DIGIT; anything else is invalid, and §4.2.1 calls it stale.
      result.maxAge = arg !== undefined && /^\d{1,12}$/.test(arg) ? Number(arg) : null
    }
  }
  return result
}

/** Splits on commas outside quoted strings. */
function splitDirectives(value: string): string[] {
  const parts: string[] = []
  let current = ''
  let quoted = false
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!
    if (quoted && c === '\\') {
      current += c + (value[i + 1] ?? '')
      i++
    } else if (c === '"') {
      quoted = !quoted
      current += c
    } else if (c === ',' && !quoted) {
      parts.push(current)
      current = ''
    } else current += c
  }
  parts.push(current)
  return parts.filter((p) => p.trim() !== '')
}

/** Parses an HTTP-date (RFC 9110 §5.6.7); undefined when invalid. */
export function parseHttpDate(value: string | null | undefined): number | undefined {
  if (!value || value.length > 64) return undefined
  // RFC 9110 §5.6.7 formats all name a weekday or month in letters; plain numbers ("0", "-1") are invalid.
  if (!/[A-Za-z]{3}/.test(value)) return undefined
  const t = Date.parse(value)
  return Number.isFinite(t) ? t : undefined
}

/** The freshness lifetime of a response received at `now`, clamped by `policy`. */
export function freshnessOf(headers: HeaderView, now: number, policy: FreshnessPolicy): Freshness {
  const clamp = (ms: number) => Math.min(policy.maxTtlMs, Math.max(policy.minTtlMs, ms))
  const cc = parseCacheControl(headers.get('cache-control'))
  if (cc.noStore || cc.noCache) return { ttlMs: policy.minTtlMs, source: 'no-cache', requestedMs: 0 }
  // §5.1: Age is how long the response already sat in caches on its way here.
  const ageHeader = headers.get('age')
  const ageMs = ageHeader !== null && /^\s*\d{1,12}\s*$/.test(ageHeader) ? Number(ageHeader) * 1000 : 0
  if ('maxAge' in cc) {
    if (cc.maxAge === null || cc.maxAge === undefined) return { ttlMs: policy.minTtlMs, source: 'invalid', requestedMs: 0 }
    const requested = Math.max(0, cc.maxAge * 1000 - ageMs)
    return { ttlMs: clamp(requested), source: 'max-age', requestedMs: requested }
  }
  const expiresHeader = headers.get('expires')
  if (expiresHeader !== null) {
    const expires = parseHttpDate(expiresHeader)
    // §5.3: an invalid Expires (e.g. "0") represents a time in the past: stale.
    if (expires === undefined) return { ttlMs: policy.minTtlMs, source: 'invalid', requestedMs: 0 }
    // §4.2.1: lifetime = Expires - Date, which is immune to skew between our clock and the server's.
    const date = parseHttpDate(headers.get('date')) ?? now
    const requested = Math.max(0, expires - date - ageMs)
    return { ttlMs: clamp(requested), source: 'expires', requestedMs: requested }
  }
  return { ttlMs: clamp(policy.cacheMaxAgeMs), source: 'default' }
}

/** The caching-related headers present on a response. */
export function cachingHeaders(headers: HeaderView): CachingHeaders {
  const out: CachingHeaders = {}
  for (const name of ['cache-control', 'expires', 'age', 'date', 'etag', 'last-modified'] as const) {
    const v = headers.get(name)
    if (v !== null) out[name] = v.length > 512 ? v.slice(0, 512) : v
  }
  return out
}
