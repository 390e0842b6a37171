/**
 * @module cli/explain
 * What the `jwk` command adds to a library error's message from its structured `detail`, so a
 * user can act on it: why a fetch failed (connection refused, host not found, TLS, reset), and
 * the expected and actual issuer of a discovery mismatch. Never key material: `detail` holds
 * none by the rule of src/errors.ts.
 */
import type { JwkitError } from '../errors.ts'

const REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ENOTFOUND: 'host not found (DNS)',
  EAI_AGAIN: 'host not found (DNS lookup failed, try again)',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  UND_ERR_SOCKET: 'the connection was closed',
  CERT_HAS_EXPIRED: 'TLS: the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'TLS: the server certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'TLS: a self-signed certificate in the chain',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'TLS: the server certificate cannot be verified',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'TLS: the certificate issuer is not trusted',
  ERR_TLS_CERT_ALTNAME_INVALID: 'TLS: the certificate does not name this host',
  EPROTO: 'TLS: protocol error (is it plain http on the https port?)',
  ERR_SSL_WRONG_VERSION_NUMBER: 'TLS: protocol error (is it plain http on the https port?)',
}

const quote = (v: unknown) => JSON.stringify(String(v).slice(0, 200))

/** The message, with what `detail` says in words. */
export function explain(error: JwkitError): string {
  const d = error.detail
  if (d === undefined) return error.message
  if (typeof d.reason === 'string') {
    const why = REASONS[d.reason] ?? (d.reason.startsWith('ERR_TLS') || d.reason.includes('CERT') ? `TLS: ${d.reason}` : d.reason)
    return `${error.message}: ${why}${typeof d.host === 'string' ? ` (${d.host})` : ''}`
  }
  if (error.code === 'ERR_DISCOVERY_ISSUER_MISMATCH' && d.expected !== undefined && d.actual !== undefined) {
    return `${error.message}: expected ${quote(d.expected)}, the document says ${quote(d.actual)}`
  }
  return error.message
}
