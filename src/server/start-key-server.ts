/**
 * @module server/start-key-server
 * What `jwk serve` does, as a library function: open the store (the embedded SQLite default
 * creates its KEK file on first use), load it or create the first active and next keys
 * (`manager.init()`), listen, start the rotation scheduler, and on `close()` shut down in order:
 * stop accepting, let in-flight requests finish (bounded), stop the scheduler, close the store.
 */
import type { Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { JwkitError } from '../errors.ts'
import { createKeyManager } from '../store/key-manager.ts'
import { openKeyStore } from '../store/open-key-store.ts'
import { defaultPolicy } from '../store/rotation.ts'
import type { KeyManager, KeyStore, RotationPolicy } from '../store/types.ts'
import type { ServeConfig } from './config.ts'
import { createJwksServer } from './create-jwks-server.ts'
import { jwksUriOf } from './discovery.ts'
import type { Logger } from './logger.ts'
import { createServerMetrics } from './metrics.ts'
import { startScheduler, type Scheduler } from './scheduler.ts'
import { ownOptions } from '../util/dict.ts'

export interface KeyServerHandle {
  server: Server
  manager: KeyManager
  store: KeyStore
  scheduler: Scheduler
  /** The bound port (useful with port 0). */
  port: number
  issuer: string
  /** Graceful shutdown; in-flight requests get `graceMs` (default 10 s) before connections are cut. */
  close(graceMs?: number): Promise<void>
}

export interface StartKeyServerOptions {
  logger: Logger
  /** Environment for the store's KEK lookup (`JWKIT_KEK`, `JWKIT_KEK_FILE`). */
  env: NodeJS.ProcessEnv
}

function listen(server: Server, port: number, host: string | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening)
      reject(new JwkitError('ERR_CONFIG_INVALID', `cannot listen on ${host ?? '*'}:${port} (${error.code ?? 'error'})`, { cause: error }))
    }
    const onListening = () => {
      server.off('error', onError)
      resolve()
    }
    server.once('error', onError)
    server.once('listening', onListening)
    server.listen(port, host)
  })
}

export function policyFor(config: ServeConfig): RotationPolicy {
  const overrides: Partial<RotationPolicy> = {}
  if (config.algorithms !== undefined) overrides.algorithms = config.algorithms
  if (config.rotateEveryMs !== undefined) overrides.rotateEvery = config.rotateEveryMs
  if (config.maxTokenTtlMs !== undefined) overrides.maxTokenTtl = config.maxTokenTtlMs
  if (config.jwksMaxAgeMs !== undefined) overrides.jwksMaxAge = config.jwksMaxAgeMs
  if (config.prepublishMs !== undefined) overrides.prepublish = config.prepublishMs
  return defaultPolicy(overrides) // ERR_CONFIG_INVALID for an unknown algorithm
}

export async function startKeyServer(config: ServeConfig, options: StartKeyServerOptions): Promise<KeyServerHandle> {
  config = ownOptions(config) // own properties only (a polluted Object.prototype changes nothing)
  options = ownOptions(options) // own properties only (a polluted Object.prototype changes nothing)
  const { logger } = options
  const policy = policyFor(config) // checked before anything is created on disk
  const store = await openKeyStore(config.store, { env: options.env, logger: { warn: (m: string) => logger.warn(m) } })
  let created: KeyManager | undefined
  try {
    created = createKeyManager(store, policy, { logger: { warn: (m: string) => logger.warn(m) }, autoTick: false })
    await created.init()
  } catch (error) {
    await created?.close().catch(() => undefined)
    await store.close().catch(() => undefined)
    throw error
  }
  const manager: KeyManager = created
  const metrics = createServerMetrics()
  const server = createJwksServer(manager, {
    ...(config.issuer !== undefined ? { issuer: config.issuer } : {}),
    ...(config.adminToken !== undefined ? { adminToken: config.adminToken } : {}),
    ...(config.page === false ? { page: false as const } : {}),
    logger,
    metrics,
  })
  try {
    await listen(server, config.port, config.host)
  } catch (error) {
    await manager.close().catch(() => undefined)
    await store.close().catch(() => undefined)
    throw error
  }
  const port = (server.address() as AddressInfo).port
  const issuer = config.issuer ?? `http://localhost:${port}`
  const scheduler = startScheduler(manager, {
    ...(config.tickIntervalMs !== undefined ? { intervalMs: config.tickIntervalMs } : {}),
    logger,
    metrics,
  })
  const active = manager.keys().filter((k) => k.state === 'active').map((k) => ({ kid: k.kid, alg: k.alg }))
  logger.info(`jwkit key server listening; JWK Set at ${jwksUriOf(issuer)}`, {
    port,
    host: config.host ?? '*',
    issuer,
    jwks_uri: jwksUriOf(issuer),
    store: store.url,
    algorithms: manager.policy.algorithms,
    active,
    page: config.page !== false,
  })
  if (config.adminToken === undefined) {
    logger.info('admin API disabled: set JWKIT_ADMIN_TOKEN (or JWKIT_ADMIN_TOKEN_FILE) to a random string of 16+ characters to enable /admin/*')
  } else {
    logger.info('admin API enabled at /admin/* (Authorization: Bearer <JWKIT_ADMIN_TOKEN>)')
  }

  let closing: Promise<void> | undefined
  const close = (graceMs = 10_000): Promise<void> => {
    closing ??= (async () => {
      logger.info('shutting down: no new connections; finishing in-flight requests')
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      // Keep-alive connections become idle once their in-flight request is answered: close them then.
      const idle = setInterval(() => server.closeIdleConnections(), 50)
      server.closeIdleConnections()
      const timer = setTimeout(() => server.closeAllConnections(), graceMs)
      await closed
      clearTimeout(timer)
      clearInterval(idle)
      await scheduler.stop()
      await manager.close()
      await store.close().catch(() => undefined) // may already be closed by the manager
      logger.info('stopped')
    })()
    return closing
  }
  return { server, manager, store, scheduler, port, issuer, close }
}
