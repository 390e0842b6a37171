// A polluted Object.prototype changes no decision of any public function: for every function of
// the package entries (src/index.ts, jwkit/store, jwkit/server) and every name of its options (read from the TypeScript declarations, so a new
// option is covered without editing this file, see option-names.ts), each scenario below must
// end the same way with `Object.prototype[name]` set to each of VALUES as without it. Every
// public function with an options bag must have a scenario here or (the guards) in
// polluted-prototype-guards.test.ts: a new one fails the test until it is given one. The harness
// is pollution.ts.
import { after, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AddressInfo } from 'node:net'
import * as main from '../../src/index.ts'
import * as storeEntry from '../../src/store/index.ts'
import * as serverEntry from '../../src/server/index.ts'
// Internals that read options too (not package names since the package cut, still defended).
import { jwkFromKeyDer } from '../../src/formats/key-import.ts'
import { PRIVATE_KEY_MEMBERS, PUBLIC_KEY_MEMBERS, PUBLIC_METADATA_MEMBERS } from '../../src/jwk/members.ts'
import { fetchJwks } from '../../src/jwks/fetch-jwks.ts'
import { discoveryUrls } from '../../src/jwks/discovery.ts'
import { isReady, validatePolicy } from '../../src/store/rotation.ts'
import { createLogger, silentLogger } from '../../src/server/logger.ts'
import { startScheduler } from '../../src/server/scheduler.ts'
import { resolveServeConfig } from '../../src/server/config.ts'
import { GUARD_FUNCTIONS, OPTION_PARAMS, claims, declared, headerOf, jweHeader, jwsHeader, payloadOf, pollutionTests, type Scenario } from './pollution.ts'
import { startServer } from '../jwks/http-server.ts'

const api = { ...main, ...storeEntry, ...serverEntry, jwkFromKeyDer, fetchJwks, discoveryUrls, isReady, validatePolicy, createLogger, silentLogger, startScheduler, resolveServeConfig }

// (Object.prototype.kty once aborted Node 20 inside key generation: backend/node.ts generateKeyPair now covers it.)

// ---- fixtures (made before any pollution) ----
const NOW = Math.floor(Date.now() / 1000)
const es = await api.generateJwk('ES256', { kid: 'es' })
const esPublic = api.toPublicJwk(es)
const hs = await api.generateJwk('HS256', { kid: 'hs' })
const aes = await api.generateJwk('A128KW', { kid: 'kw' })
const valid = await api.signJwt({ iss: 'https://issuer.example', aud: 'rp', sub: 'alice', exp: NOW + 600, iat: NOW }, es)
const expired = await api.signJwt({ sub: 'alice', exp: NOW - 3600, iat: NOW - 7200 }, es)
const critical = await api.signJws('{"sub":"alice"}', es, { alg: 'ES256', protectedHeader: { crit: ['x-unknown'], 'x-unknown': 1 } })
const hmacToken = await api.signJwt({ sub: 'alice' }, hs)
const rs = await api.generateJwk('RS256', { kid: 'rs' })
const rsToken = await api.signJwt({ sub: 'alice' }, rs)
const esToken = await api.signJwt({ sub: 'alice' }, es)
/** A copy with a new identity: imported and checked afresh (prepared keys are cached by identity). */
const fresh = <T extends object>(key: T): T => ({ ...key })
const ecdh = await api.generateJwk('ECDH-ES', { kid: 'ecdh' })
const ecdhJwe = await api.encryptJwe('secret', api.toPublicJwk(ecdh), { alg: 'ECDH-ES', enc: 'A128GCM' })
const jwe = await api.encryptJwe('secret', aes, { alg: 'A128KW', enc: 'A128GCM' })
const jweCrit = await api.encryptJwe('secret', aes, { alg: 'A128KW', enc: 'A128GCM', protectedHeader: { crit: ['x-unknown'], 'x-unknown': 1 } })
const x509 = (name: string) => readFileSync(new URL(`../formats/fixtures/x509/${name}`, import.meta.url), 'utf8')
const chain = x509('chain.pem')
const root = x509('root.pem')
const otherRoot = x509('other-root.pem')
const pem = api.toPem(es, { format: 'pkcs8' })
const pemEncrypted = api.toPem(es, { format: 'pkcs8', passphrase: 'correct horse', iterations: 1000 })
const dir = mkdtempSync(join(tmpdir(), 'jwkit-pollution-'))
const server = await startServer((req) =>
  req.path === '/redirect' ? { status: 302, headers: { location: '/jwks' } }
    : req.path === '/jwks' ? { body: { keys: [esPublic] } }
      : req.path === '/.well-known/openid-configuration' ? { body: { issuer: server.origin, jwks_uri: server.url('/jwks') } }
        : { status: 404 })
const store = await api.openKeyStore('memory:')
const manager = api.createKeyManager(store, { algorithms: ['ES256'] })
await manager.init()

// ---- key-file fixtures (the CLI work) ----
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'plain', '-f', join(dir, 'ssh-plain')])
execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', 'correct horse', '-a', '1', '-C', 'locked', '-f', join(dir, 'ssh-locked')])
const sshPlain = readFileSync(join(dir, 'ssh-plain'), 'utf8')
const sshLocked = readFileSync(join(dir, 'ssh-locked'), 'utf8')
const keyFile = await api.encryptJwk(es, 'correct horse', { p2c: 1000 })
const keyFileHeavy = await api.encryptJwk(es, 'correct horse', { p2c: 3000 })
const headerWithoutSalt = (jwe: string) => { const { p2s: _, ...h } = JSON.parse(headerOf(jwe)) as Record<string, unknown>; return JSON.stringify(h) }
const { alg: _alg, kid: _kid, ...esNoAlg } = es as Record<string, unknown>
async function imported(jwk: object, options?: storeEntry.ImportKeyOptions): Promise<string> {
  const s = await api.openKeyStore('memory:', { env: {} })
  try {
    const r = await api.importKey(s, jwk, options)
    return `${r.state} ${r.alg} ${r.createdAt === 1_700_000_000_000 ? 'given' : Math.abs(r.createdAt - Date.now()) < 60_000 ? 'now' : 'other'}`
  } finally {
    await s.close()
  }
}


const claimsOf = async (p: Promise<{ claims: Record<string, unknown> }>) => Object.keys((await p).claims).sort().join(',')
const get = async (url: string, headers: Record<string, string> = {}) => (await fetch(url, { headers })).status
async function listen(s: import('node:http').Server): Promise<string> {
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(s.address() as AddressInfo).port}`
}
async function close(s: import('node:http').Server): Promise<void> {
  s.closeAllConnections()
  await new Promise<void>((resolve) => s.close(() => resolve()))
}

/** Scenarios per public function with options: each returns what it decided (or throws). */
const SCENARIOS: Record<string, Scenario[]> = {
  // keys
  parseJwk: [() => Object.keys(api.parseJwk(es)).sort().join(','), () => api.parseJwk(es, { requirePublic: true })],
  checkJwk: [() => api.checkJwk(es).valid, () => api.checkJwk(es, { requirePublic: true }).valid],
  parseJwkSet: [() => api.parseJwkSet({ keys: [esPublic, hs] }).keys.length, () => api.parseJwkSet({ keys: [es] }, { expectPublic: true }).keys.length],
  selectKeys: [() => api.selectKeys([esPublic, hs], { kid: 'es' }).length, () => api.selectKeys([esPublic, hs], {}).length],
  importJwk: [() => api.importJwk(es).type, () => api.importJwk(es, { asPublic: true }).type],
  importKeyHandle: [() => typeof api.importKeyHandle(es), () => api.importKeyHandle(es, { requirePublic: true })],
  jwkToCryptoKey: [async () => (await api.jwkToCryptoKey(esPublic, 'ES256')).usages.join(','), async () => (await api.jwkToCryptoKey(es, 'ES256', { extractable: false })).extractable],
  generateJwk: [async () => Object.keys(await api.generateJwk('ES256')).sort().join(','), async () => Object.keys(await api.generateJwk({ kty: 'EC', crv: 'P-384' })).sort().join(',')],
  // formats
  fromPem: [() => Object.keys(api.fromPem(pem)).sort().join(','), () => api.fromPem(pemEncrypted, { passphrase: 'wrong' })],
  toPem: [() => api.toPem(esPublic).split('\n')[0], () => api.toPem(es).split('\n')[0], () => api.toPem(es, { format: 'sec1' }).split('\n')[0]],
  toDer: [() => api.toDer(esPublic).kind, () => api.toDer(es).kind],
  fromX509: [
    () => Object.keys(api.fromX509(chain)).sort().join(','),
    () => Object.keys(api.fromX509(chain, { trustAnchors: root })).sort().join(','),
    () => Object.keys(api.fromX509(chain, { trustAnchors: otherRoot })).sort().join(','),
  ],
  readKey: [() => api.readKey(pem).format, () => api.readKey(pemEncrypted)],
  jwkFromKeyDer: [() => api.jwkFromKeyDer(api.toDer(es).der).kty],
  // tokens
  signJws: [async () => headerOf(await api.signJws('x', es, { alg: 'ES256' }) as string), async () => headerOf(await api.signJws('x', es, { alg: 'ES256', kid: 'k' }) as string)],
  verifyJws: [
    async () => (await api.verifyJws(critical, esPublic)).protectedHeader,
    async () => (await api.verifyJws(critical, esPublic, { crit: ['x-unknown'] })).protectedHeader,
    async () => (await api.verifyJws(valid, esPublic)).protectedHeader,
  ],
  insecureEmbeddedJwkResolver: [async () => (await api.verifyJwt(valid, api.insecureEmbeddedJwkResolver({ algorithms: ['ES256'] }))).claims.sub],
  signJwt: [
    async () => `${headerOf(await api.signJwt({ sub: 'a' }, es))} ${payloadOf(await api.signJwt({ sub: 'a' }, es))}`,
    async () => payloadOf(await api.signJwt({ sub: 'a' }, es, { expiresIn: '5m' })),
    // fresh keys: every JWK rule and table runs again under the pollution
    async () => headerOf(await api.signJwt({ sub: 'a' }, fresh(es))),
    async () => headerOf(await api.signJwt({ sub: 'a' }, fresh(rs))),
    async () => headerOf(await api.signJwt({ sub: 'a' }, fresh(hs))),
  ],
  verifyJwt: [
    () => claimsOf(api.verifyJwt(valid, esPublic)),
    () => claimsOf(api.verifyJwt(expired, esPublic)),
    () => claimsOf(api.verifyJwt(critical, esPublic)),
    () => claimsOf(api.verifyJwt(valid, esPublic, { issuer: 'https://issuer.example', audience: 'rp' })),
    () => claimsOf(api.verifyJwt(hmacToken, hs)),
    () => claimsOf(api.verifyJwt(valid, api.createLocalJwks({ keys: [esPublic] }))),
    () => claimsOf(api.verifyJwt(esToken, fresh(esPublic))),
    () => claimsOf(api.verifyJwt(rsToken, api.toPublicJwk(fresh(rs)))),
    () => claimsOf(api.verifyJwt(hmacToken, fresh(hs))),
    () => claimsOf(api.verifyJwt(rsToken, api.createLocalJwks({ keys: [api.toPublicJwk(fresh(rs))] }))),
  ],
  decodeJwt: [() => Object.keys(api.decodeJwt(valid).payload).sort().join(',')],
  encryptJwe: [
    async () => headerOf(await api.encryptJwe('x', aes, { alg: 'A128KW', enc: 'A128GCM' }) as string),
    async () => headerOf(await api.encryptJwe('x', fresh(aes), { alg: 'A128KW', enc: 'A128GCM' }) as string),
    async () => JSON.parse(headerOf(await api.encryptJwe('x', api.toPublicJwk(fresh(ecdh)), { enc: 'A128GCM' }) as string)).alg,
    async () => JSON.stringify(((await api.encryptJwe('x', aes, { alg: 'A128KW', enc: 'A128GCM', serialization: 'general', recipients: [{ key: aes }] })) as { recipients: Array<{ header?: unknown }> }).recipients.map((r) => r.header ?? null)),
  ],
  decryptJwe: [
    async () => Buffer.from((await api.decryptJwe(jwe, aes)).plaintext).toString(),
    async () => Buffer.from((await api.decryptJwe(jweCrit, aes)).plaintext).toString(),
    async () => Buffer.from((await api.decryptJwe(jwe, fresh(aes))).plaintext).toString(),
    async () => Buffer.from((await api.decryptJwe(ecdhJwe, fresh(ecdh))).plaintext).toString(),
  ],
  // key sources
  createLocalJwks: [async () => (await api.verifyJwt(valid, api.createLocalJwks({ keys: [esPublic] }))).claims.sub],
  createRemoteJwks: [
    () => { api.createRemoteJwks('http://jwks.example/keys'); return 'created' },
    async () => (await api.verifyJwt(valid, api.createRemoteJwks(server.url('/redirect')))).claims.sub,
    async () => (await api.verifyJwt(valid, api.createRemoteJwks({ issuer: server.origin }))).claims.sub,
  ],
  fetchJwks: [
    async () => (await api.fetchJwks('http://jwks.example/keys')).keys.length,
    async () => (await api.fetchJwks(server.url('/redirect'))).keys.length,
    async () => (await api.fetchJwks(server.url('/jwks'))).keys.length,
  ],
  discoveryUrls: [() => api.discoveryUrls('http://issuer.example').map(String)],
  createCacheApiCache: [
    () => { api.createCacheApiCache(); return 'created' }, // Node 20 has no global caches: refused
    async () => {
      const stored = new Map<string, Response>()
      const caches = { open: async () => ({ match: async (k: string) => stored.get(k)?.clone(), put: async (k: string, r: Response) => { stored.set(k, r) } }) }
      const cache = api.createCacheApiCache({ caches })
      await cache.set({ jwks: { keys: [esPublic] }, fetchedAt: 1_000, freshUntil: 2_000 })
      return (await cache.get())?.jwks.keys.length
    },
  ],
  discover: [async () => (await api.discover(server.origin, { timeoutMs: 2000, maxResponseBytes: 65536, cacheMaxAgeMs: 1000, minTtlMs: 1000, maxTtlMs: 10000, now: Date.now })).jwksUri.href],
  // issuer side
  openKeyStore: [async () => { const s = await api.openKeyStore(`sqlite:${join(dir, `k${Math.random()}.db`)}`, { env: {} }); await s.close(); return 'opened' }],
  createKeyManager: [async () => { const m = api.createKeyManager(await api.openKeyStore('memory:'), { algorithms: ['ES256'] }); await m.init(); const n = m.publicJwks().keys.length; await m.close(); return n }],
  defaultPolicy: [() => api.defaultPolicy(), () => api.defaultPolicy({ algorithms: ['ES256'] })],
  validatePolicy: [() => api.validatePolicy(api.defaultPolicy())],
  planRotation: [() => api.planRotation([], 0, api.defaultPolicy()).map((a) => a.type)],
  isReady: [
    () => manager.keys().map((k) => api.isReady(k, Date.now(), manager.policy)),
    // A policy object without prepublish (a caller's partial one): never read from the prototype.
    () => { const { prepublish: _, ...partial } = manager.policy; return manager.keys().map((k) => api.isReady(k, Date.now(), partial as never)) },
  ],
  createJwksServer: [
    async () => {
      const s = api.createJwksServer(manager)
      const base = await listen(s)
      try {
        return [await get(`${base}/.well-known/jwks.json`), await get(`${base}/admin/keys`, { authorization: 'Bearer polluted' }), await get(`${base}/.well-known/openid-configuration`)].join(',')
      } finally {
        await close(s)
      }
    },
  ],
  createLogger: [() => { const lines: string[] = []; const l = api.createLogger({ write: (s: string) => lines.push(s) }); l.debug('d'); l.info('i'); return lines.length }],
  startScheduler: [async () => { const s = api.startScheduler(manager, { intervalMs: 60_000 }); await s.stop(); return 'started' }],
  resolveServeConfig: [() => api.resolveServeConfig({}, {}), () => api.resolveServeConfig({ port: '8080' }, {})],
  startKeyServer: [
    async () => {
      const config = { store: 'memory:', host: '127.0.0.1', port: 0, issuer: undefined, algorithms: ['ES256'], rotateEveryMs: undefined, tickIntervalMs: undefined, adminToken: undefined, logLevel: 'error' as const, maxTokenTtlMs: undefined, jwksMaxAgeMs: undefined, prepublishMs: undefined }
      const handle = await api.startKeyServer(config, { logger: api.silentLogger, env: {} })
      try {
        const base = `http://127.0.0.1:${handle.port}`
        return [handle.issuer.startsWith('http://localhost:'), await get(`${base}/.well-known/jwks.json`), await get(`${base}/admin/keys`, { authorization: 'Bearer polluted' })].join(',')
      } finally {
        await handle.close(0)
      }
    },
  ],
  // key files (the CLI work)
  readSshPrivateKey: [
    async () => { const r = await api.readSshPrivateKey(sshPlain); return `${r.jwk.kty} ${r.jwk.crv} ${r.comment}` },
    async () => (await api.readSshPrivateKey(sshLocked)).comment,
    async () => (await api.readSshPrivateKey(sshLocked, { passphrase: 'correct horse' })).comment,
    async () => (await api.readSshPrivateKey(sshLocked, { passphrase: 'wrong' })).comment,
  ],
  encryptJwk: [
    async () => headerWithoutSalt(await api.encryptJwk(es, 'pw', { p2c: 1000 })),
    async () => headerWithoutSalt(await api.encryptJwk(es, 'pw', { p2c: 1000, alg: 'PBES2-HS512+A256KW', enc: 'A128GCM', kid: 'k' })),
  ],
  decryptJwk: [
    async () => (await api.decryptJwk(keyFile, 'correct horse')).kid,
    async () => (await api.decryptJwk(keyFile, 'wrong')).kid,
    async () => (await api.decryptJwk(keyFileHeavy, 'correct horse', { maxP2c: 2000 })).kid,
  ],
  importKey: [() => imported(es), () => imported(esNoAlg), () => imported(esNoAlg, { alg: 'ES256', now: 1_700_000_000_000 }), () => imported(es, { alg: 'ES384' })],
}

/** Every JWK member name (RFC 7517 §4, the key members of every kty): a key without `key_ops`, `crv`, `d`, ... must not pick them up. */
const jwkMembers = [...new Set([...PUBLIC_METADATA_MEMBERS, ...Object.values(PUBLIC_KEY_MEMBERS).flat(), ...Object.values(PRIVATE_KEY_MEMBERS).flat()])]
/**
 * What node:crypto's sign and verify read from the key argument through its prototype chain
 * (backend/node.ts gives each as an own member). Other node:crypto option names (`publicExponent`,
 * ...) are read the same way by other calls and are not covered: README, limits.
 */
const signingOptions = ['padding', 'saltLength', 'dsaEncoding']
/** What node:crypto's AES-GCM cipher reads from its options through the prototype chain (backend/node.ts gives them no prototype). */
const cipherOptions = ['encoding']

/**
 * Beside their options, the verifiers read members of untrusted headers and claims by name: a
 * token without `kid`, `crit`, `b64`, `typ`, `iss`, `exp`, ... must not pick them up from the
 * prototype either. (A remote set verifies through the same code as a local one.)
 */
const UNTRUSTED_MEMBERS: Record<string, readonly string[]> = {
  verifyJws: jwsHeader,
  verifyJwt: [...jwsHeader, ...claims, ...jwkMembers, ...signingOptions],
  signJwt: [...jwkMembers, ...signingOptions],
  createLocalJwks: [...jwsHeader, ...claims],
  insecureEmbeddedJwkResolver: [...jwsHeader, ...claims],
  decryptJwe: [...jweHeader, ...jwkMembers, ...cipherOptions],
  encryptJwe: [...jwkMembers, ...cipherOptions],
  decryptJwk: jweHeader,
}

test('every public function with options (per its declaration) has a pollution scenario', () => {
  const missing = [...declared].filter(([, params]) => params.some((p) => OPTION_PARAMS.has(p.param))).map(([name]) => name).filter((name) => SCENARIOS[name] === undefined && !GUARD_FUNCTIONS.includes(name))
  assert.deepEqual(missing, [])
})

pollutionTests(SCENARIOS, UNTRUSTED_MEMBERS)

after(async () => {
  await manager.close()
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})
