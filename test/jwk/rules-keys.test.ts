import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { EC_CURVES } from '../../src/jwk/curves.ts'
import { assertAccepted, assertRefused, akpJwk, b64, keyZoo, nodeJwk, unb64, without } from './helpers.ts'

const zoo = keyZoo()
const other = { p256: nodeJwk('ec', { namedCurve: 'P-256' }), ed25519: nodeJwk('ed25519'), rsa: nodeJwk('rsa', { modulusLength: 2048 }) }
const rsa1024 = nodeJwk('rsa', { modulusLength: 1024 })
const hex = (v: bigint, len: number) => b64(Buffer.from(v.toString(16).padStart(len * 2, '0'), 'hex'))

describe('every generated key type is accepted', () => {
  for (const [name, jwk] of Object.entries(zoo)) {
    it(name, () => {
      assertAccepted(jwk)
      if (name !== 'oct') assertAccepted(without(jwk, 'd', 'p', 'q', 'dp', 'dq', 'qi', 'priv'))
    })
  }
})

describe('EC keys (RFC 7518 §6.2, RFC 8812 §3.1)', () => {
  const pub = without(zoo.p256!, 'd')
  it('crv is required, a string, case-sensitive', () => {
    assertRefused(without(pub, 'crv'), 'ERR_JWK_INVALID', '/crv')
    assertRefused({ ...pub, crv: 256 }, 'ERR_JWK_INVALID', '/crv')
    assertRefused({ ...pub, crv: 'p-256' }, 'ERR_JWK_UNSUPPORTED', '/crv')
    assertRefused({ ...pub, crv: 'P-192' }, 'ERR_JWK_UNSUPPORTED', '/crv')
  })
  it('x and y are required and exactly the field length (RFC 7518 §6.2.1.2–3)', () => {
    assertRefused(without(pub, 'y'), 'ERR_JWK_INVALID', '/y')
    assertRefused(without(pub, 'x'), 'ERR_JWK_INVALID', '/x')
    const strict = { strict: true }
    assertRefused({ ...pub, x: b64(unb64(pub.x).subarray(1)) }, 'ERR_JWK_INVALID', '/x', strict)
    assertRefused({ ...pub, y: b64(Buffer.concat([Buffer.alloc(1), unb64(pub.y)])) }, 'ERR_JWK_INVALID', '/y', strict)
    // P-521 coordinates are 66 bytes even with leading zeros
    const p521 = without(zoo.p521!, 'd')
    assertRefused({ ...p521, x: b64(unb64(p521.x).subarray(0, 65)) }, 'ERR_JWK_INVALID', '/x', strict)
  })
  it('default: coordinates off the field length only by leading zero octets are normalised', () => {
    // Keycloak before 20 adds a sign octet; PyJWT and Authlib strip leading zeros.
    for (const m of ['x', 'y'] as const) {
      const longer = assertAccepted({ ...pub, [m]: b64(Buffer.concat([Buffer.alloc(1), unb64(pub[m])])) }, ['ERR_JWK_NON_CANONICAL'])
      assert.equal(longer[m as 'x'], pub[m])
    }
    const key = zoo.p256!
    const d = unb64(key.d)
    assert.equal(assertAccepted({ ...key, d: b64(Buffer.concat([Buffer.alloc(2), d])) }, ['ERR_JWK_NON_CANONICAL']).d, key.d)
    // What differs by more than leading zeros is refused in both modes: another value.
    if (unb64(pub.x)[0] !== 0) assertRefused({ ...pub, x: b64(unb64(pub.x).subarray(1)) }, 'ERR_JWK_INVALID', '/x') // another x: off the curve
    assertRefused({ ...pub, y: b64(Buffer.concat([Buffer.from([1]), unb64(pub.y)])) }, 'ERR_JWK_INVALID', '/y')
    const p521 = without(zoo.p521!, 'd')
    assertRefused({ ...p521, x: b64(unb64(p521.x).subarray(0, 65)) }, 'ERR_JWK_INVALID', '/x')
  })
  it('the point is on the curve (RFC 7518 §6.2.1)', () => {
    const y = unb64(pub.y)
    y[31]! ^= 1
    assertRefused({ ...pub, y: b64(y) }, 'ERR_JWK_INVALID', '/x')
    for (const key of [zoo.p384!, zoo.p521!, zoo.k256!]) {
      const yy = unb64(key.y)
      yy[yy.length - 1]! ^= 2
      assertRefused({ ...without(key, 'd'), y: b64(yy) }, 'ERR_JWK_INVALID', '/x')
    }
    // x, y are field elements: x + p is refused even where it fits the length
    const c = EC_CURVES['secp256k1']!
    const x = BigInt('0x' + unb64(zoo.k256!.x).toString('hex'))
    if (x + c.p < 1n << 256n) assertRefused({ ...without(zoo.k256!, 'd'), x: hex(x + c.p, 32) }, 'ERR_JWK_INVALID', '/x')
    assertRefused({ ...pub, x: hex(0n, 32), y: hex(0n, 32) }, 'ERR_JWK_INVALID', '/x')
  })
  it('d has the right length, lies in [1, n-1] and matches (x, y) (RFC 7518 §6.2.2.1)', () => {
    const key = zoo.p256!
    assertRefused({ ...key, d: b64(unb64(key.d).subarray(1)) }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...key, d: hex(0n, 32) }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...key, d: hex(EC_CURVES['P-256']!.n, 32) }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...key, d: other.p256.d }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...zoo.k256!, d: nodeJwk('ec', { namedCurve: 'secp256k1' }).d }, 'ERR_JWK_INVALID', '/d')
  })
})

describe('OKP keys (RFC 8037 §2)', () => {
  it('crv is one of Ed25519, Ed448, X25519, X448', () => {
    assertRefused({ ...zoo.ed25519!, crv: 'ed25519' }, 'ERR_JWK_UNSUPPORTED', '/crv')
    assertRefused({ ...zoo.ed25519!, crv: 'P-256' }, 'ERR_JWK_UNSUPPORTED', '/crv')
    assertRefused(without(zoo.ed25519!, 'crv'), 'ERR_JWK_INVALID', '/crv')
  })
  it('x and d have the curve length', () => {
    assertRefused({ ...zoo.ed25519!, x: b64(randomBytes(31)) }, 'ERR_JWK_INVALID', '/x')
    assertRefused({ ...zoo.ed448!, d: b64(randomBytes(56)) }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...zoo.x448!, x: b64(randomBytes(57)) }, 'ERR_JWK_INVALID', '/x')
    assertRefused(without(zoo.x25519!, 'x'), 'ERR_JWK_INVALID', '/x')
  })
  it('d matches x', () => {
    assertRefused({ ...zoo.ed25519!, d: other.ed25519.d }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...zoo.x25519!, d: nodeJwk('x25519').d }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...zoo.ed448!, d: nodeJwk('ed448').d }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...zoo.x448!, d: nodeJwk('x448').d }, 'ERR_JWK_INVALID', '/d')
  })
  it('X25519/X448 are key agreement keys, Ed25519/Ed448 signature keys (RFC 8037 §2–3)', () => {
    assertRefused({ ...zoo.x25519!, use: 'sig' }, 'ERR_JWK_INVALID', '/use')
    assertRefused({ ...zoo.x448!, key_ops: ['sign'] }, 'ERR_JWK_INVALID', '/key_ops')
    assertRefused({ ...zoo.ed25519!, use: 'enc' }, 'ERR_JWK_INVALID', '/use')
    assertRefused({ ...zoo.ed448!, key_ops: ['encrypt'] }, 'ERR_JWK_INVALID', '/key_ops')
    assertAccepted({ ...zoo.x25519!, use: 'enc', key_ops: ['deriveBits'] })
  })
})

describe('RSA keys (RFC 7518 §6.3, RFC 8017 §3)', () => {
  const key = zoo.rsa!
  const pub = without(key, 'd', 'p', 'q', 'dp', 'dq', 'qi')
  it('n and e are required minimal-octet integers (RFC 7518 §2 Base64urlUInt)', () => {
    assertRefused(without(pub, 'n'), 'ERR_JWK_INVALID', '/n')
    assertRefused(without(pub, 'e'), 'ERR_JWK_INVALID', '/e')
    assertRefused({ ...pub, n: b64(Buffer.concat([Buffer.alloc(1), unb64(pub.n)])) }, 'ERR_JWK_INVALID', '/n', { strict: true })
    assertRefused({ ...pub, e: 'AAEAAQ' }, 'ERR_JWK_INVALID', '/e', { strict: true })
    assertRefused({ ...pub, e: '' }, 'ERR_JWK_INVALID', '/e')
    for (const m of ['d', 'p', 'q', 'dp', 'dq', 'qi']) {
      assertRefused({ ...key, [m]: b64(Buffer.concat([Buffer.alloc(1), unb64(key[m])])) }, 'ERR_JWK_INVALID', '/' + m, { strict: true })
    }
  })
  it('default: leading zero octets of every RSA integer are removed with a warning (PayPal, Yahoo, Salesforce)', () => {
    for (const m of ['n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) {
      const padded = { ...key, [m]: b64(Buffer.concat([Buffer.alloc(m === 'n' ? 1 : 2), unb64(key[m])])) }
      const jwk = assertAccepted(padded, ['ERR_JWK_NON_CANONICAL'])
      assert.deepEqual(jwk, key, `${m}: the canonical key comes back`)
      assertRefused(padded, 'ERR_JWK_INVALID', '/' + m, { strict: true })
    }
    assert.equal(assertAccepted({ ...pub, e: 'AAEAAQ' }, ['ERR_JWK_NON_CANONICAL']).e, 'AQAB')
    assertRefused({ ...pub, e: '' }, 'ERR_JWK_INVALID', '/e') // no integer at all
    assertRefused({ ...pub, e: 'AA' }, 'ERR_JWK_INVALID', '/e') // zero
  })
  it('e is odd, at least 3 and below n; n is odd (RFC 8017 §3.1)', () => {
    assertRefused({ ...pub, e: 'AQ' }, 'ERR_JWK_INVALID', '/e') // 1
    assertRefused({ ...pub, e: 'AQAC' }, 'ERR_JWK_INVALID', '/e') // 65538
    assertRefused({ ...pub, e: pub.n }, 'ERR_JWK_INVALID', '/e')
    const n = unb64(pub.n)
    n[n.length - 1]! &= 0xfe
    assertRefused({ ...pub, n: b64(n) }, 'ERR_JWK_INVALID', '/n')
    assertRefused({ ...pub, n: b64(randomBytes(32).fill(0xff, 0, 1).fill(0x01, 31)) }, 'ERR_JWK_INVALID', '/n')
    assertRefused({ ...pub, n: b64(Buffer.alloc(2100, 0xff)) }, 'ERR_JWK_UNSUPPORTED', '/n')
  })
  it('a modulus under 2048 bits parses with a warning (ERR_JWK_WEAK_KEY)', () => {
    assertAccepted(rsa1024, ['ERR_JWK_WEAK_KEY'])
    assertAccepted({ ...rsa1024, alg: 'RS256' }, ['ERR_JWK_WEAK_KEY', 'ERR_JWK_WEAK_KEY'])
  })
  it('an empty oth is dropped with a warning (.NET output); strict refuses it', () => {
    assert.equal(assertAccepted({ ...pub, oth: [] }, ['ERR_JWK_NON_CANONICAL']).oth, undefined)
    assert.equal(assertAccepted({ ...key, oth: [] }, ['ERR_JWK_NON_CANONICAL']).oth, undefined)
    assertRefused({ ...pub, oth: [] }, 'ERR_JWK_UNSUPPORTED', '/oth', { strict: true })
  })
  it('multi-prime oth is ERR_JWK_UNSUPPORTED (RFC 7518 §6.3.2.7)', () => {
    assertRefused({ ...key, oth: [{ r: 'AQ', d: 'AQ', t: 'AQ' }] }, 'ERR_JWK_UNSUPPORTED', '/oth')
  })
  it('CRT members come all or none (RFC 7518 §6.3.2)', () => {
    assertRefused(without(key, 'qi'), 'ERR_JWK_INVALID', '/qi')
    assertRefused(without(key, 'd'), 'ERR_JWK_INVALID', '/p')
    assertAccepted(without(key, 'p', 'q', 'dp', 'dq', 'qi'), ['ERR_JWK_UNSUPPORTED'])
  })
  it('p·q = n, e·d ≡ 1, dp, dq, qi consistent (RFC 8017 §3.2)', () => {
    assertRefused({ ...key, p: other.rsa.p }, 'ERR_JWK_INVALID', '/p')
    assertRefused({ ...key, p: key.q, q: key.p }, 'ERR_JWK_INVALID', '/dp') // the CRT members belong to the other order
    assertRefused({ ...key, dp: key.dq }, 'ERR_JWK_INVALID', '/dp')
    assertRefused({ ...key, dq: key.dp }, 'ERR_JWK_INVALID', '/dq')
    assertRefused({ ...key, qi: other.rsa.qi }, 'ERR_JWK_INVALID', '/qi')
    const d = BigInt('0x' + unb64(key.d).toString('hex'))
    const dHex = (d + 2n).toString(16)
    assertRefused({ ...key, d: b64(Buffer.from(dHex.length % 2 ? '0' + dHex : dHex, 'hex')) }, 'ERR_JWK_INVALID', '/d')
    assertRefused({ ...key, d: pub.n }, 'ERR_JWK_INVALID', '/d')
  })
})

describe('oct keys (RFC 7518 §6.4)', () => {
  it('k is required and not empty', () => {
    assertRefused({ kty: 'oct' }, 'ERR_JWK_INVALID', '/k')
    assertRefused({ kty: 'oct', k: '' }, 'ERR_JWK_INVALID', '/k')
  })
  it('k is sized for its alg (RFC 7518 §3.2, §4.4, §4.7, §5.2, §5.3)', () => {
    const k = (n: number) => b64(randomBytes(n))
    assertRefused({ kty: 'oct', alg: 'HS256', k: k(31) }, 'ERR_JWK_WEAK_KEY', '/k')
    assertRefused({ kty: 'oct', alg: 'HS384', k: k(47) }, 'ERR_JWK_WEAK_KEY', '/k')
    assertRefused({ kty: 'oct', alg: 'HS512', k: k(63) }, 'ERR_JWK_WEAK_KEY', '/k')
    assertAccepted({ kty: 'oct', alg: 'HS256', k: k(65) })
    assertRefused({ kty: 'oct', alg: 'A128KW', k: k(32) }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ kty: 'oct', alg: 'A256GCM', k: k(16) }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ kty: 'oct', alg: 'A128CBC-HS256', k: k(16) }, 'ERR_JWK_INVALID', '/alg')
    assertRefused({ kty: 'oct', alg: 'A256CBC-HS512', k: k(32) }, 'ERR_JWK_INVALID', '/alg')
    for (const [alg, n] of [['A128KW', 16], ['A192KW', 24], ['A256KW', 32], ['A128GCM', 16], ['A256GCM', 32], ['A128GCMKW', 16], ['A128CBC-HS256', 32], ['A192CBC-HS384', 48], ['A256CBC-HS512', 64], ['dir', 7], ['PBES2-HS256+A128KW', 5]] as const) {
      assertAccepted({ kty: 'oct', alg, k: k(n) })
    }
    assertRefused({ kty: 'oct', alg: 'ES256', k: k(32) }, 'ERR_JWK_INVALID', '/alg')
  })
})

describe('AKP keys (draft-ietf-cose-dilithium, FIPS 204)', () => {
  const key = zoo.akp!
  it('accepts every parameter set, with and without priv', () => {
    for (const alg of ['ML-DSA-65', 'ML-DSA-87'] as const) {
      const k = akpJwk(alg)
      assertAccepted(k)
      assertAccepted(without(k, 'priv'))
    }
  })
  it('alg is required and names the parameter set', () => {
    assertRefused(without(key, 'alg'), 'ERR_JWK_INVALID', '/alg')
    assertRefused({ ...key, alg: 'ML-DSA-99' }, 'ERR_JWK_UNSUPPORTED', '/alg')
    assertRefused({ ...key, alg: 'ML-DSA-65' }, 'ERR_JWK_INVALID', '/pub')
  })
  it('pub and priv have the FIPS 204 sizes and priv derives pub', () => {
    assertRefused(without(key, 'pub'), 'ERR_JWK_INVALID', '/pub')
    assertRefused({ ...key, pub: b64(randomBytes(1311)) }, 'ERR_JWK_INVALID', '/pub')
    assertRefused({ ...key, priv: b64(randomBytes(31)) }, 'ERR_JWK_INVALID', '/priv')
    assertRefused({ ...key, priv: b64(randomBytes(32)) }, 'ERR_JWK_INVALID', '/priv')
  })
  it('is a signature key only', () => {
    assertRefused({ ...key, use: 'enc' }, 'ERR_JWK_INVALID', '/use')
    assert.ok(assertAccepted({ ...key, use: 'sig', key_ops: ['sign'] }))
  })
})
