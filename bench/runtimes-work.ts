/**
 * What bench/runtimes.ts measures on each runtime (bundled with that runtime's conditions):
 * jwkit `verifyJwt` against `jose.jwtVerify` on the same runtime, known key, per algorithm.
 * Each library gets the key in the form it takes fastest: jwkit the public JWK (prepared once,
 * cached by object), jose a CryptoKey/KeyObject from `importJWK` done once. The two run in
 * alternating rounds and the ratio is the median of the per-round ratios (the machine is shared).
 */
import * as jose from 'jose'
import { BACKEND_NAME } from '#backend'
import { signJwt } from '../src/jwt/sign.ts'
import { verifyJwt } from '../src/jwt/verify.ts'
import { toPublicJwk } from '../src/jwk/public.ts'
import type { Jwk } from '../src/jwk/types.ts'
import keys from '../test/runtimes/portable/keys.json' with { type: 'json' }

const KEYS = keys as unknown as Record<string, Jwk>
const ALGS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const

const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

/** Mean µs per call over one round of about `ms`. */
async function round(run: () => Promise<unknown>, ms: number): Promise<number> {
  const now = () => performance.now()
  let n = 0
  const start = now()
  while (now() - start < ms) {
    for (let i = 0; i < 20; i++) await run()
    n += 20
  }
  return ((now() - start) * 1000) / n
}

/**
 * jwkit and jose in alternating rounds (jwkit first in even rounds, jose first in odd ones), so
 * a neighbour's load on the shared machine hits both alike; short rounds keep each pair close in
 * time. Returns the median of each one's round means, the median of the per-round ratios (jose
 * time / jwkit time) and their interquartile range.
 */
async function compare(jwkit: () => Promise<unknown>, jose: () => Promise<unknown>, ms = 40, rounds = 25): Promise<{ jwkitUs: number; joseUs: number; speed: number; spread: string }> {
  for (let i = 0; i < 200; i++) { await jwkit(); await jose() }
  const a: number[] = []
  const b: number[] = []
  for (let r = 0; r < rounds; r++) {
    if (r % 2 === 0) { a.push(await round(jwkit, ms)); b.push(await round(jose, ms)) }
    else { b.push(await round(jose, ms)); a.push(await round(jwkit, ms)) }
  }
  const ratios = a.map((x, i) => b[i]! / x).sort((x, y) => x - y)
  const q = (f: number) => ratios[Math.floor((ratios.length - 1) * f)]!.toFixed(2)
  return { jwkitUs: median(a), joseUs: median(b), speed: median(ratios), spread: `${q(0.25)}–${q(0.75)}` }
}

export async function main(runtime: string): Promise<{ runtime: string; backend: string; passed: number; failed: never[]; refused: never[]; rows: unknown[] }> {
  const rows: Array<{ alg: string; jwkitUs: number; joseUs: number; speed: number; spread: string }> = []
  for (const alg of ALGS) {
    const priv = KEYS[alg]!
    const pub = priv.kty === 'oct' ? priv : toPublicJwk(priv)
    const token = await signJwt({ sub: 'bench', iss: 'https://issuer.example' }, priv, { alg, kid: alg, expiresIn: '1h' })
    const joseKey = await jose.importJWK(pub as jose.JWK, alg)
    // Same work for both: signature, header/claims parse, exp/iat checks.
    rows.push({ alg, ...await compare(() => verifyJwt(token, pub), () => jose.jwtVerify(token, joseKey)) })
  }
  return { runtime, backend: BACKEND_NAME, passed: 1, failed: [], refused: [], rows }
}
