import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { runJwk } from './helpers.ts'
import { signJwt } from '../../src/jwt/sign.ts'
import { exportJwk } from '../../src/crypto/export.ts'

const a = exportJwk(generateKeyPairSync('ed25519').privateKey)
const b = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const pub = (k: typeof a, kid: string) => { const { d: _d, ...rest } = k as typeof a & { d?: string }; return { ...rest, kid } }
const files = { 'jwks.json': JSON.stringify({ keys: [pub(a, 'a'), pub(b, 'b')] }), 'one.json': JSON.stringify(pub(a, 'a')) }

test('jwk verify prints the verified header and claims', async () => {
  const token = await signJwt({ sub: 'u', aud: ['api', 'x'] }, a, { alg: 'EdDSA', kid: 'a', issuer: 'https://i', expiresIn: '5m' })
  const r = await runJwk(['verify', '--jwks', 'jwks.json', '--iss', 'https://i', '--aud', 'api', '--alg', 'EdDSA', token], files)
  assert.equal(r.status, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  assert.equal(out.verified, true)
  assert.equal(out.header.kid, 'a')
  assert.equal(out.claims.sub, 'u')
  const stdin = await runJwk(['verify', '--jwks', 'one.json', '-'], files, token + '\n')
  assert.equal(stdin.status, 0, stdin.stderr)
})

test('jwk verify failures exit 1 with the code; usage errors exit 2', async () => {
  const token = await signJwt({ sub: 'u' }, b, { alg: 'ES256', kid: 'b', issuer: 'https://i' })
  const cases: Array<[string[], string]> = [
    [['--iss', 'https://other'], 'ERR_JWT_CLAIM_INVALID'],
    [['--aud', 'api'], 'ERR_JWT_CLAIM_INVALID'],
    [['--alg', 'EdDSA,RS256'], 'ERR_ALG_NOT_ALLOWED'],
  ]
  for (const [flags, code] of cases) {
    const r = await runJwk(['verify', '--jwks', 'jwks.json', ...flags, token], files)
    assert.equal(r.status, 1)
    assert.match(r.stderr, new RegExp(code))
    assert.ok(!r.stderr.includes(token.split('.')[2]!))
  }
  const [h, p, s] = token.split('.')
  const tampered = await runJwk(['verify', '--jwks', 'jwks.json', `${h}.${p}x.${s}`], files)
  assert.equal(tampered.status, 1)
  const wrong = await runJwk(['verify', '--jwks', 'one.json', token], files)
  assert.match(wrong.stderr, /ERR_JWKS_NO_MATCHING_KEY/)
  const json = await runJwk(['verify', '--jwks', 'one.json', '--json', token], files)
  assert.equal(JSON.parse(json.stderr).error.code, 'ERR_JWKS_NO_MATCHING_KEY')
  assert.equal((await runJwk(['verify', token], files)).status, 2)
  assert.equal((await runJwk(['verify', '--jwks', 'jwks.json', token, token], files)).status, 2)
})
