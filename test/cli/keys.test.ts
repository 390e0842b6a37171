import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import * as jose from 'jose'
import { runCli } from './helpers.ts'

const KEK1 = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const KEK2 = 'HxwdHh8AAQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRo'
const dir = mkdtempSync(join(tmpdir(), 'jwkit-cli-keys-'))
after(() => rmSync(dir, { recursive: true, force: true }))

function jwk(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { readInput: () => Buffer.alloc(0), env: { JWKIT_KEK: KEK1, ...env } })
}

interface Listed { keys: Array<{ kid: string; alg: string; state: string; createdAt: string; activatedAt: string | null; activateAt?: string | null }> }

describe('jwk keys', () => {
  const url = `sqlite:${join(dir, 'a', 'keys.db')}`

  it('list, retire, revoke and rewrap on a missing store: "does not exist", exit 1, nothing created', async () => {
    for (const args of [['list'], ['list', '--json'], ['retire', 'k'], ['revoke', 'k'], ['rewrap']]) {
      const r = await jwk(['keys', ...args, '--store', url], { JWKIT_KEK: '' })
      assert.equal(r.status, 1, args.join(' '))
      assert.match(r.stderr, /ERR_STORE_MISSING/)
      assert.match(r.stderr, /keys\.db does not exist/)
      assert.ok(!existsSync(join(dir, 'a')), 'no directory, database or KEK created')
    }
  })

  it('a kid that starts with "-" (a base64url thumbprint may) goes after --; without it the usage error says so', async () => {
    const mem = `sqlite:${join(dir, 'dash', 'keys.db')}`
    const bare = await jwk(['keys', 'revoke', '-wQ3xk', '--store', mem])
    assert.equal(bare.status, 2)
    assert.match(bare.stderr, /unknown option -w .*after --/)
    const ended = await jwk(['keys', 'revoke', '--store', mem, '--', '-wQ3xk'])
    assert.equal(ended.status, 1, ended.stderr) // parsed: the kid reached the store, which does not exist
    assert.match(ended.stderr, /ERR_STORE_MISSING/)
  })

  it('rotate on an empty store creates the first keys and retires nothing; then a scheduled rotation, then --now', async () => {
    const first = await jwk(['keys', 'rotate', '--store', url])
    assert.equal(first.status, 0)
    assert.match(first.stdout, /^ES256: the store had no ES256 keys: created \S+ \(active\) and \S+ \(next\); nothing to rotate\n$/)
    const listed = JSON.parse((await jwk(['keys', 'list', '--json', '--store', url])).stdout) as Listed
    assert.deepEqual(listed.keys.map((k) => k.state).sort(), ['active', 'next'])
    // The next key was published moments ago: the rotation is scheduled, and the command says when.
    const scheduled = await jwk(['keys', 'rotate', '--store', url])
    assert.equal(scheduled.status, 0)
    const next = listed.keys.find((k) => k.state === 'next')!
    const at = new Date(Date.parse(next.createdAt) + 130 * 60_000).toISOString()
    assert.equal(scheduled.stdout.split(' starts signing at ')[1]?.slice(0, at.length), at, scheduled.stdout)
    assert.match(scheduled.stdout, /rotation scheduled: .* signs until then/)
    assert.equal(scheduled.stderr, '')
    const still = JSON.parse((await jwk(['keys', 'list', '--json', '--store', url])).stdout) as Listed
    assert.deepEqual(still.keys.map((k) => k.state).sort(), ['active', 'next'])
    assert.equal(still.keys.find((k) => k.kid === next.kid)!.activateAt!.slice(0, at.length), at) // the schedule is listed
    assert.match((await jwk(['keys', 'list', '--store', url])).stdout, new RegExp(`${next.kid}.* from ${at.slice(0, 16)}`))
    // The emergency rotation is explicit, and warns.
    const forced = await jwk(['keys', 'rotate', '--now', '--store', url])
    assert.equal(forced.status, 0)
    assert.match(forced.stdout, new RegExp(`^ES256: ${next.kid} is now active \\(forced`))
    assert.match(forced.stderr, /cached JWK Set refuse its tokens until they refetch/)
  })

  it('a new algorithm only with --add', async () => {
    const url = `sqlite:${join(dir, 'b', 'keys.db')}`
    assert.equal((await jwk(['keys', 'rotate', '--store', url])).status, 0)
    const refused = await jwk(['keys', 'rotate', '--alg', 'EdDSA', '--store', url])
    assert.equal(refused.status, 2)
    assert.match(refused.stderr, /the store has no EdDSA keys .*--add/)
    assert.equal((await jwk(['keys', 'rotate', '--add', '--store', url])).status, 2)
    const added = await jwk(['keys', 'rotate', '--alg', 'EdDSA', '--add', '--store', url])
    assert.equal(added.status, 0, added.stderr)
    assert.match(added.stdout, /^EdDSA: added; \S+ is published and starts signing at \d{4}-\d\d-\d\dT/)
    assert.match(added.stderr, /must list EdDSA in --alg/)
    const keys = (JSON.parse((await jwk(['keys', 'list', '--json', '--store', url])).stdout) as Listed).keys
    assert.deepEqual(keys.filter((k) => k.alg === 'EdDSA').map((k) => k.state), ['next'])
    // It stays on its own lifecycle: the EdDSA key is not retired by the next ES256 rotation.
    await jwk(['keys', 'rotate', '--alg', 'ES256', '--now', '--store', url])
    const after = (JSON.parse((await jwk(['keys', 'list', '--json', '--store', url])).stdout) as Listed).keys
    assert.deepEqual(after.filter((k) => k.alg === 'EdDSA').map((k) => k.state), ['next'])
  })

  it('rotate, then list (table and --json, never sealed material)', async () => {
    const r = await jwk(['keys', 'list', '--json', '--store', url])
    assert.equal(r.status, 0)
    const listed = JSON.parse(r.stdout) as Listed
    assert.deepEqual(listed.keys.map((k) => k.state).sort(), ['active', 'next', 'retired'])
    assert.ok(!r.stdout.includes('sealed') && !r.stdout.includes('"d"'))
    assert.ok(listed.keys.every((k) => !Number.isNaN(Date.parse(k.createdAt))))
    const table = await jwk(['keys', 'list', '--store', url])
    assert.match(table.stdout, /^KID\s+ALG\s+STATE/)
    for (const k of listed.keys) assert.ok(table.stdout.includes(k.kid))
  })

  it('reads the store from JWKIT_STORE', async () => {
    const r = await jwk(['keys', 'list', '--json'], { JWKIT_STORE: url })
    assert.equal((JSON.parse(r.stdout) as Listed).keys.length, 3)
  })

  it('retire KID and revoke KID; unknown or wrong-state KID exits 1 with the code', async () => {
    const before = (JSON.parse((await jwk(['keys', 'list', '--json', '--store', url])).stdout) as Listed).keys
    const active = before.find((k) => k.state === 'active')!
    // Its successor was published moments ago: the retirement waits for it, unless --now.
    const waits = await jwk(['keys', 'retire', '--store', url, '--', active.kid])
    assert.equal(waits.status, 0)
    assert.match(waits.stdout, new RegExp(`^${active.kid}: active until \\d{4}-.*Z, then retired .*--now retires at once\\)\n$`))
    const r = await jwk(['keys', 'retire', '--now', '--store', url, '--', active.kid])
    assert.equal(r.status, 0)
    assert.equal(r.stdout, `${active.kid}: retired\n`)
    const again = await jwk(['keys', 'retire', '--store', url, '--', active.kid])
    assert.equal(again.status, 1)
    assert.match(again.stderr, /ERR_STORE_STATE_INVALID/)
    const revoked = await jwk(['keys', 'revoke', '--store', url, '--', active.kid])
    assert.equal(revoked.stdout, `${active.kid}: revoked\n`)
    const missing = await jwk(['keys', 'revoke', 'no-such-kid', '--json', '--store', url])
    assert.equal(missing.status, 1)
    assert.equal(JSON.parse(missing.stderr).error.code, 'ERR_STORE_NOT_FOUND')
    const now = (JSON.parse((await jwk(['keys', 'list', '--json', '--store', url])).stdout) as Listed).keys
    assert.equal(now.filter((k) => k.state === 'active').length, 1)
  })

  it('rewrap re-seals under the first KEK; the old KEK can then be dropped', async () => {
    const r = await jwk(['keys', 'rewrap', '--store', url], { JWKIT_KEK: `${KEK2},${KEK1}` })
    assert.equal(r.status, 0)
    assert.match(r.stdout, /^re-sealed [1-9]\d* keys? under KEK /)
    assert.match(r.stdout, /\nfrom now on, every process that opens this store needs that KEK: JWKIT_KEK \(its first entry seals\); older KEKs can be dropped\n$/)
    const store = await openKeyStore(url, { env: { JWKIT_KEK: KEK2 } })
    const manager = createKeyManager(store, {}, { pollIntervalMs: 0, autoTick: false })
    assert.equal(typeof (await manager.signJwt({})), 'string')
    await manager.close()
    await store.close()
    const wrong = await jwk(['keys', 'rotate', '--store', url], { JWKIT_KEK: KEK1 })
    assert.equal(wrong.status, 1)
    assert.match(wrong.stderr, /ERR_UNSEAL_FAILED/)
  })

  it('jwk sign --store URL --claims JSON signs with the active key (kid in the header)', async () => {
    const store = await openKeyStore(url, { env: { JWKIT_KEK: KEK2 } })
    const manager = createKeyManager(store, {}, { pollIntervalMs: 0, autoTick: false })
    await manager.init()
    const active = await manager.activeKey()
    const set = jose.createLocalJWKSet(manager.publicJwks() as jose.JSONWebKeySet)
    await manager.close()
    await store.close()
    const r = await jwk(['sign', '--store', url, '--claims', '{"sub":"alice"}', '--exp', '5m'], { JWKIT_KEK: KEK2 })
    assert.equal(r.status, 0, r.stderr)
    const { payload, protectedHeader } = await jose.jwtVerify(r.stdout.trim(), set)
    assert.equal(protectedHeader.kid, active.kid)
    assert.equal(payload.sub, 'alice')
    assert.equal(payload.exp! - payload.iat!, 300)
    const both = await jwk(['sign', '--store', url, '--key', 'k.json', '--claims', '{}'], { JWKIT_KEK: KEK2 })
    assert.equal(both.status, 2)
    const missing = await jwk(['sign', '--store', `sqlite:${join(dir, 'empty', 'keys.db')}`, '--claims', '{}'])
    assert.equal(missing.status, 1)
    assert.match(missing.stderr, /ERR_STORE_MISSING.*does not exist/)
    assert.ok(!existsSync(join(dir, 'empty')))
  })

  it('jwk verify --store URL verifies with what the store publishes, and changes nothing in it', async () => {
    const before = await jwk(['keys', 'list', '--json', '--store', url], { JWKIT_KEK: KEK2 })
    assert.equal(before.status, 0, before.stderr)
    const token = (await jwk(['sign', '--store', url, '--claims', '{"sub":"bob","aud":"api"}'], { JWKIT_KEK: KEK2 })).stdout.trim()
    const ok = await jwk(['verify', '--store', url, '--aud', 'api', token], { JWKIT_KEK: KEK2 })
    assert.equal(ok.status, 0, ok.stderr)
    const out = JSON.parse(ok.stdout) as { verified: boolean; claims: { sub: string }; kid: string }
    assert.equal(out.verified, true)
    assert.equal(out.claims.sub, 'bob')
    assert.equal(out.kid, jose.decodeProtectedHeader(token).kid)
    const wrongAud = await jwk(['verify', '--store', url, '--aud', 'other', token], { JWKIT_KEK: KEK2 })
    assert.equal(wrongAud.status, 1)
    assert.match(wrongAud.stderr, /ERR_JWT_CLAIM_INVALID/)
    // The same kid, another key: not what the store publishes.
    const { privateKey } = await jose.generateKeyPair(jose.decodeProtectedHeader(token).alg!)
    const forged = await new jose.SignJWT({ sub: 'mallory' }).setProtectedHeader(jose.decodeProtectedHeader(token) as jose.JWTHeaderParameters).sign(privateKey)
    const refused = await jwk(['verify', '--store', url, forged], { JWKIT_KEK: KEK2 })
    assert.equal(refused.status, 1)
    assert.match(refused.stderr, /ERR_JWS_SIGNATURE_INVALID/)
    const after = await jwk(['keys', 'list', '--json', '--store', url], { JWKIT_KEK: KEK2 })
    assert.deepEqual(JSON.parse(after.stdout), JSON.parse(before.stdout))
    // Public keys only: verify and list need no KEK (none set, and no KEK file beside this
    // database); signing does, and says so.
    const noKek = await jwk(['verify', '--store', url, '--aud', 'api', token], { JWKIT_KEK: '' })
    assert.equal(noKek.status, 0, noKek.stderr)
    assert.equal((JSON.parse(noKek.stdout) as { verified: boolean }).verified, true)
    const listed = await jwk(['keys', 'list', '--json', '--store', url], { JWKIT_KEK: '' })
    assert.equal(listed.status, 0, listed.stderr)
    assert.deepEqual(JSON.parse(listed.stdout), JSON.parse(before.stdout))
    const unsealed = await jwk(['sign', '--store', url, '--claims', '{"sub":"bob"}'], { JWKIT_KEK: '' })
    assert.equal(unsealed.status, 2)
    assert.match(unsealed.stderr, /ERR_KEK_MISSING/)
    assert.ok(!existsSync(join(dir, 'a', 'kek')), 'no KEK file made')
    const both = await jwk(['verify', '--store', url, '--jwks', 'k.json', token])
    assert.equal(both.status, 2)
    assert.match(both.stderr, /one of --jwks FILE\|URL, --issuer ISSUER or --store URL/)
    const missing = await jwk(['verify', '--store', `sqlite:${join(dir, 'none', 'keys.db')}`, token])
    assert.equal(missing.status, 1)
    assert.match(missing.stderr, /ERR_STORE_MISSING.*does not exist/)
    assert.ok(!existsSync(join(dir, 'none')))
  })

  it('usage errors exit 2', async () => {
    for (const args of [['keys'], ['keys', 'nope'], ['keys', 'retire'], ['keys', 'list', 'extra'], ['keys', 'list', '--alg', 'ES256'], ['keys', 'list', '--bogus']]) {
      const r = await jwk([...args, '--store', url])
      assert.equal(r.status, 2, args.join(' '))
      assert.match(r.stderr, /ERR_CLI_USAGE/)
    }
    const bad = await jwk(['keys', 'list', '--store', 'mysql://x'])
    assert.equal(bad.status, 2)
    assert.match(bad.stderr, /ERR_STORE_URL_INVALID/)
  })
})
