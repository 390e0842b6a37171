/**
 * @module guard/mtls
 * Certificate-bound access tokens (RFC 8705 §3): the token's `cnf["x5t#S256"]` must equal the
 * base64url SHA-256 of the DER client certificate of the TLS connection the request came on
 * (Node `https` with `requestCert`; the handshake proved possession of its private key, so a
 * self-signed certificate is fine, RFC 8705 §2.2), or of the certificate a trusted TLS-terminating
 * proxy passes in a header you name: RFC 9440 `Client-Cert` (`:base64-DER:`), or URL-encoded PEM
 * (nginx `$ssl_client_escaped_cert`). A header is read only when configured: it is trusted.
 */
import { digestBase64url } from '#backend'
import { decodeBase64 } from '../util/base64url.ts'
import type { ReadRequest } from './request.ts'

/** `mtls` option: `true` reads the socket; an object may name a trusted proxy header instead. */
export type MtlsOptions = boolean | { certificateHeader?: string }

const MAX_CERT_FIELD = 16 * 1024

/** The DER client certificate of the request, or undefined when none came. */
export function clientCertificate(request: ReadRequest, options: MtlsOptions): Uint8Array | undefined {
  const header = typeof options === 'object' ? options.certificateHeader : undefined
  if (header !== undefined) {
    const values = request.values(header.toLowerCase())
    if (values.length !== 1) return undefined
    return certificateFromField(values[0]!)
  }
  const socket = request.socket as { getPeerCertificate?: (detailed?: boolean) => { raw?: unknown } | null } | undefined
  if (typeof socket?.getPeerCertificate !== 'function') return undefined
  const cert = socket.getPeerCertificate(false)
  const raw = cert?.raw
  return raw instanceof Uint8Array && raw.byteLength > 0 ? raw : undefined
}

/** RFC 9440 §2.2 byte sequence (`:…:`), or URL-encoded PEM; undefined for anything else. */
export function certificateFromField(value: string): Uint8Array | undefined {
  const text = value.trim()
  if (text.length === 0 || text.length > MAX_CERT_FIELD) return undefined
  if (text.startsWith(':') && text.endsWith(':') && text.length > 2) return decodeBase64(text.slice(1, -1)) ?? undefined
  let pem: string
  try {
    pem = decodeURIComponent(text)
  } catch {
    return undefined
  }
  const m = /^-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----$/.exec(pem.trim())
  if (m === null) return undefined
  return decodeBase64(m[1]!.replace(/\s+/g, '')) ?? undefined
}

/** RFC 8705 §3.1: the `x5t#S256` of a DER certificate. */
export function certificateThumbprint(der: Uint8Array): string {
  return digestBase64url('sha256', der)
}
