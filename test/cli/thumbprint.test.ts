import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { runJwk as run } from './helpers.ts'
import { exportJwk } from '../../src/crypto/export.ts'

interface Example { id: string; input: { jwk: Record<string, unknown> }; expected: { thumbprint?: string; uri?: string } }
const examples = JSON.parse(readFileSync(new URL('../vectors/rfc-examples.json', import.meta.url), 'utf8')) as Example[]
const rfc7638 = examples.find((e) => e.id === 'rfc7638-3.1')!
const rfc9278 = examples.find((e) => e.id === 'rfc9278-3')!
const rfc8037 = examples.find((e) => e.id === 'rfc8037-A.3')!

test('jwk thumbprint: the RFC 7638 §3.1 and RFC 8037 A.3 examples, and the RFC 9278 §3 URI', async () => {
  const files = { 'rsa.json': JSON.stringify(rfc7638.input.jwk), 'ed.json': JSON.stringify(rfc8037.input.jwk) }
  const r = await run(['thumbprint', 'rsa.json'], files)
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout, rfc7638.expected.thumbprint + '\n')
  assert.equal((await run(['thumbprint', 'ed.json'], files)).stdout, rfc8037.expected.thumbprint + '\n')
  assert.equal((await run(['thumbprint', '--uri', '-'], {}, JSON.stringify(rfc9278.input.jwk))).stdout, rfc9278.expected.uri + '\n')
})

test('jwk thumbprint --hash sha384/sha512 and --json; private and public keys agree', async () => {
  const pair = generateKeyPairSync('ec', { namedCurve: 'P-384' })
  const pub = exportJwk(pair.publicKey) as unknown as Record<string, string>
  const canonical = JSON.stringify({ crv: pub.crv, kty: pub.kty, x: pub.x, y: pub.y })
  for (const hash of ['sha384', 'sha512']) {
    const expected = createHash(hash).update(canonical).digest('base64url')
    for (const key of [pair.privateKey, pair.publicKey]) {
      const r = await run(['thumbprint', '--hash', hash], {}, JSON.stringify(exportJwk(key)))
      assert.equal(r.stdout, expected + '\n')
    }
    const j = JSON.parse((await run(['thumbprint', '--hash', hash, '--json'], {}, JSON.stringify(pub))).stdout)
    assert.deepEqual(j, { thumbprint: expected, hash, uri: `urn:ietf:params:oauth:jwk-thumbprint:${hash.replace('sha', 'sha-')}:${expected}` })
  }
})

test('jwk thumbprint on a JWK Set: one line per key, with its kid', async () => {
  const set = { keys: [{ ...rfc7638.input.jwk }, { ...rfc8037.input.jwk, kid: 'ed' }] }
  const r = await run(['thumbprint', 's.json'], { 's.json': JSON.stringify(set) })
  assert.equal(r.status, 0, r.stderr)
  assert.equal(r.stdout, `${rfc7638.expected.thumbprint}  2011-04-29\n${rfc8037.expected.thumbprint}  ed\n`)
})

test('jwk thumbprint refusals: unknown hash (2), invalid key (1)', async () => {
  const badHash = await run(['thumbprint', '--hash', 'md5'], {}, JSON.stringify(rfc7638.input.jwk))
  assert.equal(badHash.status, 2)
  assert.match(badHash.stderr, /ERR_CLI_USAGE/)
  // Whitespace has no single reading (a leading zero octet alone would be normalised: issue 10).
  const bad = await run(['thumbprint'], {}, JSON.stringify({ ...rfc7638.input.jwk, e: 'AQ AB' }))
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /ERR_JWK_INVALID/)
  assert.match((await run(['thumbprint', '-h'])).stdout, /RFC 9278/)
})

test('--kid picks one key of a JWK Set in thumbprint, public, inspect and convert', async () => {
  const { generateJwk } = await import('../../src/crypto/generate.ts')
  const { thumbprint } = await import('../../src/jwk/thumbprint.ts')
  const a = await generateJwk('ES256', { kid: 'a' })
  const b = await generateJwk('EdDSA', { kid: 'b' })
  const files = { 'set.json': JSON.stringify({ keys: [a, b] }) }
  const { runJwk } = await import('./helpers.ts')
  assert.equal((await runJwk(['thumbprint', 'set.json', '--kid', 'b'], files)).stdout, thumbprint(b) + '\n')
  assert.equal(JSON.parse((await runJwk(['public', 'set.json', '--kid', 'a'], files)).stdout).kid, 'a')
  assert.equal(JSON.parse((await runJwk(['inspect', 'set.json', '--kid', 'b', '--json'], files)).stdout).crv, 'Ed25519')
  assert.match((await runJwk(['convert', 'set.json', '--kid', 'a', '--to', 'spki'], files)).stdout, /BEGIN PUBLIC KEY/)
  const none = await runJwk(['thumbprint', 'set.json', '--kid', 'c'], files)
  assert.equal(none.status, 1)
  assert.match(none.stderr, /ERR_JWKS_NO_MATCHING_KEY/)
})
