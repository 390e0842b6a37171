/**
 * jwkit `verifyJwt` against the node:crypto floor only, per algorithm: the figure behind the
 * issue 12 targets (speed ≥ 0.8× the floor for HS256, ≥ 0.95× for RS256, ES256 and EdDSA), with
 * less cross-talk than bench/jwt.ts, whose rounds also run jose, fast-jwt and jsonwebtoken (their
 * garbage and cache traffic land in whichever task runs next). Two tasks only, in ABBA rounds:
 * floor, jwkit, jwkit, floor (CPU time, bench/lib.ts cpuRounds with two tasks and an even round
 * count gives that order); the speed is the median of the per-round ratios, the overhead the median of
 * the per-round differences. The known key is a JWK object (imported once, cached), as in
 * bench/jwt.ts, and the floor is bench/jwt.ts's (with the KeyObject node:crypto generated).
 * Run: node --import tsx bench/jwt-floor.ts   (or npm run bench jwt-floor; JWKIT_BENCH_ROUNDS, default 40)
 */
import { signJwt } from '../src/jwt/sign.ts'
import { verifyJwt } from '../src/jwt/verify.ts'
import { ALGS, floorFor, newKey } from './jwt.ts'
import { cpuRounds, invokedDirectly, median } from './lib.ts'

/** Rounds (JWKIT_BENCH_ROUNDS, default 40). */
const ROUNDS = Number(process.env.JWKIT_BENCH_ROUNDS ?? 40)
/** CPU per task per round: longer than bench/jwt.ts's 25 ms, so that one neighbour's burst moves a round less. */
const ROUND_MS = 60

export async function run(): Promise<void> {
  const out: Array<Record<string, string>> = []
  for (const alg of ALGS) {
    const { priv, pub, verifyKey: key } = newKey(alg)
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
