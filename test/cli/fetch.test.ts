// `jwk fetch URL | --issuer ISSUER [--json]` against a loopback server.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { startServer } from '../jwks/http-server.ts'
import { makeKeys, set, token } from '../jwks/remote-fixtures.ts'
import { runCli } from './helpers.ts'

const server = await startServer()
after(() => server.close())
const { k1 } = await makeKeys('k1')

async function run(...argv: string[]) {
  return runCommand('fetch', ...argv)
}

function runCommand(command: string, ...argv: string[]) {
  return runCli([command, ...argv], { readInput: () => Buffer.alloc(0) })
}

const issuer = server.origin
server.handle((req) => {
  if (req.path === '/.well-known/openid-configuration') return { body: { issuer, jwks_uri: server.url('/jwks') } }
  if (req.path === '/jwks') {
    return { body: { keys: [{ kty: 'XYZ', kid: 'future' }, k1!.public] }, headers: { 'cache-control': 'max-age=30', etag: '"abc"' } }
  }
  if (req.path === '/empty') return { body: { keys: [] } }
  if (req.path === '/down') return { status: 503 }
  return { status: 404 }
})

test('jwk fetch URL: the usable set on stdout; skipped keys and caching headers on stderr', async () => {
  const before = server.count('/jwks')
  const r = await run(server.url('/jwks'))
  assert.equal(r.status, 0)
  assert.deepEqual(JSON.parse(r.stdout), set(k1!))
  assert.match(r.stderr, /1 usable key, 1 skipped/)
  assert.match(r.stderr, /\/keys\/0 ERR_JWK_UNSUPPORTED/)
  assert.match(r.stderr, /cache-control: max-age=30/)
  assert.match(r.stderr, /etag: "abc"/)
  assert.match(r.stderr, /clamped from 30 s/) // below the 60 s minimum TTL
  assert.equal(server.count('/jwks') - before, 1)
})

test('jwk fetch --issuer ISSUER --json: discovery, report as one JSON object', async () => {
  const r = await run('--issuer', issuer, '--json')
  assert.equal(r.status, 0)
  const report = JSON.parse(r.stdout)
  assert.equal(report.url, server.url('/jwks'))
  assert.equal(report.discovery.jwksUri, server.url('/jwks'))
  assert.equal(report.discovery.issuer, issuer)
  assert.deepEqual(report.jwks, set(k1!))
  assert.deepEqual(report.skipped.map((p: { path: string; code: string }) => [p.path, p.code]), [['/keys/0', 'ERR_JWK_UNSUPPORTED']])
  assert.equal(report.caching['cache-control'], 'max-age=30')
  assert.equal(report.caching.etag, '"abc"')
  assert.equal(typeof report.caching.date, 'string') // node:http always sends Date
  assert.equal(report.freshness.source, 'max-age')
})

test('failures: an unusable set exits 1, bad usage and refused URLs exit 2, a fetch that fails exits 3', async () => {
  const empty = await run(server.url('/empty'))
  assert.equal(empty.status, 1)
  assert.match(empty.stderr, /ERR_JWKS_INVALID/)
  const down = await run(server.url('/down'), '--json')
  assert.equal(down.status, 3)
  assert.equal(JSON.parse(down.stderr).error.code, 'ERR_JWKS_FETCH_FAILED')
  const http = await run('http://jwks.example/keys')
  assert.equal(http.status, 2)
  assert.match(http.stderr, /ERR_JWKS_URL_NOT_ALLOWED/)
  assert.equal((await run()).status, 2)
  assert.equal((await run(server.url('/jwks'), '--issuer', issuer)).status, 2)
  assert.equal((await run(server.url('/jwks'), '--timeout', 'soon')).status, 2)
  assert.equal((await run(server.url('/jwks'), '--header', 'Cookie: a=b')).status, 2)
  const mismatch = await run('--issuer', server.url('/'))
  assert.equal(mismatch.status, 3)
  assert.match(mismatch.stderr, /ERR_DISCOVERY_ISSUER_MISMATCH/)
})

test('--header is sent; --help prints usage', async () => {
  await run(server.url('/jwks'), '--header', 'Authorization: Bearer t0ken')
  assert.equal(server.requests.at(-1)!.headers.authorization, 'Bearer t0ken')
  const help = await run('--help')
  assert.equal(help.status, 0)
  assert.match(help.stdout, /Usage: jwk fetch URL/)
})

test('jwk verify --jwks URL and --issuer ISSUER use the remote source', async () => {
  const before = server.count('/jwks')
  const plain = await token(k1!)
  const byUrl = await runCommand('verify', '--jwks', server.url('/jwks'), plain)
  assert.equal(byUrl.status, 0, byUrl.stderr)
  assert.equal(JSON.parse(byUrl.stdout).claims.sub, 'alice')
  assert.equal(server.count('/jwks') - before, 1)
  // --issuer discovers the set and requires iss = ISSUER.
  const withIss = await token(k1!, 'k1', { iss: issuer })
  const byIssuer = await runCommand('verify', '--issuer', issuer, withIss)
  assert.equal(byIssuer.status, 0, byIssuer.stderr)
  assert.equal(JSON.parse(byIssuer.stdout).claims.iss, issuer)
  const wrongIss = await runCommand('verify', '--issuer', issuer, plain)
  assert.equal(wrongIss.status, 1)
  assert.match(wrongIss.stderr, /ERR_JWT_CLAIM_INVALID/)
  const refused = await runCommand('verify', '--jwks', 'http://jwks.example/keys', plain)
  assert.equal(refused.status, 2)
  assert.match(refused.stderr, /ERR_JWKS_URL_NOT_ALLOWED/)
  assert.equal((await runCommand('verify', '--jwks', server.url('/jwks'), '--issuer', issuer, plain)).status, 2)
})

test('fetch failures say why: connection refused, TLS, the expected and the actual issuer', async () => {
  const { createServer } = await import('node:net')
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as { port: number }).port
  await new Promise((resolve) => closed.close(resolve))
  const refused = await run(`http://127.0.0.1:${port}/jwks`, '--json')
  assert.equal(refused.status, 3)
  const error = (JSON.parse(refused.stderr) as { error: { code: string; message: string } }).error
  assert.equal(error.code, 'ERR_JWKS_FETCH_FAILED')
  assert.match(error.message, /: connection refused \(127\.0\.0\.1\)$/)
  // A self-signed certificate on a loopback https server (made by openssl).
  const { spawnSync } = await import('node:child_process')
  const { mkdtempSync, readFileSync, rmSync } = await import('node:fs')
  const { join } = await import('node:path')
  const { tmpdir } = await import('node:os')
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-tls-'))
  try {
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=localhost', '-days', '1',
      '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')], { encoding: 'utf8' })
    if (made.status !== 0) {
      if (process.env.CI) assert.fail(`openssl is required in CI: ${made.stderr}`)
    } else {
      const https = await import('node:https')
      const tls = https.createServer({ key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) }, (_req, res) => res.end('{"keys":[]}'))
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
      try {
        const r = await run(`https://127.0.0.1:${(tls.address() as { port: number }).port}/jwks`)
        assert.equal(r.status, 3)
        assert.match(r.stderr, /ERR_JWKS_FETCH_FAILED: .*: TLS: the server certificate is self-signed \(127\.0\.0\.1\)/)
      } finally {
        tls.close()
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  const mismatch = await run('--issuer', server.url('/'))
  assert.equal(mismatch.status, 3)
  assert.ok(mismatch.stderr.includes(`expected ${JSON.stringify(server.url('/'))}, the document says ${JSON.stringify(issuer)}`), mismatch.stderr)
})
