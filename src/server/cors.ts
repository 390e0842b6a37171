/**
 * @module server/cors
 * Cross-origin reads (Fetch standard, CORS protocol) of the public, read-only routes — the JWK
 * Set and the discovery documents — so that a page on another origin (the workbench's "verify
 * against a JWKS URL / issuer") can fetch them. Any origin, never credentials:
 * `Access-Control-Allow-Origin: *` is the same for every request, so no answer varies by
 * `Origin` and none says `Vary: Origin`. `ETag` is exposed (Cache-Control and Content-Type are
 * CORS-safelisted already). A preflight (`OPTIONS` with `Access-Control-Request-Method`) is
 * answered 204 allowing GET and HEAD. The admin API and the other routes carry none of this: a
 * cross-origin preflight to them is refused (401, 404 or 405, without any `Access-Control-*`).
 */
import type { CoreResponse } from './core.ts'
import { SECURITY_HEADERS } from './core.ts'

/** The CORS fields of every answer of a public read-only route. */
export const CORS_READ: Readonly<Record<string, string>> = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Expose-Headers': 'ETag',
}

/** {@link CORS_READ} as a flat name, value, … list (the hot route's precomputed fields). */
export const CORS_READ_WIRE: readonly string[] = Object.entries(CORS_READ).flat()

/** Methods a cross-origin page may use on those routes. */
export const CORS_METHODS = 'GET, HEAD'
/** Request fields outside the safelist a page may send (revalidation, negotiation). */
export const CORS_REQUEST_HEADERS = 'Accept, Cache-Control, If-None-Match'
/** How long a browser may keep the preflight answer (seconds; browsers cap it lower). */
export const CORS_MAX_AGE = '86400'

/** The 204 answer to `OPTIONS` on a public read-only route (a preflight, or a plain OPTIONS). */
export function preflightResponse(label: string, allow: string): CoreResponse {
  return {
    status: 204,
    label,
    headers: {
      ...SECURITY_HEADERS,
      ...CORS_READ,
      Allow: allow,
      'Access-Control-Allow-Methods': CORS_METHODS,
      'Access-Control-Allow-Headers': CORS_REQUEST_HEADERS,
      'Access-Control-Max-Age': CORS_MAX_AGE,
    },
  }
}
