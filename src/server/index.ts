/**
 * @module server
 * `jwkit/server`, Node only: the key server (RFC 7517 §5 JWK Set publication, OIDC Discovery 1.0,
 * RFC 8414) over node:http. Re-exports only, each name listed; test/index.test.ts pins the list.
 */
export { createJwksServer, type CreateJwksServerOptions } from './create-jwks-server.ts'
export { startKeyServer, type KeyServerHandle, type StartKeyServerOptions } from './start-key-server.ts'
export type { ServeConfig } from './config.ts'
export type { Logger, LogLevel } from './logger.ts'
export type { Scheduler } from './scheduler.ts'
export type { ServerMetrics } from './metrics.ts'
