/**
 * The workbench's logic in Node, checked against independent implementations: thumbprints against
 * jose, conversions against openssl (`pkey -pubout`) and ssh-keygen fixtures, certificate fields
 * against `openssl x509`, broken keys' problems with pointers that land in the input, JWT times,
 * verification and decryption of tokens jose made, and a remote JWK Set over loopback HTTP.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { generateKeyPairSync } from 'node:crypto'
import { createServer } from 'node:http'
import { readFileSync } from 'node:fs'
import * as jose from 'jose'
import { analyze, type Analysis, type KeyReport } from '../../src/web/logic/analyze.ts'
import { pointerRange } from '../../src/web/logic/pointer.ts'
import { decryptWithKeyText, verifyWithKeyText, verifyWithRemote } from '../../src/web/logic/verify.ts'
import { GENERATE_CHOICES, generateChoice } from '../../src/web/logic/generate.ts'
import { close, listen } from '../server/http-helpers.ts'

const FIX = new URL('../formats/fixtures/', import.meta.url)
const keysOf = (a: Analysis): KeyReport[] => {
  assert.equal(a.kind, 'keys', JSON.stringify(a).slice(0, 300))
  return (a as Extract<Analysis, { kind: 'keys' }>).keys
}
const conv = (k: KeyReport, id: string) => k.conversions.find((c) => c.id === id)!

test('a private EC JWK: type, visibility, thumbprint and URI as jose computes them, every conversion openssl agrees with', async () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = { ...(privateKey.export({ format: 'jwk' }) as Record<string, string>), kid: 'k1', alg: 'ES256', use: 'sig' }
  const [k] = keysOf(analyze(JSON.stringify(jwk, null, 2), Date.now()))
  assert.equal(k!.type, 'EC P-256')
  assert.equal(k!.visibility, 'private')
  assert.deepEqual([k!.kid, k!.alg, k!.use], ['k1', 'ES256', 'sig'])
  const tp = await jose.calculateJwkThumbprint(jwk as jose.JWK, 'sha256')
  assert.equal(k!.thumbprint, tp)
  assert.equal(k!.thumbprintUri, `urn:ietf:params:oauth:jwk-thumbprint:sha-256:${tp}`)
  assert.deepEqual(k!.errors, [])
  const pkcs8 = conv(k!, 'pkcs8').text!
  const spkiByOpenssl = execFileSync('openssl', ['pkey', '-pubout'], { input: pkcs8 }).toString()
  assert.equal(conv(k!, 'spki').text, spkiByOpenssl)
  const sec1 = conv(k!, 'sec1').text!
  assert.match(sec1, /^-----BEGIN EC PRIVATE KEY-----/)
  assert.equal(execFileSync('openssl', ['ec', '-pubout'], { input: sec1, stdio: ['pipe', 'pipe', 'ignore'] }).toString(), spkiByOpenssl)
  assert.match(conv(k!, 'ssh').text!, /^ecdsa-sha2-nistp256 /)
  assert.match(conv(k!, 'cose').text!, /^a[0-9a-f]+$/)
  assert.ok(conv(k!, 'pkcs1').unavailable, 'PKCS#1 is RSA only')
  assert.equal(JSON.parse(conv(k!, 'public-jwk').text!).d, undefined)
  // the conversions read back as the same key
  for (const id of ['spki', 'pkcs8', 'sec1', 'ssh', 'cose']) {
    const [again] = keysOf(analyze(conv(k!, id).text!, Date.now()))
    assert.equal(again!.thumbprint, tp, id)
  }
})

test('PEM: several key blocks one by one; an RSA key with PKCS#1; a certificate chain with subject, issuer and dates as openssl prints them', () => {
  const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
  const ed = generateKeyPairSync('ed25519')
  const text = rsa.publicKey.export({ format: 'pem', type: 'spki' }) + '\n' + ed.privateKey.export({ format: 'pem', type: 'pkcs8' })
  const keys = keysOf(analyze(String(text), Date.now()))
  assert.equal(keys.length, 2)
  assert.equal(keys[0]!.type, 'RSA 2048 bits')
  assert.equal(keys[0]!.visibility, 'public')
  assert.equal(conv(keys[0]!, 'pkcs1').text, rsa.publicKey.export({ format: 'pem', type: 'pkcs1' }))
  assert.equal(keys[1]!.type, 'OKP Ed25519')
  assert.equal(keys[1]!.visibility, 'private')
  const chain = readFileSync(new URL('x509/chain.pem', FIX), 'utf8')
  const [leaf] = keysOf(analyze(chain, Date.now()))
  assert.ok(leaf!.certificates.length >= 2)
  const subject = execFileSync('openssl', ['x509', '-noout', '-subject', '-nameopt', 'RFC2253'], { input: chain }).toString().trim().replace(/^subject=/, '')
  assert.equal(leaf!.certificates[0]!.subject, subject.replace(/^CN=/, 'CN='))
  const endDate = execFileSync('openssl', ['x509', '-noout', '-enddate'], { input: chain }).toString().trim().replace(/^notAfter=/, '')
  assert.equal(leaf!.certificates[0]!.notAfter, new Date(endDate).toISOString())
  assert.match(leaf!.certificates[0]!.issuer, /intermediate/)
})

test('OpenSSH lines and COSE_Key as hex and base64 are recognised', () => {
  const cases = JSON.parse(readFileSync(new URL('ssh/public-keys.json', FIX), 'utf8')).cases as Array<{ name: string; line: string }>
  for (const c of cases) {
    const a = analyze(c.line, Date.now())
    assert.equal(a.kind === 'keys' && a.input, 'ssh', c.name)
    assert.equal(keysOf(a)[0]!.visibility, 'public')
  }
  const [ed] = keysOf(analyze(cases[0]!.line, Date.now()))
  const hex = conv(ed!, 'cose').text!
  const fromHex = analyze(hex, Date.now())
  assert.equal(fromHex.kind === 'keys' && fromHex.input, 'cose')
  assert.equal(keysOf(fromHex)[0]!.thumbprint, ed!.thumbprint)
  const b64 = Buffer.from(hex, 'hex').toString('base64')
  assert.equal(keysOf(analyze(b64, Date.now()))[0]!.thumbprint, ed!.thumbprint)
})

test('a broken key: errors and warnings apart, each with a pointer that lands on the member in the input', () => {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>
  const text = JSON.stringify({ keys: [{ kty: 'oct', k: 'AAAA', alg: 'HS256' }, { ...jwk, y: jwk.y! + 'AAAA', use: 'enc', alg: 'ES256' }] }, null, 2)
  const keys = keysOf(analyze(text, Date.now()))
  assert.equal(keys.length, 2)
  const [oct, ec] = keys
  assert.ok(oct!.errors.length > 0, 'a 24-bit HMAC key is weak')
  assert.ok(ec!.errors.some((p) => p.path === '/keys/1/y'), JSON.stringify(ec!.errors))
  assert.ok(ec!.errors.some((p) => p.path === '/keys/1/use' || p.path === '/keys/1/alg'), 'use enc contradicts alg ES256')
  for (const p of [...ec!.errors, ...oct!.errors]) {
    const r = pointerRange(text, p.path)
    assert.ok(r, `${p.path} is found in the input`)
  }
  const r = pointerRange(text, '/keys/1/y')!
  assert.match(text.slice(r.start, r.end), /^"y": "/)
  assert.equal(ec!.conversions.length, 0, 'no conversion of an invalid key')
  // a warning, not an error: a 1024-bit RSA modulus is parsed, refused at use (RFC 7518 §3.3)
  const small = JSON.stringify(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' }))
  const [w] = keysOf(analyze(small, Date.now()))
  assert.deepEqual(w!.errors, [])
  assert.ok(w!.warnings.some((p) => p.path === '/n'), JSON.stringify(w!.warnings))
  // unreadable input
  const bad = analyze('hello world', Date.now())
  assert.equal(bad.kind, 'error')
})

test('a JWT from jose: header and claims, times as dates with relative phrases; verified only on request, with the right key or set', async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true })
  const now = Date.now()
  const token = await new jose.SignJWT({ sub: 'alice', scope: 'read' }).setProtectedHeader({ alg: 'ES256', kid: 'k1' })
    .setIssuedAt(Math.floor(now / 1000) - 60).setNotBefore(Math.floor(now / 1000) - 60).setExpirationTime(Math.floor(now / 1000) + 300).sign(privateKey)
  const a = analyze(token, now)
  assert.equal(a.kind, 'token')
  const t = (a as Extract<Analysis, { kind: 'token' }>).token
  assert.equal(t.kind, 'jwt')
  assert.deepEqual(t.headers[0], { alg: 'ES256', kid: 'k1' })
  assert.equal(t.claims!.sub, 'alice')
  const exp = t.times.find((x) => x.claim === 'exp')!
  assert.match(exp.status, /^expires in (4|5) minutes?$/)
  assert.match(t.times.find((x) => x.claim === 'iat')!.status, /^issued 1 minute ago$/)
  const pub = { ...(await jose.exportJWK(publicKey)), kid: 'k1' }
  const ok = await verifyWithKeyText(token, JSON.stringify(pub), true, now)
  assert.equal(ok.ok, true, ok.message)
  assert.equal(ok.kid, 'k1')
  assert.equal(ok.thumbprint, await jose.calculateJwkThumbprint(pub))
  const set = await verifyWithKeyText(token, JSON.stringify({ keys: [pub] }), true, now)
  assert.equal(set.ok, true)
  const other = await jose.exportJWK((await jose.generateKeyPair('ES256', { extractable: true })).publicKey)
  const wrong = await verifyWithKeyText(token, JSON.stringify(other), true, now)
  assert.equal(wrong.ok, false)
  assert.equal(wrong.code, 'ERR_JWS_SIGNATURE_INVALID')
  const late = await verifyWithKeyText(token, JSON.stringify(pub), true, now + 3_600_000)
  assert.equal(late.code, 'ERR_JWT_EXPIRED')
  const unreadable = await verifyWithKeyText(token, 'not a key', true, now)
  assert.equal(unreadable.ok, false)
  assert.match(unreadable.message, /^The key cannot be read/)
  // a PEM public key verifies too
  const pem = await jose.exportSPKI(publicKey)
  assert.equal((await verifyWithKeyText(token, pem, true, now)).ok, true)
})

test('JSON serializations and JWE: recognised; a JWE from jose decrypts with the pasted key', async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair('ECDH-ES+A256KW', { extractable: true })
  const jwe = await new jose.CompactEncrypt(new TextEncoder().encode('secret text')).setProtectedHeader({ alg: 'ECDH-ES+A256KW', enc: 'A256GCM' }).encrypt(publicKey)
  const a = analyze(jwe, Date.now())
  assert.equal(a.kind === 'token' && a.token.kind, 'jwe')
  const priv = await jose.exportJWK(privateKey)
  const out = await decryptWithKeyText(jwe, JSON.stringify(priv))
  assert.equal(out.ok, true, out.message)
  assert.equal(out.plaintext, 'secret text')
  const wrong = await decryptWithKeyText(jwe, JSON.stringify(await jose.exportJWK((await jose.generateKeyPair('ECDH-ES+A256KW', { extractable: true })).privateKey)))
  assert.equal(wrong.ok, false)
  const flattened = await new jose.FlattenedSign(new TextEncoder().encode('payload')).setProtectedHeader({ alg: 'HS256' }).sign(new Uint8Array(32).fill(7))
  const f = analyze(JSON.stringify(flattened), Date.now())
  assert.equal(f.kind === 'token' && f.token.kind, 'jws')
  assert.equal(f.kind === 'token' && f.token.payloadText, 'payload')
  const secret = JSON.stringify({ kty: 'oct', k: Buffer.alloc(32, 7).toString('base64url') })
  assert.equal((await verifyWithKeyText(JSON.stringify(flattened), secret, false, Date.now())).ok, true)
})

test('verify against a JWKS URL on loopback (the one network action), and a refusal for a non-https remote host', async () => {
  const { publicKey, privateKey } = await jose.generateKeyPair('EdDSA', { extractable: true })
  const pub = { ...(await jose.exportJWK(publicKey)), kid: 'r1', alg: 'EdDSA' }
  const token = await new jose.SignJWT({ sub: 'bob' }).setProtectedHeader({ alg: 'EdDSA', kid: 'r1' }).setExpirationTime('5m').sign(privateKey)
  let hits = 0
  const server = createServer((_req, res) => {
    hits++
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ keys: [pub] }))
  })
  const base = await listen(server)
  try {
    const out = await verifyWithRemote(token, { url: `${base}/jwks.json` }, true, Date.now())
    assert.equal(out.ok, true, out.message)
    assert.equal(hits, 1)
    const refused = await verifyWithRemote(token, { url: 'http://keys.example/jwks.json' }, true, Date.now())
    assert.equal(refused.code, 'ERR_JWKS_URL_NOT_ALLOWED')
  } finally {
    await close(server)
  }
})

test('every generate choice makes a key that analyses as valid, private or secret, with its thumbprint as kid', { timeout: 120_000 }, async () => {
  for (const choice of GENERATE_CHOICES) {
    const jwk = await generateChoice(choice.id)
    const [k] = keysOf(analyze(JSON.stringify(jwk), Date.now()))
    assert.deepEqual(k!.errors, [], choice.id)
    assert.ok(k!.visibility === 'private' || k!.visibility === 'secret', choice.id)
    assert.equal(k!.kid, k!.thumbprint, choice.id)
  }
})
