// The portable test suite: the same checks on Node, Bun, Deno, workerd and Chromium. It imports
// only the portable layers (no node: module, no node:test: a runtime may have neither), carries
// its vectors in the bundle (esbuild inlines the JSON), and reports a plain JSON result that
// test/runtimes/*.test.ts asserts on. `produce` signs and encrypts with fixed keys for the
// cross-runtime interop check; `consume` verifies and decrypts what another runtime made.
import { BACKEND_NAME } from '#backend'
import { isJwkitError } from '../../../src/errors.ts'
import { parseJwk, checkJwk, thumbprint, thumbprintUri, toPublicJwk, parseJwkSet } from '../../../src/jwk/index.ts'
import { generateJwk, importJwk, exportJwk } from '../../../src/crypto/index.ts'
import { verifyWith, signWith } from '../../../src/crypto/sign.ts'
import { signJws, verifyJws } from '../../../src/jws/index.ts'
import { signJwt, verifyJwt } from '../../../src/jwt/index.ts'
import { encryptJwe, decryptJwe } from '../../../src/jwe/index.ts'
import { createLocalJwks, createRemoteJwks, createCacheApiCache, createMemoryCache } from '../../../src/jwks/index.ts'
import { fromCose, toCose } from '../../../src/formats/cose.ts'
import { fromSsh, toSsh } from '../../../src/formats/ssh.ts'
import type { Jwk } from '../../../src/jwk/types.ts'
import keys from './keys.json' with { type: 'json' }
import pems from './pem.json' with { type: 'json' }
import { fromPem } from '../../../src/formats/from-pem.ts'
import { toDer, toPem } from '../../../src/formats/to-pem.ts'
import nodePems from './to-pem.json' with { type: 'json' }
import chains from './chains.json' with { type: 'json' }
import { fromX509 } from '../../../src/formats/x509.ts'
import { encryptJwk, decryptJwk } from '../../../src/jwe/encrypted-jwk.ts'
import { createDpopProof } from '../../../src/guard/create-proof.ts'
import { accessTokenHash, verifyDpopProof } from '../../../src/guard/dpop-proof.ts'
import { createDpopNonces } from '../../../src/guard/nonce.ts'
import { verifyIdToken } from '../../../src/guard/id-token.ts'
import { certificateThumbprint } from '../../../src/guard/mtls.ts'
import rfcExamples from '../../vectors/rfc-examples.json' with { type: 'json' }
import cookbookRs from '../../vectors/cookbook/jws/4_1.rsa_v15_signature.json' with { type: 'json' }
import cookbookPs from '../../vectors/cookbook/jws/4_2.rsa-pss_signature.json' with { type: 'json' }
import cookbookEs from '../../vectors/cookbook/jws/4_3.ecdsa_signature.json' with { type: 'json' }
import cookbookHs from '../../vectors/cookbook/jws/4_4.hmac-sha2_integrity_protection.json' with { type: 'json' }
import cookbookJweOaep from '../../vectors/cookbook/jwe/5_2.key_encryption_using_rsa-oaep_with_aes-gcm.json' with { type: 'json' }
import cookbookJweEcdh from '../../vectors/cookbook/jwe/5_4.key_agreement_with_key_wrapping_using_ecdh-es_and_aes-keywrap_with_aes-gcm.json' with { type: 'json' }
import cookbookJweCbc from '../../vectors/cookbook/jwe/5_5.key_agreement_using_ecdh-es_with_aes-cbc-hmac-sha2.json' with { type: 'json' }
import wyJws from '../../vectors/wycheproof/testvectors_v1/json_web_signature_test.json' with { type: 'json' }
import wyJwe from '../../vectors/wycheproof/testvectors_v1/json_web_encryption_test.json' with { type: 'json' }
import wyK1 from '../../vectors/wycheproof/testvectors_v1/ecdsa_secp256k1_sha256_p1363_test.json' with { type: 'json' }
import wyP256 from '../../vectors/wycheproof/testvectors_v1/ecdsa_secp256r1_sha256_p1363_test.json' with { type: 'json' }
import wyP521 from '../../vectors/wycheproof/testvectors_v1/ecdsa_secp521r1_sha512_p1363_test.json' with { type: 'json' }
import wyEd25519 from '../../vectors/wycheproof/testvectors_v1/ed25519_test.json' with { type: 'json' }
import wyEd448 from '../../vectors/wycheproof/testvectors_v1/ed448_test.json' with { type: 'json' }

export interface SuiteResult {
  runtime: string
  backend: string
  passed: number
  failed: Array<{ name: string; error: string }>
  refused: Array<{ name: string; message: string }>
  tokens?: Record<string, string>
  consumed?: number
}

const KEYS = keys as unknown as Record<string, Jwk>
const enc = new TextEncoder()
const dec = new TextDecoder()
const hex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g) ?? [], (b) => parseInt(b, 16))

class Check extends Error {}
function ok(value: unknown, message: string): void {
  if (!value) throw new Check(message)
}
function equal(a: unknown, b: unknown, message: string): void {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Check(`${message}: ${JSON.stringify(a)?.slice(0, 120)} !== ${JSON.stringify(b)?.slice(0, 120)}`)
}
async function refusedWith(run: () => unknown, code: string, message: string): Promise<void> {
  try {
    await run()
  } catch (error) {
    if (isJwkitError(error) && error.code === code) return
    throw new Check(`${message}: expected ${code}, got ${isJwkitError(error) ? error.code : String(error)}`)
  }
  throw new Check(`${message}: expected ${code}, accepted`)
}

type Case = [string, () => Promise<void> | void]

/** Algorithms a runtime may lack: a refusal must be ERR_JWK_UNSUPPORTED naming the primitive. */
function cases(base: string, runtime: string): Case[] {
  const list: Case[] = []
  const add = (name: string, run: () => Promise<void> | void) => list.push([name, run])
  /** A case every runtime must pass: an ERR_JWK_UNSUPPORTED refusal fails it. */
  const must = (name: string, run: () => Promise<void> | void) => add(name, async () => {
    try {
      await run()
    } catch (error) {
      if (isJwkitError(error) && error.code === 'ERR_JWK_UNSUPPORTED' && /lacks/.test(error.message)) throw new Check(`refused, but every runtime must run it: ${error.message}`)
      throw error
    }
  })

  // tools/check-layers.mjs (rule buffer) keeps Buffer out of the portable layers; this is the
  // proof at run time: Chromium and workerd (without nodejs_compat) have no Buffer, and nothing in
  // the bundle brings one (an esbuild inject of a stand-in would answer this free `Buffer`).
  if (runtime === 'chromium' || runtime === 'workerd') {
    add('no Buffer: the runtime has none and the bundle brings none', () => {
      ok(typeof Buffer === 'undefined', `typeof Buffer is ${typeof Buffer}`)
    })
  }
  add('RFC 7638 §3.1 thumbprint and RFC 9278 URI', () => {
    const jwk = { kty: 'RSA', n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw', e: 'AQAB', alg: 'RS256', kid: '2011-04-29' }
    equal(thumbprint(jwk as Jwk), 'NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', 'thumbprint')
    equal(thumbprintUri(jwk as Jwk), 'urn:ietf:params:oauth:jwk-thumbprint:sha-256:NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs', 'thumbprint URI')
  })
  add('RFC 7515/7517/7638/8037/9278 examples (test/vectors/rfc-examples.json), x5c included', async () => {
    let n = 0
    for (const v of rfcExamples as unknown as Array<{ id: string; kind: string; input: Record<string, unknown>; expected?: Record<string, unknown> }>) {
      const exp = (v.expected ?? {}) as Record<string, unknown>
      const jwk = v.input.jwk as Jwk
      switch (v.kind) {
        case 'jwks-parse': equal(parseJwkSet(v.input.jwks as object).keys.length, exp.keyCount, v.id); break
        case 'jwk-x5c': parseJwk(jwk); break
        case 'jwk-thumbprint': if (exp.thumbprint !== undefined) equal(thumbprint(jwk), exp.thumbprint, v.id); break
        case 'jwk-thumbprint-uri': equal(thumbprintUri(jwk), exp.uri, v.id); break
        case 'okp-private-key': case 'okp-public-key': parseJwk(jwk); break
        case 'jws-verify': await verifyJws(v.input.compact as string, (v.input.publicJwk ?? jwk) as Jwk); break
        case 'jws-sign': {
          const compact = (v.input.compact ?? exp.compact) as string | undefined
          if (compact !== undefined) await verifyJws(compact, (v.input.publicJwk ?? jwk) as Jwk)
          break
        }
        default: continue
      }
      n++
    }
    ok(n >= 12, `only ${n} examples`)
  })
  add('the JWK rules: d must match the public key (EC, OKP), off-curve points refused', async () => {
    for (const name of ['ES256', 'ES512', 'ES256K', 'EdDSA', 'Ed448', 'ECDH-ES/X448']) {
      const k = KEYS[name] as unknown as Record<string, string>
      const other = KEYS[name === 'ES256' ? 'ES384' : 'ES256'] as unknown as Record<string, string>
      parseJwk(k)
      const swapped = { ...k, d: k.kty === 'EC' ? flipLast(k.d!) : flipLast(k.d!) }
      await refusedWith(() => parseJwk(swapped), 'ERR_JWK_INVALID', `${name} with another d`)
      void other
    }
    const p = KEYS.ES256 as unknown as Record<string, string>
    await refusedWith(() => parseJwk({ kty: 'EC', crv: 'P-256', x: p.x!, y: flipLast(p.y!) }), 'ERR_JWK_INVALID', 'off-curve P-256 point')
  })
  add('importJwk / exportJwk round trip for every fixed key', () => {
    for (const [name, k] of Object.entries(KEYS)) {
      if (k.kty === 'AKP') continue
      const out = exportJwk(importJwk(k))
      for (const m of ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'k']) equal((out as Record<string, unknown>)[m], (k as Record<string, unknown>)[m], `${name} member ${m}`)
    }
  })
  add('fromPem of public keys (SPKI: RSA, P-256, P-521, Ed25519, Ed448; PKCS #1 RSA) and private keys (PKCS #8, SEC1, PKCS #1), PEM text as sign and verify keys', async () => {
    const PEMS = pems as Record<string, string>
    for (const [name, pem] of Object.entries(PEMS)) {
      const jwk = fromPem(pem, name.includes('encrypted') ? { passphrase: 'correct horse' } : {}) as Record<string, unknown>
      const full = KEYS[name.split(' ')[0]!]! as unknown as Record<string, unknown>
      const expected = name.includes('private') ? full : toPublicJwk(full as unknown as Jwk) as unknown as Record<string, unknown>
      for (const m of ['kty', 'crv', 'x', 'y', 'n', 'e', 'd', 'p', 'q', 'dp', 'dq', 'qi']) equal(jwk[m], expected[m], `${name} member ${m}`)
    }
    await refusedWith(() => fromPem(PEMS['ES512 private encrypted']!, { passphrase: 'wrong' }), 'ERR_PASSPHRASE_WRONG', 'wrong passphrase')
    const token = await signJwt({ a: 1 }, PEMS['ES256 private pkcs8']!, { alg: 'ES256' })
    await verifyJwt(token, PEMS.ES256!, { algorithms: ['ES256'] })
    const rs = await signJwt({ a: 1 }, PEMS['RS256 private pkcs1']!, { alg: 'RS256' })
    await verifyJwt(rs, PEMS['RS256 pkcs1']!, { algorithms: ['RS256'] })
  })
  must('toPem / toDer: SPKI, PKCS #8, PKCS #1 (private and public), SEC1 byte for byte as node:crypto writes them (to-pem.json); encrypted PKCS #8 opens again', async () => {
    const NODE = nodePems as Record<string, string>
    for (const [label, expected] of Object.entries(NODE)) {
      const [name, ...rest] = label.split(' ')
      const format = rest[rest.length - 1] as 'spki' | 'pkcs8' | 'pkcs1' | 'sec1'
      const jwk = rest[0] === 'public' ? toPublicJwk(KEYS[name!]!) : KEYS[name!]!
      equal(toPem(jwk, { format }), expected, `toPem ${label}`)
      const body = expected.replace(/-----[A-Z ]+-----|\s/g, '')
      equal(b64(toDer(jwk, { format }).der), body, `toDer ${label}`)
    }
    ok(Object.keys(NODE).length >= 20, 'every fixed key')
    const locked = toPem(KEYS.ES384!, { passphrase: 'correct horse', iterations: 1000 })
    equal((fromPem(locked, { passphrase: 'correct horse' }) as Record<string, unknown>).d, (KEYS.ES384 as Record<string, unknown>).d, 'encrypted PKCS #8 round trip')
    await refusedWith(() => toPem(toPublicJwk(KEYS.ES256!), { format: 'sec1' }), 'ERR_JWK_UNSUPPORTED', 'SEC1 of a public key')
  })
  must('fromX509 chain verification (test/backend/fixtures/x509: RSA PKCS #1 v1.5 and PSS, ECDSA P-256/384/521 and secp256k1, Ed25519, Ed448): good chains verify; a tampered signature, a wrong anchor are ERR_X509_CHAIN_INVALID', async () => {
    const during = new Date('2027-06-01T00:00:00Z')
    let n = 0
    const list = Object.entries(chains as Record<string, { ca: string; leaf: string }>)
    for (const [name, { ca, leaf }] of list) {
      const jwk = fromX509(leaf, { trustAnchors: ca, currentDate: during }) as unknown as Record<string, unknown>
      ok(Array.isArray(jwk.x5c) && typeof jwk.x === 'string', `${name}: the leaf key with x5c`)
      // The last base64 character of the leaf's PEM lies in its signature: change it.
      const end = leaf.indexOf('-----END CERTIFICATE-----')
      const body = leaf.slice(0, end).trimEnd()
      const i = body.length - (body.endsWith('==') ? 3 : body.endsWith('=') ? 2 : 1) - 1
      const tampered = body.slice(0, i) + (body[i] === 'A' ? 'B' : 'A') + body.slice(i + 1) + '\n' + leaf.slice(end)
      await refusedWith(() => fromX509(tampered, { trustAnchors: ca, currentDate: during }), 'ERR_X509_CHAIN_INVALID', `${name}: tampered signature`)
      const other = list[(n + 1) % list.length]![1].ca
      await refusedWith(() => fromX509(leaf, { trustAnchors: other, currentDate: during }), 'ERR_X509_CHAIN_INVALID', `${name}: another algorithm's CA as the anchor`)
      n++
    }
    ok(n >= 12, `${n} chains`)
  })
  add('COSE_Key and OpenSSH public keys round trip', () => {
    for (const name of ['ES256', 'EdDSA']) {
      const pub = toPublicJwk(KEYS[name]!)
      const back = fromCose(toCose(pub)) as Record<string, unknown>
      equal(back.x, (pub as Record<string, unknown>).x, `COSE ${name}`)
      const ssh = fromSsh(toSsh(pub, 'test')) as Record<string, unknown>
      equal(ssh.x, (pub as Record<string, unknown>).x, `SSH ${name}`)
    }
  })
  for (const alg of ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed448', 'ML-DSA-44']) {
    add(`JWT ${alg}: generate, sign, verify, tamper`, async () => {
      const key = await generateJwk(alg)
      const token = await signJwt({ sub: 'x', n: 1 }, key, { alg, expiresIn: '5m' })
      const verifyKey = key.kty === 'oct' ? key : toPublicJwk(key)
      const { claims } = await verifyJwt(token, verifyKey, { algorithms: [alg] })
      equal(claims.sub, 'x', 'claims')
      const [h, p, s] = token.split('.')
      const other = (s![0] === 'A' ? 'B' : 'A') + s!.slice(1)
      await refusedWith(() => verifyJwt(`${h}.${p}.${other}`, verifyKey, { algorithms: [alg] }), 'ERR_JWS_SIGNATURE_INVALID', 'tampered signature')
      await refusedWith(() => verifyJwt(token, verifyKey, { algorithms: ['HS512'] }), 'ERR_ALG_NOT_ALLOWED', 'allowlist')
    })
  }
  add('JWS JSON serializations (general, two signers) and detached content', async () => {
    const general = await signJws('hello', KEYS.ES256!, { alg: 'ES256', serialization: 'general', signers: [{ key: KEYS.EdDSA!, alg: 'EdDSA' }] }) as { signatures: unknown[] }
    equal(general.signatures.length, 2, 'two signatures')
    const r = await verifyJws(general as never, toPublicJwk(KEYS.EdDSA!))
    equal(dec.decode(r.payload), 'hello', 'payload')
    const detached = await signJws('content', KEYS.HS256!, { alg: 'HS256', detached: true }) as string
    await verifyJws(detached, KEYS.HS256!, { detachedPayload: 'content' })
  })
  add('RFC 7520 §4.1–4.4 cookbook JWS verify (RSA v1.5, PSS, ECDSA, HMAC)', async () => {
    for (const v of [cookbookRs, cookbookPs, cookbookEs, cookbookHs] as Array<{ input: { key: Jwk }; output: { compact: string } }>) {
      const key = v.input.key.kty === 'oct' ? v.input.key : toPublicJwk(v.input.key)
      await verifyJws(v.output.compact, key)
    }
    // RFC 7520 §4.1 is deterministic: the same signature from this runtime.
    const rs = cookbookRs as unknown as { input: { key: Jwk; payload: string }; output: { compact: string } }
    const [h] = rs.output.compact.split('.')
    const header = JSON.parse(dec.decode(b64uDecode(h!)))
    const again = await signJws(rs.input.payload, rs.input.key, { alg: 'RS256', protectedHeader: header }) as string
    equal(again.split('.')[2], rs.output.compact.split('.')[2], 'RFC 7520 §4.1 signature bytes')
  })
  add('RFC 7520 §5.2, §5.4, §5.5 cookbook JWE decrypt (RSA-OAEP, ECDH-ES+A128KW, ECDH-ES with CBC-HS)', async () => {
    for (const v of [cookbookJweOaep, cookbookJweEcdh, cookbookJweCbc] as Array<{ input: { key: Jwk; plaintext: string }; output: { compact: string } }>) {
      const { plaintext } = await decryptJwe(v.output.compact, v.input.key)
      equal(dec.decode(plaintext), v.input.plaintext, 'plaintext')
    }
  })
  add('Wycheproof JWS (json_web_signature_test): valid ones verify, invalid ones are refused with a JwkitError', async () => {
    let valid = 0
    let invalid = 0
    for (const group of (wyJws as unknown as { testGroups: Array<{ public?: unknown; private: unknown; tests: Array<{ tcId: number; jws: string; result: string }> }> }).testGroups) {
      const key = (group.public ?? group.private) as Jwk | { keys: Jwk[] }
      const source = Array.isArray((key as { keys?: unknown }).keys) ? createLocalJwks(key as { keys: Jwk[] }) : key as Jwk
      for (const t of group.tests) {
        let got: string | true
        try {
          await verifyJws(t.jws, source)
          got = true
        } catch (error) {
          if (!isJwkitError(error)) throw new Check(`tcId ${t.tcId}: not a JwkitError: ${String(error)}`)
          got = error.code
        }
        if (t.result === 'invalid') {
          ok(got !== true || [367, 370].includes(t.tcId), `tcId ${t.tcId} invalid but verified`)
          invalid++
        } else if (got === true) valid++
      }
    }
    ok(valid >= 20 && invalid >= 20, `valid ${valid}, invalid ${invalid}`)
  })
  add('Wycheproof JWE (json_web_encryption_test): invalid ones never decrypt', async () => {
    let n = 0
    for (const group of (wyJwe as unknown as { testGroups: Array<{ private: Jwk; tests: Array<{ tcId: number; jwe: string; result: string; pt?: string }> }> }).testGroups) {
      for (const t of group.tests) {
        let got = false
        try {
          await decryptJwe(t.jwe, group.private)
          got = true
        } catch (error) {
          if (!isJwkitError(error)) throw new Check(`tcId ${t.tcId}: not a JwkitError: ${String(error)}`)
        }
        if (t.result === 'invalid') ok(!got, `tcId ${t.tcId} invalid but decrypted`)
        n++
      }
    }
    ok(n > 10, `${n} cases`)
  })
  const wycheproofSig = (name: string, data: unknown, alg: string) => add(`Wycheproof ${name}: exact verdicts through the backend`, async () => {
    let n = 0
    for (const group of (data as { testGroups: Array<{ publicKeyJwk: Jwk; tests: Array<{ tcId: number; msg: string; sig: string; result: string }> }> }).testGroups) {
      if (group.publicKeyJwk === undefined) continue
      const { kid: _kid, ...jwk } = group.publicKeyJwk as Jwk & { kid?: string }
      const handle = importJwk(jwk as Jwk) as never
      for (const t of group.tests) {
        if (t.result === 'acceptable') continue
        let got: boolean
        try {
          got = await verifyWith(alg, handle, hex(t.msg), hex(t.sig))
        } catch (error) {
          if (isJwkitError(error) && error.code === 'ERR_JWK_UNSUPPORTED') throw error
          got = false
        }
        ok(got === (t.result === 'valid'), `tcId ${t.tcId}: expected ${t.result}`)
        n++
      }
    }
    ok(n > 50, `${n} cases`)
  })
  wycheproofSig('ecdsa_secp256r1_sha256_p1363', wyP256, 'ES256')
  wycheproofSig('ecdsa_secp521r1_sha512_p1363', wyP521, 'ES512')
  wycheproofSig('ecdsa_secp256k1_sha256_p1363', wyK1, 'ES256K')
  wycheproofSig('ed25519', wyEd25519, 'Ed25519')
  wycheproofSig('ed448', wyEd448, 'Ed448')
  for (const [keyName, alg, encs] of [
    ['RSA-OAEP-256', 'RSA-OAEP-256', ['A256GCM', 'A128CBC-HS256']],
    ['A128KW', 'A128KW', ['A128GCM', 'A256CBC-HS512']],
    ['A256GCMKW', 'A256GCMKW', ['A192GCM']],
    ['dir', 'dir', ['A256GCM']],
    ['ECDH-ES', 'ECDH-ES', ['A128GCM']],
    ['ECDH-ES/P-521', 'ECDH-ES', ['A256GCM']],
    ['ECDH-ES+A128KW/X25519', 'ECDH-ES+A128KW', ['A128CBC-HS256']],
    ['ECDH-ES/X448', 'ECDH-ES', ['A256GCM']],
  ] as const) {
    add(`JWE ${alg} (${keyName}) with ${encs.join(', ')}, and zip DEF`, async () => {
      const key = KEYS[keyName]!
      const encryptKey = key.kty === 'oct' ? key : toPublicJwk(key)
      for (const e of encs) {
        const jwe = await encryptJwe('secret message', encryptKey, { alg, enc: e }) as string
        const { plaintext } = await decryptJwe(jwe, key, { keyManagementAlgorithms: [alg], contentEncryptionAlgorithms: [e] } as never)
        equal(dec.decode(plaintext), 'secret message', `${alg}/${e}`)
      }
      const zipped = await encryptJwe('z'.repeat(2000), encryptKey, { alg, enc: encs[0], zip: 'DEF' }) as string
      ok(zipped.length < 1500, 'compressed')
      equal(dec.decode((await decryptJwe(zipped, key)).plaintext), 'z'.repeat(2000), 'zip round trip')
    })
  }
  add('local set: kid selection, unknown kid refused', async () => {
    const set = createLocalJwks({ keys: [toPublicJwk(KEYS.ES256!), toPublicJwk(KEYS.RS256!), toPublicJwk(KEYS.EdDSA!)] })
    const token = await signJwt({ a: 1 }, KEYS.RS256!, { kid: 'RS256' })
    await verifyJwt(token, set)
    const stray = await signJwt({ a: 1 }, KEYS.RS256!, { kid: 'nope' })
    await refusedWith(() => verifyJwt(stray, set), 'ERR_JWKS_NO_MATCHING_KEY', 'unknown kid')
  })
  add('guard: RFC 9449 ath, a DPoP proof with a server nonce made and checked, ID token at_hash (SHA-256 and ML-DSA SHAKE256), x5t#S256', async () => {
    // RFC 9449 §7.1 example; at_hash values computed once with node:crypto (SHA-256, SHAKE256/64).
    const accessToken = 'Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU'
    equal(accessTokenHash(accessToken), 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo', 'ath')
    const nonces = createDpopNonces()
    const proof = await createDpopProof(KEYS.ES256!, { htm: 'POST', htu: 'https://rs.example/api?q=1', accessToken, nonce: nonces.current() })
    const checked = await verifyDpopProof(proof, { method: 'POST', url: 'https://rs.example/api', accessToken, nonces })
    equal(checked.jkt, thumbprint(toPublicJwk(KEYS.ES256!)), 'jkt')
    equal(checked.claims.ath, 'fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo', 'ath claim')
    ok(!nonces.check(nonces.current().slice(0, -1) + (nonces.current().endsWith('A') ? 'B' : 'A')), 'an altered nonce is refused')
    await refusedWith(async () => verifyDpopProof(await createDpopProof(KEYS.ES256!, { htm: 'POST', htu: 'https://rs.example/api', accessToken: 'other' }), { method: 'POST', url: 'https://rs.example/api', accessToken }), 'ERR_DPOP_PROOF_INVALID', 'ath of another token')
    const now = Math.floor(Date.now() / 1000)
    const claims = { iss: 'https://op.example', aud: 'client', sub: 'u', iat: now, exp: now + 60 }
    for (const [name, atHash] of [['ES256', 'fUHyO2r2Z3DZ53EsNrWBbw'], ['ML-DSA-44', '762AHJlHddkFMl4q9iSrqqxJOHTtvW28Gw1ItSDhUno']] as const) {
      const idToken = await signJwt({ ...claims, at_hash: atHash }, KEYS[name]!, { kid: name })
      const verified = await verifyIdToken(idToken, toPublicJwk(KEYS[name]!), { issuer: 'https://op.example', audience: 'client', accessToken })
      equal(verified.claims.at_hash, atHash, `${name} at_hash`)
      await refusedWith(() => verifyIdToken(idToken, toPublicJwk(KEYS[name]!), { issuer: 'https://op.example', audience: 'client', accessToken: 'other' }), 'ERR_JWT_CLAIM_INVALID', `${name} at_hash of another token`)
    }
    equal(certificateThumbprint(enc.encode('abc')), 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0', 'x5t#S256 (SHA-256 of "abc")')
  })
  add('encrypted JWK files (RFC 7517 App. C, PBES2 with 1000 iterations): encryptJwk → decryptJwk, wrong passphrase refused', async () => {
    for (const alg of ['PBES2-HS256+A128KW', 'PBES2-HS512+A256KW']) {
      const file = await encryptJwk(KEYS.ES256!, 'correct horse', { alg, p2c: 1000 })
      equal(await decryptJwk(file, 'correct horse'), KEYS.ES256, `${alg} round trip`)
      await refusedWith(() => decryptJwk(file, 'wrong horse'), 'ERR_JWE_DECRYPTION_FAILED', `${alg} wrong passphrase`)
    }
  })
  if (base !== '') {
    add('remote set over platform fetch: one fetch for many tokens, cooldown, size cap, origin rule', async () => {
      const fetches: string[] = []
      const source = createRemoteJwks(`${base}/jwks.json`, { cache: createMemoryCache(), onFetch: (e: { reason: string }) => { fetches.push(e.reason) } } as never)
      const token = await signJwt({ a: 1 }, KEYS.ES256!, { kid: 'ES256' })
      await Promise.all(Array.from({ length: 20 }, () => verifyJwt(token, source)))
      equal(fetches.length, 1, 'one fetch for 20 concurrent tokens')
      const unknown = await signJwt({ a: 1 }, KEYS.ES256!, { kid: 'unknown' })
      await refusedWith(() => verifyJwt(unknown, source), 'ERR_JWKS_NO_MATCHING_KEY', 'unknown kid')
      await refusedWith(() => verifyJwt(unknown, source), 'ERR_JWKS_NO_MATCHING_KEY', 'unknown kid again')
      ok(fetches.length <= 2, `cooldown holds: ${fetches.length} fetches`)
      const big = createRemoteJwks(`${base}/big.json`, { maxResponseBytes: 1024 })
      await refusedWith(() => verifyJwt(token, big), 'ERR_JWKS_RESPONSE_TOO_LARGE', 'size cap')
      await refusedWith(() => createRemoteJwks('http://example.com/jwks.json'), 'ERR_JWKS_URL_NOT_ALLOWED', 'plain http to a non-loopback host')
    })
    const cacheStorage = (globalThis as { caches?: unknown }).caches
    if (cacheStorage !== undefined) {
      add('remote set with the Cache API adapter: a second source starts from the cached set', async () => {
        const name = `jwkit-test-${Math.random().toString(36).slice(2)}`
        const fetches: string[] = []
        const opts = (cache: unknown) => ({ cache, onFetch: (e: { reason: string }) => { fetches.push(e.reason) } }) as never
        const token = await signJwt({ a: 1 }, KEYS.ES256!, { kid: 'ES256' })
        await verifyJwt(token, createRemoteJwks(`${base}/jwks.json`, opts(createCacheApiCache({ cacheName: name }))))
        equal(fetches.length, 1, 'first source fetched')
        await verifyJwt(token, createRemoteJwks(`${base}/jwks.json`, opts(createCacheApiCache({ cacheName: name }))))
        equal(fetches.length, 1, 'second source served from the Cache API')
      })
    }
  }
  return list
}

function flipLast(b64u: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
  const c = b64u[b64u.length - 2]!
  return b64u.slice(0, -2) + alphabet[(alphabet.indexOf(c) + 1) % 64] + b64u.slice(-1)
}

function b64(bytes: Uint8Array): string {
  let bin = ''
  for (const b of bytes) bin += String.fromCharCode(b)
  return btoa(bin)
}

function b64uDecode(text: string): Uint8Array {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4))
  return Uint8Array.from(bin, (c) => c.charCodeAt(0))
}

/** Runs every case; a JwkitError ERR_JWK_UNSUPPORTED counts as a clear refusal, anything else as a failure. */
export async function runSuite(runtime: string, base: string): Promise<SuiteResult> {
  const result: SuiteResult = { runtime, backend: BACKEND_NAME, passed: 0, failed: [], refused: [] }
  for (const [name, run] of cases(base, runtime)) {
    try {
      await run()
      result.passed++
    } catch (error) {
      if (isJwkitError(error) && error.code === 'ERR_JWK_UNSUPPORTED' && /lacks/.test(error.message)) result.refused.push({ name, message: error.message })
      else result.failed.push({ name, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) })
    }
  }
  return result
}

/** Signs a JWT per signature key and encrypts to each encryption key, with fixed keys (interop). */
export async function produce(runtime: string): Promise<Record<string, string>> {
  const tokens: Record<string, string> = {}
  for (const alg of ['HS256', 'RS256', 'PS256', 'ES256', 'ES384', 'ES512', 'ES256K', 'EdDSA', 'Ed448', 'ML-DSA-44']) {
    tokens[`jwt ${alg}`] = await signJwt({ rt: runtime, alg }, KEYS[alg]!, { alg, kid: alg, iat: 1_700_000_000 })
  }
  // Deterministic algorithms: the same bytes on every runtime (test/runtimes/interop.test.ts compares).
  for (const alg of ['HS256', 'RS256', 'EdDSA', 'Ed448']) {
    tokens[`det ${alg}`] = await signJwt({ fixed: true }, KEYS[alg]!, { alg, kid: alg, iat: 1_700_000_000 })
  }
  for (const [keyName, alg, e] of [['RSA-OAEP-256', 'RSA-OAEP-256', 'A256GCM'], ['A128KW', 'A128KW', 'A128CBC-HS256'], ['ECDH-ES', 'ECDH-ES', 'A128GCM'], ['ECDH-ES+A128KW/X25519', 'ECDH-ES+A128KW', 'A256GCM'], ['ECDH-ES/X448', 'ECDH-ES', 'A192GCM'], ['dir', 'dir', 'A256GCM']] as const) {
    const key = KEYS[keyName]!
    tokens[`jwe ${keyName}`] = await encryptJwe(enc.encode(`from ${runtime}`), key.kty === 'oct' ? key : toPublicJwk(key), { alg, enc: e }) as string
  }
  return tokens
}

/** Verifies and decrypts tokens another runtime produced; throws on the first that fails. */
export async function consume(tokens: Record<string, Record<string, string>>): Promise<number> {
  let n = 0
  for (const [from, set] of Object.entries(tokens)) {
    for (const [name, token] of Object.entries(set)) {
      const [kind, keyName] = name.split(' ') as [string, string]
      if (kind === 'det') continue
      const key = KEYS[keyName]!
      try {
        if (kind === 'jwt') {
          const { claims } = await verifyJwt(token, key.kty === 'oct' ? key : toPublicJwk(key), { currentDate: new Date(1_700_000_100_000) })
          equal(claims.rt, from, `${name} from ${from}: claims`)
        } else {
          const { plaintext } = await decryptJwe(token, key)
          equal(dec.decode(plaintext), `from ${from}`, `${name} from ${from}: plaintext`)
        }
      } catch (error) {
        throw new Check(`${name} made on ${from} does not verify/decrypt here: ${error instanceof Error ? error.message : String(error)}`)
      }
      n++
    }
  }
  return n
}

export { signWith }
