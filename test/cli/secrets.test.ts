// Secrets stay secret on the command line (issue 11): no argument text that may be key material
// in any error; --out writes private material 0600 even over an existing file (temp + rename),
// and refuses to replace a file without --force; a terminal user is told when stdout is a file
// others may read.
import { test, after } from 'node:test'
import assert from 'node:assert/strict'
import { chmodSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCli } from './helpers.ts'
import { generateJwk } from '../../src/crypto/generate.ts'

const dir = mkdtempSync(join(tmpdir(), 'jwk-secrets-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const real = { readInput: (file: string | undefined) => readFileSync(file === undefined || file === '-' ? 0 : file) }
const mode = (file: string) => statSync(file).mode & 0o777

/** Every 12-character piece of the private members: none may appear in the output. */
function assertNoSecret(text: string, jwk: Record<string, unknown>): void {
  for (const name of ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k']) {
    const v = jwk[name]
    if (typeof v !== 'string') continue
    for (let i = 0; i + 12 <= v.length; i += 6) assert.ok(!text.includes(v.slice(i, i + 12)), `private member ${name} leaked: ${text.slice(0, 200)}`)
  }
}

test('a private JWK given where a FILE belongs is never echoed (ENAMETOOLONG, ENOENT, unknown options)', async () => {
  for (const alg of ['ES256', 'RS256', 'HS256']) {
    const key = await generateJwk(alg) as unknown as Record<string, unknown>
    const text = JSON.stringify(key)
    for (const argv of [
      ['sign', '--key', text, '--claims', '{}'],
      ['sign', '--key', text, '--claims', '{}', '--json'],
      ['public', text],
      ['thumbprint', text, '--json'],
      ['convert', text, '--to', 'pem'],
      ['encrypt', '--key', text, '-'],
      ['verify', '--jwks', text, 'a.b.c'],
      ['public', `--${text}`],
      ['sign', `--key=${text}`, '--claims', '{}', `--${text}=1`],
      [text],
    ]) {
      const r = await runCli(argv, real)
      assert.notEqual(r.status, 0, argv[0])
      assertNoSecret(r.stderr + r.stdout, key)
    }
  }
  const rsa = JSON.stringify(await generateJwk('RS256'))
  const r = await runCli(['sign', '--key', rsa, '--claims', '{}'], real)
  assert.equal(r.status, 3)
  assert.match(r.stderr, /ERR_FILE_ACCESS: cannot read --key \(not shown\): the name is too long for a file name \(give key material in a file, or - for standard input\)/)
})

test('--out writes private material 0600 even over an existing 0644 file, and only with --force', async () => {
  const out = join(dir, 'key.json')
  writeFileSync(out, 'old content\n', { mode: 0o644 })
  chmodSync(out, 0o644)
  const refused = await runCli(['generate', 'ES256', '--out', out], real)
  assert.equal(refused.status, 3)
  assert.match(refused.stderr, /ERR_FILE_ACCESS: cannot write --out .*key\.json: it exists \(use --force to replace it\)/)
  assert.equal(readFileSync(out, 'utf8'), 'old content\n')
  const forced = await runCli(['generate', 'ES256', '--out', out, '--force'], real)
  assert.equal(forced.status, 0, forced.stderr)
  assert.equal(mode(out), 0o600)
  assert.equal((JSON.parse(readFileSync(out, 'utf8')) as { kty: string }).kty, 'EC')
  assert.equal(forced.stdout, '')
  // convert --out over an existing file: 0600 as well (the old writeFileSync kept the file's 0644).
  const p8 = join(dir, 'key.p8.pem')
  writeFileSync(p8, 'x', { mode: 0o644 })
  chmodSync(p8, 0o644)
  const conv = await runCli(['convert', out, '--to', 'pkcs8', '--out', p8, '--force'], real)
  assert.equal(conv.status, 0, conv.stderr)
  assert.equal(mode(p8), 0o600)
  assert.match(readFileSync(p8, 'utf8'), /BEGIN PRIVATE KEY/)
  // public --out: public material, not 0600; sign --out: a token is a credential, 0600.
  const pub = join(dir, 'pub.json')
  assert.equal((await runCli(['public', out, '--out', pub], real)).status, 0)
  assert.equal(mode(pub) & 0o600, 0o600)
  assert.equal((JSON.parse(readFileSync(pub, 'utf8')) as { d?: string }).d, undefined)
  const tok = join(dir, 'token.txt')
  const signed = await runCli(['sign', '--key', out, '--claims', '{}', '--out', tok, '--json'], real)
  assert.equal(signed.status, 0, signed.stderr)
  assert.deepEqual(JSON.parse(signed.stdout), { out: tok })
  assert.equal(mode(tok), 0o600)
  assert.equal(readFileSync(tok, 'utf8').split('.').length, 3)
  // No temporary file is left behind.
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [])
  assert.equal((await runCli(['generate', 'ES256', '--force'], real)).status, 2)
})

test('jwk generate > file: a terminal user is told the mode follows the umask; not when piped', async () => {
  const warned = await runCli(['generate', 'ES256'], { stdoutIsTty: false, readInput: real.readInput, ...{ } } as never)
  assert.doesNotMatch(warned.stderr, /umask/)
  let stderr = ''
  const { main } = await import('../../src/cli/main.ts')
  await main(['generate', 'ES256'], {
    stdout: () => {}, stderr: (t) => { stderr += t }, readInput: real.readInput, env: {},
    stdoutIsTty: false, stdoutIsSharedFile: true, stderrIsTty: true,
  })
  assert.match(stderr, /warning: standard output is a file others may read \(its mode follows the umask\); use --out FILE/)
  stderr = ''
  await main(['public', join(dir, 'key.json')], {
    stdout: () => {}, stderr: (t) => { stderr += t }, readInput: real.readInput, env: {},
    stdoutIsTty: false, stdoutIsSharedFile: true, stderrIsTty: true,
  })
  assert.equal(stderr, '') // public material: no warning
})
