import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { configuredKeks, sqliteKeks } from '../../src/store/keks.ts'
import { createSealer, generateKekText, kekFromBytes, parseKekList, sealedKekId } from '../../src/store/seal.ts'
import type { Jwk } from '../../src/jwk/types.ts'

const code = (c: string) => (e: unknown) => (e as { code?: string }).code === c
const jwk = { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', d: 'dd', kid: 'k1' } as Jwk
const kekA = kekFromBytes(new Uint8Array(32).fill(1))
const kekB = kekFromBytes(new Uint8Array(32).fill(2))

describe('seal (AES-256-GCM, kid as associated data)', () => {
  it('round-trips and names the sealing KEK', () => {
    const sealer = createSealer([kekA])
    const { sealed, kekId } = sealer.seal('k1', jwk)
    assert.equal(kekId, kekA.id)
    assert.equal(sealedKekId(sealed), kekA.id)
    assert.deepEqual(sealer.unseal('k1', sealed), jwk)
  })
  it('uses a fresh nonce each time', () => {
    const sealer = createSealer([kekA])
    assert.notDeepEqual(sealer.seal('k1', jwk).sealed, sealer.seal('k1', jwk).sealed)
  })
  it('never leaves a private member in plaintext', () => {
    const { sealed } = createSealer([kekA]).seal('k1', jwk)
    const text = Buffer.from(sealed).toString('latin1')
    assert.ok(!text.includes('"d"') && !text.includes('kty'))
  })
  it('refuses a wrong KEK with ERR_UNSEAL_FAILED', () => {
    const { sealed } = createSealer([kekA]).seal('k1', jwk)
    assert.throws(() => createSealer([kekB]).unseal('k1', sealed), code('ERR_UNSEAL_FAILED'))
  })
  it('refuses a blob moved to another kid (associated data)', () => {
    const { sealed } = createSealer([kekA]).seal('k1', jwk)
    assert.throws(() => createSealer([kekA]).unseal('k2', sealed), code('ERR_UNSEAL_FAILED'))
  })
  it('refuses every single-bit flip and every truncation', () => {
    const sealer = createSealer([kekA])
    const { sealed } = sealer.seal('k1', jwk)
    for (let i = 0; i < sealed.length; i++) {
      const bad = new Uint8Array(sealed)
      bad[i]! ^= 0x01
      assert.throws(() => sealer.unseal('k1', bad), code('ERR_UNSEAL_FAILED'))
    }
    for (const n of [0, 1, 5, 20, sealed.length - 1]) assert.throws(() => sealer.unseal('k1', sealed.subarray(0, n)), code('ERR_UNSEAL_FAILED'))
  })
  it('unseals with any configured KEK and seals with the first', () => {
    const old = createSealer([kekA]).seal('k1', jwk).sealed
    const ring = createSealer([kekB, kekA])
    assert.deepEqual(ring.unseal('k1', old), jwk)
    assert.equal(ring.seal('k1', jwk).kekId, kekB.id)
    assert.deepEqual(ring.kekIds, [kekB.id, kekA.id])
  })
  it('needs at least one KEK', () => {
    assert.throws(() => createSealer([]), code('ERR_KEK_MISSING'))
  })
})

describe('KEK configuration', () => {
  it('parses JWKIT_KEK lists and refuses anything but 32 bytes of base64url', () => {
    const a = generateKekText()
    const b = generateKekText()
    assert.equal(parseKekList(`${a},${b}`).length, 2)
    assert.equal(configuredKeks({ env: { JWKIT_KEK: a } })![0]!.id, parseKekList(a)[0]!.id)
    for (const bad of ['', 'short', a + 'AA', a.replace(/.$/, '+'), Buffer.alloc(32).toString('base64')]) {
      assert.throws(() => parseKekList(bad), code('ERR_KEK_INVALID'), bad)
    }
    assert.throws(() => kekFromBytes(new Uint8Array(16)), code('ERR_KEK_INVALID'))
  })
  it('reads JWKIT_KEK_FILE, and reports an unreadable one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-kek-'))
    try {
      const file = join(dir, 'kek')
      const a = generateKekText()
      writeFileSync(file, a + '\n')
      assert.equal(configuredKeks({ env: { JWKIT_KEK_FILE: file } })![0]!.id, parseKekList(a)[0]!.id)
      assert.throws(() => configuredKeks({ env: { JWKIT_KEK_FILE: join(dir, 'missing') } }), code('ERR_KEK_MISSING'))
      assert.equal(configuredKeks({ env: {} }), undefined)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
  it('creates <dbdir>/kek with mode 0600 and a warning, then reuses it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'jwkit-kek-'))
    try {
      const warnings: string[] = []
      const logger = { warn: (m: string) => warnings.push(m) }
      const first = sqliteKeks(join(dir, 'keys.db'), { env: {}, logger })
      assert.equal(warnings.length, 1)
      assert.equal(statSync(join(dir, 'kek')).mode & 0o777, 0o600)
      assert.equal(parseKekList(readFileSync(join(dir, 'kek'), 'utf8'))[0]!.id, first[0]!.id)
      const again = sqliteKeks(join(dir, 'keys.db'), { env: {}, logger })
      assert.equal(again[0]!.id, first[0]!.id)
      assert.equal(warnings.length, 1)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
