// `jwk keys import FILE --store …` and importKey(): an existing private key enters the store as a
// `next` key, sealed like a generated one (thumbprint kid, public members only published), and
// signs after a rotation; --json on rotate/retire/revoke/rewrap/import.
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { spawnSync } from 'node:child_process'
import { generateJwk } from '../../src/crypto/generate.ts'
import { thumbprint } from '../../src/jwk/thumbprint.ts'
import { encryptJwk } from '../../src/jwe/encrypted-jwk.ts'
import { importKey } from '../../src/store/import-key.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { runCli } from './helpers.ts'

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'
const dir = mkdtempSync(join(tmpdir(), 'jwkit-cli-import-'))
after(() => rmSync(dir, { recursive: true, force: true }))
const file = (name: string) => join(dir, name)

function jwk(args: string[], env: Record<string, string> = {}) {
  return runCli(args, { readInput: (f) => readFileSync(f ?? 0), env: { JWKIT_KEK: KEK, ...env } })
}

interface View { kid: string; alg: string; state: string; activatedAt: string | null }

describe('jwk keys import', () => {
  const url = `sqlite:${join(dir, 'keys.db')}`

  it('imports a JWK, an encrypted JWK file and an OpenSSH private key as next keys, sealed', async () => {
    const es = await generateJwk('ES256', { kid: 'mine' })
    writeFileSync(file('es.json'), JSON.stringify(es))
    const r = await jwk(['keys', 'import', file('es.json'), '--store', url, '--json'])
    assert.equal(r.status, 0, r.stderr)
    const { imported } = JSON.parse(r.stdout) as { imported: View }
    assert.deepEqual({ kid: imported.kid, alg: imported.alg, state: imported.state, activatedAt: imported.activatedAt }, { kid: thumbprint(es), alg: 'ES256', state: 'next', activatedAt: null })
    // The private member is sealed: not in the database file (nor its WAL).
    for (const f of readdirSync(dir).filter((n) => n.startsWith('keys.db'))) assert.ok(!readFileSync(file(f)).includes(es.d as string), f)
    const again = await jwk(['keys', 'import', file('es.json'), '--store', url, '--json'])
    assert.equal(again.status, 1)
    assert.equal((JSON.parse(again.stderr) as { error: { code: string } }).error.code, 'ERR_STORE_KID_CONFLICT')

    const set = { keys: [await generateJwk('RS256', { kid: 'r1' }), await generateJwk('EdDSA', { kid: 'e1' })] }
    writeFileSync(file('set.jwe'), await encryptJwk(set, 'pw', { p2c: 1000 }))
    const enc = await jwk(['keys', 'import', file('set.jwe'), '--kid', 'e1', '--passphrase-env', 'PW', '--store', url], { PW: 'pw' })
    assert.equal(enc.status, 0, enc.stderr)
    assert.match(enc.stdout, new RegExp(`^${thumbprint(set.keys[1]!)}: imported as EdDSA, state next`))

    const ssh = spawnSync('ssh-keygen', ['-q', '-t', 'ecdsa', '-b', '384', '-N', '', '-f', file('id_ecdsa')])
    if (ssh.status === 0) {
      const noAlg = await jwk(['keys', 'import', file('id_ecdsa'), '--store', url])
      assert.equal(noAlg.status, 2)
      assert.match(noAlg.stderr, /ERR_CLI_USAGE: importKey: the key has no "alg"/)
      const withAlg = await jwk(['keys', 'import', file('id_ecdsa'), '--alg', 'ES384', '--store', url])
      assert.equal(withAlg.status, 0, withAlg.stderr)
    } else if (process.env.CI) {
      assert.fail('ssh-keygen is required in CI')
    }
    const list = JSON.parse((await jwk(['keys', 'list', '--json', '--store', url])).stdout) as { keys: View[] }
    assert.ok(list.keys.length >= 2)
    assert.ok(list.keys.every((k) => k.state === 'next'))
  })

  it('refuses public keys, oct keys, encryption keys and algorithms that do not fit', async () => {
    const store = await openKeyStore('memory:', { env: { JWKIT_KEK: KEK } })
    try {
      const es = await generateJwk('ES256')
      const { d: _d, ...pub } = es as unknown as Record<string, unknown>
      await assert.rejects(importKey(store, pub), { code: 'ERR_JWK_INVALID' })
      await assert.rejects(importKey(store, await generateJwk('HS256')), { code: 'ERR_JWK_INVALID' })
      await assert.rejects(importKey(store, await generateJwk('ECDH-ES')), (e: { code: string }) => ['ERR_KEY_USAGE_FORBIDDEN', 'ERR_ALG_NOT_ALLOWED'].includes(e.code))
      await assert.rejects(importKey(store, es, { alg: 'RS256' }), { code: 'ERR_ALG_NOT_ALLOWED' })
      await assert.rejects(importKey(store, { ...es, alg: undefined } as never, { alg: 'ES384' }), { code: 'ERR_ALG_NOT_ALLOWED' })
      const record = await importKey(store, es, { now: 1_000 })
      assert.equal(record.state, 'next')
      assert.equal(record.publishedAt, 1_000)
      assert.equal(record.sealed.length, 0) // the returned record carries no sealed material
      assert.equal((record.publicJwk as { d?: string }).d, undefined)
      const stored = await store.get(record.kid)
      assert.ok(stored!.sealed.length > 0)
      assert.deepEqual(store.sealer!.unseal(record.kid, stored!.sealed).d, es.d)
    } finally {
      await store.close()
    }
  })

  it('--json on rotate, revoke and rewrap', async () => {
    const u = `sqlite:${join(dir, 'json.db')}`
    const rot = await jwk(['keys', 'rotate', '--store', u, '--json'])
    assert.equal(rot.status, 0, rot.stderr)
    const { active } = JSON.parse(rot.stdout) as { active: View[] }
    assert.equal(active[0]!.state, 'active')
    // Rotating an empty store creates an active and a next key and retires nothing (issue 11):
    // revoke the next key, which needs no successor and involves no rotation timing.
    const listed = JSON.parse((await jwk(['keys', 'list', '--store', u, '--json'])).stdout) as { keys: View[] }
    assert.equal(listed.keys.filter((k) => k.state === 'retired').length, 0)
    const retired = listed.keys.find((k) => k.state === 'next')
    assert.ok(retired, JSON.stringify(listed))
    const rev = await jwk(['keys', 'revoke', '--store', u, '--json', '--', retired.kid])
    assert.equal(rev.status, 0, rev.stderr)
    assert.equal((JSON.parse(rev.stdout) as View).state, 'revoked')
    const rew = await jwk(['keys', 'rewrap', '--store', u, '--json'])
    assert.equal(typeof (JSON.parse(rew.stdout) as { rewrapped: number }).rewrapped, 'number')
  })
})
