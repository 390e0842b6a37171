// The package's entries and their exact export lists: `jwkit` (portable: keys, formats, tokens,
// key sources), `jwkit/store` and `jwkit/server` (Node only). A name added to or dropped from an
// entry fails here until this list — and CHANGELOG.md — say so. Values are read at run time,
// types through the TypeScript checker (types vanish at run time).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import * as jwkit from '../src/index.ts'
import * as store from '../src/store/index.ts'
import * as server from '../src/server/index.ts'
import * as express from '../src/guard/express.ts'
import * as fastify from '../src/guard/fastify.ts'
import * as hono from '../src/guard/hono.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

// The documented API (README; the design's public API): functions and the error class.
const VALUES = {
  'src/index.ts': [
    'JwkitError', 'isJwkitError',
    // keys
    'parseJwk', 'checkJwk', 'parseJwkSet', 'toPublicJwk', 'toPublicJwkSet', 'thumbprint', 'thumbprintUri', 'selectKeys',
    'keyFitsAlgorithm', 'signatureAlgorithmsForKey', 'jwsAlgorithm', 'jweAlgorithm',
    'generateJwk', 'importJwk', 'importKeyHandle', 'exportJwk', 'jwkToCryptoKey',
    // formats
    'fromPem', 'toPem', 'toDer', 'fromX509', 'describeX509', 'fromSsh', 'toSsh', 'sshFingerprint', 'fromCose', 'toCose', 'readKey',
    'readSshPrivateKey',
    // tokens
    'signJws', 'verifyJws', 'insecureEmbeddedJwkResolver', 'signJwt', 'verifyJwt', 'decodeJwt', 'encryptJwe', 'decryptJwe',
    'encryptJwk', 'decryptJwk',
    // key sources
    'createLocalJwks', 'createRemoteJwks', 'createMemoryCache', 'createCacheApiCache', 'discover', 'createRedisJwksCache',
    // relying-party guards
    'verifyAccessToken', 'verifyDpopProof', 'createDpopProof', 'createDpopNonces', 'createMemoryReplayCache', 'createRedisReplayCache',
    'verifyIdToken', 'GuardError', 'isGuardError', 'withAccessToken',
  ],
  'src/guard/express.ts': ['bearer', 'verifyAccessToken'],
  'src/guard/fastify.ts': ['bearer', 'verifyAccessToken'],
  'src/guard/hono.ts': ['bearer', 'verifyAccessToken'],
  'src/store/index.ts': ['openKeyStore', 'createKeyManager', 'planRotation', 'defaultPolicy', 'rewrapKeys', 'createFileCache', 'importKey'],
  'src/server/index.ts': ['createJwksServer', 'startKeyServer'],
} as const

// The types a user needs to name what those functions take and return.
const TYPES = {
  'src/index.ts': [
    'ErrorCode', 'Problem', 'JwkitErrorOptions',
    'ParseJwkOptions', 'CheckJwkResult', 'ParseJwkSetOptions', 'ParseJwkSetResult', 'KeySelection',
    'JwsAlgorithmInfo', 'JweAlgorithmInfo', 'JwsFamily', 'JweFamily',
    'Jwk', 'JwkCommon', 'JwkSet', 'RsaJwk', 'EcJwk', 'OkpJwk', 'OctJwk', 'AkpJwk', 'KeyType', 'KeyUse', 'KeyOperation',
    'EcCurve', 'OkpCurve', 'AkpAlgorithm', 'HashName', 'KeySpec',
    'GenerateJwkOptions', 'ImportJwkOptions', 'JwkToCryptoKeyOptions', 'KeyHandle', 'KeyLike', 'CryptoKeyLike', 'CryptoKeyUsage', 'MlDsaKey',
    'FromPemOptions', 'ToPemOptions', 'PemFormat', 'ToDerResult', 'FromX509Options', 'X509Description', 'CertificateInput',
    'ReadKeyOptions', 'ReadKeyResult', 'KeyFormat', 'ReadSshPrivateKeyOptions', 'ReadSshPrivateKeyResult',
    'SignJwsOptions', 'JwsSigner', 'VerifyJwsOptions', 'VerifyJwsResult', 'FlattenedJws', 'GeneralJws', 'JwsHeader',
    'KeySource', 'KeySelectionHeader', 'ResolvedKey',
    'SignJwtOptions', 'VerifyJwtOptions', 'VerifyJwtResult', 'JwtClaims', 'JwtClaimOptions', 'DecodedJwt',
    'EncryptJweOptions', 'JweRecipient', 'DecryptJweOptions', 'DecryptJweResult', 'FlattenedJwe', 'GeneralJwe', 'JweRecipientJson', 'JweHeader',
    'EncryptJwkOptions', 'DecryptJwkOptions',
    'LocalJwks', 'RemoteKeySource', 'RemoteJwksOptions', 'RemoteJwksStats', 'RemoteJwksFetchEvent', 'RemoteJwksErrorEvent', 'FetchReason',
    'JwksCache', 'JwksCacheEntry', 'CacheApiCacheOptions', 'DiscoveryResult', 'RedisJwksCacheOptions', 'RedisClientLike',
    'VerifyAccessTokenOptions', 'AccessTokenResult', 'ScopePolicy', 'RequestLike', 'DpopOptions', 'VerifyDpopProofOptions', 'VerifiedDpopProof',
    'CreateDpopProofOptions', 'DpopNonces', 'DpopNonceOptions', 'ReplayCache', 'MemoryReplayCacheOptions', 'RedisReplayCacheOptions',
    'VerifyIdTokenOptions', 'OAuthErrorCode', 'AuthorizedFetchHandler',
  ],
  'src/guard/express.ts': ['ExpressRequestLike', 'ExpressResponseLike'],
  'src/guard/fastify.ts': ['FastifyRequestLike', 'FastifyReplyLike', 'FastifyInstanceLike'],
  'src/guard/hono.ts': ['HonoContextLike'],
  'src/store/index.ts': [
    'OpenKeyStoreOptions', 'KeyManagerOptions', 'RotationAction', 'KeyManager', 'KeyManagerStatus', 'KeyRecord', 'KeyState',
    'KeyStore', 'KeyStoreTransaction', 'RotationPolicy', 'SignJwtWithManagerOptions', 'StoreLogger',
    'ImportKeyOptions',
  ],
  'src/server/index.ts': [
    'CreateJwksServerOptions', 'StartKeyServerOptions', 'KeyServerHandle', 'ServeConfig', 'Logger', 'LogLevel', 'Scheduler', 'ServerMetrics',
  ],
} as const

const sorted = (names: Iterable<string>) => [...names].sort()

test('every package.json exports entry (but ./package.json) is pinned here, and nothing else', () => {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { exports: Record<string, Record<string, string>> }
  const sources = Object.entries(manifest.exports).filter(([subpath]) => subpath !== './package.json').map(([subpath, conditions]) => {
    const target = conditions.import ?? conditions.default
    assert.ok(target, `${subpath}: an import condition`)
    return target.replace(/^\.\/dist\/(src\/.*)\.js$/, '$1.ts')
  })
  assert.deepEqual(sorted(sources), sorted(Object.keys(VALUES)))
  assert.deepEqual(sorted(Object.keys(TYPES)), sorted(Object.keys(VALUES)))
})

test('each entry exports exactly its documented values', () => {
  const modules = {
    'src/index.ts': jwkit, 'src/store/index.ts': store, 'src/server/index.ts': server,
    'src/guard/express.ts': express, 'src/guard/fastify.ts': fastify, 'src/guard/hono.ts': hono,
  }
  for (const [entry, names] of Object.entries(VALUES)) {
    const mod = modules[entry as keyof typeof modules] as Record<string, unknown>
    assert.deepEqual(sorted(Object.keys(mod)), sorted(names), entry)
    for (const name of names) assert.equal(typeof mod[name], 'function', `${entry}: ${name}`)
  }
})

test('each entry exports exactly its documented types (TypeScript checker)', () => {
  const entries = Object.keys(TYPES)
  const program = ts.createProgram(entries.map((e) => `${root}${e}`), {
    module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2022,
    allowImportingTsExtensions: true, noEmit: true, strict: true, skipLibCheck: true, types: ['node'],
  })
  const checker = program.getTypeChecker()
  for (const entry of entries) {
    const file = program.getSourceFile(`${root}${entry}`)
    assert.ok(file, entry)
    const exported = checker.getExportsOfModule(checker.getSymbolAtLocation(file)!)
    const types = exported.filter((s) => {
      const target = s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s
      return (target.flags & ts.SymbolFlags.Value) === 0
    })
    assert.deepEqual(sorted(types.map((s) => s.name)), sorted(TYPES[entry as keyof typeof TYPES]), entry)
    // Values and types together are everything the entry exports.
    assert.equal(exported.length, types.length + VALUES[entry as keyof typeof VALUES].length, entry)
  }
})

test('the entries do not overlap (the framework adapters re-export only verifyAccessToken), and the portable entry holds no store or server name', () => {
  const adapter = (entry: string) => entry.startsWith('src/guard/')
  for (const [entry, names] of Object.entries(VALUES)) if (adapter(entry)) assert.deepEqual(names.filter((n) => n !== 'bearer'), ['verifyAccessToken'], entry)
  const all = Object.entries(VALUES).filter(([e]) => !adapter(e)).flatMap(([, names]) => names)
  assert.equal(new Set(all).size, all.length)
  const allTypes = Object.values(TYPES).flat()
  assert.equal(new Set(allTypes).size, allTypes.length)
  for (const name of ['openKeyStore', 'createKeyManager', 'createJwksServer', 'createFileCache']) assert.equal(name in jwkit, false, name)
})

test('importing the package loads no database driver (they are optional peers, loaded by scheme)', () => {
  const script = `
    Promise.all([import('./src/index.ts'), import('./src/store/index.ts'), import('./src/server/index.ts')]).then(async () => {
      const { createRequire } = await import('node:module')
      const require = createRequire(import.meta.url)
      const loaded = Object.keys(require.cache).filter((p) => /node_modules[\\\\/](better-sqlite3|pg)[\\\\/]/.test(p))
      process.stdout.write(JSON.stringify(loaded))
    })`
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000, killSignal: 'SIGKILL' })
  assert.equal(r.status, 0, r.stderr)
  assert.deepEqual(JSON.parse(r.stdout), [])
})
