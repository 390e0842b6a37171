import { test } from 'node:test'
import assert from 'node:assert/strict'
import { parseDuration, resolveServeConfig } from '../../src/server/config.ts'

const TOKEN = 'abcdefghijklmnop0123'

test('defaults: sqlite:./data/keys.db, port 8080, issuer http://localhost:8080, admin off', () => {
  const c = resolveServeConfig({}, {})
  assert.equal(c.store, 'sqlite:./data/keys.db')
  assert.equal(c.port, 8080)
  assert.equal(c.host, undefined)
  assert.equal(c.issuer, 'http://localhost:8080')
  assert.equal(c.algorithms, undefined)
  assert.equal(c.adminToken, undefined)
  assert.equal(c.logLevel, 'info')
})

test('environment variables, and flags winning over them', () => {
  const env = { JWKIT_STORE: 'postgres://u@h/db', PORT: '9000', HOST: '127.0.0.1', JWKIT_ALG: 'ES256, RS256', JWKIT_ROTATE_EVERY: '12h', JWKIT_ADMIN_TOKEN: TOKEN }
  const c = resolveServeConfig({}, env)
  assert.equal(c.store, 'postgres://u@h/db')
  assert.equal(c.port, 9000)
  assert.equal(c.issuer, 'http://localhost:9000')
  assert.deepEqual(c.algorithms, ['ES256', 'RS256'])
  assert.equal(c.rotateEveryMs, 12 * 3_600_000)
  assert.equal(c.adminToken, TOKEN)
  const f = resolveServeConfig({ store: 'sqlite:/tmp/x.db', port: '0', issuer: 'https://id.example', alg: 'EdDSA', 'rotate-every': '30d' }, env)
  assert.equal(f.store, 'sqlite:/tmp/x.db')
  assert.equal(f.port, 0)
  assert.equal(f.issuer, 'https://id.example')
  assert.deepEqual(f.algorithms, ['EdDSA'])
  assert.equal(f.rotateEveryMs, 30 * 86_400_000)
  assert.equal(resolveServeConfig({ port: '0' }, {}).issuer, undefined)
})

test('JWKIT_ADMIN_TOKEN_FILE is read (final newline dropped); both set, unreadable or short → ERR_CONFIG_INVALID', () => {
  const files: Record<string, string> = { '/t': TOKEN + '\n', '/short': 'abc\n' }
  const read = (p: string) => {
    if (!(p in files)) throw Object.assign(new Error('nope'), { code: 'ENOENT' })
    return files[p]!
  }
  assert.equal(resolveServeConfig({}, { JWKIT_ADMIN_TOKEN_FILE: '/t' }, read).adminToken, TOKEN)
  for (const env of [
    { JWKIT_ADMIN_TOKEN_FILE: '/t', JWKIT_ADMIN_TOKEN: TOKEN },
    { JWKIT_ADMIN_TOKEN_FILE: '/missing' },
    { JWKIT_ADMIN_TOKEN_FILE: '/short' },
    { JWKIT_ADMIN_TOKEN: 'short' },
    { JWKIT_ADMIN_TOKEN: 'has spaces in it, sixteen+' },
  ]) {
    assert.throws(() => resolveServeConfig({}, env, read), (e: any) => {
      assert.equal(e.code, 'ERR_CONFIG_INVALID')
      assert.ok(!e.message.includes(TOKEN))
      return true
    })
  }
})

test('--no-page and JWKIT_NO_PAGE (1/true off, 0/false on, the flag wins); the page is on by default', () => {
  assert.equal(resolveServeConfig({}, {}).page, true)
  assert.equal(resolveServeConfig({ 'no-page': true }, {}).page, false)
  for (const value of ['1', 'true', 'TRUE']) assert.equal(resolveServeConfig({}, { JWKIT_NO_PAGE: value }).page, false, value)
  for (const value of ['0', 'false', '']) assert.equal(resolveServeConfig({}, { JWKIT_NO_PAGE: value }).page, true, value)
  assert.equal(resolveServeConfig({ 'no-page': true }, { JWKIT_NO_PAGE: '0' }).page, false)
  assert.throws(() => resolveServeConfig({}, { JWKIT_NO_PAGE: 'yes' }), { code: 'ERR_CONFIG_INVALID', message: /JWKIT_NO_PAGE/ })
})

test('invalid values → ERR_CONFIG_INVALID', () => {
  const bad: Array<[Record<string, string>, Record<string, string>]> = [
    [{ port: '65536' }, {}], [{ port: '-1' }, {}], [{ port: '80a' }, {}], [{}, { PORT: 'x' }],
    [{ issuer: 'ftp://x' }, {}], [{ issuer: 'https://x/?a=b' }, {}], [{ issuer: 'https://x/#f' }, {}], [{}, { JWKIT_ISSUER: 'relative/path' }],
    [{ alg: '' }, {}], [{ alg: 'ES256,ES256' }, {}], [{ alg: 'ES256,,RS256' }, {}],
    [{ 'rotate-every': '30' }, {}], [{ 'rotate-every': '0d' }, {}], [{}, { JWKIT_ROTATE_EVERY: '1y' }],
    [{ host: 'a b' }, {}], [{ 'log-level': 'loud' }, {}],
  ]
  for (const [flags, env] of bad) {
    assert.throws(() => resolveServeConfig(flags, env), { code: 'ERR_CONFIG_INVALID' }, JSON.stringify([flags, env]))
  }
})

test('parseDuration', () => {
  assert.equal(parseDuration('30d', 'x'), 30 * 86_400_000)
  assert.equal(parseDuration('12h', 'x'), 43_200_000)
  assert.equal(parseDuration('15m', 'x'), 900_000)
  assert.equal(parseDuration('45s', 'x'), 45_000)
  assert.equal(parseDuration('250ms', 'x'), 250)
  assert.equal(parseDuration('2w', 'x'), 14 * 86_400_000)
  for (const t of ['', 'd', '1.5h', '-1h', '1 h', '10x']) assert.throws(() => parseDuration(t, 'x'), { code: 'ERR_CONFIG_INVALID' })
})

test('policy durations: --max-token-ttl, --jwks-max-age, --prepublish and their variables reach the policy', async () => {
  const { policyFor } = await import('../../src/server/start-key-server.ts')
  const { policyFromEnv } = await import('../../src/server/config.ts')
  const env = { JWKIT_MAX_TOKEN_TTL: '15m', JWKIT_JWKS_MAX_AGE: '10m', JWKIT_PREPUBLISH: '30m' }
  const c = resolveServeConfig({}, env)
  assert.equal(c.maxTokenTtlMs, 15 * 60_000)
  assert.equal(c.jwksMaxAgeMs, 10 * 60_000)
  assert.equal(c.prepublishMs, 30 * 60_000)
  const p = policyFor(c)
  assert.equal(p.maxTokenTtl, 15 * 60_000)
  assert.equal(p.jwksMaxAge, 10 * 60_000)
  assert.equal(p.prepublish, 30 * 60_000)
  assert.deepEqual(policyFromEnv(env), { maxTokenTtl: 15 * 60_000, jwksMaxAge: 10 * 60_000, prepublish: 30 * 60_000 })
  const f = resolveServeConfig({ 'max-token-ttl': '5m', prepublish: '1h' }, env)
  assert.equal(f.maxTokenTtlMs, 5 * 60_000)
  assert.equal(f.prepublishMs, 3_600_000)
  // Defaults stay the policy's (1 h, 1 h, 2 × 1 h + 10 min).
  const d = policyFor(resolveServeConfig({}, {}))
  assert.deepEqual([d.maxTokenTtl, d.jwksMaxAge, d.prepublish], [3_600_000, 3_600_000, 130 * 60_000])
  assert.throws(() => resolveServeConfig({ prepublish: 'soon' }, {}), { code: 'ERR_CONFIG_INVALID', message: /--prepublish/ })
  assert.throws(() => resolveServeConfig({}, { JWKIT_MAX_TOKEN_TTL: '0s' }), { code: 'ERR_CONFIG_INVALID', message: /JWKIT_MAX_TOKEN_TTL/ })
  // prepublish below twice jwksMaxAge is refused by the policy.
  assert.throws(() => policyFor(resolveServeConfig({ 'jwks-max-age': '1h', prepublish: '1h' }, {})), { code: 'ERR_CONFIG_INVALID' })
})
