/**
 * @module guard/htu
 * The `htu` comparison of RFC 9449 §4.3 step 9: the request's target URI without query and
 * fragment, after syntax-based (RFC 3986 §6.2.2: case of scheme and host, percent-encoding case,
 * unreserved characters decoded, dot segments) and scheme-based (§6.2.3: default port, empty
 * path) normalization. WHATWG URL parsing does all but the percent-encoding steps.
 */

const UNRESERVED = /[A-Za-z0-9\-._~]/

/** The normalized form of an http(s) URI without query and fragment, or undefined if it is not one. */
export function normalizeHtu(uri: string): string | undefined {
  if (typeof uri !== 'string' || uri.length > 8192) return undefined
  let url: URL
  try {
    url = new URL(uri)
  } catch {
    return undefined
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
  if (url.username !== '' || url.password !== '') return undefined
  const path = url.pathname.replace(/%([0-9a-fA-F]{2})/g, (_m, hex: string) => {
    const c = String.fromCharCode(parseInt(hex, 16))
    return UNRESERVED.test(c) ? c : '%' + hex.toUpperCase()
  })
  return `${url.protocol}//${url.host}${path}`
}
