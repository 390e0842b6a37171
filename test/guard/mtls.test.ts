// Certificate-bound access tokens (RFC 8705 §3) over real TLS: a Node https server with
// requestCert, client certificates made by openssl, the x5t#S256 computed by openssl too; and the
// same check through a trusted proxy header (RFC 9440 Client-Cert, URL-encoded PEM).
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createServer, request } from 'node:https'
import type { AddressInfo } from 'node:net'
import { verifyAccessToken } from '../../src/guard/access-token.ts'
import { isGuardError } from '../../src/guard/errors.ts'
import { AUDIENCE, ISSUER, accessToken, keys, refused } from './helpers.ts'

const dir = mkdtempSync(join(tmpdir(), 'jwkit-mtls-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function cert(name: string): { key: string; cert: string; x5t: string; der: Buffer } {
  const key = join(dir, `${name}.key`)
  const crt = join(dir, `${name}.pem`)
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', crt, '-days', '1', '-subj', `/CN=${name}`, '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' })
  const der = execFileSync('openssl', ['x509', '-in', crt, '-outform', 'DER'])
  // RFC 8705 §3.1 by openssl itself: base64url(SHA-256(DER)).
  const digest = execFileSync('openssl', ['dgst', '-sha256', '-binary'], { input: der })
  return { key: readFileSync(key, 'utf8'), cert: readFileSync(crt, 'utf8'), x5t: digest.toString('base64url'), der }
}

const server = cert('server')
const alice = cert('alice')
const mallory = cert('mallory')
const options = { keys, issuer: ISSUER, audience: AUDIENCE, mtls: true }

const https = createServer({ key: server.key, cert: server.cert, requestCert: true, rejectUnauthorized: false }, (req, res) => {
  verifyAccessToken(req, options).then(
    (auth) => res.writeHead(200).end(JSON.stringify({ x5t: auth.x5tS256 ?? null })),
    (e) => (isGuardError(e) ? res.writeHead(e.status, e.headers()).end(JSON.stringify(e.body())) : res.writeHead(500).end(String(e))),
  )
})
await new Promise<void>((resolve) => https.listen(0, '127.0.0.1', resolve))
after(() => new Promise<void>((resolve) => https.close(() => resolve())))
const port = (https.address() as AddressInfo).port

function call(token: string, client?: { key: string; cert: string }): Promise<{ status: number; www: string | undefined; body: { code?: string; x5t?: string } }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/r', ca: server.cert, headers: { authorization: `Bearer ${token}` }, ...(client ?? {}), agent: false }, (res) => {
      let text = ''
      res.on('data', (c) => (text += c))
      res.on('end', () => resolve({ status: res.statusCode!, www: res.headers['www-authenticate'] as string | undefined, body: JSON.parse(text) }))
    })
    req.on('error', reject)
    req.end()
  })
}

test('RFC 8705 §3: a token bound to the TLS client certificate passes with it and only with it', async () => {
  const bound = await accessToken({ cnf: { 'x5t#S256': alice.x5t } })
  const ok = await call(bound, alice)
  assert.deepEqual([ok.status, ok.body.x5t], [200, alice.x5t])
  const www = 'Bearer error="invalid_token", error_description="Invalid certificate binding"'
  const other = await call(bound, mallory)
  assert.deepEqual([other.status, other.body.code, other.www], [401, 'ERR_TOKEN_BINDING_MISMATCH', www])
  const none = await call(bound)
  assert.deepEqual([none.status, none.body.code, none.www], [401, 'ERR_TOKEN_BINDING_MISMATCH', www])
  // An unbound token passes with mtls on, with or without a certificate.
  assert.equal((await call(await accessToken(), alice)).status, 200)
  assert.equal((await call(await accessToken())).status, 200)
})

test('a certificate-bound token where mTLS is not configured is refused (its binding cannot be confirmed)', async () => {
  const bound = await accessToken({ cnf: { 'x5t#S256': alice.x5t } })
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example/r', headers: { authorization: `Bearer ${bound}` } }, { keys, issuer: ISSUER, audience: AUDIENCE }), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH', www: 'Bearer error="invalid_token", error_description="Invalid certificate binding"' })
})

test('behind a TLS-terminating proxy: the certificate from a configured header (RFC 9440 byte sequence, URL-encoded PEM)', async () => {
  const bound = await accessToken({ cnf: { 'x5t#S256': alice.x5t } })
  const proxied = { keys, issuer: ISSUER, audience: AUDIENCE, mtls: { certificateHeader: 'Client-Cert' } }
  const send = (value: string | undefined) => verifyAccessToken({ method: 'GET', url: 'https://api.example/r', headers: { authorization: `Bearer ${bound}`, ...(value === undefined ? {} : { 'client-cert': value }) } }, proxied)
  assert.equal((await send(`:${alice.der.toString('base64')}:`)).x5tS256, alice.x5t)
  assert.equal((await send(encodeURIComponent(alice.cert))).x5tS256, alice.x5t)
  await refused(send(`:${mallory.der.toString('base64')}:`), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH' })
  await refused(send(undefined), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH' })
  await refused(send('garbage'), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH' })
  // The header is read only when configured: with mtls: true it is ignored, there is no socket certificate.
  await refused(verifyAccessToken({ method: 'GET', url: 'https://api.example/r', headers: { authorization: `Bearer ${bound}`, 'client-cert': `:${alice.der.toString('base64')}:` } }, { ...proxied, mtls: true }), { status: 401, code: 'ERR_TOKEN_BINDING_MISMATCH' })
})
