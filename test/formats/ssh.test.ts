import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import fc from 'fast-check'
import { fromSsh, readSsh, sshFingerprint, toSsh } from '../../src/formats/ssh.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { assertCode, keyPool, poolKey } from './helpers.ts'

const fixtures = JSON.parse(readFileSync(new URL('./fixtures/ssh/public-keys.json', import.meta.url), 'utf8')) as {
  cases: Array<{ name: string; line: string; fingerprint: string }>
}

test('RFC 4253 §6.6, RFC 5656 §3.1, RFC 8709 §4: ssh-keygen public keys read, written back byte for byte, fingerprints as ssh-keygen -l prints', () => {
  for (const { name, line, fingerprint } of fixtures.cases) {
    const { jwk, comment } = readSsh(line)
    assert.equal(comment, line.split(' ').slice(2).join(' ') || undefined, name)
    assert.equal(toSsh(jwk, comment), line, name)
    assert.equal(sshFingerprint(jwk), fingerprint, name)
  }
  assert.equal(fromSsh(fixtures.cases[0]!.line).kty, 'OKP')
})

test('property: JWK → OpenSSH line → JWK is the identity for RSA, P-256/384/521, Ed25519, Ed448', () => {
  const keys = keyPool().filter((k) => ['RSA', 'P-256', 'P-384', 'P-521', 'Ed25519', 'Ed448'].includes(k.name))
  fc.assert(fc.property(fc.constantFrom(...keys), fc.stringMatching(/^[ -~]{0,20}$/), ({ jwk }, comment) => {
    const line = toSsh(jwk, comment)
    assert.deepEqual(fromSsh(line), toPublicJwk(jwk))
    assert.equal(sshFingerprint(fromSsh(line)), sshFingerprint(jwk))
  }), { numRuns: 50 })
})

test('refused: key types OpenSSH lacks (secp256k1, X25519, X448, oct)', () => {
  for (const name of ['secp256k1', 'X25519', 'X448']) assertCode(() => toSsh(poolKey(name).jwk), 'ERR_JWK_UNSUPPORTED', name)
  assertCode(() => toSsh({ kty: 'oct', k: 'AAAAAAAAAAAAAAAAAAAAAA' }), 'ERR_JWK_NO_PUBLIC_FORM')
})

/** Builds an SSH blob from strings. */
function blob(...parts: Array<string | Uint8Array>): string {
  return Buffer.concat(parts.map((p) => {
    const b = typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)
    const len = Buffer.alloc(4)
    len.writeUInt32BE(b.length)
    return Buffer.concat([len, b])
  })).toString('base64')
}

test('refused: algorithm name in the line disagrees with the blob', () => {
  const ed = fixtures.cases.find((c) => c.name === 'ed25519')!.line.split(' ')[1]!
  const p256 = fixtures.cases.find((c) => c.name === 'ecdsa256')!.line.split(' ')[1]!
  assertCode(() => fromSsh(`ssh-rsa ${ed}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`ecdsa-sha2-nistp384 ${p256}`), 'ERR_SSH_INVALID')
  // Curve identifier inside the blob disagreeing with the name (RFC 5656 §3.1).
  const point = Buffer.from(p256, 'base64').subarray(39)
  assertCode(() => fromSsh(`ecdsa-sha2-nistp256 ${blob('ecdsa-sha2-nistp256', 'nistp384', point.subarray(4))}`), 'ERR_SSH_INVALID')
})

test('refused: truncated blob, trailing bytes, bad base64, wrong sizes, non-minimal mpint, options prefix, several lines', () => {
  const ed = fixtures.cases.find((c) => c.name === 'ed25519')!.line
  const b64 = ed.split(' ')[1]!
  const raw = Buffer.from(b64, 'base64')
  assertCode(() => fromSsh(`ssh-ed25519 ${raw.subarray(0, raw.length - 1).toString('base64')}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`ssh-ed25519 ${Buffer.concat([raw, Buffer.of(0)]).toString('base64')}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`ssh-ed25519 ${b64.slice(0, -1)}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`ssh-ed25519 ${blob('ssh-ed25519', Buffer.alloc(31, 1))}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`ssh-rsa ${blob('ssh-rsa', Buffer.of(0, 1, 0, 1), Buffer.alloc(256, 0xc3))}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`ssh-rsa ${blob('ssh-rsa', Buffer.of(1, 0, 1), Buffer.alloc(256, 0xc3))}`), 'ERR_SSH_INVALID') // negative mpint
  assertCode(() => fromSsh(`no-pty ${ed}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`${ed}\n${ed}`), 'ERR_SSH_INVALID')
  assertCode(() => fromSsh(`ssh-dss ${blob('ssh-dss')}`), 'ERR_JWK_UNSUPPORTED')
  assertCode(() => fromSsh(`sk-ssh-ed25519@openssh.com ${blob('sk-ssh-ed25519@openssh.com')}`), 'ERR_JWK_UNSUPPORTED')
})

test('refused: an EC point that is not on the curve', () => {
  const p256 = fixtures.cases.find((c) => c.name === 'ecdsa256')!.line.split(' ')[1]!
  const raw = Buffer.from(p256, 'base64')
  raw[raw.length - 1]! ^= 1
  assert.throws(() => fromSsh(`ecdsa-sha2-nistp256 ${raw.toString('base64')}`), (e: { code?: string }) => ['ERR_KEY_IMPORT_FAILED', 'ERR_JWK_INVALID'].includes(e.code ?? ''))
})
