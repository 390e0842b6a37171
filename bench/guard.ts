/**
 * Guard bench (issue 14): the cost of `verifyAccessToken` over a bare `verifyJwt` of the same
 * ES256 RFC 9068 token with the same checks (Bearer target ≤ 1.1×), of a DPoP request — two
 * signature checks, the thumbprint, the memory replay cache — over the bare verify (target
 * ≤ 2.2×), the jwkit/express middleware, and what users would otherwise pick on the same tokens:
 * express-jwt + jwks-rsa (its JWKS fetched once from a loopback server, then cached) and
 * @fastify/jwt (`app.jwt.verify`, a PEM key). The node:crypto floor is one ES256 verify plus the
 * base64url/JSON decoding. Medians of the per-call latency.
 * Run: node --import tsx bench/guard.ts   (or npm run bench guard)
 */
import { createPublicKey, verify as nodeVerify, type KeyObject } from 'node:crypto'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Bench } from 'tinybench'
import { expressjwt } from 'express-jwt'
import jwksRsa from 'jwks-rsa'
import Fastify from 'fastify'
import fastifyJwt from '@fastify/jwt'
import { generateJwk } from '../src/crypto/generate.ts'
import { toPublicJwk } from '../src/jwk/public.ts'
import { thumbprint } from '../src/jwk/thumbprint.ts'
import { createLocalJwks } from '../src/jwks/local.ts'
import { signJwt } from '../src/jwt/sign.ts'
import { verifyJwt } from '../src/jwt/verify.ts'
import { verifyAccessToken, type VerifyAccessTokenOptions } from '../src/guard/access-token.ts'
import { createDpopProof } from '../src/guard/create-proof.ts'
import { createMemoryReplayCache, type ReplayCache } from '../src/guard/replay-cache.ts'
import { bearer } from '../src/guard/express.ts'
import { invokedDirectly, median, medianUs } from './lib.ts'

const ISSUER = 'https://as.example'
const AUDIENCE = 'https://api.example/'
const URL_ = 'https://api.example/things/1'
const PROOFS = 4000

function floorFor(key: KeyObject): (token: string) => unknown {
  return (token) => {
    const a = token.indexOf('.')
    const b = token.indexOf('.', a + 1)
    JSON.parse(Buffer.from(token.slice(0, a), 'base64url').toString())
    const claims = JSON.parse(Buffer.from(token.slice(a + 1, b), 'base64url').toString())
    if (!nodeVerify('sha256', Buffer.from(token.slice(0, b)), { key, dsaEncoding: 'ieee-p1363' }, Buffer.from(token.slice(b + 1), 'base64url'))) throw new Error('bad')
    return claims
  }
}

export async function run(): Promise<void> {
  const asKey = await generateJwk('ES256', { kid: 'as-1' })
  const pub = toPublicJwk(asKey)
  const keys = createLocalJwks({ keys: [pub] })
  const client = await generateJwk('ES256')
  const claims = { sub: 'user-1', client_id: 'client-1', scope: 'read write', jti: 'at-1' }
  const sign = (extra: object) => signJwt({ ...claims, ...extra }, asKey, { kid: 'as-1', typ: 'at+jwt', issuer: ISSUER, audience: AUDIENCE, expiresIn: 3600 })
  const token = await sign({})
  const bound = await sign({ cnf: { jkt: thumbprint(toPublicJwk(client)) } })

  // Each DPoP call needs a fresh proof (a replay is refused): a pool, and a fresh memory cache per lap.
  const proofs = await Promise.all(Array.from({ length: PROOFS }, () => createDpopProof(client, { htm: 'GET', htu: URL_, accessToken: bound })))
  let lap = createMemoryReplayCache()
  const replayCache: ReplayCache = { claim: (k, t) => lap.claim(k, t) }
  let next = 0
  const dpopRequest = () => {
    if (next === PROOFS) {
      next = 0
      lap = createMemoryReplayCache()
    }
    return { method: 'GET', url: URL_, headers: { authorization: `DPoP ${bound}`, dpop: proofs[next++]! } }
  }

  const jwtOptions = { issuer: ISSUER, audience: AUDIENCE, typ: 'at+jwt', requiredClaims: ['iss', 'exp', 'aud', 'sub', 'client_id', 'iat', 'jti'] }
  const guard: VerifyAccessTokenOptions = { keys, issuer: ISSUER, audience: AUDIENCE, profile: 'rfc9068' }
  const guardDpop: VerifyAccessTokenOptions = { ...guard, dpop: { replayCache } }
  const bearerRequest = { method: 'GET', url: URL_, headers: { authorization: `Bearer ${token}` } }
  const middleware = bearer(guard)
  const res = { statusCode: 200, setHeader: () => undefined, end: () => undefined }
  const viaMiddleware = () => new Promise<void>((resolve, reject) => middleware({ ...bearerRequest }, res, (e) => (e ? reject(e) : resolve())))

  // express-jwt + jwks-rsa, the set served once over loopback and cached by jwks-rsa.
  const jwksServer = createServer((_q, s) => s.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [pub] })))
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve))
  const jwksUri = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`
  const ej = expressjwt({ secret: jwksRsa.expressJwtSecret({ jwksUri, cache: true, rateLimit: false }) as never, algorithms: ['ES256'], issuer: ISSUER, audience: AUDIENCE })
  const viaExpressJwt = () => new Promise<void>((resolve, reject) => {
    void ej({ headers: { authorization: `Bearer ${token}` }, method: 'GET' } as never, {} as never, (e?: unknown) => (e ? reject(e) : resolve()))
  })

  // @fastify/jwt with the PEM of the same key (fast-jwt inside).
  const app = Fastify()
  const pem = createPublicKey({ key: pub as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' }) as string
  await app.register(fastifyJwt, { secret: { public: pem, private: 'unused' }, verify: { algorithms: ['ES256'], allowedIss: ISSUER, allowedAud: AUDIENCE } })
  await app.ready()
  const viaFastifyJwt = () => app.jwt.verify(token)

  const floor = floorFor(createPublicKey({ key: pub as never, format: 'jwk' }))
  // Sanity: every contender accepts its token.
  floor(token)
  await verifyJwt(token, keys, jwtOptions)
  await verifyAccessToken(bearerRequest, guard)
  await verifyAccessToken(dpopRequest(), guardDpop)
  await viaMiddleware()
  await viaExpressJwt()
  viaFastifyJwt()

  const tasks: Record<string, () => unknown> = {
    'node:crypto floor': () => { floor(token) },
    'jwkit verifyJwt (bare, same checks)': async () => { await verifyJwt(token, keys, jwtOptions) },
    'jwkit verifyAccessToken Bearer': async () => { await verifyAccessToken(bearerRequest, guard) },
    'jwkit/express bearer() middleware': viaMiddleware,
    'jwkit verifyAccessToken DPoP (memory cache)': async () => { await verifyAccessToken(dpopRequest(), guardDpop) },
    'express-jwt + jwks-rsa (cached)': viaExpressJwt,
    '@fastify/jwt app.jwt.verify (PEM)': () => { viaFastifyJwt() },
  }
  // Rounds of short runs, every task in each: the ratios are taken within a round and their
  // median reported, so a load that drifts during the run (a shared machine) cancels out.
  const ROUNDS = 7
  const perRound: Array<Record<string, number>> = []
  for (let r = 0; r < ROUNDS; r++) {
    const bench = new Bench({ time: 150, warmup: r === 0 })
    for (const [name, fn] of Object.entries(tasks)) bench.add(name, fn as () => void)
    await bench.run()
    perRound.push(Object.fromEntries(bench.tasks.map((t) => [t.name, medianUs(t)])))
  }
  // The same three on CPU time (process.cpuUsage over a batch, interleaved rounds): on a shared,
  // loaded machine wall-clock medians drift with the neighbours; CPU time much less.
  const cpuRounds: Array<Record<string, number>> = []
  const cpuTasks = ['jwkit verifyJwt (bare, same checks)', 'jwkit verifyAccessToken Bearer', 'jwkit verifyAccessToken DPoP (memory cache)'] as const
  for (let r = 0; r < ROUNDS; r++) {
    const round: Record<string, number> = {}
    for (const name of cpuTasks) {
      const fn = tasks[name]!
      const before = process.cpuUsage()
      for (let i = 0; i < 1000; i++) await fn()
      const d = process.cpuUsage(before)
      round[name] = (d.user + d.system) / 1000
    }
    cpuRounds.push(round)
  }
  jwksServer.close()
  await app.close()

  const bare = 'jwkit verifyJwt (bare, same checks)'
  const mid = (values: number[]) => median(values)
  console.table(Object.keys(tasks).map((name) => ({
    task: name,
    'median µs': mid(perRound.map((r) => r[name]!)).toFixed(2),
    'x bare verifyJwt (median of rounds)': mid(perRound.map((r) => r[name]! / r[bare]!)).toFixed(2),
  })))
  const bearerRatio = mid(perRound.map((r) => r['jwkit verifyAccessToken Bearer']! / r[bare]!))
  const dpopRatio = mid(perRound.map((r) => r['jwkit verifyAccessToken DPoP (memory cache)']! / r[bare]!))
  console.log(`Bearer guard / bare verifyJwt = ${bearerRatio.toFixed(3)} (target ≤ 1.1): ${bearerRatio <= 1.1 ? 'met' : 'MISSED'}`)
  console.log(`DPoP guard / bare verifyJwt = ${dpopRatio.toFixed(3)} (target ≤ 2.2): ${dpopRatio <= 2.2 ? 'met' : 'MISSED'}`)
  const cpu = (name: string) => mid(cpuRounds.map((r) => r[name]! / r[bare]!))
  console.log(`CPU time: bare verifyJwt ${mid(cpuRounds.map((r) => r[bare]!)).toFixed(2)} µs; Bearer guard ${cpu('jwkit verifyAccessToken Bearer').toFixed(3)}x, DPoP guard ${cpu('jwkit verifyAccessToken DPoP (memory cache)').toFixed(3)}x (median of ${ROUNDS} interleaved rounds of 1000 calls)`)
  console.log(`rounds: ${ROUNDS}; per-round DPoP ratios: ${perRound.map((r) => (r['jwkit verifyAccessToken DPoP (memory cache)']! / r[bare]!).toFixed(2)).join(' ')}`)
}

if (invokedDirectly(import.meta.url)) await run()
