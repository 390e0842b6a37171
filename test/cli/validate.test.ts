import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { runJwk as run } from './helpers.ts'
import { exportJwk } from '../../src/crypto/export.ts'

interface Report { valid: boolean; kind: string; keys?: number; problems: Array<{ code: string; path: string; severity: string; message: string }> }
const ec = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey) as unknown as Record<string, string>
const rsa1024 = exportJwk(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey) as unknown as Record<string, string>
const validate = async (value: unknown, json = true) => {
  const r = await run(json ? ['validate', '--json'] : ['validate'], {}, typeof value === 'string' ? value : JSON.stringify(value))
  return { ...r, report: json ? (JSON.parse(r.stdout) as Report) : undefined }
}

test('jwk validate: a valid JWK exits 0 and says so', async () => {
  const r = await run(['validate', 'k.json'], { 'k.json': JSON.stringify(ec) })
  assert.equal(r.status, 0, r.stderr)
  assert.match(r.stdout, /^valid JWK\n/)
  const j = await validate(ec)
  assert.deepEqual(j.report, { valid: true, kind: 'jwk', problems: [] })
})

test('jwk validate: every problem of an invalid JWK, each with its path; exit 1', async () => {
  const bad = { ...ec, x: ec.x + ' ', y: ec.y!.slice(2), use: 'enc', key_ops: ['sign'] }
  const { status, report } = await validate(bad)
  assert.equal(status, 1)
  assert.equal(report!.valid, false)
  const paths = report!.problems.filter((p) => p.severity === 'error').map((p) => p.path).sort()
  for (const path of ['/x', '/y', '/key_ops']) assert.ok(paths.includes(path), `${path} in ${paths.join(' ')}`)
  assert.ok(report!.problems.every((p) => p.code.startsWith('ERR_')))
  const human = await run(['validate'], {}, JSON.stringify(bad))
  assert.equal(human.status, 1)
  assert.match(human.stdout, /^invalid JWK: \d+ errors/)
  assert.match(human.stdout, /\/x +ERR_JWK_INVALID/)
})

test('jwk validate: warnings alone exit 0 (a 1024-bit RSA key is ERR_JWK_WEAK_KEY)', async () => {
  const { status, report } = await validate(rsa1024)
  assert.equal(status, 0)
  assert.equal(report!.valid, true)
  assert.deepEqual(report!.problems.map((p) => [p.code, p.severity]), [['ERR_JWK_WEAK_KEY', 'warning']])
})

test('jwk validate on a JWK Set: per-key paths, unknown kty a warning (RFC 7517 §5), duplicate kid a warning', async () => {
  const set = { keys: [{ ...ec, kid: 'a' }, { kty: 'XYZ', kid: 'b' }, { ...ec, kid: 'a' }, { kty: 'oct', k: 'AAAA', alg: 'HS256' }, 'not a key'] }
  const { status, report } = await validate(set)
  assert.equal(status, 1)
  assert.equal(report!.kind, 'jwk-set')
  assert.equal(report!.keys, 5)
  const find = (path: string) => report!.problems.find((p) => p.path === path)
  assert.equal(find('/keys/1/kty')?.severity, 'warning')
  assert.equal(find('/keys/1/kty')?.code, 'ERR_JWK_UNSUPPORTED')
  assert.equal(find('/keys/2/kid')?.code, 'ERR_JWKS_DUPLICATE_KID')
  assert.equal(find('/keys/3/k')?.severity, 'error')
  assert.equal(find('/keys/4')?.code, 'ERR_JWK_INVALID')
  const good = await validate({ keys: [ec, { kty: 'XYZ' }] })
  assert.equal(good.status, 0)
  assert.equal(good.report!.valid, true)
})

test('jwk validate: not JSON, duplicate members, keys not an array; all exit 1 with a code, also in --json', async () => {
  for (const [input, code] of [['{"kty":', 'ERR_JSON_INVALID'], ['{"kty":"oct","kty":"oct"}', 'ERR_JSON_INVALID'], ['{"keys":{}}', 'ERR_JWKS_INVALID'], ['[1,2]', 'ERR_JWK_INVALID']] as const) {
    const { status, report } = await validate(input)
    assert.equal(status, 1, input)
    assert.equal(report!.valid, false)
    assert.equal(report!.problems[0]!.code, code, input)
  }
  assert.equal((await run(['validate', '--strictly'])).status, 2)
  assert.match((await run(['validate', '--help'])).stdout, /every problem/i)
})

test('jwk validate: non-canonical members are warnings on stderr, exit 0; --strict makes them errors, exit 1; --json has severity', async () => {
  // A Battle.net-shaped modulus: a sign octet, the standard alphabet and padding.
  const rsa = exportJwk(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey) as unknown as Record<string, string>
  const battle = { ...rsa, n: Buffer.concat([Buffer.alloc(1), Buffer.from(rsa.n!, 'base64url')]).toString('base64') }
  const human = await run(['validate'], {}, JSON.stringify(battle))
  assert.equal(human.status, 0)
  assert.match(human.stdout, /^valid JWK: 1 warning\n$/)
  assert.match(human.stderr, /warning +\/n +ERR_JWK_NON_CANONICAL: .*leading zero octets removed \(RFC 7518 §2 Base64urlUInt\)/)
  const json = await validate(battle)
  assert.equal(json.status, 0)
  assert.deepEqual(json.report!.problems.map((p) => [p.code, p.path, p.severity]), [['ERR_JWK_NON_CANONICAL', '/n', 'warning']])
  const strict = await run(['validate', '--strict'], {}, JSON.stringify(battle))
  assert.equal(strict.status, 1)
  assert.match(strict.stdout, /^invalid JWK: 1 error\n +error +\/n +ERR_JWK_INVALID/)
  const strictJson = await run(['validate', '--strict', '--json'], {}, JSON.stringify({ keys: [battle, ec] }))
  assert.equal(strictJson.status, 1)
  const report = JSON.parse(strictJson.stdout) as Report
  assert.deepEqual(report.problems.map((p) => [p.path, p.severity]), [['/keys/0/n', 'error']])
  const lenientSet = await validate({ keys: [battle, ec] })
  assert.equal(lenientSet.status, 0)
  assert.deepEqual(lenientSet.report!.problems.map((p) => [p.path, p.severity]), [['/keys/0/n', 'warning']])
})
