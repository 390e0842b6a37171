/**
 * @module server/create-jwks-server
 * `createJwksServer(manager, options)`: a `node:http` server over a {@link KeyManager}. The hot
 * route, `GET /.well-known/jwks.json` (RFC 7517 §5), answers from bytes and an ETag precomputed at
 * each change of the published set (`manager.onChange`), so a request never reads the store and a
 * store outage never stops publication. Discovery (OIDC Discovery 1.0, RFC 8414), health,
 * readiness, Prometheus metrics and the bearer-protected admin API share the same dispatcher.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { isJwkitError, JwkitError } from '../errors.ts'
import type { KeyManager } from '../store/types.ts'
import { adminActions, createAdminAuth, parseObjectBody, readBody, type AdminAuth } from './admin.ts'
import { checkIssuer, createDiscoveryDocument } from './discovery.ts'
import { sendError, toHttpError } from './http-errors.ts'
import { jwksMaxAgeSeconds } from './jwks-response.ts'
import { createJwksRoute } from './jwks-route.ts'
import { silentLogger, type Logger } from './logger.ts'
import { createServerMetrics, METRICS_CONTENT_TYPE, type ServerMetrics } from './metrics.ts'
import { loadPageAssets, type PageAssets } from './page-assets.ts'
import { sendCoreResponse, toCoreRequest } from './page-core.ts'
import { createPageRoutes } from './page-routes.ts'
import { ADMIN_UNRESOLVED, isAdminPath, JWKS_PATH, resolveRoute, UNMATCHED, type ResolvedRoute } from './routes.ts'
import { ownOptions } from '../util/dict.ts'

export interface CreateJwksServerOptions {
  /** The issuer identifier; default `http://localhost:<port>` once the server listens. */
  issuer?: string
  /** Enables the admin API (bearer token, at least 16 characters). Without it `/admin/*` is 404. */
  adminToken?: string
  logger?: Logger
  /** Largest request body accepted (default 64 KiB); larger → 413. */
  maxBodyBytes?: number
  /** Whole-request receive limit (default 10 s); slower clients get 408 and are disconnected. */
  requestTimeoutMs?: number
  /** Header receive limit (default 5 s, never above requestTimeoutMs). */
  headersTimeoutMs?: number
  /** Idle keep-alive limit (default 5 s). */
  keepAliveTimeoutMs?: number
  /** Upper bound of the announced JWKS `max-age`, in seconds (it never exceeds half of `policy.prepublish`). */
  cacheMaxAgeSeconds?: number
  /** Returns a number in [0, 1) per JWKS response; takes up to 20 % off max-age (default Math.random). */
  jitter?: () => number
  metrics?: ServerMetrics
  /** Extra members for the discovery documents (e.g. endpoints of the OP this server publishes keys for). */
  discoveryMetadata?: Record<string, unknown>
  /** The workbench (/) and dashboard (/dashboard): default the built page (dist/web) when present; false: none. */
  page?: PageAssets | false
}

const SECURITY = { 'X-Content-Type-Options': 'nosniff' } as const
const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Expose-Headers': 'ETag' } as const

function sendBytes(res: ServerResponse, status: number, body: Buffer, type: string, headers: Record<string, string>, head: boolean): number {
  res.writeHead(status, { ...SECURITY, 'Content-Type': type, 'Content-Length': String(body.byteLength), ...headers })
  res.end(head ? undefined : body)
  return status
}

function sendJson(res: ServerResponse, status: number, value: unknown, headers: Record<string, string>, head = false): number {
  return sendBytes(res, status, Buffer.from(JSON.stringify(value)), 'application/json', headers, head)
}

/** True when a request failed because its connection is gone (client abort, 408 cut), not by a server fault. */
function isClientAbort(req: IncomingMessage, res: ServerResponse, error: unknown): boolean {
  if (isJwkitError(error)) return false
  const code = (error as { code?: unknown } | null)?.code
  return ((code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE') && !req.complete) || res.destroyed || req.socket?.destroyed === true
}

function abortReason(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' ? code.slice(0, 40) : 'connection closed'
}

/** Creates the key server (not yet listening). The manager must have been `init()`ed. */
export function createJwksServer(manager: KeyManager, options: CreateJwksServerOptions = {}): Server {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const logger = options.logger ?? silentLogger
  const metrics = options.metrics ?? createServerMetrics()
  const jitter = options.jitter ?? Math.random
  const maxBodyBytes = options.maxBodyBytes ?? 64 * 1024
  const requestTimeout = options.requestTimeoutMs ?? 10_000
  const admin: AdminAuth | undefined = options.adminToken === undefined ? undefined : createAdminAuth(options.adminToken)
  let issuer = options.issuer === undefined ? undefined : checkIssuer(options.issuer)
  const maxAge = jwksMaxAgeSeconds(manager.policy, options.cacheMaxAgeSeconds)
  let discovery: Buffer | undefined
  const buildDiscovery = () => {
    if (issuer !== undefined) discovery = createDiscoveryDocument(issuer, manager.policy.algorithms, options.discoveryMetadata)
  }
  buildDiscovery()

  const jwksRoute = createJwksRoute(manager, { maxAge, jitter, logger, metrics })
  const serveJwks = jwksRoute.serve
  const pages = options.page === false ? undefined : createPageRoutes(options.page ?? loadPageAssets())

  let server: Server

  const dispatch = async (req: IncomingMessage, res: ServerResponse, path: string): Promise<[string, number]> => {
    const method = req.method ?? 'GET'
    const head = method === 'HEAD'
    const adminPath = isAdminPath(path)
    if (adminPath && admin === undefined) {
      return [UNMATCHED, sendError(res, new JwkitError('ERR_HTTP_NOT_FOUND', 'no such route'))]
    }
    const resolved: ResolvedRoute | undefined | null = resolveRoute(path)
    if (adminPath && !admin!.check(req.headers.authorization)) {
      // RFC 6750 §3: the challenge; nothing is said about whether the route or the kid exists.
      const given = req.headers.authorization !== undefined
      const challenge = given ? 'Bearer realm="jwkit-admin", error="invalid_token"' : 'Bearer realm="jwkit-admin"'
      const label = resolved ? resolved.route.template : ADMIN_UNRESOLVED
      return [label, sendError(res, new JwkitError('ERR_HTTP_UNAUTHORIZED', 'missing or wrong bearer token'), { 'WWW-Authenticate': challenge })]
    }
    if (resolved === null) {
      return [UNMATCHED, sendError(res, new JwkitError('ERR_HTTP_BAD_REQUEST', 'kid path segment is not valid percent-encoding or is over 256 characters'))]
    }
    if (resolved === undefined) {
      return [UNMATCHED, sendError(res, new JwkitError('ERR_HTTP_NOT_FOUND', 'no such route'), {}, head)]
    }
    const { route } = resolved
    const label = route.template
    if (!route.methods.includes(method)) {
      // RFC 9110 §15.5.6: a 405 lists the allowed methods.
      return [label, sendError(res, new JwkitError('ERR_HTTP_METHOD_NOT_ALLOWED', `method ${method.slice(0, 16)} is not allowed here`), { Allow: route.methods.join(', ') }, head)]
    }
    const adminHeaders = { 'Cache-Control': 'no-store' } // RFC 9111 §5.2.2.5
    if (method === 'OPTIONS') {
      // CORS preflight (Fetch standard): public read-only routes only.
      res.writeHead(204, {
        ...SECURITY, ...CORS,
        Allow: route.methods.join(', '),
        'Access-Control-Allow-Methods': 'GET, HEAD, OPTIONS',
        'Access-Control-Allow-Headers': 'Accept, If-None-Match, Cache-Control',
        'Access-Control-Max-Age': '86400',
      })
      res.end()
      return [label, 204]
    }
    switch (route.name) {
      case 'jwks':
        return [label, serveJwks(req, res, head)]
      case 'discovery':
        if (discovery === undefined) throw new JwkitError('ERR_HTTP_NOT_FOUND', 'issuer not known yet')
        return [label, sendBytes(res, 200, discovery, 'application/json', { ...CORS, 'Cache-Control': `public, max-age=${maxAge}` }, head)]
      case 'healthz':
        return [label, sendJson(res, 200, { status: 'ok' }, { 'Cache-Control': 'no-store' }, head)]
      case 'readyz': {
        const reachable = manager.status().storeReachable
        if (!server.listening) return [label, sendJson(res, 503, { status: 'stopping' }, { 'Cache-Control': 'no-store' }, head)]
        // Degraded: the last-known set is served and the held active key signs; not a failure of publication.
        return reachable
          ? [label, sendJson(res, 200, { status: 'ready', store: 'reachable' }, { 'Cache-Control': 'no-store' }, head)]
          : [label, sendJson(res, 503, { status: 'degraded', store: 'unreachable' }, { 'Cache-Control': 'no-store' }, head)]
      }
      case 'metrics':
        return [label, sendBytes(res, 200, Buffer.from(metrics.render(manager)), METRICS_CONTENT_TYPE, { 'Cache-Control': 'no-store' }, head)]
      case 'admin.keys':
        return [label, sendJson(res, 200, adminActions.list(manager), adminHeaders, head)]
      case 'admin.rotate': {
        const body = parseObjectBody(await readBody(req, maxBodyBytes), maxBodyBytes)
        const result = await adminActions.rotate(manager, body)
        const forced = result.rotations.filter((r) => r.outcome === 'forced')
        if (forced.length > 0) {
          logger.warn('forced rotation by admin request: keys sign before their prepublish time; verifiers holding a cached JWK Set refuse their tokens until they refetch', { rotations: forced })
        }
        if (body.add === true) {
          buildDiscovery() // id_token_signing_alg_values_supported follows the policy's algorithms
          logger.warn('algorithm added by admin request: every other instance on this store must list it in --alg (JWKIT_ALG), or its tick retires these keys', { alg: body.alg })
        }
        logger.info('rotation by admin request', { rotations: result.rotations })
        return [label, sendJson(res, 200, result, adminHeaders)]
      }
      case 'admin.retire':
      case 'admin.revoke': {
        await readBody(req, maxBodyBytes)
        const action = route.name === 'admin.retire' ? 'retire' : 'revoke'
        const result = await adminActions[action](manager, resolved.kid!)
        logger.info(`key ${action}d by admin request`, { kid: resolved.kid })
        return [label, sendJson(res, 200, result, adminHeaders)]
      }
      case 'admin.sign': {
        const body = parseObjectBody(await readBody(req, maxBodyBytes), maxBodyBytes)
        return [label, sendJson(res, 200, await adminActions.sign(manager, body, issuer), adminHeaders)]
      }
    }
  }

  const countJwks = metrics.routeCounter(JWKS_PATH)
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const path = q === -1 ? url : url.slice(0, q)
    const method = req.method
    if (path === JWKS_PATH && (method === 'GET' || method === 'HEAD')) {
      countJwks(serveJwks(req, res, method === 'HEAD'))
      return
    }
    const page = pages?.(toCoreRequest(req, path))
    if (page !== undefined) return metrics.count(page.label, sendCoreResponse(res, page, method === 'HEAD'))
    dispatch(req, res, path).then(
      ([label, status]) => metrics.count(label, status),
      (error: unknown) => {
        const resolvedRoute = resolveRoute(path)
        const routeLabel = resolvedRoute ? resolvedRoute.route.template : UNMATCHED
        if (isClientAbort(req, res, error)) {
          // The client went away (or Node answered 408 and cut it): not a server failure.
          metrics.countAborted(routeLabel)
          logger.debug('request aborted before an answer', { path: path.slice(0, 256), reason: abortReason(error) })
          if (!res.writableEnded) res.destroy()
          return
        }
        const safe = toHttpError(error)
        if (safe.code === 'ERR_HTTP_INTERNAL') logger.error('request failed', { path: path.slice(0, 256), error })
        else if (safe.code === 'ERR_STORE_UNAVAILABLE') logger.warn('store unavailable during request', { error: safe })
        const headers: Record<string, string> = isAdminPath(path) ? { 'Cache-Control': 'no-store' } : {}
        if (safe.code === 'ERR_HTTP_BODY_TOO_LARGE') headers.Connection = 'close'
        const status = sendError(res, safe, headers)
        metrics.count(routeLabel, status)
      },
    )
  }

  server = createServer({
    requestTimeout,
    headersTimeout: Math.min(options.headersTimeoutMs ?? 5_000, requestTimeout),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // How often Node checks the two timeouts above (default 30 s would let slow clients linger).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestTimeout / 4))),
  }, handler)
  server.on('listening', () => {
    if (issuer === undefined) {
      const address = server.address()
      if (address !== null && typeof address === 'object') {
        issuer = `http://localhost:${address.port}`
        buildDiscovery()
      }
    }
  })
  server.on('close', jwksRoute.close)
  return server
}
