// The web backend's certificate check (src/backend/cert-signature.ts) against node:crypto's
// checkIssued + verify (OpenSSL 3), the same verdict for: each openssl-made CA and the leaf it
// signed (test/backend/fixtures/x509/make.sh: RSA PKCS #1 v1.5 with SHA-1/256/512, RSA-PSS with
// two parameter sets, ECDSA on P-256/384/521 and secp256k1, Ed25519, Ed448), every pair across
// algorithms, and thousands of single-byte corruptions of each certificate.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { test } from 'node:test'
import * as node from '../../src/backend/node.ts'
import * as web from '../../src/backend/web.ts'
import { children, parseDer, type DerNode } from '../../src/formats/der.ts'
import { decodePem } from '../../src/formats/pem.ts'

const dir = new URL('./fixtures/x509/', import.meta.url)
const der = (file: URL | string): Uint8Array => decodePem(readFileSync(file, 'utf8'))[0]!.der
const NAMES = readdirSync(dir).filter((f) => f.endsWith('-ca.pem')).map((f) => f.slice(0, -'-ca.pem'.length)).sort()
const PAIRS = NAMES.map((name) => ({ name, ca: der(new URL(`${name}-ca.pem`, dir)), leaf: der(new URL(`${name}-leaf.pem`, dir)) }))
const older = new URL('../formats/fixtures/x509/', import.meta.url)
PAIRS.push(
  { name: 'formats chain (intermediate by root)', ca: der(new URL('root.pem', older)), leaf: der(new URL('intermediate.pem', older)) },
  { name: 'formats chain (leaf by intermediate)', ca: der(new URL('intermediate.pem', older)), leaf: der(new URL('leaf.pem', older)) },
)

/** Both backends' verdicts, or undefined when node:crypto cannot parse one of the two. */
function verdicts(cert: Uint8Array, issuer: Uint8Array): [boolean, boolean] | undefined {
  let n: boolean
  try {
    n = node.certificateIssuedBy(node.parseCertificate(cert), node.parseCertificate(issuer))
  } catch {
    return undefined
  }
  let w: boolean
  try {
    w = web.certificateIssuedBy(web.parseCertificate(cert), web.parseCertificate(issuer))
  } catch {
    w = false
  }
  return [n, w]
}

test('every fixture: the CA signed its leaf and itself, on both backends', () => {
  assert.ok(NAMES.length >= 12, `${NAMES.length} fixtures`)
  for (const { name, ca, leaf } of PAIRS) {
    assert.deepEqual(verdicts(leaf, ca), [true, true], `${name}: leaf by CA`)
    if (!name.startsWith('formats')) assert.deepEqual(verdicts(ca, ca), [true, true], `${name}: self-signed CA`)
    assert.deepEqual(verdicts(ca, leaf), [false, false], `${name}: CA by leaf`)
  }
})

test('a tampered signature, a tampered TBSCertificate: refused by both', () => {
  for (const { name, ca, leaf } of PAIRS) {
    const sig = Uint8Array.from(leaf)
    sig[sig.length - 1]! ^= 0x01
    assert.deepEqual(verdicts(sig, ca), [false, false], `${name}: last signature byte`)
    const tbs = Uint8Array.from(leaf)
    tbs[tbs.length >> 1]! ^= 0x20
    const v = verdicts(tbs, ca)
    if (v !== undefined) assert.deepEqual(v, [false, false], `${name}: a TBSCertificate byte`)
  }
})

test('every pair across algorithms: the same verdict (false)', () => {
  let n = 0
  for (const a of PAIRS) {
    for (const b of PAIRS) {
      if (a === b || a.name.startsWith('formats') || b.name.startsWith('formats')) continue
      assert.deepEqual(verdicts(a.leaf, b.ca), [false, false], `${a.name} leaf by ${b.name} CA`)
      n++
    }
  }
  assert.ok(n > 100)
})

test('single-byte corruptions anywhere in leaf or CA: the verdicts agree with node:crypto', () => {
  let seed = 12
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31)
  let compared = 0
  let accepted = 0
  for (const { name, ca, leaf } of PAIRS) {
    for (let i = 0; i < 90; i++) {
      const which = i % 3 === 2 ? 'ca' : 'leaf'
      const target = Uint8Array.from(which === 'ca' ? ca : leaf)
      const at = next() % target.length
      target[at]! ^= 1 << (next() % 8)
      const v = which === 'ca' ? verdicts(leaf, target) : verdicts(target, ca)
      if (v === undefined) continue
      assert.equal(v[1], v[0], `${name}: ${which} byte ${at} corrupted: node ${v[0]}, web ${v[1]}`)
      compared++
      if (v[0]) accepted++
    }
  }
  assert.ok(compared > 900, `${compared} compared`)
  console.log(`# ${compared} corruptions compared, ${accepted} still verify on both (bytes outside the signed parts)`)
})

/** The offset in `der` of a node's content (formats/der.ts nodes are views into it). */
const at = (der: Uint8Array, node: DerNode): number => node.content.byteOffset - der.byteOffset
const tbsOf = (der: Uint8Array): DerNode[] => children(children(parseDer(der))[0]!)
function extension(der: Uint8Array, oid: Uint8Array): DerNode {
  const exts = children(children(tbsOf(der).find((n) => n.tag === 0xa3)!)[0]!)
  const ext = exts.find((e) => Buffer.from(children(e)[0]!.raw).equals(Buffer.from(oid)))!
  return parseDer(children(ext).at(-1)!.content)
}
const pair = (name: string) => PAIRS.find((p) => p.name === name)!
const edit = (der: Uint8Array, offset: number, change: (b: number) => number): Uint8Array => {
  const out = Uint8Array.from(der)
  out[offset] = change(out[offset]!)
  return out
}

test('the issuer key as OpenSSL reads it: unused bits of the SubjectPublicKeyInfo cleared, an RSAPublicKey filling its BIT STRING', () => {
  for (const name of ['ed25519', 'p256-sha256', 'rsa-sha256', 'ed448', 'p384-sha384']) {
    const { ca, leaf } = pair(name)
    const spki = children(tbsOf(ca)[6]!)[1]!
    for (const unused of [1, 2, 7, 8]) {
      const v = verdicts(leaf, edit(ca, at(ca, spki), () => unused))
      if (v !== undefined) assert.equal(v[1], v[0], `${name}: issuer key with ${unused} unused bits`)
    }
  }
  // RSAPublicKey one octet shorter than its BIT STRING: node:crypto cannot read the key.
  const { ca, leaf } = pair('rsa-sha1')
  const spki = children(tbsOf(ca)[6]!)[1]!
  const inner = at(ca, spki) + 1
  const lengthAt = inner + 2 // 30 81 LL
  assert.deepEqual(verdicts(leaf, edit(ca, lengthAt, (b) => b - 1)), [false, false], 'RSAPublicKey shorter than its BIT STRING')
})

test('keyUsage as OpenSSL reads it: unused bits cleared before keyCertSign is looked at; a pathLenConstraint without cA', () => {
  for (const name of ['p256-sha512', 'rsa-sha256']) {
    const { ca, leaf } = pair(name)
    const ku = extension(ca, Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x0f))
    for (const unused of [1, 2, 3, 6]) {
      const v = verdicts(leaf, edit(ca, at(ca, ku), () => unused))
      if (v !== undefined) assert.equal(v[1], v[0], `${name}: keyUsage with ${unused} unused bits (node ${v[0]})`)
    }
  }
  // basicConstraints 30 03 01 01 FF → 30 03 02 01 FF: an INTEGER pathLen of -1 where cA was.
  const { ca, leaf } = pair('ed25519')
  const bc = extension(ca, Uint8Array.of(0x06, 0x03, 0x55, 0x1d, 0x13))
  assert.deepEqual(verdicts(leaf, edit(ca, at(ca, bc), () => 0x02)), [false, false], 'basicConstraints with a pathLen and no cA')
})

test("RSA PKCS #1 v1.5: a Bleichenbacher '06 forgery for e = 3 (DigestInfo followed by garbage) is refused by both", async () => {
  const { createHash } = await import('node:crypto')
  const { ca, leaf } = pair('rsa-sha1')
  const [tbs, , sigNode] = children(parseDer(leaf))
  const digestInfo = Buffer.concat([Buffer.from('3021300906052b0e03021a05000414', 'hex'), createHash('sha1').update(tbs!.raw).digest()])
  const k = sigNode!.content.length - 1
  // 00 01 FF 00 ‖ DigestInfo ‖ garbage: its integer cube root, rounded up, cubes to the same prefix.
  const prefix = Buffer.concat([Buffer.of(0, 1, 0xff, 0), digestInfo])
  const target = BigInt('0x' + Buffer.concat([prefix, Buffer.alloc(k - prefix.length, 0xff)]).toString('hex'))
  let s = 1n << BigInt(Math.ceil((k * 8) / 3))
  for (;;) {
    const next = (2n * s + target / (s * s)) / 3n
    if (next >= s) break
    s = next
  }
  while (s * s * s > target) s--
  const cube = (s * s * s).toString(16).padStart(2 * k, '0')
  assert.equal(cube.slice(0, 2 * prefix.length), prefix.toString('hex'), 'the forgery cubes to the EMSA prefix')
  const forged = Uint8Array.from(leaf)
  forged.set(Buffer.from(s.toString(16).padStart(2 * k, '0'), 'hex'), at(leaf, sigNode!) + 1)
  assert.deepEqual(verdicts(forged, ca), [false, false])
})
