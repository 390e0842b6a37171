/**
 * @module server/http-errors
 * Maps failures to HTTP answers: a {@link JwkitError}'s code gives the status through
 * `ERROR_CODES[code].http`; the body is `{ "error": { "code", "message" } }` (RFC 8259 JSON),
 * never a stack trace. Anything that is not a JwkitError is answered as `ERR_HTTP_INTERNAL` (500)
 * with a fixed message; its details go to the log only.
 */
import { ERROR_CODES, isJwkitError, JwkitError, type ErrorCode } from '../errors.ts'
import { jsonResponse, type CoreResponse } from './core.ts'

/** The HTTP status for an error code. */
export function httpStatusOf(code: ErrorCode): number {
  return ERROR_CODES[code].http
}

/** Normalises any thrown value to a JwkitError that is safe to show a client. */
export function toHttpError(error: unknown): JwkitError {
  if (isJwkitError(error)) return error
  return new JwkitError('ERR_HTTP_INTERNAL', 'internal error')
}

/**
 * The error answer (headers given are added, e.g. `Allow` for 405, `WWW-Authenticate` for 401).
 * Only code and message: no path into key material, no stack; `Cache-Control: no-store`.
 */
export function errorResponse(error: JwkitError, label: string, headers: Readonly<Record<string, string>> = {}): CoreResponse {
  return jsonResponse(httpStatusOf(error.code), label, { error: { code: error.code, message: error.message } }, { 'Cache-Control': 'no-store', ...headers })
}
