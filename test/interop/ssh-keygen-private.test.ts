/**
 * OpenSSH private key files written by a real `ssh-keygen` (ed25519, ecdsa P-256/384/521, rsa;
 * without and with a passphrase, aes256-ctr and aes256-gcm@openssh.com) are read by
 * readSshPrivateKey: the private key matches the .pub file, signs for `jwk sign`, and the refusals
 * (wrong or missing passphrase, a damaged file, too many bcrypt rounds) are clear errors.
 */
import assert from 'node:assert/strict'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { readSshPrivateKey } from '../../src/formats/ssh-private.ts'
import { fromSsh } from '../../src/formats/ssh.ts'
import { decodePem, encodePem } from '../../src/formats/pem.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { isPrivateJwk } from '../../src/jwk/public.ts'
import { verifyJws } from '../../src/jws/verify.ts'
import { runCli } from '../cli/helpers.ts'
import { findTool, run, tempDir } from './tool.ts'

const sshKeygen = findTool('ssh-keygen', ['-?'])

const TYPES: ReadonlyArray<readonly [string, string[], string]> = [
  ['ed25519', ['-t', 'ed25519'], 'EdDSA'],
  ['ecdsa256', ['-t', 'ecdsa', '-b', '256'], 'ES256'],
  ['ecdsa384', ['-t', 'ecdsa', '-b', '384'], 'ES384'],
  ['ecdsa521', ['-t', 'ecdsa', '-b', '521'], 'ES512'],
  ['rsa', ['-t', 'rsa', '-b', '2048'], 'RS256'],
]
const PASS = 'correct horse battery'

describe('ssh-keygen private keys', { skip: sshKeygen.skip }, () => {
  let dir = ''
  let remove = () => {}
  const file = (name: string) => join(dir, name)
  const cli = (argv: string[]) => runCli(argv, { readInput: (f) => readFileSync(f ?? 0) })

  before(() => {
    ;({ dir, remove } = tempDir('jwkit-sshpriv-'))
    for (const [name, args] of TYPES) {
      run('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name} plain`, '-f', file(name)])
      run('ssh-keygen', ['-q', ...args, '-N', PASS, '-C', `${name} locked`, '-f', file(`${name}-pw`)])
    }
    run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', PASS, '-Z', 'aes256-gcm@openssh.com', '-f', file('gcm')])
    writeFileSync(file('pass'), PASS + '\n')
  })
  after(() => remove())

  test('unencrypted and passphrase-protected keys of every type match their .pub file', async () => {
    for (const [name] of TYPES) {
      for (const suffix of ['', '-pw']) {
        const read = await readSshPrivateKey(readFileSync(file(name + suffix), 'utf8'), { passphrase: PASS })
        const pub = fromSsh(readFileSync(file(`${name}${suffix}.pub`), 'utf8'))
        assert.ok(isPrivateJwk(read.jwk), name)
        assert.equal(thumbprint(read.jwk), thumbprint(pub), name + suffix)
        assert.equal(read.comment, `${name} ${suffix ? 'locked' : 'plain'}`)
      }
    }
    const gcm = await readSshPrivateKey(readFileSync(file('gcm'), 'utf8'), { passphrase: async () => PASS })
    assert.equal(thumbprint(gcm.jwk), thumbprint(fromSsh(readFileSync(file('gcm.pub'), 'utf8'))))
  })

  test('jwk sign --key id_* (with --passphrase-file) signs; the .pub file verifies', async () => {
    for (const [name, , alg] of TYPES) {
      const r = await cli(['sign', '--key', file(`${name}-pw`), '--passphrase-file', file('pass'), '--alg', alg, '--payload', file('pass'), '--kid', name])
      assert.equal(r.status, 0, r.stderr)
      const v = await verifyJws(r.stdout.trim(), fromSsh(readFileSync(file(`${name}-pw.pub`), 'utf8')))
      assert.equal(Buffer.from(v.payload).toString(), PASS + '\n')
    }
    const conv = await cli(['convert', file('ed25519'), '--to', 'ssh'])
    assert.equal(conv.stdout.trim(), readFileSync(file('ed25519.pub'), 'utf8').trim())
  })

  test('wrong passphrase, missing passphrase, damaged files and too many bcrypt rounds are refused', async () => {
    const locked = readFileSync(file('ed25519-pw'), 'utf8')
    await assert.rejects(readSshPrivateKey(locked, { passphrase: 'wrong' }), { code: 'ERR_PASSPHRASE_WRONG' })
    await assert.rejects(readSshPrivateKey(readFileSync(file('gcm'), 'utf8'), { passphrase: 'wrong' }), { code: 'ERR_PASSPHRASE_WRONG' })
    await assert.rejects(readSshPrivateKey(locked), { code: 'ERR_PASSPHRASE_REQUIRED' })
    const noTerminal = await cli(['convert', file('rsa-pw'), '--to', 'jwk', '--json'])
    assert.equal(noTerminal.status, 1)
    assert.match(noTerminal.stderr, /ERR_PASSPHRASE_REQUIRED.*--passphrase-file FILE or --passphrase-env VAR/)
    const wrong = await runCli(['convert', file('rsa-pw'), '--to', 'jwk', '--passphrase-env', 'P'], { readInput: (f) => readFileSync(f!), env: { P: 'nope nope' } })
    assert.equal(wrong.status, 1)
    assert.match(wrong.stderr, /ERR_PASSPHRASE_WRONG/)
    assert.doesNotMatch(wrong.stderr, /nope/)
    // Damage one byte of the (unencrypted) private section: a check integer, then the key itself.
    const der = Buffer.from(decodePem(readFileSync(file('ecdsa256'), 'utf8'))[0]!.der)
    const damaged = Buffer.from(der)
    damaged[damaged.length - 40]! ^= 1
    await assert.rejects(readSshPrivateKey(encodePem('OPENSSH PRIVATE KEY', damaged)), (e: { code: string }) => ['ERR_SSH_INVALID', 'ERR_KEY_IMPORT_FAILED', 'ERR_JWK_INVALID'].includes(e.code))
    // Rounds of the bcrypt KDF above the bound: refused before any derivation.
    const pw = Buffer.from(decodePem(locked)[0]!.der)
    const kdf = pw.indexOf(Buffer.from('bcrypt'))
    const roundsAt = kdf + 6 + 4 + 4 + 16 // "bcrypt", options length, salt length, 16-byte salt
    assert.equal(pw.readUInt32BE(roundsAt), 16)
    pw.writeUInt32BE(1_000_000, roundsAt)
    await assert.rejects(readSshPrivateKey(encodePem('OPENSSH PRIVATE KEY', pw), { passphrase: PASS }), { code: 'ERR_INPUT_TOO_LARGE', message: /1000000 bcrypt rounds; the limit is 1000/ })
    await assert.rejects(readSshPrivateKey('-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n'), { code: 'ERR_SSH_INVALID' })
  })
})
