/**
 * jwkit `verifyJwt` against the node:crypto floor, and against fast-jwt, per algorithm: the figures
 * behind the issue 12 targets (speed ≥ 0.8× the floor for HS256, ≥ 0.95× for RS256, ES256 and
 * EdDSA; ≥ 1.1× fast-jwt with a known key), with less cross-talk than bench/jwt.ts, whose rounds
 * also run jose, the key sets and jsonwebtoken (their garbage and cache traffic land in whichever
 * task runs next). Two tasks at a time, in ABBA rounds: other, jwkit, jwkit, other (CPU time,
 * bench/lib.ts cpuRounds with two tasks and an even round count gives that order); a speed is the
 * median of the per-round ratios, the overhead the median of the per-round differences from the
 * floor. The known key is a JWK object (imported once, cached), as in bench/jwt.ts; the floor and
 * fast-jwt (PEM key, cache off, the same issuer/audience checks) are bench/jwt.ts's.
 * Run: node --import tsx bench/jwt-floor.ts   (or npm run bench jwt-floor; JWKIT_BENCH_ROUNDS, default 40)
 */
import { signJwt } from '../src/jwt/sign.ts'
import { verifyJwt } from '../src/jwt/verify.ts'
import { ALGS, CLAIMS, fastJwtFor, floorFor, newKey, optionsFor } from './jwt.ts'
import { cpuRounds, invokedDirectly, median } from './lib.ts'

/** Rounds (JWKIT_BENCH_ROUNDS, default 40). */
const ROUNDS = Number(process.env.JWKIT_BENCH_ROUNDS ?? 40)
/** CPU per task per round: longer than bench/jwt.ts's 25 ms, so that one neighbour's burst moves a round less. */
const ROUND_MS = 60

/** Median and interquartile range of the per-round ratios other / jwkit, and the median difference. */
function compare(other: number[], jwkit: number[]): { speed: string; iqr: string; overhead: string } {
  const speeds = other.map((x, i) => x / jwkit[i]!).sort((x, y) => x - y)
  const at = (q: number) => speeds[Math.floor(q * speeds.length)]!.toFixed(3)
  return { speed: median(speeds).toFixed(3), iqr: `${at(0.25)}–${at(0.75)}`, overhead: median(jwkit.map((x, i) => x - other[i]!)).toFixed(2) }
}

export async function run(): Promise<void> {
  const out: Array<Record<string, string>> = []
  for (const alg of ALGS) {
    const { priv, pub, verifyKey: key } = newKey(alg)
    const token = await signJwt(CLAIMS, priv, { alg, kid: 'k7', expiresIn: '1h' })
    const options = optionsFor(alg)
    const floor = floorFor(alg, key)
    const fast = fastJwtFor(alg, key)
    floor(token)
    fast(token)
    await verifyJwt(token, pub, options)
    const jwkit = (): unknown => verifyJwt(token, pub, options) // cpuRounds awaits the promise
    const vsFloor = await cpuRounds([['floor', () => { floor(token) }], ['jwkit', jwkit]], ROUNDS, ROUND_MS)
    const vsFast = await cpuRounds([['fast-jwt', () => { fast(token) }], ['jwkit', jwkit]], ROUNDS, ROUND_MS)
    const f = compare(vsFloor.get('floor')!, vsFloor.get('jwkit')!)
    const j = compare(vsFast.get('fast-jwt')!, vsFast.get('jwkit')!)
    out.push({
      alg,
      'floor µs': median(vsFloor.get('floor')!).toFixed(2),
      'jwkit µs': median(vsFloor.get('jwkit')!).toFixed(2),
      'speed vs floor': f.speed,
      'IQR vs floor': f.iqr,
      'overhead µs': f.overhead,
      'fast-jwt µs': median(vsFast.get('fast-jwt')!).toFixed(2),
      'speed vs fast-jwt': j.speed,
      'IQR vs fast-jwt': j.iqr,
    })
  }
  console.log(`verifyJwt (known JWK) against the node:crypto floor and fast-jwt: CPU time, ${ROUNDS} ABBA rounds per pair, medians of per-round ratios and differences`)
  console.table(out)
}

if (invokedDirectly(import.meta.url)) await run()
