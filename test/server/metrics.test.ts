import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServerMetrics, escapeLabel } from '../../src/server/metrics.ts'
import { createFakeManager } from './fake-manager.ts'

test('Prometheus text format 0.0.4: HELP/TYPE lines, labelled counters, escaped label values', () => {
  assert.equal(escapeLabel('a"b\\c\nd'), 'a\\"b\\\\c\\nd')
  const metrics = createServerMetrics()
  const manager = createFakeManager()
  metrics.count('/healthz', 200)
  metrics.count('/healthz', 200)
  const hot = metrics.routeCounter('/.well-known/jwks.json')
  hot(200)
  hot(304)
  metrics.countError('tick')
  assert.equal(metrics.requests('/healthz', 200), 2)
  assert.equal(metrics.requests('/.well-known/jwks.json', 304), 1)
  const text = metrics.render(manager, Date.now() + 10_000)
  assert.ok(text.endsWith('\n'))
  for (const line of text.trimEnd().split('\n')) {
    assert.match(line, /^(# (HELP|TYPE) [a-z_]+ .+|[a-z_]+(\{[a-z_]+="(?:[^"\\]|\\.)*"(,[a-z_]+="(?:[^"\\]|\\.)*")*\})? -?[\d.e+]+)$/, line)
  }
  assert.match(text, /^jwkit_http_requests_total\{route="\/healthz",status="200"\} 2$/m)
  assert.match(text, /^jwkit_background_errors_total\{kind="tick"\} 1$/m)
  assert.match(text, /^jwkit_store_reachable 1$/m)
  assert.match(text, /^jwkit_jwks_keys 2$/m)
  const ages = [...text.matchAll(/^jwkit_key_age_seconds\{.*\} ([\d.]+)$/gm)].map((m) => Number(m[1]))
  assert.equal(ages.length, 2)
  for (const a of ages) assert.ok(a >= 10 && a < 60)
})
