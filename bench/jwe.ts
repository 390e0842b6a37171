/**
 * JWE bench: jwkit `decryptJwe` / `encryptJwe` (compact, a JWK object prepared once and cached)
 * against `jose` (`compactDecrypt` / `CompactEncrypt` with an imported key) and the node:crypto
 * floor for decryption (split + base64url decode + JSON.parse of the header + the same key
 * management and AEAD calls, no checks). Cases: dir+A256GCM, A256KW+A256GCM,
 * RSA-OAEP-256+A256GCM, ECDH-ES (P-256)+A256GCM, ECDH-ES+A128KW (X25519)+A128CBC-HS256.
 * Medians of the per-call latency. Run: node --import tsx bench/jwe.ts   (or npm run bench jwe)
 */
import { createDecipheriv, createHash, createHmac, createPublicKey, createSecretKey, diffieHellman, generateKeyPairSync, privateDecrypt, randomBytes, timingSafeEqual, constants, type KeyObject } from 'node:crypto'
import { realpathSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import * as jose from 'jose'
import { exportJwk } from '../src/crypto/export.ts'
import { toPublicJwk } from '../src/jwk/public.ts'
import type { Jwk } from '../src/jwk/types.ts'
import { encryptJwe } from '../src/jwe/encrypt.ts'
import { decryptJwe } from '../src/jwe/decrypt.ts'

interface Case { name: string; alg: string; enc: string; priv: Jwk; pub: Jwk; privKey: KeyObject }

function cases(): Case[] {
  const secret = (n: number) => { const raw = randomBytes(n); const k = { kty: 'oct', k: raw.toString('base64url') } as Jwk; return { priv: k, pub: k, privKey: createSecretKey(raw) } }
  const pair = (p: { privateKey: KeyObject }) => { const priv = exportJwk(p.privateKey); return { priv, pub: toPublicJwk(priv), privKey: p.privateKey } }
  return [
    { name: 'dir + A256GCM', alg: 'dir', enc: 'A256GCM', ...secret(32) },
    { name: 'A256KW + A256GCM', alg: 'A256KW', enc: 'A256GCM', ...secret(32) },
    { name: 'RSA-OAEP-256 + A256GCM', alg: 'RSA-OAEP-256', enc: 'A256GCM', ...pair(generateKeyPairSync('rsa', { modulusLength: 2048 })) },
    { name: 'ECDH-ES P-256 + A256GCM', alg: 'ECDH-ES', enc: 'A256GCM', ...pair(generateKeyPairSync('ec', { namedCurve: 'P-256' })) },
    { name: 'ECDH-ES+A128KW X25519 + A128CBC-HS256', alg: 'ECDH-ES+A128KW', enc: 'A128CBC-HS256', ...pair(generateKeyPairSync('x25519')) },
  ]
}

const u32 = (n: number) => { const b = Buffer.alloc(4); b.writeUInt32BE(n); return b }
const kdf = (z: Buffer, bytes: number, id: string) =>
  createHash('sha256').update(u32(1)).update(z).update(Buffer.concat([u32(id.length), Buffer.from(id), u32(0), u32(0), u32(bytes * 8)])).digest().subarray(0, bytes)

/** The floor: the same primitives with no checks at all. */
function floorFor(c: Case, secret: Buffer | undefined): (jwe: string) => Buffer {
  return (jwe) => {
    const [h, ek, iv, ct, tag] = jwe.split('.') as [string, string, string, string, string]
    const header = JSON.parse(Buffer.from(h, 'base64url').toString())
    const wrapped = Buffer.from(ek, 'base64url')
    let cek: Buffer
    switch (c.alg) {
      case 'dir': cek = secret!; break
      case 'A256KW': { const d = createDecipheriv('id-aes256-wrap', secret!, Buffer.from('a6a6a6a6a6a6a6a6', 'hex')); cek = Buffer.concat([d.update(wrapped), d.final()]); break }
      case 'RSA-OAEP-256': cek = privateDecrypt({ key: c.privKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, wrapped); break
      default: {
        const z = diffieHellman({ privateKey: c.privKey, publicKey: createPublicKey({ key: header.epk, format: 'jwk' }) })
        if (c.alg === 'ECDH-ES') { cek = kdf(z, 32, c.enc); break }
        const d = createDecipheriv('id-aes128-wrap', kdf(z, 16, c.alg), Buffer.from('a6a6a6a6a6a6a6a6', 'hex'))
        cek = Buffer.concat([d.update(wrapped), d.final()])
      }
    }
    const aad = Buffer.from(h, 'latin1')
    const ivb = Buffer.from(iv, 'base64url')
    const ctb = Buffer.from(ct, 'base64url')
    const tagb = Buffer.from(tag, 'base64url')
    if (c.enc === 'A256GCM') {
      const d = createDecipheriv('aes-256-gcm', cek, ivb, { authTagLength: 16 })
      d.setAAD(aad); d.setAuthTag(tagb)
      return Buffer.concat([d.update(ctb), d.final()])
    }
    const al = Buffer.alloc(8); al.writeBigUInt64BE(BigInt(aad.length * 8))
    const mac = createHmac('sha256', cek.subarray(0, 16)).update(aad).update(ivb).update(ctb).update(al).digest().subarray(0, 16)
    if (!timingSafeEqual(mac, tagb)) throw new Error('bad')
    const d = createDecipheriv('aes-128-cbc', cek.subarray(16), ivb)
    return Buffer.concat([d.update(ctb), d.final()])
  }
}

export async function run(): Promise<void> {
  const plaintext = JSON.stringify({ sub: 'bench', scope: 'read write', n: 12345, note: 'x'.repeat(40) })
  const out: Array<Record<string, string>> = []
  for (const c of cases()) {
    const jwe = await encryptJwe(plaintext, c.pub, { alg: c.alg, enc: c.enc })
    const joseDecKey = await jose.importJWK(c.priv as jose.JWK, c.alg)
    const joseEncKey = await jose.importJWK(c.pub as jose.JWK, c.alg)
    const secret = c.priv.kty === 'oct' ? Buffer.from(c.priv.k as string, 'base64url') : undefined
    const floor = floorFor(c, secret)
    // Sanity: every contender decrypts.
    for (const got of [floor(jwe), (await decryptJwe(jwe, c.priv)).plaintext, (await jose.compactDecrypt(jwe, joseDecKey)).plaintext]) {
      if (Buffer.from(got).toString() !== plaintext) throw new Error(`bench sanity failed: ${c.name}`)
    }
    const bytes = Buffer.from(plaintext)
    const bench = new Bench({ time: 300, warmup: true })
    bench.add('floor decrypt', () => { floor(jwe) })
    bench.add('jwkit decryptJwe', async () => { await decryptJwe(jwe, c.priv) })
    bench.add('jose compactDecrypt', async () => { await jose.compactDecrypt(jwe, joseDecKey) })
    bench.add('jwkit encryptJwe', async () => { await encryptJwe(bytes, c.pub, { alg: c.alg, enc: c.enc }) })
    bench.add('jose CompactEncrypt', async () => { await new jose.CompactEncrypt(bytes).setProtectedHeader({ alg: c.alg, enc: c.enc }).encrypt(joseEncKey) })
    await bench.run()
    const us = (name: string) => ((bench.tasks.find((t) => t.name === name)!.result as { latency?: { p50: number } }).latency?.p50 ?? NaN) * 1000
    const f = us('floor decrypt'), d = us('jwkit decryptJwe'), jd = us('jose compactDecrypt'), e = us('jwkit encryptJwe'), je = us('jose CompactEncrypt')
    out.push({
      case: c.name, 'floor dec µs': f.toFixed(2), 'jwkit dec µs': d.toFixed(2), 'dec × floor': (d / f).toFixed(2), 'jose dec µs': jd.toFixed(2), 'dec speed vs jose': (jd / d).toFixed(2),
      'jwkit enc µs': e.toFixed(2), 'jose enc µs': je.toFixed(2), 'enc speed vs jose': (je / e).toFixed(2),
    })
  }
  console.table(out)
}

const invokedDirectly = (() => {
  try { return process.argv[1] !== undefined && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url)) } catch { return false }
})()
if (invokedDirectly) await run()
