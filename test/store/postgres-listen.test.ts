/**
 * The LISTEN connection of a PostgreSQL store survives a silent network loss: the connection is
 * black-holed (no FIN, no RST) by a loopback TCP proxy, the heartbeat notices within its query
 * timeout, and a new LISTEN connection delivers the next NOTIFY.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { startTcpProxy } from '../server/tcp-proxy.ts'
import { fakeRecord } from './helpers/conformance.ts'
import { dropSchema, POSTGRES_URL, schemaUrl, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'

const env = { JWKIT_KEK: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8' }
const until = async (what: string, fn: () => boolean, ms: number) => {
  const end = Date.now() + ms
  while (!fn()) {
    if (Date.now() > end) assert.fail(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('PostgreSQL LISTEN after a silent network loss', () => {
  it('the heartbeat replaces the lost connection; the next NOTIFY arrives', async (t) => {
    const skip = await skipWithoutPostgres()
    if (skip) return t.skip(skip)
    const schema = uniqueSchema('listen')
    const target = new URL(POSTGRES_URL)
    const proxy = await startTcpProxy(target.hostname, Number(target.port || 5432))
    const viaProxy = new URL(schemaUrl(schema))
    viaProxy.host = `127.0.0.1:${proxy.port}`
    const direct = await openKeyStore(schemaUrl(schema), { env })
    const watched = await openKeyStore(viaProxy.toString(), { env, queryTimeoutMs: 500, listenHeartbeatMs: 200, listenRetryMs: 100 })
    let calls = 0
    const unwatch = watched.watch!(() => { calls++ })
    try {
      await direct.insert(fakeRecord('before', 'next'))
      await until('a NOTIFY through the proxy', () => calls > 0, 5_000)
      proxy.blackhole()
      await new Promise((r) => setTimeout(r, 2_000)) // heartbeat + query timeout + retry, with room
      calls = 0
      await direct.insert(fakeRecord('after', 'next', 1_700_000_000_001))
      await until('the NOTIFY after the loss', () => calls > 0, 3_000)
    } finally {
      unwatch()
      await watched.close()
      await direct.close()
      await proxy.close()
      await dropSchema(schema)
    }
  })
})
