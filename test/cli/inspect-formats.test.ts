import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fromSsh } from '../../src/formats/ssh.ts'
import { fromX509 } from '../../src/formats/x509.ts'
import { runCli } from './helpers.ts'

const inspect = (input: string, json = false) => runCli(['inspect', ...(json ? ['--json'] : [])], { readInput: () => Buffer.from(input) })

const sshCases = JSON.parse(readFileSync(new URL('../formats/fixtures/ssh/public-keys.json', import.meta.url), 'utf8')) as {
  cases: Array<{ line: string; fingerprint: string }>
}

test('jwk inspect shows the ssh-keygen -l -E sha256 fingerprint of RSA, EC and Ed25519 keys', async () => {
  for (const { line, fingerprint } of sshCases.cases) {
    const r = await inspect(JSON.stringify(fromSsh(line)))
    assert.equal(r.status, 0)
    assert.match(r.stdout, new RegExp(`^ssh +${fingerprint.replace(/[+/]/g, '\\$&')}$`, 'm'))
    assert.equal(JSON.parse((await inspect(JSON.stringify(fromSsh(line)), true)).stdout).sshFingerprint, fingerprint)
  }
})

test('jwk inspect shows x5c subject, issuer and dates (describeX509)', async () => {
  const chain = readFileSync(new URL('../formats/fixtures/x509/chain.pem', import.meta.url), 'utf8')
  const r = await inspect(JSON.stringify(fromX509(chain)), true)
  const summary = JSON.parse(r.stdout)
  assert.equal(summary.certificate.subject, 'CN=leaf.jwkit.test')
  assert.equal(summary.certificate.issuer, 'CN=jwkit test intermediate')
  assert.match(summary.certificate.notAfter, /^\d{4}-\d\d-\d\dT/)
  assert.match(summary.certificate.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
})
