/**
 * PEM SPKI and PKCS#8 written by WebCrypto (Node's crypto.subtle here, the browser's in the
 * page) for the conversions the browser build's toPem cannot write: byte for byte what Node's
 * KeyObject writes for SPKI, the same private key for PKCS#8; key metadata (alg, use) never
 * stands in the way; key types WebCrypto lacks stay unavailable; only conversions missing for
 * want of a synchronous writer are filled.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createPrivateKey, generateKeyPairSync } from 'node:crypto'
import { completeConversions, pemByWebCrypto, type SubtleLike } from '../../src/web/logic/pem-webcrypto.ts'
import { keyReport } from '../../src/web/logic/analyze.ts'
import type { Jwk } from '../../src/web/logic/jwkit.ts'

const subtle = globalThis.crypto.subtle as unknown as SubtleLike

const pairs = {
  'RSA 2048': generateKeyPairSync('rsa', { modulusLength: 2048 }),
  'EC P-256': generateKeyPairSync('ec', { namedCurve: 'P-256' }),
  'EC P-384': generateKeyPairSync('ec', { namedCurve: 'P-384' }),
  'EC P-521': generateKeyPairSync('ec', { namedCurve: 'P-521' }),
  Ed25519: generateKeyPairSync('ed25519'),
  X25519: generateKeyPairSync('x25519'),
}

test('SPKI is what Node writes; PKCS#8 holds the same private key; alg and use do not stand in the way', async () => {
  for (const [name, { publicKey, privateKey }] of Object.entries(pairs)) {
    const jwk = { ...(privateKey.export({ format: 'jwk' }) as object), kid: 'k', alg: name.startsWith('RSA') ? 'PS384' : 'ES256', use: 'enc' } as unknown as Jwk
    assert.equal(await pemByWebCrypto(jwk, 'spki', subtle), publicKey.export({ format: 'pem', type: 'spki' }), name)
    const pkcs8 = await pemByWebCrypto(jwk, 'pkcs8', subtle)
    assert.match(pkcs8 ?? '', /^-----BEGIN PRIVATE KEY-----\n/, name)
    assert.deepEqual(createPrivateKey(pkcs8!).export({ format: 'jwk' }), privateKey.export({ format: 'jwk' }), name)
    // from the public key alone: SPKI yes, PKCS#8 no
    const pub = publicKey.export({ format: 'jwk' }) as unknown as Jwk
    assert.equal(await pemByWebCrypto(pub, 'spki', subtle), publicKey.export({ format: 'pem', type: 'spki' }), `${name} public`)
    assert.equal(await pemByWebCrypto(pub, 'pkcs8', subtle), undefined, `${name} public`)
  }
})

test('key types WebCrypto lacks stay unavailable', async () => {
  for (const key of [generateKeyPairSync('ec', { namedCurve: 'secp256k1' }), generateKeyPairSync('ed448'), generateKeyPairSync('x448')]) {
    const jwk = key.privateKey.export({ format: 'jwk' }) as unknown as Jwk
    assert.equal(await pemByWebCrypto(jwk, 'spki', subtle), undefined, JSON.stringify((jwk as { crv?: string }).crv))
  }
  assert.equal(await pemByWebCrypto({ kty: 'oct', k: 'AAAA' } as unknown as Jwk, 'spki', subtle), undefined)
})

test('completeConversions fills only what a synchronous writer was missing for, and leaves the rest as it was', async () => {
  const { privateKey, publicKey } = pairs['EC P-256']
  const report = keyReport('key', privateKey.export({ format: 'jwk' }))
  // on Node toPem writes every PEM: nothing to fill, the same array back
  assert.ok(report.conversions.find((c) => c.id === 'spki')!.text)
  const reports = [report]
  assert.equal(await completeConversions(reports, subtle), reports)
  // as the browser build leaves them: SPKI and PKCS#8 unavailable for want of a synchronous writer; SEC1 too
  const lacking = 'this runtime lacks a synchronous SPKI key writer (WebCrypto exportKey is asynchronous)'
  const browserLike = {
    ...report,
    conversions: report.conversions.map((c) => (c.id === 'spki' || c.id === 'pkcs8' || c.id === 'sec1' ? { id: c.id, label: c.label, filename: c.filename, unavailable: lacking } : c)),
  }
  const noKey = { ...browserLike, jwk: undefined }
  const [filled, untouched] = await completeConversions([browserLike, noKey], subtle)
  const byId = (id: string) => filled!.conversions.find((c) => c.id === id)!
  assert.equal(byId('spki').text, publicKey.export({ format: 'pem', type: 'spki' }))
  assert.equal(byId('spki').unavailable, undefined)
  assert.match(byId('pkcs8').text ?? '', /BEGIN PRIVATE KEY/)
  assert.deepEqual(byId('sec1'), browserLike.conversions.find((c) => c.id === 'sec1'), 'SEC1 is not written by WebCrypto: still unavailable, same reason')
  assert.equal(byId('jwk'), browserLike.conversions.find((c) => c.id === 'jwk'), 'the others are the same objects')
  assert.equal(untouched, noKey, 'a report without a key is left as it is')
  // a conversion unavailable for another reason (a public key has no PKCS#8) is not filled
  const pubReport = keyReport('key', publicKey.export({ format: 'jwk' }))
  const pkcs8 = pubReport.conversions.find((c) => c.id === 'pkcs8')!
  assert.equal(pkcs8.text, undefined)
  assert.equal(await completeConversions([pubReport], subtle).then((r) => r[0]), pubReport)
})
