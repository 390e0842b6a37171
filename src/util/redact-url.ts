/**
 * @module util/redact-url
 * The one home of URL redaction: every URL that goes into a log line, an error message or a
 * status answer goes through `redactUrl` first. A URL may carry a secret in its user-info
 * (RFC 3986 §3.2.1, deprecated but used by `postgres://user:password@host`) or in its query
 * (libpq's `?password=` and `?sslpassword=`, tokens and keys by other names). The user name and
 * the rest stay, so the message still says which store or server was meant.
 */

/** Query parameters whose value is a secret (compared case-insensitively). */
const SECRET_PARAMS = new Set([
  'password', 'pass', 'passwd', 'pwd', 'sslpassword', 'passphrase', 'secret', 'client_secret',
  'token', 'access_token', 'refresh_token', 'id_token', 'api_key', 'apikey', 'key', 'kek', 'sslkey', 'auth', 'authorization', 'signature', 'sig',
])

const MASK = '***'

/** The URL with its password and secret query values replaced by `***`; unparseable input keeps its scheme only. */
export function redactUrl(url: string | URL): string {
  let u: URL
  try {
    u = new URL(String(url))
  } catch {
    const scheme = /^([a-z][a-z0-9+.-]{0,20}):/i.exec(String(url))
    return scheme ? `${scheme[1]}:…` : '…'
  }
  if (u.password !== '') u.password = MASK
  for (const name of [...new Set(u.searchParams.keys())]) {
    if (SECRET_PARAMS.has(name.toLowerCase())) u.searchParams.set(name, MASK)
  }
  // A fragment may carry an OAuth implicit-flow token (RFC 6749 §4.2.2).
  if (/(?:^#|&)(?:access_token|id_token|token)=/i.test(u.hash)) u.hash = `#${MASK}`
  return u.toString().replaceAll(encodeURIComponent(MASK), MASK)
}
