import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { verifyJws } from '../../src/jws/verify.ts'
import { signJws } from '../../src/jws/sign.ts'
import { verifyJwt } from '../../src/jwt/verify.ts'
import { insecureEmbeddedJwkResolver } from '../../src/jws/embedded-jwk.ts'
import { createLocalJwks } from '../../src/jwks/local.ts'
import { signBytes } from '../../src/crypto/sign.ts'
import { importKeyHandle } from '../../src/crypto/import.ts'
import { isJwkitError } from '../../src/errors.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const dir = new URL('../vectors/', import.meta.url)
const json = (rel: string) => JSON.parse(readFileSync(new URL(rel, dir), 'utf8'))
const utf8 = (b: Uint8Array) => Buffer.from(b).toString('utf8')
const rejects = (code: string) => (e: unknown) => isJwkitError(e) && e.code === code

interface CookbookJws {
  title: string
  reproducible?: boolean
  input: { payload: string; key: Jwk | Jwk[]; alg: string | string[] }
  signing: { protected: Record<string, unknown>; unprotected?: Record<string, unknown> } | Array<{ protected?: Record<string, unknown> }>
  output: { compact?: string; json?: object; json_flat?: object }
}

for (const file of readdirSync(new URL('cookbook/jws/', dir)).sort()) {
  test(`JOSE cookbook (RFC 7520 §4) ${file}: every output form verifies`, async () => {
    const v = json(`cookbook/jws/${file}`) as CookbookJws
    const keys = Array.isArray(v.input.key) ? v.input.key : [v.input.key]
    const detached = v.title.includes('Detached') ? v.input.payload : undefined
    let forms = 0
    for (const [form, out] of Object.entries(v.output)) {
      for (const [i, key] of keys.entries()) {
        const opts = detached === undefined ? {} : { detachedPayload: detached }
        const r = await verifyJws(out as string | object as never, key, opts)
        assert.equal(utf8(r.payload), v.input.payload, `${form}`)
        // The cookbook's keys are canonical: strict mode (issue 10) verifies the same.
        assert.equal(utf8((await verifyJws(out as string | object as never, key, { ...opts, strict: true })).payload), v.input.payload, `${form} strict`)
        if (form === 'json' && keys.length > 1) assert.equal(r.signatureIndex, i)
        forms++
      }
      // Tampered payload: refused with the fixed signature code.
      if (form === 'compact' && detached === undefined) {
        const [h, , s] = (out as string).split('.')
        await assert.rejects(verifyJws(`${h}.${Buffer.from('tampered').toString('base64url')}.${s}`, keys[0]!), rejects('ERR_JWS_SIGNATURE_INVALID'))
      }
    }
    assert.ok(forms > 0)
    // Deterministic algorithms: signing the same input gives the very same compact JWS.
    const signing = Array.isArray(v.signing) ? undefined : v.signing
    if (v.reproducible && v.output.compact && signing && Object.keys(signing.protected).join() === 'alg,kid' && detached === undefined) {
      const alg = v.input.alg as string
      const out = await signJws(v.input.payload, keys[0]!, { alg, kid: signing.protected.kid as string })
      assert.equal(out, v.output.compact)
    }
  })
}

test('cookbook curve25519/jws.json (Ed25519, RFC 8037) verifies and reproduces', async () => {
  const v = json('cookbook/curve25519/jws.json')
  const r = await verifyJws(v.output.compact, v.input.key)
  assert.equal(utf8(r.payload), v.input.payload)
  assert.equal(await signJws(v.input.payload, v.input.key, { alg: 'EdDSA' }), v.output.compact)
})

test('RFC 7797 b64:false: output forms with crit verify; the 4.2 form without crit is refused', async () => {
  const good = json('cookbook/rfc7797/hmac-sha2_b64_false.json')
  for (const form of ['json', 'json_flat'] as const) {
    if (good.output[form] === undefined) continue
    const r = await verifyJws(good.output[form], good.input.key)
    assert.equal(utf8(r.payload), good.input.payload)
  }
  if (good.output.compact) {
    const r = await verifyJws(good.output.compact, good.input.key)
    assert.equal(utf8(r.payload), good.input.payload)
    // RFC 7797 §7: never for JWTs.
    await assert.rejects(verifyJwt(good.output.compact, good.input.key), rejects('ERR_JWT_INVALID'))
  }
  // 4.2's encoded header is {"alg":"HS256","b64":false} with no crit: RFC 7797 §6 requires crit.
  const flawed = json('cookbook/rfc7797/4.2.hmac-sha2_b64_false.json')
  await assert.rejects(verifyJws(flawed.output.json_flat, flawed.input.key), rejects('ERR_JWS_CRIT_UNSUPPORTED'))
  await assert.rejects(verifyJws(flawed.output.json, flawed.input.key), rejects('ERR_JWS_CRIT_UNSUPPORTED'))
  // Round trip of our own b64:false output in every serialization.
  // RFC 7797 §5.2: a compact unencoded payload cannot hold a period.
  await assert.rejects(signJws('$.02', good.input.key, { alg: 'HS256', b64: false }), rejects('ERR_JWS_INVALID'))
  const compact = await signJws('$02', good.input.key, { alg: 'HS256', b64: false })
  assert.equal(utf8((await verifyJws(compact, good.input.key)).payload), '$02')
  const detached = await signJws('$.02', good.input.key, { alg: 'HS256', b64: false, detached: true })
  assert.equal(utf8((await verifyJws(detached, good.input.key, { detachedPayload: '$.02' })).payload), '$.02')
  for (const serialization of ['flattened', 'general'] as const) {
    const jws = await signJws('$.02', good.input.key, { alg: 'HS256', b64: false, serialization })
    const r = await verifyJws(jws as never, good.input.key)
    assert.equal(utf8(r.payload), '$.02')
    assert.equal(r.protectedHeader.b64, false)
  }
})

interface RfcCase { id: string; kind: string; input: Record<string, unknown>; expected: Record<string, unknown> }
const rfc = json('rfc-examples.json') as RfcCase[]
const byId = (id: string) => rfc.find((c) => c.id === id)!

test('RFC 7515 A.1 (HS256) and A.2 (RS256): signatures reproduced from the header octets, compact verifies', async () => {
  for (const id of ['rfc7515-A.1', 'rfc7515-A.2']) {
    const c = byId(id)
    const e = c.expected
    const alg = id.endsWith('1') ? 'HS256' : 'RS256'
    const sig = signBytes(alg, importKeyHandle(c.input.jwk as Jwk), Buffer.from(e.signingInput as string, 'latin1'))
    assert.equal(Buffer.from(sig).toString('base64url'), e.signatureB64u)
    const verifyKey = (c.input.publicJwk ?? c.input.jwk) as Jwk
    const r = await verifyJws(e.compact as string, verifyKey)
    assert.equal(Buffer.from(r.payload).toString('base64url'), e.payloadB64u)
  }
})

test('RFC 7515 A.3 (ES256), A.4 (ES512) and RFC 8037 A.4/A.5 (EdDSA)', async () => {
  for (const id of ['rfc7515-A.3', 'rfc7515-A.4']) {
    const c = byId(id)
    const r = await verifyJws(c.input.compact as string, c.input.publicJwk as Jwk)
    assert.equal(Buffer.from(r.payload).toString('base64url'), c.expected.payloadB64u)
    // ECDSA signature in DER form or with one byte off: refused.
    const [h, p, s] = (c.input.compact as string).split('.')
    const bad = Buffer.from(s!, 'base64url'); bad[bad.length - 1]! ^= 1
    await assert.rejects(verifyJws(`${h}.${p}.${bad.toString('base64url')}`, c.input.publicJwk as Jwk), rejects('ERR_JWS_SIGNATURE_INVALID'))
  }
  const a4 = byId('rfc8037-A.4')
  assert.equal(await signJws(a4.input.payload as string, a4.input.jwk as Jwk, { alg: 'EdDSA' }), a4.expected.compact)
  const a5 = byId('rfc8037-A.5')
  const r = await verifyJws(a5.input.compact as string, a5.input.jwk as Jwk)
  assert.equal(utf8(r.payload), a5.expected.payload)
})

test('RFC 7515 A.5: the unsecured JWS is refused by default and on every path', async () => {
  const c = byId('rfc7515-A.5')
  const key = byId('rfc7515-A.1').input.jwk as Jwk
  await assert.rejects(verifyJws(c.input.compact as string, key), rejects('ERR_ALG_NONE'))
  await assert.rejects(verifyJwt(c.input.compact as string, key), rejects('ERR_ALG_NONE'))
  await assert.rejects(verifyJwt(c.input.compact as string, key, { algorithms: ['none'] }), rejects('ERR_ALG_NONE'))
  await assert.rejects(verifyJws(c.input.compact as string, createLocalJwks({ keys: [key] })), rejects('ERR_ALG_NONE'))
})

test('RFC 7515 A.6 (general, RS256 + ES256) and A.7 (flattened)', async () => {
  const a6 = byId('rfc7515-A.6')
  const keys = a6.input.keys as Record<string, Jwk>
  const expected = a6.expected.signatures as Array<{ kid: string }>
  for (const [i, s] of expected.entries()) {
    const r = await verifyJws(a6.input.jws as never, keys[s.kid]!)
    assert.equal(r.signatureIndex, i)
    assert.equal(r.unprotectedHeader?.kid, s.kid)
    assert.equal(utf8(r.payload), a6.expected.payload)
  }
  // Through a key set: the kid of each signature's unprotected header selects its key.
  const set = createLocalJwks({ keys: Object.entries(keys).map(([kid, k]) => ({ ...k, kid })) })
  assert.equal((await verifyJws(a6.input.jws as never, set)).signatureIndex, 0)
  const a7 = byId('rfc7515-A.7')
  const r = await verifyJws(a7.input.jws as never, a7.input.publicJwk as Jwk)
  assert.equal(r.protectedHeader.alg, a7.expected.alg)
  assert.equal(r.unprotectedHeader?.kid, a7.expected.kid)
})

test('node-jose embedded jwk: never used by default, only through the named insecure resolver', async () => {
  const v = json('other/node-jose/jws.embedded_jwk.json')
  const compact = v.output.compact as string
  // A verifier handed another key never switches to the embedded one.
  const other = byId('rfc7515-A.2').input.publicJwk as Jwk
  await assert.rejects(verifyJws(compact, other), (e) => isJwkitError(e))
  const alg = JSON.parse(Buffer.from(compact.split('.')[0]!, 'base64url').toString()).alg as string
  const r = await verifyJws(compact, insecureEmbeddedJwkResolver({ algorithms: [alg] }))
  assert.equal(utf8(r.payload), v.input.payload)
  // The resolver requires its allowlist, and it excludes HMAC.
  await assert.rejects(verifyJws(compact, insecureEmbeddedJwkResolver({ algorithms: ['ES256'] })), rejects('ERR_ALG_NOT_ALLOWED'))
  assert.throws(() => insecureEmbeddedJwkResolver({ algorithms: ['HS256'] }), TypeError)
  assert.throws(() => insecureEmbeddedJwkResolver({} as never), TypeError)
})
