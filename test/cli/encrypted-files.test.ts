// Encrypted JWK files on the command line: written by generate and convert --to jwk with an
// output passphrase, read by every key-reading command with --passphrase-file/--passphrase-env;
// passphrases are never taken from an argument's value. Also: jwk public's report of dropped keys,
// and jwk encrypt/decrypt edge cases.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './helpers.ts'
import { generateJwk } from '../../src/crypto/generate.ts'
import { decryptJwk } from '../../src/jwe/encrypted-jwk.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'

const dir = mkdtempSync(join(tmpdir(), 'jwk-encfiles-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string) => join(dir, name)
const jwk = (argv: string[], env: Record<string, string> = {}, stdin = '') => runCli(argv, { readInput: (f) => (f === undefined || f === '-' ? Buffer.from(stdin) : readFileSync(f)), env })

test('generate and convert write encrypted JWK files; every reader opens them with the passphrase', async () => {
  writeFileSync(file('pass'), 'file passphrase\n')
  const g = await jwk(['generate', 'ES256', '--kid', 'g', '--out', file('g.jwe'), '--out-passphrase-file', file('pass'), '--json'])
  assert.equal(g.status, 0, g.stderr)
  assert.deepEqual(JSON.parse(g.stdout), { out: file('g.jwe'), kty: 'EC', kid: 'g', encrypted: true })
  assert.equal(statSync(file('g.jwe')).mode & 0o777, 0o600)
  const key = await decryptJwk(readFileSync(file('g.jwe'), 'utf8'), 'file passphrase')
  const env = { PW: 'file passphrase' }
  for (const argv of [['thumbprint', file('g.jwe')], ['public', file('g.jwe')], ['inspect', file('g.jwe'), '--json'], ['validate', file('g.jwe')], ['convert', file('g.jwe'), '--to', 'spki']]) {
    const r = await jwk([...argv, '--passphrase-env', 'PW'], env)
    assert.equal(r.status, 0, `${argv[0]}: ${r.stderr}`)
    if (argv[0] === 'thumbprint') assert.equal(r.stdout.trim(), thumbprint(key))
  }
  const missing = await jwk(['thumbprint', file('g.jwe'), '--json'])
  assert.equal(missing.status, 1)
  assert.equal((JSON.parse(missing.stderr) as { error: { code: string } }).error.code, 'ERR_PASSPHRASE_REQUIRED')
  const wrong = await jwk(['thumbprint', file('g.jwe'), '--passphrase-env', 'PW'], { PW: 'not it' })
  assert.equal(wrong.status, 1)
  assert.match(wrong.stderr, /ERR_PASSPHRASE_WRONG/)
  assert.doesNotMatch(wrong.stderr, /not it/)
  // No flag takes the passphrase itself.
  assert.equal((await jwk(['thumbprint', file('g.jwe'), '--passphrase', 'file passphrase'])).status, 2)
  assert.match((await jwk(['thumbprint', file('g.jwe'), '--passphrase-env', 'file passphrase'])).stderr, /takes the NAME of an environment variable/)
  // convert --to jwk with an output passphrase re-encrypts; sign and verify read encrypted files.
  const c = await jwk(['convert', file('g.jwe'), '--passphrase-env', 'PW', '--to', 'jwk', '--out-passphrase-env', 'NEW', '--out', file('c.jwe')], { ...env, NEW: 'new one' })
  assert.equal(c.status, 0, c.stderr)
  assert.deepEqual(await decryptJwk(readFileSync(file('c.jwe'), 'utf8'), 'new one'), key)
  writeFileSync(file('pub.jwe'), readFileSync(file('c.jwe')))
  const t = await jwk(['sign', '--key', file('c.jwe'), '--passphrase-env', 'NEW', '--claims', '{"sub":"x"}'], { NEW: 'new one' })
  assert.equal(t.status, 0, t.stderr)
  const v = await jwk(['verify', '--jwks', file('pub.jwe'), '--passphrase-env', 'NEW', t.stdout.trim()], { NEW: 'new one' })
  assert.equal(v.status, 0, v.stderr)
  assert.equal(JSON.parse(v.stdout).claims.sub, 'x')
  const both = await jwk(['generate', 'ES256', '--out-passphrase-file', file('pass'), '--out-passphrase-env', 'PW'], env)
  assert.equal(both.status, 2)
})

test('jwk public reports each dropped oct key and exits 1 when no key is left', async () => {
  const ec = await generateJwk('ES256', { kid: 'ec' })
  const oct = await generateJwk('HS256', { kid: 'hmac' })
  writeFileSync(file('mixed.json'), JSON.stringify({ keys: [oct, ec] }))
  const r = await jwk(['public', file('mixed.json')])
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout), { keys: [toPublicJwk(ec)] })
  assert.match(r.stderr, /jwk public: dropped \/keys\/0: an oct key has no public form \(kid "hmac"\)/)
  writeFileSync(file('octs.json'), JSON.stringify({ keys: [oct] }))
  const none = await jwk(['public', file('octs.json'), '--json'])
  assert.equal(none.status, 1)
  assert.equal((JSON.parse(none.stderr.trim().split('\n').pop()!) as { error: { code: string } }).error.code, 'ERR_JWK_NO_PUBLIC_FORM')
})

test('jwk encrypt/decrypt: --zip, --kid from a set, binary plaintext never to a terminal, PBES2 tokens refused', async () => {
  const a = await generateJwk('ECDH-ES+A128KW', { kid: 'a' })
  const b = await generateJwk('RSA-OAEP-256', { kid: 'b' })
  writeFileSync(file('set.json'), JSON.stringify({ keys: [a, b] }))
  writeFileSync(file('pubset.json'), JSON.stringify({ keys: [toPublicJwk(a), toPublicJwk(b)] }))
  writeFileSync(file('bin'), Buffer.from([0, 1, 2, 255, 254]))
  const e = await jwk(['encrypt', '--key', file('pubset.json'), '--kid', 'b', '--zip', file('bin')])
  assert.equal(e.status, 0, e.stderr)
  const header = JSON.parse(Buffer.from(e.stdout.split('.')[0]!, 'base64url').toString()) as Record<string, string>
  assert.deepEqual([header.alg, header.enc, header.zip, header.kid], ['RSA-OAEP-256', 'A256GCM', 'DEF', 'b'])
  writeFileSync(file('bin.jwe'), e.stdout)
  const tty = await runCli(['decrypt', '--key', file('set.json'), '--kid', 'b', file('bin.jwe')], { readInput: (f) => readFileSync(f!), stdoutIsTty: true })
  assert.equal(tty.status, 2)
  assert.match(tty.stderr, /the plaintext is binary: give --out FILE/)
  const out = await jwk(['decrypt', '--key', file('set.json'), '--kid', 'b', '--out', file('bin.out'), file('bin.jwe')])
  assert.equal(out.status, 0, out.stderr)
  assert.deepEqual(readFileSync(file('bin.out')), Buffer.from([0, 1, 2, 255, 254]))
  assert.equal(statSync(file('bin.out')).mode & 0o777, 0o600)
  const json = await jwk(['decrypt', '--key', file('set.json'), '--kid', 'b', '--json', file('bin.jwe')])
  assert.equal((JSON.parse(json.stdout) as { plaintextBase64url: string }).plaintextBase64url, 'AAEC__4')
  const narrowed = await jwk(['decrypt', '--key', file('set.json'), '--kid', 'b', '--alg', 'RSA-OAEP', file('bin.jwe')])
  assert.equal(narrowed.status, 1)
  assert.match(narrowed.stderr, /ERR_ALG_NOT_ALLOWED/)
  // An encrypted key file is not a token: jwk decrypt (the token path) refuses PBES2.
  writeFileSync(file('k.jwe'), await (await import('../../src/jwe/encrypted-jwk.ts')).encryptJwk(a, 'pw', { p2c: 1000 }))
  writeFileSync(file('oct.json'), JSON.stringify(await generateJwk('A128KW')))
  const pbes2 = await jwk(['decrypt', '--key', file('oct.json'), file('k.jwe')])
  assert.equal(pbes2.status, 1)
  assert.match(pbes2.stderr, /ERR_ALG_NOT_ALLOWED/)
})
