/**
 * What bench/runtimes.ts measures on each runtime (bundled with that runtime's conditions):
 * jwkit `verifyJwt` against `jose.jwtVerify` on the same runtime, known key, per algorithm.
 * Each library gets the key in the form it takes fastest: jwkit the public JWK (prepared once,
 * cached by object), jose a CryptoKey/KeyObject from `importJWK` done once.
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

/** Median over rounds of the mean time per call in µs (each round runs for about `ms`). */
async function measure(run: () => Promise<unknown>, ms = 300, rounds = 5): Promise<number> {
  const now = () => performance.now()
  for (let i = 0; i < 200; i++) await run()
  const means: number[] = []
  for (let r = 0; r < rounds; r++) {
    let n = 0
    const start = now()
    while (now() - start < ms) {
      for (let i = 0; i < 20; i++) await run()
      n += 20
    }
    means.push(((now() - start) * 1000) / n)
  }
  means.sort((a, b) => a - b)
  return means[Math.floor(means.length / 2)]!
}

export async function main(runtime: string): Promise<{ runtime: string; backend: string; passed: number; failed: never[]; refused: never[]; rows: unknown[] }> {
  const rows: Array<{ alg: string; jwkitUs: number; joseUs: number; speed: number }> = []
  for (const alg of ALGS) {
    const priv = KEYS[alg]!
    const pub = priv.kty === 'oct' ? priv : toPublicJwk(priv)
    const token = await signJwt({ sub: 'bench', iss: 'https://issuer.example' }, priv, { alg, kid: alg, expiresIn: '1h' })
    const joseKey = await jose.importJWK(pub as jose.JWK, alg)
    // Same work for both: signature, header/claims parse, exp/iat checks.
    const jwkitUs = await measure(() => verifyJwt(token, pub))
    const joseUs = await measure(() => jose.jwtVerify(token, joseKey))
    rows.push({ alg, jwkitUs, joseUs, speed: joseUs / jwkitUs })
  }
  return { runtime, backend: BACKEND_NAME, passed: 1, failed: [], refused: [], rows }
}
