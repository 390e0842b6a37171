/** Keys, tokens and a manual clock for the remote JWK Set tests (ES256: cheap to generate). */
import { generateJwk } from '../../src/crypto/generate.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { signJwt } from '../../src/jwt/sign.ts'

export interface TestKey {
  kid: string
  private: Jwk
  public: Jwk
}

export async function makeKeys(...kids: string[]): Promise<Record<string, TestKey>> {
  const out: Record<string, TestKey> = {}
  for (const kid of kids) {
    const priv = await generateJwk('ES256', { kid })
    out[kid] = { kid, private: priv, public: toPublicJwk(priv) }
  }
  return out
}

export const set = (...keys: TestKey[]) => ({ keys: keys.map((k) => k.public) })

export const token = (key: TestKey, kid: string = key.kid, extra: Record<string, unknown> = {}) =>
  signJwt({ sub: 'alice', ...extra }, key.private, { kid })

/** A clock the test moves by hand. */
export function manualClock(start = 1_800_000_000_000) {
  let t = start
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms
    },
  }
}

/** Lets pending promise callbacks and socket events run. */
export const settle = (ms = 20) => new Promise((r) => setTimeout(r, ms))

/** A hook that records calls, and `next()`: a promise for the next call (then a macrotask, so the fetch has settled). */
export function hookWaiter<A extends unknown[]>() {
  const calls: A[] = []
  let waiters: Array<() => void> = []
  return {
    calls,
    hook: (...args: A) => {
      calls.push(args)
      const w = waiters
      waiters = []
      for (const resolve of w) resolve()
    },
    next: () => new Promise<void>((resolve) => waiters.push(resolve)).then(() => settle(1)),
  }
}
