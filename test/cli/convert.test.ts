import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, test } from 'node:test'
import { exportJwk } from '../../src/crypto/export.ts'
import { fromCose, toCose } from '../../src/formats/cose.ts'
import { fromPem } from '../../src/formats/from-pem.ts'
import { fromSsh, toSsh } from '../../src/formats/ssh.ts'
import { toPem } from '../../src/formats/to-pem.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { tempDir } from '../interop/tool.ts'
import { runCli } from './helpers.ts'

const { dir, remove } = tempDir('jwkit-convert-')
after(() => remove())
const file = (name: string) => join(dir, name)

const jwk = (args: string[], stdin: string | Buffer = '', tty = false) => runCli(args, { stdin, files: (f) => readFileSync(f), stdoutIsTty: tty })

const ec = exportJwk(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey)
const ed = exportJwk(generateKeyPairSync('ed25519').privateKey)

test('jwk convert: PEM → JWK, JWK → PEM (default pkcs8 / spki), every PEM structure', async () => {
  writeFileSync(file('ec.pem'), toPem(ec))
  const r = await jwk(['convert', file('ec.pem'), '--to', 'jwk'])
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout), ec)
  const pem = await jwk(['convert', '--to', 'pem'], JSON.stringify(ec))
  assert.match(pem.stdout, /^-----BEGIN PRIVATE KEY-----/)
  assert.deepEqual(fromPem(pem.stdout), ec)
  const spki = await jwk(['convert', '-', '--to', 'spki'], JSON.stringify(ec))
  assert.deepEqual(fromPem(spki.stdout), toPublicJwk(ec))
  const sec1 = await jwk(['convert', '--to', 'sec1'], pem.stdout)
  assert.match(sec1.stdout, /^-----BEGIN EC PRIVATE KEY-----/)
  const pub = await jwk(['convert', '--to', 'pem'], JSON.stringify(toPublicJwk(ec)))
  assert.match(pub.stdout, /^-----BEGIN PUBLIC KEY-----/)
})

test('jwk convert: encrypted PKCS#8 out and in with passphrase files', async () => {
  writeFileSync(file('pass.txt'), 'open sesame\n')
  writeFileSync(file('ed.json'), JSON.stringify(ed))
  const r = await jwk(['convert', file('ed.json'), '--to', 'pkcs8', '--out-passphrase-file', file('pass.txt'), '--iterations', '1000', '--out', file('ed.p8.pem')])
  assert.equal(r.status, 0, r.stderr)
  assert.equal(statSync(file('ed.p8.pem')).mode & 0o777, 0o600)
  const text = readFileSync(file('ed.p8.pem'), 'utf8')
  assert.match(text, /^-----BEGIN ENCRYPTED PRIVATE KEY-----/)
  const back = await jwk(['convert', file('ed.p8.pem'), '--to', 'jwk', '--passphrase-file', file('pass.txt')])
  assert.deepEqual(JSON.parse(back.stdout), ed)
  const missing = await jwk(['convert', file('ed.p8.pem'), '--to', 'jwk'])
  assert.equal(missing.status, 1)
  assert.match(missing.stderr, /ERR_PASSPHRASE_REQUIRED/)
  writeFileSync(file('wrong.txt'), 'nope\n')
  const wrong = await jwk(['convert', file('ed.p8.pem'), '--to', 'jwk', '--passphrase-file', file('wrong.txt')])
  assert.equal(wrong.status, 1)
  assert.match(wrong.stderr, /ERR_PASSPHRASE_WRONG/)
  assert.doesNotMatch(wrong.stderr, /nope/)
})

test('jwk convert: OpenSSH both ways, comment kept or given', async () => {
  const line = toSsh(ed, 'alice@laptop')
  const r = await jwk(['convert', '--to', 'jwk'], line + '\n')
  assert.deepEqual(JSON.parse(r.stdout), toPublicJwk(ed))
  const again = await jwk(['convert', '--to', 'ssh'], line)
  assert.equal(again.stdout, line + '\n')
  const named = await jwk(['convert', '--to', 'ssh', '--comment', 'bob'], JSON.stringify(ed))
  assert.deepEqual(fromSsh(named.stdout), toPublicJwk(ed))
  assert.match(named.stdout, / bob\n$/)
})

test('jwk convert: COSE is binary — --encoding hex/base64 or --out, never raw bytes on stdout', async () => {
  const hex = await jwk(['convert', '--to', 'cose', '--encoding', 'hex'], JSON.stringify(ec))
  assert.equal(hex.status, 0, hex.stderr)
  assert.deepEqual(fromCose(Buffer.from(hex.stdout.trim(), 'hex')), ec)
  const b64 = await jwk(['convert', '--to', 'cose', '--encoding', 'base64'], JSON.stringify(ec))
  assert.deepEqual(fromCose(Buffer.from(b64.stdout.trim(), 'base64')), ec)
  const raw = await jwk(['convert', '--to', 'cose'], JSON.stringify(ec), true)
  assert.equal(raw.status, 2)
  assert.equal(raw.stdout, '')
  const out = await jwk(['convert', '--to', 'cose', '--out', file('ec.cose')], JSON.stringify(ec))
  assert.equal(out.status, 0)
  assert.deepEqual(fromCose(readFileSync(file('ec.cose'))), ec)
  // COSE in (hex text and raw bytes) → JWK.
  const back = await jwk(['convert', '--to', 'jwk'], hex.stdout)
  assert.deepEqual(JSON.parse(back.stdout), ec)
  const fromBytes = await jwk(['convert', file('ec.cose'), '--to', 'jwk'])
  assert.deepEqual(JSON.parse(fromBytes.stdout), ec)
  // DER is binary too.
  const der = await jwk(['convert', '--to', 'spki', '--der', '--encoding', 'base64'], JSON.stringify(ec))
  const derBack = await jwk(['convert', '--to', 'jwk'], Buffer.from(der.stdout.trim(), 'base64'))
  assert.deepEqual(JSON.parse(derBack.stdout), toPublicJwk(ec))
  assert.deepEqual(toCose(ec), new Uint8Array(readFileSync(file('ec.cose'))))
})

test('jwk convert: JWK Set stays a set with --to jwk; usage errors exit 2; bad input exits 1', async () => {
  const set = JSON.stringify({ keys: [toPublicJwk(ec), toPublicJwk(ed)] })
  const r = await jwk(['convert', '--to', 'jwk'], set)
  assert.equal(JSON.parse(r.stdout).keys.length, 2)
  assert.equal((await jwk(['convert', '--to', 'pem'], set)).status, 2)
  assert.equal((await jwk(['convert'], set)).status, 2)
  assert.equal((await jwk(['convert', '--to', 'png'], set)).status, 2)
  assert.equal((await jwk(['convert', '--to', 'sec1', '--out-passphrase-file', 'x'], set)).status, 2)
  assert.equal((await jwk(['convert', '--to', 'ssh', '--encoding', 'hex', '--der'], set)).status, 2)
  assert.equal((await jwk(['convert', '--to', 'pkcs8', '--iterations', '5'], JSON.stringify(ec))).status, 2)
  const garbage = await jwk(['convert', '--to', 'jwk'], 'this is not a key')
  assert.equal(garbage.status, 1)
  assert.match(garbage.stderr, /ERR_FORMAT_UNRECOGNIZED/)
  const json = await jwk(['convert', '--to', 'jwk', '--json'], 'this is not a key')
  assert.equal(json.status, 1)
  assert.equal(JSON.parse(json.stderr).error.code, 'ERR_FORMAT_UNRECOGNIZED')
  const pkcs1 = await jwk(['convert', '--to', 'pkcs1'], JSON.stringify(ec))
  assert.equal(pkcs1.status, 1)
  assert.match(pkcs1.stderr, /ERR_JWK_UNSUPPORTED/)
})
