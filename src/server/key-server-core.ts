/**
 * @module server/key-server-core
 * Every route of the key server as one function from a {@link CoreRequest} to a
 * {@link CoreResponse} (server/core), with no socket: the hot JWK Set route (server/jwks-route),
 * the page routes (server/page-routes), discovery (OIDC Discovery 1.0, RFC 8414), health,
 * readiness, Prometheus metrics, the CORS preflight of the public routes (server/cors) and the
 * admin API (server/admin-routes); 404 for unknown paths, 405 with Allow (RFC 9110 §15.5.6), HEAD
 * without a body (RFC 9110 §9.3.2). Each answer is counted by route template and status; a
 * failure becomes its error answer (server/http-errors) and is logged; a request whose client
 * went away ({@link ConnectionGone}) is counted as aborted and rejected, so that nothing is
 * written. createJwksServer is the node:http adapter over it.
 */
import { JwkitError } from '../errors.ts'
import type { KeyManager } from '../store/types.ts'
import { createAdminRoutes } from './admin-routes.ts'
import { bytesResponse, ConnectionGone, jsonResponse, withoutBody, type CoreAnswer, type CoreRequest, type CoreResponse } from './core.ts'
import { CORS_READ, preflightResponse } from './cors.ts'
import { checkIssuer, createDiscoveryDocument } from './discovery.ts'
import { errorResponse, toHttpError } from './http-errors.ts'
import { jwksMaxAgeSeconds } from './jwks-response.ts'
import { createJwksRoute } from './jwks-route.ts'
import { silentLogger, type Logger } from './logger.ts'
import { createServerMetrics, METRICS_CONTENT_TYPE, type ServerMetrics } from './metrics.ts'
import { loadPageAssets, type PageAssets } from './page-assets.ts'
import { createPageRoutes } from './page-routes.ts'
import { isAdminPath, JWKS_PATH, resolveRoute, UNMATCHED, type Route } from './routes.ts'
import { ownOptions } from '../util/dict.ts'

export interface KeyServerCoreOptions {
  /** The issuer identifier; default `http://localhost:<port>` once the server listens. */
  issuer?: string
  /** Enables the admin API (bearer token, at least 16 characters). Without it `/admin/*` is 404. */
  adminToken?: string
  logger?: Logger
  /** Largest request body accepted (default 64 KiB); larger → 413. */
  maxBodyBytes?: number
  /** Upper bound of the announced JWKS `max-age`, in seconds (it never exceeds half of `policy.prepublish`). */
  cacheMaxAgeSeconds?: number
  /** Returns a number in [0, 1) per JWKS response; takes up to 20 % off max-age (default Math.random). */
  jitter?: () => number
  metrics?: ServerMetrics
  /** Extra members for the discovery documents (e.g. endpoints of the OP this server publishes keys for). */
  discoveryMetadata?: Record<string, unknown>
  /** The workbench (/) and dashboard (/dashboard): default the built page (dist/web) when present; false: none. */
  page?: PageAssets | false
  /** False once the server stops accepting (readiness answers 503 "stopping"); default always true. */
  accepting?: () => boolean
}

export interface KeyServerCore {
  /** Answers a request: at once, or later for the routes that read a body. Rejects only with {@link ConnectionGone}. */
  handle(request: CoreRequest): CoreAnswer
  /** Sets the issuer when none was configured (createJwksServer: `http://localhost:<bound port>`). */
  defaultIssuer(issuer: string): void
  /** Stops following the manager's changes. */
  close(): void
}

const NO_STORE = { 'Cache-Control': 'no-store' } as const

export function createKeyServerCore(manager: KeyManager, options: KeyServerCoreOptions = {}): KeyServerCore {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const logger = options.logger ?? silentLogger
  const metrics = options.metrics ?? createServerMetrics()
  const accepting = options.accepting ?? (() => true)
  let issuer = options.issuer === undefined ? undefined : checkIssuer(options.issuer)
  const maxAge = jwksMaxAgeSeconds(manager.policy, options.cacheMaxAgeSeconds)
  let discovery: Uint8Array | undefined
  const buildDiscovery = () => {
    if (issuer !== undefined) discovery = createDiscoveryDocument(issuer, manager.policy.algorithms, options.discoveryMetadata)
  }
  buildDiscovery()

  const jwks = createJwksRoute(manager, { maxAge, jitter: options.jitter ?? Math.random, logger, metrics })
  const pages = options.page === false ? undefined : createPageRoutes(options.page ?? loadPageAssets())
  const admin = createAdminRoutes(manager, options.adminToken, {
    logger,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024,
    issuer: () => issuer,
    algorithmsChanged: buildDiscovery,
  })

  /** The public routes of the table (everything but the JWK Set's GET/HEAD, the page and the admin API). */
  const publicRoute = (route: Route, request: CoreRequest): CoreResponse => {
    const { method } = request
    const label = route.template
    const cors = route.cors ? CORS_READ : undefined
    if (method === 'OPTIONS' && route.cors) return preflightResponse(label, route.methods.join(', '))
    // A public read-only route's refusals are CORS-readable too: a page on another origin sees the status, not a network error.
    if (!route.methods.includes(method)) {
      return errorResponse(new JwkitError('ERR_HTTP_METHOD_NOT_ALLOWED', `method ${method.slice(0, 16)} is not allowed here`), label, { ...cors, Allow: route.methods.join(', ') })
    }
    switch (route.name) {
      case 'discovery':
        if (discovery === undefined) return errorResponse(new JwkitError('ERR_HTTP_NOT_FOUND', 'issuer not known yet'), label, cors)
        return bytesResponse(200, label, discovery, 'application/json', { ...cors, 'Cache-Control': `public, max-age=${maxAge}` })
      case 'healthz':
        return jsonResponse(200, label, { status: 'ok' }, NO_STORE)
      case 'readyz':
        if (!accepting()) return jsonResponse(503, label, { status: 'stopping' }, NO_STORE)
        // Degraded: the last-known set is served and the held active key signs; not a failure of publication.
        return manager.status().storeReachable
          ? jsonResponse(200, label, { status: 'ready', store: 'reachable' }, NO_STORE)
          : jsonResponse(503, label, { status: 'degraded', store: 'unreachable' }, NO_STORE)
      case 'metrics':
        return bytesResponse(200, label, new TextEncoder().encode(metrics.render(manager)), METRICS_CONTENT_TYPE, NO_STORE)
      case 'jwks': // GET and HEAD are answered before the table (the hot path); the same answer
        return jwks.answer(request, method === 'HEAD')
      default: // the admin routes are answered by admin-routes before the table
        throw new JwkitError('ERR_HTTP_NOT_FOUND', 'no such route')
    }
  }

  const labelOf = (path: string): string => {
    const resolved = resolveRoute(path)
    return resolved ? resolved.route.template : UNMATCHED
  }

  const failed = (path: string, error: unknown): CoreResponse => {
    const safe = toHttpError(error)
    if (safe.code === 'ERR_HTTP_INTERNAL') logger.error('request failed', { path: path.slice(0, 256), error })
    else if (safe.code === 'ERR_STORE_UNAVAILABLE') logger.warn('store unavailable during request', { error: safe })
    // 413: the rest of the body is not read, so the connection cannot carry another request.
    return errorResponse(safe, labelOf(path), safe.code === 'ERR_HTTP_BODY_TOO_LARGE' ? { Connection: 'close' } : {})
  }

  const finish = (response: CoreResponse, head: boolean): CoreResponse => {
    metrics.count(response.label, response.status)
    return head ? withoutBody(response) : response
  }

  const countJwks = metrics.routeCounter(JWKS_PATH)

  const handle = (request: CoreRequest): CoreAnswer => {
    const { path, method } = request
    const head = method === 'HEAD'
    if (path === JWKS_PATH && (method === 'GET' || head)) {
      const response = jwks.answer(request, head) // precomputed, HEAD variants included
      countJwks(response.status)
      return response
    }
    let answer: CoreAnswer
    try {
      const page = pages?.(request)
      if (page !== undefined) answer = page
      else if (isAdminPath(path)) answer = admin(request)
      else {
        const resolved = resolveRoute(path)
        answer = resolved ? publicRoute(resolved.route, request) : errorResponse(new JwkitError('ERR_HTTP_NOT_FOUND', 'no such route'), UNMATCHED)
      }
    } catch (error) {
      answer = failed(path, error)
    }
    if (!(answer instanceof Promise)) return finish(answer, head)
    return answer.then(
      (response) => finish(response, head),
      (error: unknown) => {
        if (error instanceof ConnectionGone) {
          // The client went away (or Node answered 408 and cut it): not a server failure.
          metrics.countAborted(labelOf(path))
          logger.debug('request aborted before an answer', { path: path.slice(0, 256), reason: error.reason })
          throw error
        }
        return finish(failed(path, error), head)
      },
    )
  }

  return {
    handle,
    defaultIssuer(value) {
      if (issuer !== undefined) return
      issuer = value
      buildDiscovery()
    },
    close: jwks.close,
  }
}
