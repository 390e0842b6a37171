// The web backend keeps per-key state between calls (backend/web.ts): the HMAC state after the
// key block, and per algorithm the WebCrypto algorithm object, the imported CryptoKey and the
// @noble public point. Checked on Node (whose WebCrypto the web backend uses here) against
// node:crypto: every call after the first answers as the first did, keys never share state.
import assert from 'node:assert/strict'
import { createHmac, generateKeyPairSync, randomBytes, sign as nodeSign } from 'node:crypto'
import { describe, it } from 'node:test'
import * as web from '../../src/backend/web.ts'
import type { SignatureParams } from '../../src/backend/types.ts'

describe('web backend per-key state', () => {
  it('HMAC from the kept key-block state equals node:crypto, call after call, key after key', () => {
    for (const h of ['sha256', 'sha384', 'sha512'] as const) {
      // A short key, a block-sized one, and one longer than the block (hashed first, RFC 2104 §2).
      const secrets = [randomBytes(32), randomBytes(h === 'sha256' ? 64 : 128), randomBytes(200)]
      const keys = secrets.map((s) => web.secretKey(s))
      for (let i = 0; i < 60; i++) {
        const j = i % secrets.length // interleaved: each key's state is its own
        const data = randomBytes((i * 37) % 300)
        const expected = createHmac(h, secrets[j]!).update(data).digest()
        assert.deepEqual(Buffer.from(web.hmac(h, keys[j]!, data)), expected, `${h} key ${j} call ${i}`)
        assert.deepEqual(Buffer.from(web.hmac(h, secrets[j]!, data)), expected, `${h} raw key ${j}`)
      }
    }
  })

  const cases: Array<{ name: string; p: SignatureParams; pair: () => ReturnType<typeof generateKeyPairSync>; nodeAlg: string | null; opts?: object }> = [
    { name: 'ES256', p: { family: 'ECDSA', hash: 'sha256' }, pair: () => generateKeyPairSync('ec', { namedCurve: 'P-256' }), nodeAlg: 'sha256', opts: { dsaEncoding: 'ieee-p1363' } },
    { name: 'ES256K (noble only)', p: { family: 'ECDSA', hash: 'sha256' }, pair: () => generateKeyPairSync('ec', { namedCurve: 'secp256k1' }), nodeAlg: 'sha256', opts: { dsaEncoding: 'ieee-p1363' } },
    { name: 'RS256', p: { family: 'RSA-PKCS1', hash: 'sha256' }, pair: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), nodeAlg: 'sha256' },
    { name: 'PS256', p: { family: 'RSA-PSS', hash: 'sha256', saltLength: 32 }, pair: () => generateKeyPairSync('rsa', { modulusLength: 2048 }), nodeAlg: 'sha256', opts: { padding: 6, saltLength: 32 } },
    { name: 'EdDSA', p: { family: 'EdDSA' }, pair: () => generateKeyPairSync('ed25519'), nodeAlg: null },
    { name: 'Ed448 (noble only)', p: { family: 'EdDSA' }, pair: () => generateKeyPairSync('ed448'), nodeAlg: null },
  ]

  for (const c of cases) {
    it(`${c.name}: the first call (key import pending) and later ones (kept CryptoKey) agree; keys never share state`, async () => {
      const pairs = [c.pair(), c.pair()]
      const pubs = pairs.map((x) => web.importJwkMembers(x.publicKey.export({ format: 'jwk' }) as Record<string, unknown>, 'public'))
      const privs = pairs.map((x) => web.importJwkMembers(x.privateKey.export({ format: 'jwk' }) as Record<string, unknown>, 'private'))
      const data = randomBytes(150)
      const sigs = pairs.map((x) => nodeSign(c.nodeAlg, data, { key: x.privateKey, ...c.opts }))
      for (let round = 0; round < 3; round++) {
        for (const i of [0, 1]) {
          assert.equal(await web.verify(c.p, pubs[i]!, data, sigs[i]!), true, `round ${round} key ${i}`)
          assert.equal(await web.verify(c.p, pubs[i]!, data, sigs[1 - i]!), false, `round ${round} key ${i}, the other key's signature`)
          const tampered = Buffer.from(sigs[i]!)
          tampered[5] ^= 1
          assert.equal(await Promise.resolve(web.verify(c.p, pubs[i]!, data, tampered)).catch(() => false), false)
          // A signature of the web backend verifies here and with node:crypto.
          const own = await web.sign(c.p, privs[i]!, data)
          assert.equal(await web.verify(c.p, pubs[i]!, data, own), true)
        }
      }
    })
  }
})
