/**
 * Remote JWK Set bench: verifyJwt (ES256) through a warm createRemoteJwks source vs through
 * createLocalJwks (target: ≤ 1.05×), with jose's local/remote sets and the node:crypto floor in
 * the same run; then 10 000 concurrent verifications at a cold start, counting upstream fetches
 * (must be 1); and a storm of 1 000 made-up kids, counting upstream fetches for jwkit, jose and
 * jwks-rsa. The JWK Set is served by a node:http server on 127.0.0.1.
 * Run: node --import tsx bench/remote.ts   (or npm run bench)
 */
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createPublicKey, verify as nodeVerify } from 'node:crypto'
import { Bench } from 'tinybench'
import { createLocalJWKSet, createRemoteJWKSet, jwtVerify } from 'jose'
import jwksRsa from 'jwks-rsa'
import { generateJwk } from '../src/crypto/generate.ts'
import { toPublicJwk } from '../src/jwk/public.ts'
import { signJwt } from '../src/jwt/sign.ts'
import { verifyJwt } from '../src/jwt/verify.ts'
import { createLocalJwks } from '../src/jwks/local.ts'
import { createRemoteJwks } from '../src/jwks/remote.ts'
import { invokedDirectly, median, medianUs } from './lib.ts'

const ROUNDS = 3

export async function run(): Promise<void> {
  const keys = [await generateJwk('ES256', { kid: 'a' }), await generateJwk('ES256', { kid: 'b' }), await generateJwk('ES256', { kid: 'c' })]
  const set = { keys: keys.map((k) => toPublicJwk(k)) }
  const token = await signJwt({ sub: 'bench', iss: 'https://issuer.example' }, keys[1]!, { kid: 'b' })
  let requests = 0
  let delayMs = 0
  const server = createServer((_req, res) => {
    requests++
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'max-age=3600' })
      res.end(JSON.stringify(set))
    }, delayMs)
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks`
  try {
    const local = createLocalJwks(set)
    const remote = createRemoteJwks(url)
    const joseLocal = createLocalJWKSet(set as never)
    const joseRemote = createRemoteJWKSet(new URL(url))
    await verifyJwt(token, remote) // warm
    await jwtVerify(token, joseRemote)
    const [h, p, s] = token.split('.') as [string, string, string]
    const input = Buffer.from(`${h}.${p}`)
    const sig = Buffer.from(s, 'base64url')
    const pub = createPublicKey({ key: set.keys[1] as never, format: 'jwk' })

    const names = ['node:crypto verify (floor)', 'jwkit verifyJwt + createLocalJwks', 'jwkit verifyJwt + createRemoteJwks (warm)', 'jose jwtVerify + createLocalJWKSet', 'jose jwtVerify + createRemoteJWKSet (warm)']
    const samples = new Map<string, number[]>(names.map((n) => [n, []]))
    for (let round = 0; round < ROUNDS; round++) {
      const bench = new Bench({ time: 400, warmup: true })
      bench.add(names[0]!, () => { nodeVerify('sha256', input, { key: pub, dsaEncoding: 'ieee-p1363' }, sig) })
      bench.add(names[1]!, async () => { await verifyJwt(token, local) })
      bench.add(names[2]!, async () => { await verifyJwt(token, remote) })
      bench.add(names[3]!, async () => { await jwtVerify(token, joseLocal) })
      bench.add(names[4]!, async () => { await jwtVerify(token, joseRemote) })
      await bench.run()
      for (const task of bench.tasks) {
        const us = medianUs(task)
        if (!Number.isNaN(us)) samples.get(task.name)!.push(us)
      }
    }
    const med = new Map(names.map((n) => [n, median(samples.get(n)!)]))
    const floor = med.get(names[0]!)!
    const jwkitLocal = med.get(names[1]!)!
    console.log(`\nremote JWK Set: verifyJwt ES256, median of ${ROUNDS} rounds of tinybench p50`)
    console.table(names.map((n) => ({ task: n, 'p50 µs': med.get(n)!.toFixed(2), '× floor': (med.get(n)! / floor).toFixed(2), '× jwkit local': (med.get(n)! / jwkitLocal).toFixed(3) })))
    const ratio = med.get(names[2]!)! / jwkitLocal
    console.log(`warm remote / local (jwkit): ${ratio.toFixed(3)}× (target ≤ 1.05×)`)

    // Cold start: 10 000 verifications at once on a new source; the server answers after 20 ms.
    delayMs = 20
    for (const [name, make, verifyOne] of [
      ['jwkit createRemoteJwks', () => createRemoteJwks(url), (src: unknown) => verifyJwt(token, src as ReturnType<typeof createRemoteJwks>)],
      ['jose createRemoteJWKSet', () => createRemoteJWKSet(new URL(url)), (src: unknown) => jwtVerify(token, src as ReturnType<typeof createRemoteJWKSet>)],
    ] as const) {
      const before = requests
      const source = make()
      const t0 = performance.now()
      const results = await Promise.allSettled(Array.from({ length: 10_000 }, () => verifyOne(source)))
      const ms = performance.now() - t0
      const ok = results.filter((r) => r.status === 'fulfilled').length
      console.log(`cold start, ${name}: 10000 concurrent verifications, ${ok} verified, ${requests - before} upstream fetch(es), ${ms.toFixed(0)} ms`)
    }

    // A storm of 1 000 tokens with made-up kids against a warm source (each one is refused).
    delayMs = 0
    const forged = await Promise.all(Array.from({ length: 1_000 }, (_, i) => signJwt({ sub: 'x' }, keys[0]!, { kid: `forged-${i}` })))
    const jwkitSource = createRemoteJwks(url)
    const joseSource = createRemoteJWKSet(new URL(url))
    const rsaClient = jwksRsa({ jwksUri: url, cache: true })
    await verifyJwt(token, jwkitSource)
    await jwtVerify(token, joseSource)
    await rsaClient.getSigningKey('b')
    for (const [name, attempt] of [
      ['jwkit createRemoteJwks', (t: string) => verifyJwt(t, jwkitSource)],
      ['jose createRemoteJWKSet', (t: string) => jwtVerify(t, joseSource)],
      ['jwks-rsa (cache: true, defaults)', (t: string) => rsaClient.getSigningKey(JSON.parse(Buffer.from(t.split('.')[0]!, 'base64url').toString()).kid)],
    ] as const) {
      const before = requests
      for (const t of forged) await attempt(t).catch(() => undefined)
      console.log(`made-up kid storm, ${name}: 1000 forged tokens one after another, ${requests - before} upstream fetch(es)`)
    }
  } finally {
    server.closeAllConnections()
    await new Promise<void>((r) => server.close(() => r()))
  }
}

if (invokedDirectly(import.meta.url)) await run()
