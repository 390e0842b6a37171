/**
 * Interop with Debian's python3-jwcrypto (an independent JOSE implementation) and with `jose`:
 * encrypted JWK files (RFC 7517 Appendix C, PBES2) both ways, and JWEs made by `jwk encrypt`
 * decrypted there and theirs decrypted by `jwk decrypt`.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import * as jose from 'jose'
import { decryptJwk, encryptJwk } from '../../src/jwe/encrypted-jwk.ts'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { runCli } from '../cli/helpers.ts'
import { findTool, run, tempDir } from './tool.ts'

// Debian's interpreter, where apt installs python3-jwcrypto (.ci/run).
const PYTHON = '/usr/bin/python3'
const jwcrypto = findTool(PYTHON, ['-c', 'import jwcrypto'])

const py = (script: string, input = '') => run(PYTHON, ['-c', script], { input })
const cli = (argv: string[], stdin = '') => runCli(argv, { readInput: (f) => (f === undefined || f === '-' ? Buffer.from(stdin) : readFileSync(f)) })

describe('python3-jwcrypto interop', { skip: jwcrypto.skip }, () => {
  let dir = ''
  let remove = () => {}
  const file = (name: string) => join(dir, name)
  before(() => {
    ;({ dir, remove } = tempDir('jwkit-jwcrypto-'))
  })
  after(() => remove())

  test('encryptJwk (default: PBES2-HS256+A128KW, p2c 600000, A256GCM) → jwcrypto opens it with the passphrase', async () => {
    const key = await generateJwk('ES256', { kid: 'e' })
    const encrypted = await encryptJwk(key, 'pässwörd 1')
    const out = py(`
import sys, json
from jwcrypto import jwe, jwk
from jwcrypto.common import json_decode
t = jwe.JWE()
t.deserialize(sys.stdin.read().strip())
t.allowed_algs = ['PBES2-HS256+A128KW', 'A256GCM']
t.decrypt(jwk.JWK.from_password('pässwörd 1'))
print(json.dumps({'header': json_decode(t.objects['protected']), 'key': json_decode(t.payload)}))`, encrypted)
    const { header, key: back } = JSON.parse(out) as { header: Record<string, unknown>; key: unknown }
    assert.equal(header.p2c, 600_000)
    assert.equal(header.cty, 'jwk+json')
    assert.deepEqual(back, key)
  })

  test('jwcrypto JWK.export with a password-encrypted JWE (its own defaults) → decryptJwk and jwk public', async () => {
    const out = py(`
from jwcrypto import jwk, jwe
from jwcrypto.common import json_encode
k = jwk.JWK.generate(kty='RSA', size=2048, kid='r')
for alg, enc in [('PBES2-HS256+A128KW', 'A128CBC-HS256'), ('PBES2-HS512+A256KW', 'A256GCM')]:
    e = jwe.JWE(k.export_private().encode(), json_encode({'alg': alg, 'enc': enc, 'cty': 'jwk+json'}))
    e.add_recipient(jwk.JWK.from_password('s3cret'))
    print(e.serialize(compact=True))
e = jwe.JWE(k.export_private().encode(), json_encode({'alg': 'PBES2-HS384+A192KW', 'enc': 'A192GCM'}))
e.add_recipient(jwk.JWK.from_password('s3cret'))
print(e.serialize())
print(k.export_private())`)
    const [compact1, compact2, json, plain] = out.trim().split('\n') as [string, string, string, string]
    const expected = JSON.parse(plain) as Record<string, unknown>
    for (const text of [compact1, compact2, json]) {
      const back = await decryptJwk(text, 's3cret')
      assert.equal(back.kid, 'r')
      assert.equal((back as { d?: string }).d, expected.d)
    }
    writeFileSync(file('rsa.jwe'), compact1)
    writeFileSync(file('pass'), 's3cret\n')
    const pub = await cli(['public', file('rsa.jwe'), '--passphrase-file', file('pass')])
    assert.equal(pub.status, 0, pub.stderr)
    assert.equal((JSON.parse(pub.stdout) as { n: string }).n, expected.n)
    const wrong = await cli(['public', file('rsa.jwe'), '--passphrase-env', 'NOPE'])
    assert.equal(wrong.status, 2)
  })

  test('jwk encrypt → jwcrypto decrypts; jwcrypto encrypts → jwk decrypt (RSA-OAEP-256, ECDH-ES+A256KW, A256KW, dir)', async () => {
    const keys = {
      rsa: await generateJwk('RSA-OAEP-256', { kid: 'r' }),
      ec: await generateJwk('ECDH-ES+A256KW', { kid: 'e' }),
      x: await generateJwk({ kty: 'OKP', crv: 'X25519' }, { kid: 'x' }),
      kw: await generateJwk('A256KW', { kid: 'w' }),
    }
    for (const [name, key] of Object.entries(keys)) {
      writeFileSync(file(`${name}.json`), JSON.stringify(key))
      writeFileSync(file(`${name}.pub.json`), JSON.stringify(key.kty === 'oct' ? key : toPublicJwk(key)))
    }
    writeFileSync(file('msg.txt'), 'interop message ✓')
    for (const [name, extra] of [['rsa', []], ['ec', ['--enc', 'A128CBC-HS256']], ['x', ['--alg', 'ECDH-ES', '--enc', 'A256GCM']], ['kw', ['--zip']]] as const) {
      const enc = await cli(['encrypt', '--key', file(`${name}.pub.json`), ...extra, file('msg.txt')])
      assert.equal(enc.status, 0, enc.stderr)
      const plaintext = py(`
import sys
from jwcrypto import jwe, jwk
key = jwk.JWK.from_json(open(sys.argv[1]).read()) if len(sys.argv) > 1 else None
t = jwe.JWE()
t.deserialize(sys.stdin.read().strip())
t.decrypt(jwk.JWK.from_json(open(${JSON.stringify(file(`${name}.json`))}).read()))
sys.stdout.write(t.payload.decode())`, enc.stdout)
      assert.equal(plaintext, 'interop message ✓', name)
    }
    for (const [name, alg, enc] of [['rsa', 'RSA-OAEP-256', 'A256GCM'], ['ec', 'ECDH-ES+A256KW', 'A256GCM'], ['x', 'ECDH-ES', 'A128GCM'], ['kw', 'A256KW', 'A256CBC-HS512']] as const) {
      const token = py(`
from jwcrypto import jwe, jwk
from jwcrypto.common import json_encode
k = jwk.JWK.from_json(open(${JSON.stringify(file(`${name}.pub.json`))}).read())
e = jwe.JWE('from jwcrypto'.encode(), json_encode({'alg': '${alg}', 'enc': '${enc}'}))
e.add_recipient(k)
print(e.serialize(compact=True))`).trim()
      const dec = await cli(['decrypt', '--key', file(`${name}.json`), '-'], token)
      assert.equal(dec.status, 0, `${name}: ${dec.stderr}`)
      assert.equal(dec.stdout, 'from jwcrypto')
    }
    // jwcrypto's RSA1_5 is refused by the library's allowlist.
    const legacy = py(`
from jwcrypto import jwe, jwk
from jwcrypto.common import json_encode
k = jwk.JWK.from_json(open(${JSON.stringify(file('rsa.pub.json'))}).read())
e = jwe.JWE(b'x', json_encode({'alg': 'RSA1_5', 'enc': 'A128GCM'}), algs=['RSA1_5', 'A128GCM'])
e.add_recipient(k)
print(e.serialize(compact=True))`).trim()
    const refused = await cli(['decrypt', '--key', file('rsa.json'), '--json', '-'], legacy)
    assert.equal(refused.status, 1)
    assert.equal((JSON.parse(refused.stderr) as { error: { code: string } }).error.code, 'ERR_ALG_NOT_ALLOWED')
  })
})

describe('jose interop: encrypted JWK files and CLI JWEs', () => {
  test('encryptJwk → jose.compactDecrypt (PBES2 allowed explicitly); jose PBES2 → decryptJwk', async () => {
    const key = await generateJwk('EdDSA')
    const file = await encryptJwk(key, 'pw', { p2c: 20_000, alg: 'PBES2-HS384+A192KW' })
    const { plaintext, protectedHeader } = await jose.compactDecrypt(file, new TextEncoder().encode('pw'), { keyManagementAlgorithms: ['PBES2-HS384+A192KW'], maxPBES2Count: 20_000 })
    assert.equal(protectedHeader.cty, 'jwk+json')
    assert.deepEqual(JSON.parse(new TextDecoder().decode(plaintext)), key)
    const theirs = await new jose.CompactEncrypt(new TextEncoder().encode(JSON.stringify(key)))
      .setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A128CBC-HS256', cty: 'jwk+json' })
      .setKeyManagementParameters({ p2c: 10_000 })
      .encrypt(new TextEncoder().encode('pw'))
    assert.deepEqual(await decryptJwk(theirs, 'pw'), key)
    // jose's default p2c (2048) is accepted (≥ 1000); 1,000,001 is refused before any work.
    const huge = await new jose.CompactEncrypt(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'PBES2-HS256+A128KW', enc: 'A128GCM' })
      .setKeyManagementParameters({ p2c: 1_000_001 }).encrypt(new TextEncoder().encode('pw'))
    await assert.rejects(decryptJwk(huge, 'pw'), { code: 'ERR_INPUT_TOO_LARGE' })
  })

  test('jwk encrypt → jose decrypts (compact, flattened, general); jose encrypts → jwk decrypt', async () => {
    const key = await generateJwk('ECDH-ES+A128KW', { kid: 'j' })
    const pub = JSON.stringify(toPublicJwk(key))
    const files: Record<string, string> = { 'pub.json': pub, 'key.json': JSON.stringify(key), 'msg': 'to jose' }
    const run = (argv: string[], stdin = '') => runCli(argv, { files, stdin })
    const joseKey = await jose.importJWK(key as jose.JWK, 'ECDH-ES+A128KW')
    const compact = await run(['encrypt', '--key', 'pub.json', 'msg'])
    assert.equal(compact.status, 0, compact.stderr)
    assert.equal(new TextDecoder().decode((await jose.compactDecrypt(compact.stdout.trim(), joseKey)).plaintext), 'to jose')
    const flattened = await run(['encrypt', '--key', 'pub.json', '--json-serialization', 'flattened', 'msg'])
    assert.equal(new TextDecoder().decode((await jose.flattenedDecrypt(JSON.parse(flattened.stdout), joseKey)).plaintext), 'to jose')
    const general = await run(['encrypt', '--key', 'pub.json', '--json-serialization', 'general', 'msg'])
    assert.equal(new TextDecoder().decode((await jose.generalDecrypt(JSON.parse(general.stdout), joseKey)).plaintext), 'to jose')
    const theirs = await new jose.CompactEncrypt(new TextEncoder().encode('from jose')).setProtectedHeader({ alg: 'ECDH-ES+A128KW', enc: 'A256GCM', kid: 'j' })
      .encrypt(await jose.importJWK(toPublicJwk(key) as jose.JWK, 'ECDH-ES+A128KW'))
    const dec = await run(['decrypt', '--key', 'key.json'], theirs)
    assert.equal(dec.status, 0, dec.stderr)
    assert.equal(dec.stdout, 'from jose')
    const flat = await run(['decrypt', '--key', 'key.json', '--json'], flattened.stdout)
    assert.equal((JSON.parse(flat.stdout) as { plaintext: string }).plaintext, 'to jose')
  })
})
