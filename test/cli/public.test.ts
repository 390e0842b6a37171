import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { runJwk as run } from './helpers.ts'
import { exportJwk } from '../../src/crypto/export.ts'
import { generateJwk } from '../../src/crypto/generate.ts'

const ec: Record<string, unknown> = { ...exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey), kid: 'e1', use: 'sig', 'x-note': 'kept' }
const ed = exportJwk(generateKeyPairSync('ed25519').privateKey)
const ecPublic = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ format: 'jwk' })

test('jwk public FILE prints the public JWK: private members gone, metadata kept', async () => {
  const r = await run(['public', 'k.json'], { 'k.json': JSON.stringify(ec) })
  assert.equal(r.status, 0, r.stderr)
  const out = JSON.parse(r.stdout)
  // An allowlist: unregistered members are not copied (nothing says they are public).
  assert.deepEqual(Object.keys(out).sort(), ['crv', 'kid', 'kty', 'use', 'x', 'y'])
  assert.equal(out.d, undefined)
  assert.equal(out.x, ec.x)
  assert.equal(out.kid, 'e1')
})

test('jwk public reads stdin (- or no FILE); a public JWK stays as it is', async () => {
  for (const argv of [['public'], ['public', '-']]) {
    const r = await run(argv, {}, JSON.stringify(ed))
    assert.equal(r.status, 0, r.stderr)
    assert.deepEqual(JSON.parse(r.stdout), { kty: 'OKP', crv: 'Ed25519', x: (ed as { x: string }).x })
  }
  const again = await run(['public'], {}, JSON.stringify(ecPublic))
  assert.deepEqual(JSON.parse(again.stdout), ecPublic)
})

test('jwk public on a JWK Set: public keys, oct keys dropped, unusable keys reported on stderr', async () => {
  const set = { keys: [ec, await generateJwk('HS256'), ed, { kty: 'XYZ' }] }
  const r = await run(['public', 'set.json'], { 'set.json': JSON.stringify(set) })
  assert.equal(r.status, 0, r.stderr)
  const out = JSON.parse(r.stdout) as { keys: Array<Record<string, unknown>> }
  assert.deepEqual(out.keys.map((k) => k.kty), ['EC', 'OKP'])
  assert.ok(out.keys.every((k) => k.d === undefined))
  assert.match(r.stderr, /skipped \/keys\/3: ERR_JWK_UNSUPPORTED/)
})

test('jwk public refusals: an oct key (exit 1), invalid JSON or key (exit 1), missing file (exit 3), two files (exit 2)', async () => {
  const oct = await run(['public'], {}, JSON.stringify(await generateJwk('HS256')))
  assert.equal(oct.status, 1)
  assert.match(oct.stderr, /ERR_JWK_NO_PUBLIC_FORM/)
  const dup = await run(['public'], {}, '{"kty":"EC","kty":"EC"}')
  assert.equal(dup.status, 1)
  assert.match(dup.stderr, /ERR_JSON_INVALID/)
  // Whitespace has no single reading (padding alone would be normalised: issue 10).
  const bad = await run(['public'], {}, JSON.stringify({ ...ec, x: String(ec.x).slice(0, 5) + ' ' + String(ec.x).slice(5) }))
  assert.equal(bad.status, 1)
  assert.match(bad.stderr, /ERR_JWK_INVALID/)
  const missing = await run(['public', 'missing.json'])
  assert.equal(missing.status, 3)
  assert.match(missing.stderr, /ERR_FILE_ACCESS: cannot read the input file missing\.json: no such file or directory/)
  const two = await run(['public', 'a', 'b'])
  assert.equal(two.status, 2)
  assert.match(two.stderr, /ERR_CLI_USAGE/)
  assert.match((await run(['public', '--help'])).stdout, /Examples:/)
})
