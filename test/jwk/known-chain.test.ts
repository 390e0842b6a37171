import assert from 'node:assert/strict'
import { X509Certificate, createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { describe, it } from 'node:test'
import { isJwkitError } from '../../src/errors.ts'
import { parseJwk, parseJwkWithKnownChain } from '../../src/jwk/parse.ts'
import type { KnownChain } from '../../src/jwk/rules-x5c.ts'
import { parseCertificate } from '#backend'

const pem = (name: string): string => readFileSync(new URL(`../formats/fixtures/x509/${name}.pem`, import.meta.url), 'utf8')
const derOf = (cert: X509Certificate): Buffer => cert.raw
const leaf = new X509Certificate(pem('leaf'))
const root = new X509Certificate(pem('root'))
const otherRoot = new X509Certificate(pem('other-root'))
const keyOf = (cert: X509Certificate): Record<string, unknown> => cert.publicKey.export({ format: 'jwk' }) as Record<string, unknown>
const jwkOf = (cert: X509Certificate, chain = [cert]): Record<string, unknown> => ({
  ...keyOf(cert),
  x5c: chain.map((c) => derOf(c).toString('base64')),
  'x5t#S256': createHash('sha256').update(derOf(cert)).digest('base64url'),
})
const known = (certs: X509Certificate[], leafKey = keyOf(certs[0]!)): KnownChain => ({ ders: certs.map(derOf), certs: certs.map((c) => parseCertificate(derOf(c))), leafKey })

function refusal(run: () => unknown): { code: string; path: string | undefined } {
  try {
    run()
  } catch (error) {
    assert.ok(isJwkitError(error))
    return { code: error.code, path: error.path }
  }
  assert.fail('accepted')
}

describe('parseJwkWithKnownChain (internal, formats/x509): a memo, never a weaker check', () => {
  it('gives what parseJwk gives for a consistent JWK', () => {
    const jwk = jwkOf(leaf, [leaf, root])
    assert.deepEqual(parseJwkWithKnownChain(jwk, known([leaf, root])), parseJwk(jwk))
  })
  it('still compares the key members with the leaf key', () => {
    // the JWK holds root's key but x5c[0] is the leaf: refused whatever chain is known
    const jwk = { ...jwkOf(leaf), ...keyOf(root) }
    assert.deepEqual(refusal(() => parseJwk(jwk)), { code: 'ERR_JWK_INVALID', path: '/x5c/0' })
    assert.deepEqual(refusal(() => parseJwkWithKnownChain(jwk, known([leaf]))), { code: 'ERR_JWK_INVALID', path: '/x5c/0' })
    // a known leaf key that disagrees with the JWK is not taken on trust either
    assert.deepEqual(refusal(() => parseJwkWithKnownChain(jwkOf(root), known([root], keyOf(otherRoot)))), { code: 'ERR_JWK_INVALID', path: '/x5c/0' })
  })
  it('parses x5c entries that are not the known DER as usual', () => {
    // x5c[0] is otherRoot, the known chain is root: otherRoot is parsed and its key compared
    const jwk = { ...jwkOf(otherRoot), ...keyOf(root) }
    assert.deepEqual(refusal(() => parseJwkWithKnownChain(jwk, known([root]))), { code: 'ERR_JWK_INVALID', path: '/x5c/0' })
    assert.deepEqual(parseJwkWithKnownChain(jwkOf(otherRoot), known([root])), parseJwk(jwkOf(otherRoot)))
  })
  it('still checks x5t#S256 and the base64 of every entry', () => {
    const badDigest = { ...jwkOf(leaf), 'x5t#S256': createHash('sha256').update('other').digest('base64url') }
    assert.deepEqual(refusal(() => parseJwkWithKnownChain(badDigest, known([leaf]))), { code: 'ERR_JWK_INVALID', path: '/x5t#S256' })
    const urlAlphabet = { ...jwkOf(leaf), x5c: [derOf(leaf).toString('base64url')] }
    assert.equal(refusal(() => parseJwkWithKnownChain(urlAlphabet, known([leaf]))).code, 'ERR_JWK_INVALID')
  })
})
