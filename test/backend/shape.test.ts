// Both implementations of the crypto seam export every name of the Backend interface (checked by
// tsc through `npm run lint`: the assignments below fail to compile when a name or a signature
// drifts), and they agree: the web backend (WebCrypto + @noble) runs on Node too, so here it is
// checked byte for byte against node:crypto wherever the output is deterministic.
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import * as nodeBackend from '../../src/backend/node.ts'
import * as webBackend from '../../src/backend/web.ts'
import * as chosen from '#backend'
import type { Backend } from '../../src/backend/types.ts'

const backends: Record<string, Backend> = { node: nodeBackend, web: webBackend }

describe('the crypto seam', () => {
  it('#backend resolves to the node:crypto implementation on Node', () => {
    assert.equal(chosen.BACKEND_NAME, 'node')
    assert.equal(webBackend.BACKEND_NAME, 'web')
  })

  it('digests and HMACs agree', async () => {
    const data = randomBytes(300)
    for (const h of ['sha1', 'sha256', 'sha384', 'sha512'] as const) {
      assert.deepEqual(Buffer.from(webBackend.digest(h, data)), Buffer.from(nodeBackend.digest(h, data)), h)
    }
    const key = randomBytes(64)
    for (const h of ['sha256', 'sha384', 'sha512'] as const) {
      const a = await backends.web!.hmac(h, webBackend.secretKey(key), data)
      const b = await backends.node!.hmac(h, nodeBackend.secretKey(key), data)
      assert.deepEqual(Buffer.from(a), Buffer.from(b), h)
    }
  })

  it('d -> public key agrees on every curve', () => {
    for (const crv of ['P-256', 'P-384', 'P-521', 'secp256k1'] as const) {
      const jwk = generateKeyPairSync('ec', { namedCurve: crv }).privateKey.export({ format: 'jwk' })
      const d = Buffer.from(jwk.d!, 'base64url')
      assert.deepEqual(Buffer.from(webBackend.ecPublicPoint(crv, d)!), Buffer.from(nodeBackend.ecPublicPoint(crv, d)!), crv)
    }
    for (const crv of ['Ed25519', 'Ed448', 'X25519', 'X448'] as const) {
      const jwk = generateKeyPairSync(crv.toLowerCase() as 'ed25519').privateKey.export({ format: 'jwk' })
      assert.equal(webBackend.okpPublicX(crv, jwk.d!, jwk.x!), jwk.x, crv)
    }
  })

  it('deterministic signatures are identical (RSA PKCS#1 v1.5, Ed25519, Ed448) and every signature crosses over', async () => {
    const cases = [
      { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, p: { family: 'RSA-PKCS1', hash: 'sha256' }, deterministic: true },
      { key: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, p: { family: 'RSA-PSS', hash: 'sha384', saltLength: 48 }, deterministic: false },
      { key: generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey, p: { family: 'ECDSA', hash: 'sha256' }, deterministic: false },
      { key: generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey, p: { family: 'ECDSA', hash: 'sha512' }, deterministic: false },
      { key: generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).privateKey, p: { family: 'ECDSA', hash: 'sha256' }, deterministic: false },
      { key: generateKeyPairSync('ed25519').privateKey, p: { family: 'EdDSA' }, deterministic: true },
      { key: generateKeyPairSync('ed448').privateKey, p: { family: 'EdDSA' }, deterministic: true },
    ] as const
    const data = randomBytes(100)
    for (const c of cases) {
      const jwk = c.key.export({ format: 'jwk' }) as Record<string, unknown>
      const webKey = webBackend.importJwkMembers(jwk, 'private')
      const webPub = webBackend.publicKeyOf(webKey)
      const nodePub = nodeBackend.publicKeyOf(c.key)
      const fromWeb = await webBackend.sign(c.p, webKey, data)
      const fromNode = nodeBackend.sign(c.p, c.key, data)
      const what = `${c.p.family} ${String(jwk.crv ?? jwk.kty)}`
      if (c.deterministic) assert.deepEqual(Buffer.from(fromWeb), Buffer.from(fromNode), what)
      assert.equal(nodeBackend.verify(c.p, nodePub, data, fromWeb), true, `node verifies web: ${what}`)
      assert.equal(await webBackend.verify(c.p, webPub, data, fromNode), true, `web verifies node: ${what}`)
      const bad = Buffer.from(fromNode)
      bad[5]! ^= 1
      assert.equal(await webBackend.verify(c.p, webPub, data, bad), false, `web refuses a damaged signature: ${what}`)
    }
  })

  it('AES-GCM, AES-CBC, AES-KW agree', () => {
    for (const bytes of [16, 24, 32]) {
      const key = randomBytes(bytes)
      const iv = randomBytes(12)
      const pt = randomBytes(77)
      const aad = randomBytes(9)
      const a = webBackend.aesGcmEncrypt(key, iv, pt, aad)
      const b = nodeBackend.aesGcmEncrypt(key, iv, pt, aad)
      assert.deepEqual(Buffer.from(a.ciphertext), Buffer.from(b.ciphertext))
      assert.deepEqual(Buffer.from(a.tag), Buffer.from(b.tag))
      assert.deepEqual(Buffer.from(webBackend.aesGcmDecrypt(key, iv, b.ciphertext, b.tag, aad)), pt)
      const cbcIv = randomBytes(16)
      assert.deepEqual(Buffer.from(webBackend.aesCbcEncrypt(key, cbcIv, pt)), Buffer.from(nodeBackend.aesCbcEncrypt(key, cbcIv, pt)))
      const cek = randomBytes(32)
      assert.deepEqual(Buffer.from(webBackend.aesKwWrap(key, cek)), Buffer.from(nodeBackend.aesKwWrap(key, cek)))
      assert.throws(() => webBackend.aesKwUnwrap(key, Buffer.alloc(40, 1)))
    }
  })

  it('ECDH agrees (P-256, P-521, X25519, X448)', () => {
    for (const [type, crv] of [['ec', 'P-256'], ['ec', 'P-521'], ['x25519', 'X25519'], ['x448', 'X448']] as const) {
      const a = (type === 'ec' ? generateKeyPairSync('ec', { namedCurve: crv }) : generateKeyPairSync(type as 'x25519'))
      const b = (type === 'ec' ? generateKeyPairSync('ec', { namedCurve: crv }) : generateKeyPairSync(type as 'x25519'))
      const z = nodeBackend.ecdh(a.privateKey, b.publicKey)
      const wa = webBackend.importJwkMembers(a.privateKey.export({ format: 'jwk' }) as Record<string, unknown>, 'private')
      const wb = webBackend.importJwkMembers(b.publicKey.export({ format: 'jwk' }) as Record<string, unknown>, 'public')
      assert.deepEqual(Buffer.from(webBackend.ecdh(wa, wb)), Buffer.from(z), crv)
    }
  })

  it('the web backend refuses what it lacks with ERR_JWK_UNSUPPORTED, naming the primitive', () => {
    assert.throws(() => webBackend.importPemText('-----BEGIN ENCRYPTED PRIVATE KEY-----\nAA==\n-----END ENCRYPTED PRIVATE KEY-----', 'private'), (e: unknown) => (e as { code?: string }).code === 'ERR_JWK_UNSUPPORTED' && /PEM/.test(String((e as Error).message)))
    assert.throws(() => webBackend.exportKeyDer(webBackend.secretKey(new Uint8Array(16)), 'spki'), (e: unknown) => (e as { code?: string }).code === 'ERR_JWK_UNSUPPORTED')
  })

  it('public DER (SPKI for RSA, P-256, P-521, secp256k1, Ed448, X25519; PKCS #1) reads as node:crypto reads it', () => {
    const pairs = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }), generateKeyPairSync('ec', { namedCurve: 'P-256' }), generateKeyPairSync('ec', { namedCurve: 'P-521' }),
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }), generateKeyPairSync('ed448'), generateKeyPairSync('x25519'),
    ]
    for (const { publicKey } of pairs) {
      const expected = publicKey.export({ format: 'jwk' })
      const der = publicKey.export({ format: 'der', type: 'spki' })
      assert.deepEqual(webBackend.exportJwkMembers(webBackend.importKeyDer(der, 'spki', 'public')), expected)
    }
    const rsa = pairs[0]!.publicKey
    assert.deepEqual(webBackend.exportJwkMembers(webBackend.importKeyDer(rsa.export({ format: 'der', type: 'pkcs1' }), 'pkcs1', 'public')), rsa.export({ format: 'jwk' }))
    const pem = rsa.export({ format: 'pem', type: 'spki' }) as string
    assert.deepEqual(webBackend.exportJwkMembers(webBackend.importPemText(pem, 'public')), rsa.export({ format: 'jwk' }))
  })

  it('private DER (PKCS #8 for RSA, P-256, P-384, secp256k1, Ed25519, Ed448, X25519, X448; SEC1; PKCS #1) and PEM read as node:crypto reads them', () => {
    const pairs = [
      generateKeyPairSync('rsa', { modulusLength: 2048 }), generateKeyPairSync('ec', { namedCurve: 'P-256' }), generateKeyPairSync('ec', { namedCurve: 'P-384' }),
      generateKeyPairSync('ec', { namedCurve: 'secp256k1' }), generateKeyPairSync('ed25519'), generateKeyPairSync('ed448'), generateKeyPairSync('x25519'), generateKeyPairSync('x448'),
    ]
    for (const { privateKey } of pairs) {
      const expected = privateKey.export({ format: 'jwk' })
      assert.deepEqual(webBackend.exportJwkMembers(webBackend.importKeyDer(privateKey.export({ format: 'der', type: 'pkcs8' }), 'pkcs8', 'private')), expected, String(expected.crv ?? expected.kty))
      assert.deepEqual(webBackend.exportJwkMembers(webBackend.importPemText(privateKey.export({ format: 'pem', type: 'pkcs8' }) as string, 'private')), expected)
    }
    const ec = pairs[1]!.privateKey
    assert.deepEqual(webBackend.exportJwkMembers(webBackend.importKeyDer(ec.export({ format: 'der', type: 'sec1' }), 'sec1', 'private')), ec.export({ format: 'jwk' }))
    const rsa = pairs[0]!.privateKey
    assert.deepEqual(webBackend.exportJwkMembers(webBackend.importKeyDer(rsa.export({ format: 'der', type: 'pkcs1' }), 'pkcs1', 'private')), rsa.export({ format: 'jwk' }))
    assert.throws(() => webBackend.importPemText(rsa.export({ format: 'pem', type: 'pkcs8' }) as string, 'public'), (e: unknown) => (e as { code?: string }).code === 'ERR_JWK_UNSUPPORTED')
  })

  it('SHAKE256, AES-CTR, unpadded AES-CBC and PBKDF2 (async, SHA-2) agree; bcrypt_pbkdf is Node-only', async () => {
    const data = randomBytes(300)
    for (const n of [32, 64, 114]) assert.deepEqual(Buffer.from(webBackend.shake256(data, n)), Buffer.from(nodeBackend.shake256(data, n)), `shake256/${n}`)
    assert.deepEqual(Buffer.from(webBackend.shake256('abc', 64)), Buffer.from(nodeBackend.shake256(new TextEncoder().encode('abc'), 64)))
    for (const keyLength of [16, 24, 32]) {
      const key = randomBytes(keyLength)
      const iv = randomBytes(16)
      // 300 bytes: a partial last block for CTR, and a counter that runs over 18 blocks.
      assert.deepEqual(Buffer.from(webBackend.aesCtrDecrypt(key, iv, data)), Buffer.from(nodeBackend.aesCtrDecrypt(key, iv, data)), `ctr/${keyLength}`)
      const blocks = data.subarray(0, 288)
      assert.deepEqual(Buffer.from(webBackend.aesCbcDecryptUnpadded(key, iv, blocks)), Buffer.from(nodeBackend.aesCbcDecryptUnpadded(key, iv, blocks)), `cbc/${keyLength}`)
      assert.throws(() => nodeBackend.aesCbcDecryptUnpadded(key, iv, data))
      assert.throws(() => webBackend.aesCbcDecryptUnpadded(key, iv, data))
    }
    const salt = randomBytes(16)
    for (const h of ['sha256', 'sha384', 'sha512'] as const) {
      assert.deepEqual(Buffer.from(await webBackend.pbkdf2Async(data.subarray(0, 20), salt, 1000, 32, h)), Buffer.from(await nodeBackend.pbkdf2Async(data.subarray(0, 20), salt, 1000, 32, h)), `pbkdf2/${h}`)
    }
    assert.equal(nodeBackend.bcryptPbkdf(new TextEncoder().encode('pass'), salt, 2, 48).length, 48)
    assert.throws(() => webBackend.bcryptPbkdf(new TextEncoder().encode('pass'), salt, 2, 48), (e: unknown) => (e as { code?: string }).code === 'ERR_JWK_UNSUPPORTED' && /bcrypt_pbkdf/.test(String((e as Error).message)))
  })
})
