/**
 * @module server/http-errors
 * Maps failures to HTTP answers: a {@link JwkitError}'s code gives the status through
 * `ERROR_CODES[code].http`; the body is `{ "error": { "code", "message" } }` (RFC 8259 JSON),
 * never a stack trace. Anything that is not a JwkitError is answered as `ERR_HTTP_INTERNAL` (500)
 * with a fixed message; its details go to the log only.
 */
import type { ServerResponse } from 'node:http'
import { ERROR_CODES, isJwkitError, JwkitError, type ErrorCode } from '../errors.ts'

/** The HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].http
}

/** Normalises any thrown value to a JwkitError that is safe to show a client. */
export function toHttpError(error: unknown): JwkitError {
  if (isJwkitError(error)) return error
  return new JwkitError('ERR_HTTP_INTERNAL', 'internal error')
}

/** The JSON body of an error answer. Only code and message: no path into key material, no stack. */
export function errorBody(error: JwkitError): Buffer {
  return Buffer.from(JSON.stringify({ error: { code: error.code, message: error.message } }))
}

/** Writes an error answer (headers given are added, e.g. `Allow` for 405, `WWW-Authenticate` for 401). */
export function sendError(
  res: ServerResponse,
  error: JwkitError,
  headers: Record<string, string> = {},
  head = false,
): number {
  const status = httpStatusOf(error.code)
  const body = errorBody(error)
  if (res.headersSent) {
    res.destroy()
    return status
  }
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(body.byteLength),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  })
  res.end(head ? undefined : body)
  return status
}
