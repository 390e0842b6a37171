/**
 * @module server/admin-routes
 * The admin API as a core route (request in, response out): without a configured token every
 * `/admin/*` path is 404; otherwise the bearer token is checked first (RFC 6750 §3: 401 with the
 * challenge, saying nothing of whether the route or the kid exists), then the route, its method
 * (405 with Allow, RFC 9110 §15.5.6) and the action of server/admin. Every answer carries
 * `Cache-Control: no-store` (RFC 9111 §5.2.2.5) and no CORS field: a cross-origin preflight
 * (which never carries the token) gets the 401.
 */
import { JwkitError } from '../errors.ts'
import type { KeyManager } from '../store/types.ts'
import { adminActions, createAdminAuth, parseObjectBody } from './admin.ts'
import { jsonResponse, type CoreAnswer, type CoreRequest, type CoreResponse } from './core.ts'
import { errorResponse } from './http-errors.ts'
import type { Logger } from './logger.ts'
import { ADMIN_UNRESOLVED, resolveRoute, UNMATCHED } from './routes.ts'

const NO_STORE = { 'Cache-Control': 'no-store' } as const

export interface AdminRoutesOptions {
  logger: Logger
  maxBodyBytes: number
  /** The issuer the server signs for (known once it listens). */
  issuer(): string | undefined
  /** Called after a rotation added an algorithm (the discovery documents list it). */
  algorithmsChanged(): void
}

/** The admin API over a manager; `token` undefined: disabled (404). */
export function createAdminRoutes(manager: KeyManager, token: string | undefined, options: AdminRoutesOptions): (request: CoreRequest) => CoreAnswer {
  const auth = token === undefined ? undefined : createAdminAuth(token)
  const { logger, maxBodyBytes } = options
  const readObject = async (request: CoreRequest) => parseObjectBody(await request.body(maxBodyBytes), maxBodyBytes)

  return (request) => {
    const { method, path } = request
    if (auth === undefined) return errorResponse(new JwkitError('ERR_HTTP_NOT_FOUND', 'no such route'), UNMATCHED)
    const resolved = resolveRoute(path)
    const authorization = request.header('authorization')
    if (!auth.check(authorization)) {
      const challenge = authorization !== undefined ? 'Bearer realm="jwkit-admin", error="invalid_token"' : 'Bearer realm="jwkit-admin"'
      const label = resolved ? resolved.route.template : ADMIN_UNRESOLVED
      return errorResponse(new JwkitError('ERR_HTTP_UNAUTHORIZED', 'missing or wrong bearer token'), label, { 'WWW-Authenticate': challenge })
    }
    if (resolved === null) {
      return errorResponse(new JwkitError('ERR_HTTP_BAD_REQUEST', 'kid path segment is not valid percent-encoding or is over 256 characters'), UNMATCHED)
    }
    if (resolved === undefined) return errorResponse(new JwkitError('ERR_HTTP_NOT_FOUND', 'no such route'), UNMATCHED)
    const { route, kid } = resolved
    const label = route.template
    if (!route.methods.includes(method)) {
      return errorResponse(new JwkitError('ERR_HTTP_METHOD_NOT_ALLOWED', `method ${method.slice(0, 16)} is not allowed here`), label, { Allow: route.methods.join(', ') })
    }
    const ok = (value: unknown): CoreResponse => jsonResponse(200, label, value, NO_STORE)
    switch (route.name) {
      case 'admin.keys':
        return ok(adminActions.list(manager))
      case 'admin.rotate':
        return (async () => {
          const body = await readObject(request)
          const result = await adminActions.rotate(manager, body)
          const forced = result.rotations.filter((r) => r.outcome === 'forced')
          if (forced.length > 0) {
            logger.warn('forced rotation by admin request: keys sign before their prepublish time; verifiers holding a cached JWK Set refuse their tokens until they refetch', { rotations: forced })
          }
          if (body.add === true) {
            options.algorithmsChanged() // id_token_signing_alg_values_supported follows the policy's algorithms
            logger.warn('algorithm added by admin request: every other instance on this store must list it in --alg (JWKIT_ALG), or its tick retires these keys', { alg: body.alg })
          }
          logger.info('rotation by admin request', { rotations: result.rotations })
          return ok(result)
        })()
      case 'admin.retire':
      case 'admin.revoke':
        return (async () => {
          await request.body(maxBodyBytes)
          const action = route.name === 'admin.retire' ? 'retire' : 'revoke'
          const result = await adminActions[action](manager, kid!)
          logger.info(`key ${action}d by admin request`, { kid })
          return ok(result)
        })()
      case 'admin.sign':
        return (async () => ok(await adminActions.sign(manager, await readObject(request), options.issuer())))()
      default:
        return errorResponse(new JwkitError('ERR_HTTP_NOT_FOUND', 'no such route'), UNMATCHED)
    }
  }
}
