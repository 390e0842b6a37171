/**
 * @module server
 * The key server (RFC 7517 §5 JWK Set publication, OIDC Discovery 1.0, RFC 8414): re-exports only.
 */
export { createJwksServer, type CreateJwksServerOptions } from './create-jwks-server.ts'
export { createLogger, silentLogger, type Logger, type LogLevel, type CreateLoggerOptions } from './logger.ts'
export { createServerMetrics, type ServerMetrics } from './metrics.ts'
export { startScheduler, type Scheduler, type StartSchedulerOptions } from './scheduler.ts'
export { resolveServeConfig, type ServeConfig, type ServeFlags } from './config.ts'
export { startKeyServer, type KeyServerHandle, type StartKeyServerOptions } from './start-key-server.ts'
