/**
 * Interop with OpenSSH's `ssh-keygen`: public keys it writes are read by fromSsh and agree with
 * its own PKCS#8/SPKI export (`ssh-keygen -e -m PKCS8`); lines toSsh writes are read back by
 * ssh-keygen, whose SHA-256 fingerprint (`ssh-keygen -l -E sha256`) equals sshFingerprint.
 */
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { exportJwk } from '../../src/crypto/export.ts'
import { fromPem } from '../../src/formats/from-pem.ts'
import { fromSsh, readSsh, sshFingerprint, toSsh } from '../../src/formats/ssh.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { findTool, run, tempDir } from './tool.ts'

const sshKeygen = findTool('ssh-keygen', ['-?'])

const TYPES: ReadonlyArray<readonly [string, string[]]> = [
  ['ed25519', ['-t', 'ed25519']],
  ['ecdsa256', ['-t', 'ecdsa', '-b', '256']],
  ['ecdsa384', ['-t', 'ecdsa', '-b', '384']],
  ['ecdsa521', ['-t', 'ecdsa', '-b', '521']],
  ['rsa', ['-t', 'rsa', '-b', '2048']],
]

describe('ssh-keygen interop', { skip: sshKeygen.skip }, () => {
  let dir = ''
  let remove = () => {}
  const file = (name: string) => join(dir, name)
  const fingerprint = (path: string) => run('ssh-keygen', ['-l', '-E', 'sha256', '-f', path]).split(' ')[1]!

  before(() => {
    ;({ dir, remove } = tempDir('jwkit-ssh-'))
    for (const [name, args] of TYPES) run('ssh-keygen', ['-q', ...args, '-N', '', '-C', `${name} test key`, '-f', file(name)])
  })
  after(() => remove())

  test('ssh-keygen -t ed25519/ecdsa/rsa → fromSsh: same fingerprint, same SPKI as ssh-keygen -e, comment kept', () => {
    for (const [name] of TYPES) {
      const line = readFileSync(file(`${name}.pub`), 'utf8')
      const { jwk, comment } = readSsh(line)
      assert.equal(comment, `${name} test key`)
      // ssh-keygen -e -m PKCS8 exports RSA and ECDSA keys (not Ed25519) as SPKI.
      if (name !== 'ed25519') assert.deepEqual(jwk, fromPem(run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', file(`${name}.pub`)])), name)
      else assert.equal(jwk.kty === 'OKP' && jwk.crv, 'Ed25519')
      assert.equal(toSsh(jwk, comment), line.trim(), name)
      assert.equal(sshFingerprint(jwk), fingerprint(file(`${name}.pub`)), name)
    }
  })

  test('toSsh output of node-generated keys: ssh-keygen reads it, and its fingerprint equals sshFingerprint', () => {
    const keys = [
      generateKeyPairSync('ed25519').privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey,
      generateKeyPairSync('ec', { namedCurve: 'P-521' }).privateKey,
    ]
    keys.forEach((key, i) => {
      const jwk = exportJwk(key)
      writeFileSync(file(`jwkit-${i}.pub`), toSsh(jwk, 'written by jwkit') + '\n')
      assert.equal(fingerprint(file(`jwkit-${i}.pub`)), sshFingerprint(jwk))
      // ssh-keygen converts jwkit's ECDSA line to SPKI: the same public key.
      if (i > 0) assert.deepEqual(fromPem(run('ssh-keygen', ['-e', '-m', 'PKCS8', '-f', file(`jwkit-${i}.pub`)])), toPublicJwk(jwk))
    })
    // The RSA key of ssh-keygen, through JWK and back.
    const rsa = fromSsh(readFileSync(file('rsa.pub'), 'utf8'))
    writeFileSync(file('rsa-again.pub'), toSsh(rsa))
    assert.equal(fingerprint(file('rsa-again.pub')), fingerprint(file('rsa.pub')))
  })

  test('refused: a line whose algorithm name disagrees with its blob (ERR_SSH_INVALID)', () => {
    const ed = readFileSync(file('ed25519.pub'), 'utf8').split(' ')[1]
    assert.throws(() => fromSsh(`ecdsa-sha2-nistp256 ${ed}`), { code: 'ERR_SSH_INVALID' })
  })
})
