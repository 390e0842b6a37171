import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createLogger } from '../../src/server/logger.ts'

test('JSON lines with time, level, msg; private members and credentials never written', () => {
  const lines: string[] = []
  const logger = createLogger({ write: (l) => lines.push(l), now: () => 0, level: 'info' })
  logger.debug('hidden')
  logger.info('hello', {
    kid: 'k1',
    jwk: { kty: 'EC', x: 'X', d: 'SECRET-D' },
    nested: [{ k: 'SECRET-K', p: 'SECRET-P', q: 'SECRET-Q', dp: 1, dq: 1, qi: 1, priv: 'SECRET-PRIV' }],
    token: 'SECRET-TOKEN',
    authorization: 'Bearer SECRET',
    adminToken: 'SECRET',
    error: Object.assign(new Error('boom'), { code: 'ERR_X' }),
    sealed: new Uint8Array(4),
  })
  assert.equal(lines.length, 1)
  assert.ok(lines[0]!.endsWith('\n'))
  const record = JSON.parse(lines[0]!)
  assert.equal(record.time, '1970-01-01T00:00:00.000Z')
  assert.equal(record.level, 'info')
  assert.equal(record.msg, 'hello')
  assert.equal(record.kid, 'k1')
  assert.deepEqual(record.jwk, { kty: 'EC', x: 'X' })
  assert.deepEqual(record.nested, [{}])
  assert.deepEqual(record.error, { name: 'Error', message: 'boom', code: 'ERR_X' })
  assert.ok(!lines[0]!.includes('SECRET'))
})
