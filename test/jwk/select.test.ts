import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { selectKeys } from '../../src/jwk/select.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { keyZoo, without, type Json } from './helpers.ts'

const zoo = keyZoo()
const pub = (k: Json, extra: object = {}) => ({ ...without(k, 'd', 'p', 'q', 'dp', 'dq', 'qi', 'priv'), ...extra }) as unknown as Jwk
const ec = pub(zoo.p256!, { kid: 'ec' })
const ecSig = pub(zoo.p256!, { kid: 'ec-sig', use: 'sig', alg: 'ES256' })
const ecEnc = pub(zoo.p256!, { kid: 'ec-enc', use: 'enc' })
const ecOps = pub(zoo.p256!, { kid: 'ec-ops', key_ops: ['deriveBits'] })
const p384 = pub(zoo.p384!, { kid: 'p384' })
const rsa = pub(zoo.rsa!, { kid: 'rsa', alg: 'PS256' })
const hmac = { kty: 'oct', kid: 'h', k: randomBytes(32).toString('base64url') } as Jwk
const keys = [ec, ecSig, ecEnc, ecOps, p384, rsa, hmac]
const kids = (list: Jwk[]) => list.map((k) => k.kid)

describe('selectKeys (RFC 7515 §4.1.4, RFC 7517 §4.2–4.4)', () => {
  it('by kid, kty, crv', () => {
    assert.deepEqual(kids(selectKeys(keys, { kid: 'rsa' })), ['rsa'])
    assert.deepEqual(kids(selectKeys(keys, { kty: 'oct' })), ['h'])
    assert.deepEqual(kids(selectKeys(keys, { crv: 'P-384' })), ['p384'])
    assert.deepEqual(kids(selectKeys(keys, { kid: 'nope' })), [])
    assert.equal(selectKeys(keys).length, keys.length)
  })
  it('by alg: the key must fit it, and a key alg must equal it; use and key_ops that contradict exclude', () => {
    assert.deepEqual(kids(selectKeys(keys, { alg: 'ES256' })), ['ec', 'ec-sig'])
    assert.deepEqual(kids(selectKeys(keys, { alg: 'RS256' })), [])
    assert.deepEqual(kids(selectKeys(keys, { alg: 'PS256' })), ['rsa'])
    assert.deepEqual(kids(selectKeys(keys, { alg: 'HS256' })), ['h'])
    assert.deepEqual(kids(selectKeys(keys, { alg: 'HS512' })), [])
    assert.deepEqual(kids(selectKeys(keys, { alg: 'ECDH-ES' })), ['ec', 'ec-enc', 'ec-ops', 'p384'])
  })
  it('by use: keys without use are kept', () => {
    assert.deepEqual(kids(selectKeys(keys, { use: 'sig', kty: 'EC' })), ['ec', 'ec-sig', 'p384'])
    assert.deepEqual(kids(selectKeys(keys, { use: 'enc', kty: 'EC' })), ['ec', 'ec-enc', 'ec-ops', 'p384'])
  })
  it('by key_ops: keys without key_ops are kept, others must list every operation', () => {
    assert.deepEqual(kids(selectKeys(keys, { key_ops: 'verify', kty: 'EC' })), ['ec', 'ec-sig', 'p384'])
    assert.deepEqual(kids(selectKeys(keys, { key_ops: ['deriveBits'], kty: 'EC' })), ['ec', 'ec-enc', 'ec-ops', 'p384'])
  })
  it('skips entries that are not objects, and refuses a non-array', () => {
    assert.deepEqual(selectKeys([null as unknown as Jwk, ec], { kid: 'ec' }), [ec])
    assert.throws(() => selectKeys('x' as never, {}), TypeError)
  })
})
