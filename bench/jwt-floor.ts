/**
 * jwkit `verifyJwt` against the node:crypto floor only, per algorithm: the figure behind the
 * issue 12 targets (speed ≥ 0.8× the floor for HS256, ≥ 0.95× for RS256, ES256 and EdDSA), with
 * less cross-talk than bench/jwt.ts, whose rounds also run jose, fast-jwt and jsonwebtoken (their
 * garbage and cache traffic land in whichever task runs next). Two tasks only, in ABBA rounds:
 * floor, jwkit, jwkit, floor (CPU time, bench/lib.ts cpuRounds with two tasks and an even round
 * count gives that order); the speed is the median of the per-round ratios, the overhead the median of
 * the per-round differences. The known key is a JWK object (imported once, cached), as in
 * bench/jwt.ts; the floor uses the KeyObject node:crypto generated.
 * Run: node --import tsx bench/jwt-floor.ts   (or npm run bench jwt-floor; JWKIT_BENCH_ROUNDS, default 40)
 */
import { createHmac, createSecretKey, generateKeyPairSync, randomBytes, timingSafeEqual, constants, verify as nodeVerify, type KeyObject } from 'node:crypto'
import { exportJwk } from '../src/crypto/export.ts'
import { toPublicJwk } from '../src/jwk/public.ts'
import type { Jwk } from '../src/jwk/types.ts'
import { signJwt } from '../src/jwt/sign.ts'
import { verifyJwt } from '../src/jwt/verify.ts'
import { cpuRounds, invokedDirectly, median } from './lib.ts'

const ALGS = ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'] as const
type Alg = (typeof ALGS)[number]
const ROUNDS = Number(process.env.JWKIT_BENCH_ROUNDS ?? 40)
/** CPU per task per round: longer than bench/jwt.ts's 25 ms, so that one neighbour's burst moves a round less. */
const ROUND_MS = 60

function keysFor(alg: Alg): { priv: Jwk; pub: Jwk; key: KeyObject } {
  if (alg === 'HS256') {
    const k: Jwk = { kty: 'oct', k: randomBytes(32).toString('base64url') }
    return { priv: k, pub: k, key: createSecretKey(Buffer.from(k.k as string, 'base64url')) }
  }
  const pair = alg === 'EdDSA' ? generateKeyPairSync('ed25519')
    : alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 })
  const priv = exportJwk(pair.privateKey)
  return { priv, pub: toPublicJwk(priv), key: pair.publicKey }
}

/** The same floor as bench/jwt.ts: decode and parse header and payload, check the signature. */
function floorFor(alg: Alg, key: KeyObject): (token: string) => unknown {
  const check = (input: Buffer, sig: Buffer): boolean => {
    switch (alg) {
      case 'HS256': { const mac = createHmac('sha256', key).update(input).digest(); return mac.length === sig.length && timingSafeEqual(mac, sig) }
      case 'RS256': return nodeVerify('sha256', input, key, sig)
      case 'PS256': return nodeVerify('sha256', input, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, sig)
      case 'ES256': return nodeVerify('sha256', input, { key, dsaEncoding: 'ieee-p1363' }, sig)
      case 'EdDSA': return nodeVerify(null, input, key, sig)
    }
  }
  return (token) => {
    const a = token.indexOf('.')
    const b = token.indexOf('.', a + 1)
    JSON.parse(Buffer.from(token.slice(0, a), 'base64url').toString())
    const claims = JSON.parse(Buffer.from(token.slice(a + 1, b), 'base64url').toString())
    if (!check(Buffer.from(token.slice(0, b)), Buffer.from(token.slice(b + 1), 'base64url'))) throw new Error('bad')
    return claims
  }
}

export async function run(): Promise<void> {
  const out: Array<Record<string, string>> = []
  for (const alg of ALGS) {
    const { priv, pub, key } = keysFor(alg)
    const token = await signJwt({ sub: 'bench', iss: 'https://issuer.example', aud: 'api' }, priv, { alg, kid: 'k7', expiresIn: '1h' })
    const options = { algorithms: [alg], issuer: 'https://issuer.example', audience: 'api' }
    const floor = floorFor(alg, key)
    floor(token)
    await verifyJwt(token, pub, options)
    const perRound = await cpuRounds([
      ['floor', () => { floor(token) }],
      ['jwkit', async () => { await verifyJwt(token, pub, options) }],
    ], ROUNDS, ROUND_MS)
    const f = perRound.get('floor')!
    const j = perRound.get('jwkit')!
    const speeds = f.map((x, i) => x / j[i]!).sort((x, y) => x - y)
    out.push({
      alg,
      'floor µs': median(f).toFixed(2),
      'jwkit µs': median(j).toFixed(2),
      'speed vs floor': median(speeds).toFixed(3),
      'speed IQR': `${speeds[Math.floor(speeds.length / 4)]!.toFixed(3)}–${speeds[Math.floor((3 * speeds.length) / 4)]!.toFixed(3)}`,
      'overhead µs': median(j.map((x, i) => x - f[i]!)).toFixed(2),
    })
  }
  console.log(`verifyJwt (known JWK) against the node:crypto floor: CPU time, ${ROUNDS} ABBA rounds, medians of per-round ratios and differences`)
  console.table(out)
}

if (invokedDirectly(import.meta.url)) await run()
