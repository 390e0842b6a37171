/**
 * @module jwks/url-policy
 * Which URLs jwkit fetches a JWK Set or a discovery document from (RFC 8414 §2 and OpenID Connect
 * Discovery 1.0 §3 require `https` for `issuer` and `jwks_uri`; RFC 8725 §3.10 asks that key URLs
 * never come from the token). `https:` only; plain `http:` for loopback hosts (127.0.0.0/8, ::1,
 * `localhost`) or when the caller sets `insecureAllowHttp`. No user-info, no other schemes.
 */
import { JwkitError } from '../errors.ts'

export interface UrlPolicyOptions {
  /** Allows plain `http:` to any host. Off by default: keys fetched over http can be swapped in transit. */
  insecureAllowHttp?: boolean
}

/** True for a loopback host name as the WHATWG URL parser writes it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase()
  if (host === 'localhost' || host.endsWith('.localhost')) return true // RFC 6761 §6.3
  if (host === '[::1]') return true
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host)
  if (v4) return v4[1] === '127' // RFC 1122 §3.2.1.3: 127.0.0.0/8 is loopback
  // IPv4-mapped IPv6 loopback, e.g. [::ffff:7f00:1]
  const mapped = /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.exec(host)
  return mapped !== null
}

/**
 * Parses and checks a fetch URL. Throws `ERR_JWKS_URL_NOT_ALLOWED` for a scheme other than
 * https (or http as allowed above), a URL with user-info, or text that is not a URL.
 * The fragment is dropped (it is never sent).
 */
export function checkFetchUrl(input: string | URL, what: string, options: UrlPolicyOptions = {}): URL {
  let url: URL
  try {
    url = new URL(typeof input === 'string' ? input : input.href)
  } catch {
    throw new JwkitError('ERR_JWKS_URL_NOT_ALLOWED', `${what} is not an absolute URL`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new JwkitError('ERR_JWKS_URL_NOT_ALLOWED', `${what} uses the scheme "${url.protocol.slice(0, -1).slice(0, 20)}", only https is allowed`)
  }
  if (url.protocol === 'http:' && options.insecureAllowHttp !== true && !isLoopbackHost(url.hostname)) {
    throw new JwkitError(
      'ERR_JWKS_URL_NOT_ALLOWED',
      `${what} uses plain http to a non-loopback host; use https (or insecureAllowHttp)`,
      { detail: { host: url.hostname } },
    )
  }
  if (url.username !== '' || url.password !== '') {
    // Credentials in a URL end up in logs; send them with the `headers` option instead.
    throw new JwkitError('ERR_JWKS_URL_NOT_ALLOWED', `${what} carries user-info (credentials) in the URL`)
  }
  url.hash = ''
  return url
}
