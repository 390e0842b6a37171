import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { importJwk, importKeyHandle } from '../../src/crypto/import.ts'
import { rsaModulusBits } from '../../src/jwk/algorithms.ts'
import { parseJwk } from '../../src/jwk/parse.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { runCli } from './helpers.ts'

const run = (argv: string[]) => runCli(argv, { readInput: () => { throw new Error('generate reads no input') } })
const json = (text: string) => JSON.parse(text) as Record<string, unknown>

test('jwk generate ALG prints a private JWK for that alg (JSON on stdout, nothing on stderr)', async () => {
  for (const [alg, kty, crv] of [['ES256', 'EC', 'P-256'], ['ES256K', 'EC', 'secp256k1'], ['EdDSA', 'OKP', 'Ed25519'], ['Ed448', 'OKP', 'Ed448']] as const) {
    const r = await run(['generate', alg])
    assert.equal(r.status, 0, r.stderr)
    assert.equal(r.stderr, '')
    const jwk = json(r.stdout)
    assert.equal(jwk.kty, kty)
    assert.equal(jwk.crv, crv)
    assert.equal(jwk.alg, alg)
    assert.equal(jwk.use, 'sig')
    assert.equal(importJwk(jwk).type, 'private')
  }
  const hs = json((await run(['generate', 'HS512'])).stdout)
  assert.equal(Buffer.from(String(hs.k), 'base64url').length, 64)
  const pq = json((await run(['generate', 'ML-DSA-65'])).stdout)
  assert.equal(pq.kty, 'AKP')
  assert.ok(importKeyHandle(parseJwk(pq)))
})

test('jwk generate KTY with --crv, --size, --alg, --use, --kid, --kid-thumbprint', async () => {
  const x = json((await run(['generate', 'OKP', '--crv', 'X448', '--use', 'enc'])).stdout)
  assert.deepEqual([x.crv, x.use, x.alg], ['X448', 'enc', undefined])
  const rsa = json((await run(['generate', 'RSA', '--size', '2064', '--kid', 'r1'])).stdout)
  assert.equal(rsaModulusBits(rsa.n), 2064)
  assert.equal(rsa.kid, 'r1')
  const oct = json((await run(['generate', 'oct', '--size', '384', '--alg', 'HS384'])).stdout)
  assert.equal(Buffer.from(String(oct.k), 'base64url').length, 48)
  assert.equal(oct.alg, 'HS384')
  const tp = json((await run(['generate', 'ES384', '--kid-thumbprint'])).stdout)
  assert.equal(tp.kid, thumbprint(parseJwk(tp)))
  const akp = json((await run(['generate', 'AKP', '--alg', 'ML-DSA-44'])).stdout)
  assert.equal(akp.alg, 'ML-DSA-44')
  const ecdh = json((await run(['generate', 'ECDH-ES', '--crv', 'X25519'])).stdout)
  assert.deepEqual([ecdh.kty, ecdh.crv, ecdh.alg, ecdh.use], ['OKP', 'X25519', 'ECDH-ES', 'enc'])
})

test('jwk generate wrong usage exits 2 with the code on stderr', async () => {
  const cases = [
    ['generate'],
    ['generate', 'ES256', 'ES384'],
    ['generate', 'ES999'],
    ['generate', 'RSA', '--size', '1024'],
    ['generate', 'RSA', '--size', 'big'],
    ['generate', 'EC', '--crv', 'Ed25519'],
    ['generate', 'ES256', '--kid', 'a', '--kid-thumbprint'],
    ['generate', 'ES256', '--use', 'both'],
    ['generate', 'ES256', '--use', 'enc'],
    ['generate', 'ES256', '--alg', 'ES384'],
    ['generate', 'ES256', '--crv', 'P-384'],
    ['generate', 'HS256', '--size', '128'],
    ['generate', 'ES256', '--bogus'],
  ]
  for (const argv of cases) {
    const r = await run(argv)
    assert.equal(r.status, 2, argv.join(' '))
    assert.equal(r.stdout, '')
    assert.match(r.stderr, /ERR_CLI_USAGE/, argv.join(' '))
  }
})

test('jwk generate --help explains ALG and KTY with examples', async () => {
  const r = await run(['generate', '--help'])
  assert.equal(r.status, 0)
  assert.match(r.stdout, /Usage: jwk generate/)
  assert.match(r.stdout, /Examples:/)
  assert.match(r.stdout, /--kid-thumbprint/)
})

test('the real process: node src/cli/main.ts generate | thumbprint - over stdin, and exit statuses', () => {
  const root = fileURLToPath(new URL('../../', import.meta.url))
  const jwk = (args: string[], input?: string) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: root, input, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' })
  const generated = jwk(['generate', 'EdDSA'])
  assert.equal(generated.status, 0, generated.stderr)
  const key = parseJwk(generated.stdout)
  const tp = jwk(['thumbprint', '-'], generated.stdout)
  assert.equal(tp.status, 0, tp.stderr)
  assert.equal(tp.stdout, thumbprint(key) + '\n')
  const invalid = jwk(['validate'], '{"kty":"EC","crv":"P-256","x":"AA","y":"AA"}')
  assert.equal(invalid.status, 1)
  const usage = jwk(['generate', 'RSA', '--size', '512'])
  assert.equal(usage.status, 2)
  assert.match(usage.stderr, /^jwk generate: ERR_CLI_USAGE: /)
})
