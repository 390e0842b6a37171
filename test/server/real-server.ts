/**
 * A real key server for the evidence tests: the real key manager over a real SQLite store in a
 * temporary directory, `createJwksServer` on 127.0.0.1:0 with the admin API enabled.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import type { Server } from 'node:http'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import type { KeyManager, KeyStore, RotationPolicy } from '../../src/store/types.ts'
import { createJwksServer, type CreateJwksServerOptions } from '../../src/server/create-jwks-server.ts'
import { createServerMetrics, type ServerMetrics } from '../../src/server/metrics.ts'
import { close, listen } from './http-helpers.ts'

export const ADMIN_TOKEN = 'evidence-admin-token-' + randomBytes(12).toString('base64url')

export interface RealServer {
  base: string
  manager: KeyManager
  store: KeyStore
  server: Server
  metrics: ServerMetrics
  dir: string
  auth: Record<string, string>
  stop(): Promise<void>
}

export async function startRealServer(
  policy: Partial<RotationPolicy> = {},
  options: CreateJwksServerOptions = {},
  storeUrl?: string,
): Promise<RealServer> {
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-server-'))
  const store = await openKeyStore(storeUrl ?? `sqlite:${join(dir, 'keys.db')}`, { env: {}, keks: [randomBytes(32)], logger: { warn() {} } })
  const manager = createKeyManager(store, policy, { logger: { warn() {} }, autoTick: false, pollIntervalMs: 200 })
  await manager.init()
  const metrics = createServerMetrics()
  const server = createJwksServer(manager, { adminToken: ADMIN_TOKEN, metrics, ...options })
  const base = await listen(server)
  return {
    base, manager, store, server, metrics, dir,
    auth: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
    async stop() {
      await close(server)
      await manager.close()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
