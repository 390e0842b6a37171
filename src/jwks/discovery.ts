/**
 * @module jwks/discovery
 * Finds an issuer's `jwks_uri`: OpenID Connect Discovery 1.0 §4 (`/.well-known/openid-configuration`
 * appended to the issuer) first, then RFC 8414 §3.1 (`/.well-known/oauth-authorization-server`
 * inserted between host and path). The document's `issuer` must equal the configured issuer
 * exactly (OIDC Discovery §4.3, RFC 8414 §3.3), and `jwks_uri` obeys the same URL policy.
 */
import { JwkitError } from '../errors.ts'
import { isJsonObject, parseJsonStrict } from '../util/json.ts'
import { freshnessOf, type Freshness, type FreshnessPolicy, type CachingHeaders, cachingHeaders } from './http-cache.ts'
import { fetchBounded, type BoundedFetchOptions } from './http-fetch.ts'
import { checkFetchUrl } from './url-policy.ts'
import { ownOptions } from '../util/dict.ts'

export interface DiscoveryResult {
  issuer: string
  jwksUri: URL
  /** The whole metadata document, as parsed. */
  document: Record<string, unknown>
  /** The metadata URL that answered. */
  url: URL
  freshness: Freshness
  caching: CachingHeaders
}

export type DiscoveryFetchOptions = Omit<BoundedFetchOptions, 'accept' | 'what' | 'etag' | 'lastModified'> &
  FreshnessPolicy & { now: () => number }

/**
 * Checks an issuer identifier (RFC 8414 §2: https, no query, no fragment) and returns the two
 * metadata URLs to try, OpenID Connect's first.
 */
export function discoveryUrls(issuer: string, options: { insecureAllowHttp?: boolean } = {}): [URL, URL] {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  if (typeof issuer !== 'string') throw new TypeError('issuer must be a string')
  const url = checkFetchUrl(issuer, 'issuer', options)
  if (url.search !== '' || issuer.includes('#')) {
    throw new JwkitError('ERR_JWKS_URL_NOT_ALLOWED', 'issuer has a query or fragment component (RFC 8414 §2)')
  }
  // OIDC Discovery §4: remove a terminating "/" from the issuer, then append the well-known path.
  const oidc = new URL(url.href.replace(/\/$/, '') + '/.well-known/openid-configuration')
  // RFC 8414 §3.1: drop a terminating "/" of the path, insert the well-known segment before it.
  const path = url.pathname === '/' ? '' : url.pathname.replace(/\/$/, '')
  const oauth = new URL(`${url.origin}/.well-known/oauth-authorization-server${path}`)
  return [oidc, oauth]
}

/** Fetches and checks the issuer's metadata; see the module summary for the rules. */
export async function discover(issuer: string, options: DiscoveryFetchOptions): Promise<DiscoveryResult> {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const [oidc, oauth] = discoveryUrls(issuer, options)
  try {
    return await fetchDocument(issuer, oidc, options)
  } catch (error) {
    // Fall back to RFC 8414 only when the OIDC location is absent (a 4xx), not on outages or bad documents.
    const status = (error as JwkitError).detail?.status
    if (!(error instanceof JwkitError) || error.code !== 'ERR_JWKS_FETCH_FAILED' || typeof status !== 'number' || status < 400 || status > 499) {
      throw error
    }
    return fetchDocument(issuer, oauth, options)
  }
}

async function fetchDocument(issuer: string, url: URL, options: DiscoveryFetchOptions): Promise<DiscoveryResult> {
  const response = await fetchBounded(url, { ...options, accept: 'application/json', what: 'discovery document' })
  const now = options.now()
  const parsed = parseJsonStrict(response.body!, { maxBytes: options.maxResponseBytes, code: 'ERR_DISCOVERY_INVALID', what: 'discovery document' })
  if (!isJsonObject(parsed)) throw new JwkitError('ERR_DISCOVERY_INVALID', 'discovery document is not a JSON object')
  const documentIssuer = parsed['issuer']
  if (typeof documentIssuer !== 'string') {
    throw new JwkitError('ERR_DISCOVERY_INVALID', 'discovery document: member issuer is missing or not a string', { path: '/issuer' })
  }
  // OIDC Discovery §4.3 / RFC 8414 §3.3: exact, code-point equality; no normalisation.
  if (documentIssuer !== issuer) {
    throw new JwkitError('ERR_DISCOVERY_ISSUER_MISMATCH', 'discovery document: member issuer differs from the configured issuer', {
      path: '/issuer',
      detail: { expected: issuer.slice(0, 200), actual: documentIssuer.slice(0, 200) },
    })
  }
  const jwksUri = parsed['jwks_uri']
  if (typeof jwksUri !== 'string' || jwksUri === '') {
    throw new JwkitError('ERR_DISCOVERY_INVALID', 'discovery document: member jwks_uri is missing or not a string', { path: '/jwks_uri' })
  }
  return {
    issuer,
    jwksUri: checkFetchUrl(jwksUri, 'discovery document jwks_uri', options),
    document: parsed,
    url: response.url,
    freshness: freshnessOf(response.headers, now, options),
    caching: cachingHeaders(response.headers),
  }
}
