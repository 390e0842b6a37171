// The one contract for scripts (issue 15): every command takes --json; on success one JSON
// document on stdout, on failure {"error":{"code","message"}} on stderr (file errors included);
// exit 0 success, 1 invalid input / failed verification, 2 wrong usage, 3 the environment failed.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli, type CliRun } from './helpers.ts'
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import { ERROR_CODES } from '../../src/errors.ts'
import { commands } from '../../src/cli/commands/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'jwk-contract-'))
let server: Server
let base = ''
const files: Record<string, string> = {}

before(async () => {
  const ec = await generateJwk('ES256', { kid: 'e1' })
  const rsaEnc = await generateJwk('RSA-OAEP-256', { kid: 'r1' })
  files['ec.json'] = JSON.stringify(ec)
  files['ec.pub.json'] = JSON.stringify(toPublicJwk(ec))
  files['jwks.json'] = JSON.stringify({ keys: [toPublicJwk(ec)] })
  files['rsa.json'] = JSON.stringify(rsaEnc)
  files['rsa.pub.json'] = JSON.stringify(toPublicJwk(rsaEnc))
  files['oct.json'] = JSON.stringify(await generateJwk('HS256'))
  files['bad.json'] = '{"kty":"EC","crv":"P-256"}'
  files['data.txt'] = 'hello'
  server = createServer((req, res) => {
    res.setHeader('content-type', 'application/json')
    res.end(req.url === '/jwks' ? files['jwks.json'] : '{"keys":[]}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`
})

after(() => {
  server.close()
  rmSync(dir, { recursive: true, force: true })
})

const read = (file: string) => {
  if (Object.hasOwn(files, file)) return Buffer.from(files[file]!)
  return readFileSync(file)
}
const jwk = (argv: string[], stdin = ''): Promise<CliRun> => runCli(argv, { files: read, stdin })

function success(r: CliRun): unknown {
  assert.equal(r.status, 0, r.stderr)
  return JSON.parse(r.stdout)
}

function failure(r: CliRun, exit: number, code?: string): { code: string; message: string } {
  assert.equal(r.status, exit, `exit ${r.status}: ${r.stderr}`)
  const lines = r.stderr.trim().split('\n')
  const doc = JSON.parse(lines[lines.length - 1]!) as { error: { code: string; message: string } }
  assert.equal(typeof doc.error.code, 'string')
  assert.equal(typeof doc.error.message, 'string')
  assert.ok(Object.hasOwn(ERROR_CODES, doc.error.code), doc.error.code)
  assert.equal(ERROR_CODES[doc.error.code as keyof typeof ERROR_CODES].exit, exit)
  if (code !== undefined) assert.equal(doc.error.code, code)
  return doc.error
}

test('every command × --json: success is one JSON document on stdout', async () => {
  const checked = new Set<string>()
  const ok = async (name: string, argv: string[], stdin = '') => {
    checked.add(name)
    return success(await jwk([name, ...argv, '--json'], stdin))
  }
  assert.equal((await ok('generate', ['ES256']) as { kty: string }).kty, 'EC')
  assert.equal((await ok('public', ['ec.json']) as { d?: string }).d, undefined)
  assert.equal(typeof (await ok('thumbprint', ['ec.json']) as { thumbprint: string }).thumbprint, 'string')
  assert.equal((await ok('validate', ['ec.json']) as { valid: boolean }).valid, true)
  assert.equal((await ok('inspect', ['ec.json']) as { kty: string }).kty, 'EC')
  assert.match((await ok('convert', ['ec.json', '--to', 'spki']) as { text: string }).text, /BEGIN PUBLIC KEY/)
  assert.deepEqual(await ok('keys', ['list', '--store', 'memory:']), { keys: [] })
  assert.equal((await ok('fetch', [`${base}/jwks`]) as { jwks: { keys: unknown[] } }).jwks.keys.length, 1)
  const { token } = await ok('sign', ['--key', 'ec.json', '--claims', '{"sub":"a"}', '--exp', '5m']) as { token: string }
  const verified = await ok('verify', ['--jwks', 'jwks.json', token]) as { verified: boolean; times: { exp: { relative: string } } }
  assert.equal(verified.verified, true)
  assert.match(verified.times.exp.relative, /^in (300|299) s$|^in 5 min$/)
  assert.equal((await ok('decode', [token]) as { verified: boolean }).verified, false)
  const { jwe } = await ok('encrypt', ['--key', 'rsa.pub.json', 'data.txt']) as { jwe: string }
  assert.equal((await ok('decrypt', ['--key', 'rsa.json'], jwe) as { plaintext: string }).plaintext, 'hello')
  assert.match((await ok('completion', ['bash']) as { script: string }).script, /complete -o filenames -F _jwk jwk/)
  // serve runs until a signal: its --json success is the JSON log lines test/cli/serve.test.ts reads.
  checked.add('serve')
  assert.deepEqual([...checked].sort(), commands.map((c) => c.name).sort())
})

test('every command × --json: failure is {"error":{"code","message"}} on stderr, with the code\'s exit status', async () => {
  const checked = new Set<string>()
  const bad = async (name: string, argv: string[], exit: number, code: string, stdin = '') => {
    checked.add(name)
    return failure(await jwk([name, ...argv, '--json'], stdin), exit, code)
  }
  await bad('generate', ['XS999'], 2, 'ERR_CLI_USAGE')
  await bad('public', ['oct.json'], 1, 'ERR_JWK_NO_PUBLIC_FORM')
  await bad('thumbprint', ['bad.json'], 1, 'ERR_JWK_INVALID')
  await bad('validate', [join(dir, 'missing.json')], 3, 'ERR_FILE_ACCESS')
  const invalid = await jwk(['validate', 'bad.json', '--json'])
  failure(invalid, 1, 'ERR_JWK_INVALID')
  assert.equal((JSON.parse(invalid.stdout) as { valid: boolean }).valid, false) // the report stays on stdout
  await bad('inspect', ['ec.json', '--kid', 'nope'], 1, 'ERR_JWKS_NO_MATCHING_KEY')
  await bad('convert', ['ec.json', '--to', 'png'], 2, 'ERR_CLI_USAGE')
  await bad('serve', ['--port', 'eighty'], 2, 'ERR_CONFIG_INVALID')
  await bad('keys', ['retire', 'nokid', '--store', 'memory:'], 1, 'ERR_STORE_NOT_FOUND')
  await bad('fetch', [`${base}/empty`], 1, 'ERR_JWKS_INVALID')
  await bad('sign', ['--key', 'ec.json', '--claims', '[1]'], 1, 'ERR_JWT_INVALID')
  const { token } = JSON.parse((await jwk(['sign', '--key', 'ec.json', '--claims', '{}', '--json'])).stdout) as { token: string }
  await bad('verify', ['--jwks', 'jwks.json', token.slice(0, -4) + 'AAAA'], 1, 'ERR_JWS_SIGNATURE_INVALID')
  await bad('decode', ['not-a-token'], 1, 'ERR_JWS_INVALID')
  await bad('encrypt', ['--key', 'ec.pub.json', '--alg', 'ECDH-ES', 'data.txt'], 1, 'ERR_ALG_NOT_ALLOWED')
  await bad('decrypt', ['--key', 'rsa.json'], 2, 'ERR_CLI_USAGE')
  await bad('completion', ['tcsh'], 2, 'ERR_CLI_USAGE')
  assert.deepEqual([...checked].sort(), commands.map((c) => c.name).sort())
  // The dispatcher's own failures follow the contract too.
  failure(await jwk(['frobnicate', '--json']), 2, 'ERR_CLI_USAGE')
})

test('exit status 0, 1, 2 and 3, each with its meaning', async () => {
  assert.equal((await jwk(['thumbprint', 'ec.json'])).status, 0)
  // 1: the input is invalid, or verification failed.
  assert.equal((await jwk(['validate', 'bad.json'])).status, 1)
  // 2: wrong usage — also for the caller mistakes that used to print "internal error".
  const pemNoAlg = await jwk(['sign', '--key', '-', '--claims', '{}'], (await import('node:crypto')).generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
  assert.equal(pemNoAlg.status, 2, pemNoAlg.stderr)
  assert.match(pemNoAlg.stderr, /ERR_CLI_USAGE: the key has no "alg": give --alg \(for an RSA key/)
  assert.doesNotMatch(pemNoAlg.stderr, /internal error/)
  const tolerance = await jwk(['verify', '--jwks', 'jwks.json', '--clock-tolerance', 'abc', 'a.b.c'])
  assert.equal(tolerance.status, 2)
  assert.match(tolerance.stderr, /ERR_CLI_USAGE: --clock-tolerance/)
  // 3: the environment — a missing file, a directory, a JWKS endpoint that refuses, a store that is down.
  const missing = await jwk(['public', join(dir, 'nope.json')])
  assert.equal(missing.status, 3)
  assert.match(missing.stderr, /ERR_FILE_ACCESS: cannot read the input file .*nope\.json: no such file or directory/)
  const isDir = await jwk(['public', dir])
  assert.equal(isDir.status, 3)
  assert.match(isDir.stderr, new RegExp(`cannot read the input file ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: it is a directory`))
  const closed = createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as { port: number }).port
  await new Promise((resolve) => closed.close(resolve))
  const refused = await jwk(['verify', '--jwks', `http://127.0.0.1:${port}/jwks`, (JSON.parse((await jwk(['sign', '--key', 'ec.json', '--claims', '{}', '--json'])).stdout) as { token: string }).token])
  assert.equal(refused.status, 3, refused.stderr)
  assert.match(refused.stderr, /ERR_JWKS_FETCH_FAILED/)
  const kek = Buffer.alloc(32, 7).toString('base64url')
  const store = await runCli(['keys', 'list', '--store', `postgres://127.0.0.1:${port}/test`], { files: read, env: { JWKIT_KEK: kek } })
  assert.equal(store.status, 3, store.stderr)
  assert.match(store.stderr, /ERR_STORE_UNAVAILABLE/)
})

test('every --help documents the four exit statuses; jwk help CMD, -v and --version', async () => {
  for (const c of commands) {
    const r = await jwk(['help', c.name])
    assert.equal(r.status, 0)
    assert.match(r.stdout, /Exit status: 0 success, 1 invalid input or failed verification, 2 wrong usage,\n3 the environment failed/, c.name)
    assert.equal((await jwk([c.name, '--help'])).stdout, r.stdout)
  }
  const general = await jwk(['help'])
  assert.match(general.stdout, /3 the environment failed/)
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
  assert.equal((await jwk(['-v'])).stdout, `jwkit ${pkg.version}\n`)
  assert.equal((await jwk(['--version'])).stdout, `jwkit ${pkg.version}\n`)
  assert.deepEqual(JSON.parse((await jwk(['--version', '--json'])).stdout), { name: 'jwkit', version: pkg.version })
  failure(await jwk(['help', 'nothing', '--json']), 2, 'ERR_CLI_USAGE')
})

test('better messages: no token on stdin; an expired JWT says when; a JWS that is not a JWT verifies', async () => {
  const empty = await jwk(['verify', '--jwks', 'jwks.json'], '')
  assert.equal(empty.status, 2)
  assert.match(empty.stderr, /no token on standard input/)
  assert.match((await jwk(['decode'], '  \n')).stderr, /no token on standard input/)
  const { token } = JSON.parse((await jwk(['sign', '--key', 'ec.json', '--claims', `{"exp":${Math.floor(Date.now() / 1000) - 600}}`, '--json'])).stdout) as { token: string }
  const expired = await jwk(['verify', '--jwks', 'jwks.json', token])
  assert.equal(expired.status, 1)
  assert.match(expired.stderr, /ERR_JWT_EXPIRED: the JWT expired at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \(exp\), 10 min ago/)
  const jws = (await jwk(['sign', '--key', 'ec.json', '--payload', 'data.txt'])).stdout.trim()
  const v = success(await jwk(['verify', '--jwks', 'jwks.json', jws])) as { payload: string }
  assert.equal(v.payload, 'hello')
})
