/**
 * JWT verification bench: jwkit `verifyJwt` with a known key (JWK object, imported once and
 * cached; and the floor's own KeyObject) and through `createLocalJwks` over 10 keys, per algorithm (HS256, RS256, PS256, ES256,
 * EdDSA), against `jose.jwtVerify`, `fast-jwt` (createVerifier with a PEM key, cache off; and
 * through a JWK Set the way get-jwks does it: JWK → PEM per call), `jsonwebtoken.verify`, and
 * the node:crypto floor (the same signature check + base64url decode + JSON.parse of header and
 * payload). Every contender makes the same claim checks: exp and nbf, issuer and audience
 * (fast-jwt allowedIss/allowedAud, jsonwebtoken issuer/audience). An asynchronous contender's task
 * returns its promise, which cpuRounds awaits: one await per call, what a caller pays. CPU time
 * per call in interleaved rounds (bench/lib.ts cpuRounds), median over the rounds; speed ratios
 * (floor time / x time, jose time / x time, fast-jwt time / x time) are medians of the per-round
 * ratios.
 * Run: node --import tsx bench/jwt.ts   (or npm run bench jwt)
 */
import { createHmac, createPublicKey, createSecretKey, generateKeyPairSync, randomBytes, timingSafeEqual, constants, verify as nodeVerify, type KeyObject } from 'node:crypto'
import * as jose from 'jose'
import { createVerifier } from 'fast-jwt'
import jsonwebtoken from 'jsonwebtoken'
import { exportJwk } from '../src/crypto/export.ts'
import { toPublicJwk } from '../src/jwk/public.ts'
import type { Jwk } from '../src/jwk/types.ts'
import { signJwt } from '../src/jwt/sign.ts'
import { verifyJwt } from '../src/jwt/verify.ts'
import { createLocalJwks } from '../src/jwks/local.ts'
import { cpuRounds, invokedDirectly, median } from './lib.ts'

export const ALGS = ['HS256', 'RS256', 'PS256', 'ES256', 'EdDSA'] as const
export type Alg = (typeof ALGS)[number]

/** A fresh key for `alg`: its private and public JWK, and the KeyObject the floor verifies with. */
export function newKey(alg: Alg): { priv: Jwk; pub: Jwk; verifyKey: KeyObject } {
  if (alg === 'HS256') {
    const k: Jwk = { kty: 'oct', k: randomBytes(32).toString('base64url') }
    return { priv: k, pub: k, verifyKey: createSecretKey(Buffer.from(k.k as string, 'base64url')) }
  }
  const pair = alg === 'EdDSA' ? generateKeyPairSync('ed25519')
    : alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
    : generateKeyPairSync('rsa', { modulusLength: 2048 })
  const priv = exportJwk(pair.privateKey)
  return { priv, pub: toPublicJwk(priv), verifyKey: pair.publicKey }
}


/** The floor: what any verifier must do at least. */
export function floorFor(alg: Alg, key: KeyObject): (token: string) => unknown {
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

const pem = (k: KeyObject) => (k.type === 'secret' ? k.export() : (k.export({ type: 'spki', format: 'pem' }) as string))

/** The claims every bench token carries, and the verify options every contender is given. */
export const CLAIMS = { sub: 'bench', iss: 'https://issuer.example', aud: 'api' }
export const optionsFor = (alg: Alg) => ({ algorithms: [alg], issuer: CLAIMS.iss, audience: CLAIMS.aud })
/** fast-jwt's options for the same claim checks (exp and nbf are on by default). */
const FAST_CLAIM_CHECKS = { allowedIss: CLAIMS.iss, allowedAud: CLAIMS.aud }

/** fast-jwt with a known key: createVerifier with the PEM (or secret), cache off, the same claim checks. */
export function fastJwtFor(alg: Alg, key: KeyObject): (token: string) => unknown {
  return createVerifier({ key: pem(key) as string, algorithms: [alg], cache: false, ...FAST_CLAIM_CHECKS })
}

interface Row { alg: string; task: string; medianUs: number; passes: number[] } // passes: µs per call in each round

/** Interleaved rounds per algorithm (JWKIT_BENCH_ROUNDS, default 15), about 25 ms of CPU per task each (bench/lib.ts cpuRounds). */
const ROUNDS = Number(process.env.JWKIT_BENCH_ROUNDS ?? 15)

export async function run(): Promise<void> {
  const rows: Row[] = []
  for (const alg of ALGS) {
    const keys = Array.from({ length: 10 }, (_, i) => ({ ...newKey(alg), kid: `k${i}` }))
    const target = keys[7]!
    const token = await signJwt(CLAIMS, target.priv, { alg, kid: 'k7', expiresIn: '1h' })
    const set = createLocalJwks({ keys: keys.map((k) => ({ ...k.pub, kid: k.kid })) })
    const joseKey = await jose.importJWK(target.pub as jose.JWK, alg)
    const joseSet = alg === 'HS256' ? undefined! : jose.createLocalJWKSet({ keys: keys.map((k) => ({ ...k.pub, kid: k.kid, alg })) as jose.JWK[] })
    const fastKey = pem(target.verifyKey)
    const fast = fastJwtFor(alg, target.verifyKey)
    // get-jwks style: the key callback converts the JWK to PEM on every call.
    const fastSet = createVerifier({
      algorithms: [alg], cache: false, ...FAST_CLAIM_CHECKS,
      key: async (decoded: { header: { kid: string } }) => {
        const jwk = keys.find((k) => k.kid === decoded.header.kid)!.pub
        return alg === 'HS256' ? Buffer.from(jwk.k as string, 'base64url') : createPublicKey({ key: jwk as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' })
      },
    } as never) as unknown as (t: string) => Promise<unknown>
    const floor = floorFor(alg, target.verifyKey)
    const options = optionsFor(alg)
    // Sanity: every contender accepts the token.
    await verifyJwt(token, target.pub, options); await verifyJwt(token, target.verifyKey, options); await verifyJwt(token, set, options)
    await jose.jwtVerify(token, joseKey, options); fast(token); await fastSet(token)
    const jwtAlg = alg === 'EdDSA' ? undefined : alg // jsonwebtoken 9 has no EdDSA
    const jwtOptions = { algorithms: [jwtAlg!], issuer: options.issuer, audience: options.audience }
    if (jwtAlg) jsonwebtoken.verify(token, fastKey, jwtOptions)
    floor(token)
    // ... and every contender refuses a token for another audience (the claim checks are on).
    const other = await signJwt({ ...CLAIMS, aud: 'other' }, target.priv, { alg, kid: 'k7', expiresIn: '1h' })
    const refuses = async (f: () => unknown): Promise<boolean> => { try { await f() } catch { return true } return false }
    const checks = [refuses(() => verifyJwt(other, target.pub, options)), refuses(() => jose.jwtVerify(other, joseKey, options)),
      refuses(() => fast(other)), refuses(() => fastSet(other)), ...(jwtAlg ? [refuses(() => jsonwebtoken.verify(other, fastKey, jwtOptions))] : [])]
    if (!(await Promise.all(checks)).every(Boolean)) throw new Error(`${alg}: a contender accepted a token for another audience`)

    const tasks: Array<[string, () => unknown]> = [
      ['node:crypto floor', () => { floor(token) }],
      ['jwkit verifyJwt (known key)', () => verifyJwt(token, target.pub, options)],
      // The floor's own KeyObject: node:crypto verifies about 1% slower with an RSA key it imported
      // from a JWK than with one it generated (measured; PKCS #1 DER import is no faster).
      ['jwkit verifyJwt (KeyObject)', () => verifyJwt(token, target.verifyKey, options)],
      ['jwkit verifyJwt (local set of 10)', () => verifyJwt(token, set, options)],
      ['jose jwtVerify (key)', () => jose.jwtVerify(token, joseKey, options)],
      // jose's createLocalJWKSet takes no oct keys.
      ...(alg !== 'HS256' ? [['jose jwtVerify (local set of 10)', () => jose.jwtVerify(token, joseSet, options)] as [string, () => unknown]] : []),
      ['fast-jwt (key)', () => { fast(token) }],
      ['fast-jwt (set, JWK→PEM per call)', () => fastSet(token)],
      ...(jwtAlg ? [['jsonwebtoken (key)', () => { jsonwebtoken.verify(token, fastKey, jwtOptions) }] as [string, () => unknown]] : []),
    ]
    const perRound = await cpuRounds(tasks, ROUNDS)
    for (const [name] of tasks) rows.push({ alg, task: name, medianUs: median(perRound.get(name)!), passes: perRound.get(name)! })
  }
  const out: Array<Record<string, string>> = []
  for (const alg of ALGS) {
    const of = (task: string) => rows.find((r) => r.alg === alg && r.task === task)!
    // Per-pass ratio a/b, median over the passes.
    const ratio = (a: Row, b: Row) => median(a.passes.map((x, i) => x / b.passes[i]!))
    const floor = of('node:crypto floor')
    const jose = of('jose jwtVerify (key)')
    const known = of('jwkit verifyJwt (known key)')
    const fastKey = of('fast-jwt (key)')
    for (const r of rows.filter((x) => x.alg === alg)) {
      out.push({
        alg, task: r.task, 'median µs': r.medianUs.toFixed(2),
        'speed vs floor': ratio(floor, r).toFixed(2),
        'speed vs jose': ratio(jose, r).toFixed(2),
        'speed vs fast-jwt': ratio(fastKey, r).toFixed(2),
        'x known-key': r.task.startsWith('jwkit') ? ratio(r, known).toFixed(2) : '',
      })
    }
  }
  console.table(out)
}

if (invokedDirectly(import.meta.url)) await run()
