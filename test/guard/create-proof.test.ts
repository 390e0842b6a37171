// createDpopProof (RFC 9449 §4.2): proofs that jose verifies independently with the embedded key,
// across key types; the header carries the bare public key; htu without query and fragment.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync } from 'node:crypto'
import * as jose from 'jose'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { createDpopProof } from '../../src/guard/create-proof.ts'
import { verifyDpopProof } from '../../src/guard/dpop-proof.ts'

for (const spec of ['ES256', 'ES384', 'PS256', 'Ed25519'] as const) {
  test(`createDpopProof ${spec}: jose verifies it with the embedded jwk; jwkit verifies it; claims per RFC 9449 §4.2`, async () => {
    const key = await generateJwk(spec, { kid: 'client-key' })
    const proof = await createDpopProof(key, { htm: 'POST', htu: 'https://api.example/items?x=1#frag', accessToken: 'tok-123', nonce: 'n1' })
    const { payload, protectedHeader } = await jose.jwtVerify(proof, jose.EmbeddedJWK, { typ: 'dpop+jwt' })
    assert.equal(protectedHeader.typ, 'dpop+jwt')
    assert.equal(protectedHeader.jwk!.kid, undefined) // the bare public key
    assert.equal(protectedHeader.jwk!['d' as 'kty'], undefined)
    assert.equal(await jose.calculateJwkThumbprint(protectedHeader.jwk!), thumbprint(toPublicJwk(key)))
    assert.equal(payload['htm'], 'POST')
    assert.equal(payload['htu'], 'https://api.example/items')
    assert.equal(payload['ath'], createHash('sha256').update('tok-123').digest('base64url'))
    assert.equal(payload['nonce'], 'n1')
    assert.ok(typeof payload.jti === 'string' && payload.jti.length >= 22)
    assert.ok(Math.abs(payload.iat! - Date.now() / 1000) < 5)
    const v = await verifyDpopProof(proof, { method: 'POST', url: 'https://api.example/items', accessToken: 'tok-123' })
    assert.equal(v.jkt, thumbprint(toPublicJwk(key)))
    // Every proof has its own jti.
    const again = await createDpopProof(key, { htm: 'POST', htu: 'https://api.example/items' })
    assert.notEqual(jose.decodeJwt(again).jti, payload.jti)
  })
}

test('createDpopProof takes a KeyObject; refuses public, secret and missing-method input', async () => {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const proof = await createDpopProof(privateKey, { htm: 'GET', htu: 'https://api.example/' })
  await jose.jwtVerify(proof, jose.EmbeddedJWK)
  await assert.rejects(createDpopProof(publicKey, { htm: 'GET', htu: 'https://api.example/' }), TypeError)
  await assert.rejects(createDpopProof(toPublicJwk(await generateJwk('ES256')), { htm: 'GET', htu: 'https://api.example/' }), TypeError)
  await assert.rejects(createDpopProof(await generateJwk('HS256'), { htm: 'GET', htu: 'https://api.example/' }), TypeError)
  await assert.rejects(createDpopProof(await generateJwk('ES256'), { htm: '', htu: 'https://api.example/' }), TypeError)
})

test('the adapters never import their framework, nor does the package entry: frameworks load only where the app loads them', async () => {
  const { readFileSync, readdirSync } = await import('node:fs')
  const dir = new URL('../../src/guard/', import.meta.url)
  for (const file of readdirSync(dir)) {
    const text = readFileSync(new URL(file, dir), 'utf8')
    assert.doesNotMatch(text, /from\s+['"](express|fastify|hono|redis|ioredis)['"/]/, file)
    assert.doesNotMatch(text, /import\(\s*['"](express|fastify|hono|redis|ioredis)/, file)
  }
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'))
  for (const name of ['express', 'fastify', 'hono']) {
    assert.equal(pkg.exports[`./${name}`].import, `./dist/src/guard/${name}.js`)
    assert.ok(readdirSync(dir).includes(`${name}.ts`))
    assert.equal(pkg.peerDependenciesMeta[name].optional, true)
  }
  assert.equal(pkg.peerDependenciesMeta.redis.optional, true)
  assert.equal(pkg.peerDependenciesMeta.ioredis.optional, true)
})
