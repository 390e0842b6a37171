import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import { isJwkitError } from '../../src/errors.ts'
import { thumbprint, thumbprintInput, thumbprintUri } from '../../src/jwk/thumbprint.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { keyZoo, readVector } from './helpers.ts'

interface Case { id: string; kind: string; input: { jwk: Jwk; hash?: string }; expected: Record<string, string> }
const cases = readVector('rfc-examples.json') as Case[]
const byId = (id: string) => cases.find((c) => c.id === id)!
const zoo = keyZoo() as unknown as Record<string, Jwk>

describe('thumbprint (RFC 7638)', () => {
  it('https://www.rfc-editor.org/rfc/rfc7638#section-3.1', () => {
    const c = byId('rfc7638-3.1')
    assert.equal(thumbprintInput(c.input.jwk), c.expected.canonicalJson)
    assert.equal(thumbprint(c.input.jwk), c.expected.thumbprint)
    assert.equal(thumbprint(c.input.jwk, 'sha256'), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs')
  })
  it('https://www.rfc-editor.org/rfc/rfc8037#appendix-A.3 (OKP)', () => {
    const c = byId('rfc8037-A.3')
    assert.equal(thumbprintInput(c.input.jwk), c.expected.canonicalJson)
    assert.equal(createHash('sha256').update(thumbprintInput(c.input.jwk)).digest('hex'), c.expected.sha256Hex)
    assert.equal(thumbprint(c.input.jwk), c.expected.thumbprint)
  })
  it('https://www.rfc-editor.org/rfc/rfc9278#section-3 (URI)', () => {
    const c = byId('rfc9278-3')
    assert.equal(thumbprintUri(c.input.jwk, 'sha256'), c.expected.uri)
    assert.match(thumbprintUri(c.input.jwk, 'sha384'), /^urn:ietf:params:oauth:jwk-thumbprint:sha-384:[A-Za-z0-9_-]{64}$/)
    assert.match(thumbprintUri(c.input.jwk, 'sha512'), /^urn:ietf:params:oauth:jwk-thumbprint:sha-512:[A-Za-z0-9_-]{86}$/)
  })
  it('uses exactly the required members per kty, lexicographically ordered (RFC 7638 §3.2)', () => {
    const ec = zoo.p256! as Record<string, string>
    assert.equal(thumbprintInput({ ...zoo.p256!, kid: 'x', alg: 'ES256' } as Jwk), `{"crv":"P-256","kty":"EC","x":"${ec.x}","y":"${ec.y}"}`)
    const rsa = zoo.rsa! as Record<string, string>
    assert.equal(thumbprintInput(zoo.rsa!), `{"e":"${rsa.e}","kty":"RSA","n":"${rsa.n}"}`)
    const okp = zoo.x448! as Record<string, string>
    assert.equal(thumbprintInput(zoo.x448!), `{"crv":"X448","kty":"OKP","x":"${okp.x}"}`)
    const oct = zoo.oct! as Record<string, string>
    assert.equal(thumbprintInput(zoo.oct!), `{"k":"${oct.k}","kty":"oct"}`)
    const akp = zoo.akp! as Record<string, string>
    assert.equal(thumbprintInput(zoo.akp!), `{"alg":"ML-DSA-44","kty":"AKP","pub":"${akp.pub}"}`)
  })
  it('is the same for a private key and its public key', () => {
    for (const [name, key] of Object.entries(zoo)) {
      if (name === 'oct') continue
      for (const hash of ['sha256', 'sha384', 'sha512'] as const) assert.equal(thumbprint(key, hash), thumbprint(toPublicJwk(key), hash), name)
    }
  })
  it('refuses keys it cannot fingerprint, with a code', () => {
    const code = (f: () => unknown, c: string) => assert.throws(f, (e: unknown) => isJwkitError(e) && e.code === c)
    code(() => thumbprint({ kty: 'EC', crv: 'P-256', x: 'AA' } as Jwk), 'ERR_JWK_INVALID')
    code(() => thumbprint({ kty: 'RSA', n: 1, e: 'AQAB' } as unknown as Jwk), 'ERR_JWK_INVALID')
    code(() => thumbprint({ kty: 'DSA' } as unknown as Jwk), 'ERR_JWK_UNSUPPORTED')
    assert.throws(() => thumbprint(zoo.p256!, 'md5' as never), TypeError)
    assert.throws(() => thumbprint(null as unknown as Jwk), TypeError)
  })
  it('escapes member values as JSON would', () => {
    for (const k of ['a"b', 'a\\b', 'a\u0001b', 'a\ud800b', 'a\ud83d\ude00b', 'é']) {
      assert.equal(thumbprintInput({ kty: 'oct', k } as Jwk), `{"k":${JSON.stringify(k)},"kty":"oct"}`)
    }
  })
})
