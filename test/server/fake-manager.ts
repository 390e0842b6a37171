/**
 * A small in-memory KeyManager for HTTP-behaviour tests of the server (the evidence tests use the
 * real manager and a real store). Keys are fixed EC P-256 public JWKs generated once per process.
 */
import { generateKeyPairSync, randomUUID } from 'node:crypto'
import { JwkitError } from '../../src/errors.ts'
import type { Jwk, JwkSet } from '../../src/jwk/types.ts'
import type { KeyManager, KeyManagerStatus, KeyRecord, RotationPolicy } from '../../src/store/types.ts'

const DAY = 86_400_000

export interface FakeManager extends KeyManager {
  setReachable(reachable: boolean): void
  emit(): void
  /** Makes the next call of this method throw this error. */
  failNext(method: 'signJwt' | 'rotate' | 'keys', error: unknown): void
  calls: string[]
  /** The options of each rotate call, in order. */
  rotateOptions: unknown[]
}

function newRecord(state: KeyRecord['state'], now: number): KeyRecord {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' })
  const kid = randomUUID()
  const pub = publicKey.export({ format: 'jwk' }) as Record<string, string>
  void privateKey
  const publicJwk = { kty: 'EC', crv: 'P-256', x: pub.x!, y: pub.y!, kid, alg: 'ES256', use: 'sig' } as Jwk
  return {
    kid, alg: 'ES256', state, createdAt: now, publishedAt: now,
    activatedAt: state === 'active' ? now : null, retiredAt: null, removedAt: null,
    publicJwk, sealed: new Uint8Array([1, 2, 3]), kekId: 'k1',
  }
}

export function createFakeManager(policy: Partial<RotationPolicy> = {}): FakeManager {
  const fullPolicy: RotationPolicy = {
    algorithms: ['ES256'], rotateEvery: 30 * DAY, prepublish: 2 * DAY, retireGrace: 2 * DAY,
    maxTokenTtl: 3_600_000, jwksMaxAge: 3_600_000, ...policy,
  }
  const now = Date.now()
  let records: KeyRecord[] = [newRecord('active', now), newRecord('next', now)]
  const listeners = new Set<(jwks: JwkSet) => void>()
  const status: KeyManagerStatus = { storeReachable: true, lastError: undefined, lastSyncAt: now, rotations: 0, storeErrors: 0 }
  const failures = new Map<string, unknown>()
  const calls: string[] = []
  const rotateOptions: unknown[] = []
  const fail = (method: string) => {
    calls.push(method)
    if (failures.has(method)) {
      const error = failures.get(method)
      failures.delete(method)
      throw error
    }
  }
  const publicJwks = (): JwkSet => ({
    keys: records.filter((r) => r.state === 'active' || r.state === 'next' || r.state === 'retired').map((r) => ({ ...r.publicJwk })),
  })
  const emit = () => { for (const l of listeners) l(publicJwks()) }
  const find = (kid: string) => {
    const r = records.find((x) => x.kid === kid)
    if (!r) throw new JwkitError('ERR_STORE_NOT_FOUND', 'no key with that kid')
    return r
  }
  return {
    policy: fullPolicy,
    calls,
    async init() {},
    async activeKey() { return records.find((r) => r.state === 'active')! },
    publicJwks,
    keys() { fail('keys'); return records },
    async signJwt(claims, options) {
      fail('signJwt')
      const active = records.find((r) => r.state === 'active')!
      const header = Buffer.from(JSON.stringify({ alg: 'ES256', kid: active.kid, typ: 'JWT' })).toString('base64url')
      const payload = Buffer.from(JSON.stringify({ ...claims, ...(options?.issuer ? { iss: options.issuer } : {}) })).toString('base64url')
      return `${header}.${payload}.c2ln`
    },
    async signJws() { return 'x.y.z' },
    async rotateKeys(options) {
      fail('rotate')
      rotateOptions.push(options)
      const t = Date.now()
      records = records.map((r) => r.state === 'active' ? { ...r, state: 'retired', retiredAt: t } : r.state === 'next' ? { ...r, state: 'active', activatedAt: t } : r)
      records.push(newRecord('next', t))
      status.rotations++
      emit()
      const active = records.find((r) => r.state === 'active')
      const next = records.find((r) => r.state === 'next')
      return [{ alg: 'ES256', outcome: 'activated' as const, active, next, activateAt: undefined }]
    },
    async rotate(options) {
      return (await this.rotateKeys(options)).flatMap((o) => (o.active ? [o.active] : []))
    },
    rotateOptions,
    async retire(kid) {
      const r = find(kid)
      if (r.state !== 'active') throw new JwkitError('ERR_STORE_STATE_INVALID', 'only an active key can be retired')
      r.state = 'retired'
      emit()
      return r
    },
    async revoke(kid) {
      const r = find(kid)
      r.state = 'revoked'
      emit()
      return r
    },
    async tick() { return 0 },
    status() { return { ...status } },
    onChange(listener) { listeners.add(listener); return () => listeners.delete(listener) },
    async close() {},
    setReachable(reachable) { status.storeReachable = reachable },
    emit,
    failNext(method, error) { failures.set(method, error) },
  }
}
