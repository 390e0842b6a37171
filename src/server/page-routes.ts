/**
 * @module server/page-routes
 * The page routes of the key server, as core routes (request in, response out; no socket):
 * `GET /` the workbench, `GET /dashboard` the key dashboard, `GET /assets/*` their content-hashed
 * scripts and styles. Every answer comes from memory (server/page-assets) with a strong ETag and
 * `If-None-Match` → 304 (RFC 9110 §13.1.2, §15.4.5). The documents carry a strict
 * Content-Security-Policy (W3C CSP Level 3: `default-src 'self'`, no inline script, no third-party
 * origin), `Referrer-Policy: no-referrer`, and refuse framing (`frame-ancestors 'none'`).
 */
import { ifNoneMatchMatches } from './jwks-response.ts'
import type { CoreRequest, CoreResponse, CoreRoute } from './core.ts'
import type { PageAssets } from './page-assets.ts'

/** The documents by path; a static host serves the same files by their names. */
const DOCUMENTS: ReadonlyMap<string, { file: string; label: string; connect: string }> = new Map([
  // The workbench may fetch a JWKS URL or an issuer's metadata the user names (CORS), nothing else.
  ['/', { file: 'index.html', label: '/', connect: "'self' https: http://localhost:* http://127.0.0.1:*" }],
  ['/index.html', { file: 'index.html', label: '/', connect: "'self' https: http://localhost:* http://127.0.0.1:*" }],
  ['/dashboard', { file: 'dashboard.html', label: '/dashboard', connect: "'self'" }],
  ['/dashboard.html', { file: 'dashboard.html', label: '/dashboard', connect: "'self'" }],
])
const ASSETS_PREFIX = '/assets/'
const ASSETS_LABEL = '/assets/*'
const METHODS = 'GET, HEAD'

/** The Content-Security-Policy of a document; `connect` is its connect-src. */
export function contentSecurityPolicy(connect: string): string {
  return [
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", `connect-src ${connect}`,
    "object-src 'none'", "base-uri 'none'", "form-action 'none'", "frame-ancestors 'none'",
  ].join('; ')
}

const COMMON = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const

function notFound(label: string, message: string): CoreResponse {
  const body = new TextEncoder().encode(JSON.stringify({ error: { code: 'ERR_HTTP_NOT_FOUND', message } }))
  return { status: 404, label, body, headers: { ...COMMON, 'Content-Type': 'application/json', 'Content-Length': String(body.byteLength), 'Cache-Control': 'no-store' } }
}

/** True for a path the page routes own (whether or not the page is built). */
export function isPagePath(path: string): boolean {
  return DOCUMENTS.has(path) || path.startsWith(ASSETS_PREFIX)
}

/**
 * The page routes over built assets (`undefined`: not built, so the documents answer 404 saying
 * how to build them). Returns undefined for any path that is not a page path.
 */
export function createPageRoutes(assets: PageAssets | undefined): CoreRoute {
  return (request: CoreRequest): CoreResponse | undefined => {
    const { path } = request
    const document = DOCUMENTS.get(path)
    let label: string
    let file: string
    if (document !== undefined) {
      label = document.label
      file = document.file
    } else if (path.startsWith(ASSETS_PREFIX)) {
      label = ASSETS_LABEL
      file = path.slice(1)
    } else {
      return undefined
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      const body = new TextEncoder().encode(JSON.stringify({ error: { code: 'ERR_HTTP_METHOD_NOT_ALLOWED', message: `method ${request.method.slice(0, 16)} is not allowed here` } }))
      return { status: 405, label, body, headers: { ...COMMON, Allow: METHODS, 'Content-Type': 'application/json', 'Content-Length': String(body.byteLength), 'Cache-Control': 'no-store' } }
    }
    if (assets === undefined) return notFound(label, 'the page is not built: run npm run build:web')
    const asset = assets.get(file)
    if (asset === undefined) return notFound(label, 'no such asset')
    const headers: Record<string, string> = {
      ...COMMON,
      'Content-Type': asset.type,
      'Cache-Control': asset.cacheControl,
      ETag: asset.etag,
    }
    if (document !== undefined) {
      headers['Content-Security-Policy'] = contentSecurityPolicy(document.connect)
      headers['X-Frame-Options'] = 'DENY'
      headers['Cross-Origin-Opener-Policy'] = 'same-origin'
    }
    if (ifNoneMatchMatches(request.header('if-none-match'), asset.etag)) {
      return { status: 304, label, headers }
    }
    return { status: 200, label, headers: { ...headers, 'Content-Length': String(asset.body.byteLength) }, body: asset.body }
  }
}
