/**
 * @module server/create-jwks-server
 * `createJwksServer(manager, options)`: a `node:http` server over a {@link KeyManager}. Every
 * route is answered by the request → response core (server/key-server-core); this module is the
 * thin adapter: it parses the request line, hands a {@link NodeCoreRequest} to the core, writes
 * the answer, and owns what only a socket has — the receive timeouts (408) and the listening
 * address (the default issuer). The hot route, `GET /.well-known/jwks.json` (RFC 7517 §5),
 * answers from a response precomputed at each change of the published set, so a request never
 * reads the store and a store outage never stops publication.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { KeyManager } from '../store/types.ts'
import type { CoreResponse } from './core.ts'
import { createKeyServerCore } from './key-server-core.ts'
import type { Logger } from './logger.ts'
import { NodeCoreRequest, sendCoreResponse } from './node-adapter.ts'
import type { PageAssets } from './page-assets.ts'
import type { ServerMetrics } from './metrics.ts'
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

/** Creates the key server (not yet listening). The manager must have been `init()`ed. */
export function createJwksServer(manager: KeyManager, options: CreateJwksServerOptions = {}): Server {
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const requestTimeout = options.requestTimeoutMs ?? 10_000
  let server: Server | undefined
  const core = createKeyServerCore(manager, { ...options, accepting: () => server?.listening === true })

  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const url = req.url ?? '/'
    const q = url.indexOf('?')
    const answer = core.handle(new NodeCoreRequest(req, q === -1 ? url : url.slice(0, q)))
    if (!(answer instanceof Promise)) {
      sendCoreResponse(res, answer)
      return
    }
    answer.then(
      (response: CoreResponse) => sendCoreResponse(res, response),
      () => { if (!res.writableEnded) res.destroy() }, // ConnectionGone: counted by the core; nothing to write to
    )
  }

  server = createServer({
    requestTimeout,
    headersTimeout: Math.min(options.headersTimeoutMs ?? 5_000, requestTimeout),
    keepAliveTimeout: options.keepAliveTimeoutMs ?? 5_000,
    // How often Node checks the two timeouts above (default 30 s would let slow clients linger).
    connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(requestTimeout / 4))),
  }, handler)
  const listening = server
  listening.on('listening', () => {
    const address = listening.address()
    if (address !== null && typeof address === 'object') core.defaultIssuer(`http://localhost:${address.port}`)
  })
  listening.on('close', core.close)
  return listening
}
