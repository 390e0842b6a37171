/**
 * The dashboard's lifecycle model against the real key manager (memory store, fake clock): the
 * projected rotation instant is when `tick()` actually rotates (not a millisecond earlier), and the
 * phases drawn for each key match its recorded dates; the SVG has a bar per phase, a now marker
 * and a rotation marker.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { createKeyManager } from '../../src/store/key-manager.ts'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { buildTimeline, nextRotation, ticks, timelineSvg, type TimelineKey } from '../../src/web/logic/timeline.ts'
import { findAll, textOf } from '../../src/web/logic/vnode.ts'

const HOUR = 3_600_000
const DAY = 24 * HOUR
const policy = { rotateEvery: 10 * DAY, prepublish: 3 * HOUR, retireGrace: 2 * DAY, jwksMaxAge: HOUR, maxTokenTtl: HOUR }

async function manager(start: number) {
  let now = start
  const store = await openKeyStore('memory:', { env: {}, keks: [randomBytes(32)], logger: { warn() {} } })
  const m = createKeyManager(store, { algorithms: ['ES256'], ...policy }, { now: () => now, autoTick: false, pollIntervalMs: 0, logger: { warn() {} } })
  await m.init()
  return { m, store, at: (t: number) => { now = t }, keys: () => m.keys().map((k) => ({ ...k }) as TimelineKey) }
}

test('the projected rotation is the instant tick() rotates, and the phases follow the recorded dates', async () => {
  const t0 = Date.UTC(2026, 0, 1)
  const { m, store, at, keys } = await manager(t0)
  try {
    const before = keys()
    const active = before.find((k) => k.state === 'active')!
    const next = before.find((k) => k.state === 'next')!
    const r = nextRotation(before, 'ES256', policy, t0)!
    assert.equal(r.at, t0 + policy.rotateEvery)
    assert.equal(r.current, active.kid)
    assert.equal(r.successor, next.kid)
    at(r.at - 1)
    assert.equal(await m.tick(), 0, 'nothing is due a millisecond before')
    at(r.at)
    assert.ok((await m.tick()) > 0, 'the rotation happens at the projected instant')
    const after = keys()
    assert.equal(after.find((k) => k.kid === next.kid)!.state, 'active')
    assert.equal(after.find((k) => k.kid === active.kid)!.state, 'retired')

    const t = buildTimeline(after, policy, r.at)
    const retiredRow = t.rows.find((x) => x.kid === active.kid)!
    assert.deepEqual(retiredRow.phases.map((p) => [p.kind, p.from, p.to, p.projected]), [
      ['active', t0, r.at, false],
      ['retired', r.at, r.at + policy.retireGrace, true],
    ])
    assert.deepEqual(retiredRow.end, { at: r.at + policy.retireGrace, kind: 'removed', projected: true })
    const activeRow = t.rows.find((x) => x.kid === next.kid)!
    assert.deepEqual(activeRow.phases.map((p) => p.kind), ['next', 'active', 'retired'])
    assert.equal(activeRow.phases[0]!.to, r.at)
    // the new next key, created at the rotation, is due one period later
    const r2 = t.rotations[0]!
    assert.equal(r2.at, r.at + policy.rotateEvery)
    at(r.at + policy.retireGrace)
    await m.tick()
    const removed = buildTimeline(keys(), policy, r.at + policy.retireGrace).rows.find((x) => x.kid === active.kid)!
    assert.equal(removed.state, 'removed')
    assert.deepEqual(removed.end, { at: r.at + policy.retireGrace, kind: 'removed', projected: false })
  } finally {
    await m.close()
    await store.close()
  }
})

test('a fresh next key is not ready before prepublish: the rotation waits for it', () => {
  const now = Date.UTC(2026, 0, 20)
  const keys: TimelineKey[] = [
    { kid: 'a', alg: 'ES256', state: 'active', createdAt: now - 20 * DAY, publishedAt: now - 20 * DAY, activatedAt: now - 20 * DAY, retiredAt: null, removedAt: null },
    { kid: 'n', alg: 'ES256', state: 'next', createdAt: now - HOUR, publishedAt: now - HOUR, activatedAt: null, retiredAt: null, removedAt: null },
  ]
  const r = nextRotation(keys, 'ES256', policy, now)!
  assert.equal(r.at, now - HOUR + policy.prepublish, 'overdue by period, but the next key needs its prepublish')
  assert.equal(nextRotation(keys.slice(0, 1), 'ES256', policy, now)!.at, now + policy.prepublish, 'no next key: one is published first')
  assert.equal(nextRotation(keys.slice(1), 'ES256', policy, now), undefined)
})

test('revoked keys end at once; the SVG draws every phase, the now line and the rotation marker', () => {
  const now = Date.UTC(2026, 0, 20)
  const keys: TimelineKey[] = [
    { kid: 'active-1', alg: 'ES256', state: 'active', createdAt: now - 2 * DAY, publishedAt: now - 2 * DAY, activatedAt: now - DAY, retiredAt: null, removedAt: null },
    { kid: 'next-1', alg: 'ES256', state: 'next', createdAt: now - DAY, publishedAt: now - DAY, activatedAt: null, retiredAt: null, removedAt: null },
    { kid: 'gone-1', alg: 'ES256', state: 'revoked', createdAt: now - 5 * DAY, publishedAt: now - 5 * DAY, activatedAt: now - 4 * DAY, retiredAt: now - 3 * DAY, removedAt: null },
  ]
  const t = buildTimeline(keys, policy, now)
  const revoked = t.rows.find((r) => r.kid === 'gone-1')!
  assert.deepEqual(revoked.end, { at: now - 3 * DAY, kind: 'revoked', projected: false })
  assert.deepEqual(revoked.phases.map((p) => p.kind), ['next', 'active'])
  assert.ok(t.from <= now - 5 * DAY && t.to >= t.rotations[0]!.at)
  const svg = timelineSvg(t)
  assert.equal(svg.tag, 'svg')
  assert.equal(svg.attrs.role, 'img')
  assert.match(String(svg.attrs['aria-label']), /3 keys/)
  const phases = findAll(svg, (n) => n.attrs['data-phase'] !== undefined)
  assert.equal(phases.length, t.rows.reduce((n, r) => n + r.phases.length, 0))
  assert.equal(findAll(svg, (n) => n.attrs.class === 'now-line').length, 1)
  assert.equal(findAll(svg, (n) => n.attrs.class === 'rotation').length, 1)
  assert.equal(findAll(svg, (n) => n.attrs['data-end'] === 'revoked').length, 1)
  assert.match(textOf(svg), /next scheduled rotation of ES256/)
  // x positions stay inside the plot
  for (const rect of findAll(svg, (n) => n.tag === 'rect')) {
    assert.ok(Number(rect.attrs.x) >= 200 && Number(rect.attrs.x) + Number(rect.attrs.width) <= 991, JSON.stringify(rect.attrs))
  }
})

test('ticks are round UTC instants, about six across the window', () => {
  const from = Date.UTC(2026, 0, 1, 5, 17)
  const list = ticks(from, from + 20 * DAY)
  assert.ok(list.length >= 3 && list.length <= 7, String(list.length))
  for (const t of list) assert.equal(t % DAY, 0)
  assert.ok(ticks(from, from + 5 * HOUR).every((t) => t % HOUR === 0))
})
