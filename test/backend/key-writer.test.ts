// The web backend's DER key writer (src/backend/key-writer.ts) against node:crypto's export:
// the same bytes for every key kind, curve and structure, fixed keys and fresh ones (RSA moduli
// and CRT values with a high bit set or leading zero bytes, P-521 scalars with leading zeros).
import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto'
import { test } from 'node:test'
import * as web from '../../src/backend/web.ts'
import { writeKeyDer, type KeyDerType } from '../../src/backend/key-writer.ts'
import keys from '../runtimes/portable/keys.json' with { type: 'json' }

type Members = Record<string, string>

/** What node:crypto writes: SPKI and PKCS #1 public from the public half. */
function nodeDer(ko: KeyObject, type: KeyDerType, publicOnly: boolean): Buffer {
  const key = publicOnly ? createPublicKey(ko) : ko
  return key.export({ format: 'der', type: type as 'pkcs8', cipher: undefined, passphrase: undefined })
}

function structuresOf(jwk: Members): Array<[KeyDerType, boolean]> {
  const out: Array<[KeyDerType, boolean]> = [['spki', true], ['pkcs8', false]]
  if (jwk.kty === 'RSA') out.push(['pkcs1', false], ['pkcs1', true])
  if (jwk.kty === 'EC') out.push(['sec1', false])
  return out
}

function compare(name: string, jwk: Members): number {
  const ko = createPrivateKey({ key: jwk, format: 'jwk' })
  const pub = createPublicKey(ko).export({ format: 'jwk' }) as Members
  let n = 0
  for (const [type, publicOnly] of structuresOf(jwk)) {
    const members = publicOnly ? pub : jwk
    const expected = nodeDer(ko, type, publicOnly)
    assert.deepEqual(Buffer.from(writeKeyDer(members, type)), expected, `${name} ${type}${publicOnly ? ' public' : ''}`)
    const handle = web.importJwkMembers(members, publicOnly ? 'public' : 'private')
    assert.deepEqual(Buffer.from(web.exportKeyDer(handle, type)), expected, `${name} ${type} through the web backend`)
    n++
  }
  return n
}

test('every fixed key of the portable suite: SPKI, PKCS #8, PKCS #1 (private and public), SEC1 as node:crypto writes them', () => {
  let n = 0
  for (const [name, jwk] of Object.entries(keys as unknown as Record<string, Members>)) {
    if (jwk.kty === 'oct' || jwk.kty === 'AKP') continue
    n += compare(name, jwk)
  }
  assert.ok(n >= 30, `${n} comparisons`)
})

test('fresh keys of every kind, many of each (leading zeros and high bits in integers and scalars)', () => {
  const specs: Array<[string, object]> = [
    ['rsa', { modulusLength: 1024 }], ['rsa', { modulusLength: 2048, publicExponent: 3 }],
    ['ec', { namedCurve: 'P-256' }], ['ec', { namedCurve: 'P-384' }], ['ec', { namedCurve: 'P-521' }], ['ec', { namedCurve: 'secp256k1' }],
    ['ed25519', {}], ['ed448', {}], ['x25519', {}], ['x448', {}],
  ]
  for (const [type, options] of specs) {
    const rounds = type === 'rsa' ? 6 : 24
    for (let i = 0; i < rounds; i++) {
      const { privateKey } = generateKeyPairSync(type as 'ec', options as { namedCurve: string })
      compare(`${type} ${JSON.stringify(options)} #${i}`, privateKey.export({ format: 'jwk' }) as Members)
    }
  }
})

test('structures that cannot hold the key are refused', () => {
  const ec = (keys as unknown as Record<string, Members>).ES256!
  const ed = (keys as unknown as Record<string, Members>).EdDSA!
  assert.throws(() => writeKeyDer(ec, 'pkcs1'), TypeError)
  assert.throws(() => writeKeyDer(ed, 'sec1'), TypeError)
  assert.throws(() => writeKeyDer({ kty: 'EC', crv: 'P-256', x: ec.x!, y: ec.y! }, 'pkcs8'), TypeError)
  assert.throws(() => writeKeyDer({ kty: 'EC', crv: 'brainpoolP256r1', x: ec.x!, y: ec.y! }, 'spki'), TypeError)
})
