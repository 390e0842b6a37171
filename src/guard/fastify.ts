/**
 * @module jwkit/fastify
 * A Fastify plugin over {@link verifyAccessToken}: `app.register(bearer, options)` adds an
 * `onRequest` hook to the scope it is registered in, decorating `request.auth`, or answering the
 * refusal (status, `WWW-Authenticate`, `DPoP-Nonce`, JSON body). Fastify is not imported; the
 * plugin skips encapsulation as `fastify-plugin` would (`Symbol.for('skip-override')`).
 */
import { verifyAccessToken, type AccessTokenResult, type RequestLike, type VerifyAccessTokenOptions } from './access-token.ts'
import { isGuardError } from './errors.ts'

/** The parts of Fastify's instance, request and reply the plugin uses. */
export interface FastifyRequestLike {
  raw: RequestLike
  auth?: AccessTokenResult | null
}
export interface FastifyReplyLike {
  code(status: number): FastifyReplyLike
  header(name: string, value: string): FastifyReplyLike
  send(body: unknown): FastifyReplyLike
}
export interface FastifyInstanceLike {
  decorateRequest(name: string, value: null): unknown
  addHook(name: 'onRequest', hook: (request: FastifyRequestLike, reply: FastifyReplyLike) => Promise<unknown>): unknown
}

/** The Fastify plugin: `app.register(bearer, { keys, issuer, audience, ... })`. */
export const bearer = Object.assign(
  async function bearer(instance: FastifyInstanceLike, options: VerifyAccessTokenOptions): Promise<void> {
    // Fastify hands each plugin a copy of its options; read them once here.
    const settings: VerifyAccessTokenOptions = { ...options }
    instance.decorateRequest('auth', null)
    instance.addHook('onRequest', async (request, reply) => {
      let auth: AccessTokenResult
      try {
        auth = await verifyAccessToken(request.raw, settings)
      } catch (error) {
        if (!isGuardError(error)) throw error
        reply.code(error.status)
        for (const [name, value] of Object.entries(error.headers())) reply.header(name, value)
        return reply.send(error.body())
      }
      request.auth = auth
      if (auth.dpopNonce !== undefined) reply.header('dpop-nonce', auth.dpopNonce)
      return undefined
    })
  },
  { [Symbol.for('skip-override')]: true, [Symbol.for('fastify.display-name')]: 'jwkit-bearer' },
)

export { verifyAccessToken }
