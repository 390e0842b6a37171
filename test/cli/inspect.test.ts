import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { runJwk as run } from './helpers.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { generateJwk } from '../../src/crypto/generate.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import type { Jwk } from '../../src/jwk/types.ts'

interface Example { id: string; input: { jwk: Record<string, unknown> } }
const examples = JSON.parse(readFileSync(new URL('../vectors/rfc-examples.json', import.meta.url), 'utf8')) as Example[]
/** RFC 7517 Appendix B: an RSA key with its self-signed certificate in x5c. */
const withX5c = examples.find((e) => e.id === 'rfc7517-B')!.input.jwk

test('jwk inspect: type, curve, private, thumbprint, use, alg, key_ops, kid', async () => {
  const jwk = { ...exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey), kid: 'k9', alg: 'ES384', key_ops: ['sign'] } as Jwk
  const r = await run(['inspect', 'k.json'], { 'k.json': JSON.stringify(jwk) })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^type +EC P-384$/m)
  assert.match(r.stdout, /^key +private$/m)
  assert.match(r.stdout, new RegExp(`^thumbprint +${thumbprint(jwk)} \\(SHA-256\\)$`, 'm'))
  assert.match(r.stdout, /^kid +k9$/m)
  assert.match(r.stdout, /^alg +ES384$/m)
  assert.match(r.stdout, /^key_ops +sign$/m)
  const j = JSON.parse((await run(['inspect', '--json'], {}, JSON.stringify(jwk))).stdout)
  assert.equal(j.kty, 'EC')
  assert.equal(j.crv, 'P-384')
  assert.equal(j.private, true)
  assert.equal(j.thumbprint, thumbprint(jwk))
  assert.deepEqual(j.key_ops, ['sign'])
})

test('jwk inspect: RSA bits, oct secret size, AKP parameter set, public keys', async () => {
  const rsa = await run(['inspect', '--json'], {}, JSON.stringify(exportJwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey)))
  assert.deepEqual([JSON.parse(rsa.stdout).bits, JSON.parse(rsa.stdout).private], [2048, false])
  const oct = await run(['inspect'], {}, JSON.stringify(await generateJwk('A192GCM')))
  assert.match(oct.stdout, /^type +oct \(symmetric\) 192 bits$/m)
  assert.match(oct.stdout, /^key +secret$/m)
  const akp = JSON.parse((await run(['inspect', '--json'], {}, JSON.stringify(await generateJwk('ML-DSA-44')))).stdout)
  assert.deepEqual([akp.kty, akp.crv, akp.private], ['AKP', 'ML-DSA-44', true])
})

test('jwk inspect x5c (RFC 7517 Appendix B): subject, issuer and validity of the first certificate', async () => {
  const r = await run(['inspect'], {}, JSON.stringify(withX5c))
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^x5c subject .*CN=Brian Campbell/m)
  assert.match(r.stdout, /^x5c issuer .*O=Ping Identity Corp\./m)
  assert.match(r.stdout, /^x5c valid +2013-02-21T23:29:15\.000Z to 2018-08-14T22:29:15\.000Z \(expired\)$/m)
  const j = JSON.parse((await run(['inspect', '--json'], {}, JSON.stringify(withX5c))).stdout)
  assert.equal(j.certificate.notBefore, '2013-02-21T23:29:15.000Z')
  assert.equal(j.certificate.notAfter, '2018-08-14T22:29:15.000Z')
  assert.equal(j.bits, 2048)
})

test('jwk inspect on a JWK Set: one summary per usable key; invalid input exits 1', async () => {
  const set = { keys: [await generateJwk('ES256', { kid: 'a' }), await generateJwk('EdDSA', { kid: 'b' }), { kty: 'XYZ' }] }
  const r = await run(['inspect', '--json', 's.json'], { 's.json': JSON.stringify(set) })
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout).map((s: { kid: string }) => s.kid), ['a', 'b'])
  assert.match(r.stderr, /skipped \/keys\/2/)
  const human = await run(['inspect', 's.json'], { 's.json': JSON.stringify(set) })
  assert.match(human.stdout, /^key 0\n  type +EC P-256$/m)
  const bad = await run(['inspect'], {}, '{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}')
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /^jwk inspect: ERR_JWK_INVALID: /)
  assert.match((await run(['inspect', '--help'])).stdout, /x5c/)
})
