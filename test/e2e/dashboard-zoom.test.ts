/**
 * The dashboard's timeline zoom in headless Chromium against `jwk serve` with the admin API: the
 * Range choice, Zoom in / Zoom out / Fit by mouse, by keyboard on the buttons and by the + - 0
 * keys (not while typing in a field); the drawn axis (tick labels, the svg's data-from/data-to)
 * follows, and now stays shown. Screenshots in test-output/e2e/.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { browserSkipReason, record, shot, usePageFixture, type Served } from './browser.ts'

const skip = browserSkipReason()
const TOKEN = 'e2e-admin-token-' + randomBytes(12).toString('base64url')
const e2e = usePageFixture(skip, [{ env: { JWKIT_ADMIN_TOKEN: TOKEN }, args: ['--alg', 'ES256,EdDSA'] }])
const withAdmin = (): Served => e2e.served[0]!

test('timeline zoom: Range, Zoom in / Zoom out / Fit by mouse and by + - 0; the axis follows; now stays shown', { skip, timeout: 60_000 }, async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 } })
  const page = await context.newPage()
  const log = record(page)
  await page.goto(withAdmin().base + '/dashboard')
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.keyboard.press('Enter')
  await page.locator('[data-view="ready"]').waitFor()
  const svg = page.locator('svg.timeline')
  const axis = async () => ({
    labels: await svg.locator('.tick-label').allTextContents(),
    span: Date.parse((await svg.getAttribute('data-to'))!) - Date.parse((await svg.getAttribute('data-from'))!),
    now: await svg.locator('.now-line').count(),
  })
  const all = await axis()
  assert.ok(all.labels.length >= 3 && all.labels.every((l) => /^\d{4}-\d{2}-\d{2}$/.test(l)), all.labels.join())
  assert.equal(all.now, 1)
  assert.equal(await page.getByRole('button', { name: 'Fit the whole timeline' }).getAttribute('aria-disabled'), 'true')

  // Range: a day; the axis is in hours, now is drawn
  await page.getByLabel('Range').selectOption('day')
  await page.locator('svg.timeline').first().waitFor()
  const day = await axis()
  assert.equal(day.span, 86_400_000)
  assert.ok(day.labels.every((l) => /^\d{2}-\d{2} \d{2}:\d{2}$/.test(l)), day.labels.join())
  assert.notDeepEqual(day.labels, all.labels)
  assert.equal(day.now, 1)
  assert.equal(await page.getByLabel('Range').inputValue(), 'day')
  assert.match(await page.locator('#notice').innerText(), /^Timeline \(day\): /)
  await shot(page, 'dashboard-zoom-day')

  // Zoom in by the button, from the keyboard: the focus stays on it; the span halves, now stays shown
  await page.getByRole('button', { name: 'Zoom in' }).focus()
  await page.keyboard.press('Enter')
  assert.equal((await axis()).span, 43_200_000)
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('aria-label')), 'Zoom in')
  assert.notEqual(await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle), 'none')
  assert.equal(await page.getByLabel('Range').inputValue(), 'custom')
  // + and - keys (not while typing in a field)
  await page.keyboard.press('+')
  const quarter = await axis()
  assert.equal(quarter.span, 21_600_000)
  assert.equal(quarter.now, 1, 'now stays shown when zooming in')
  await shot(page, 'dashboard-zoom-in')
  await page.getByLabel('Admin token').focus()
  await page.keyboard.press('+')
  assert.equal((await axis()).span, 21_600_000, '+ typed in a field is text, not a zoom')
  await page.getByRole('button', { name: 'Zoom out' }).click()
  assert.equal((await axis()).span, 43_200_000)
  await page.locator('body').press('-')
  assert.equal((await axis()).span, 86_400_000)
  // 0 fits: the whole timeline again
  await page.locator('body').press('0')
  const fitted = await axis()
  assert.deepEqual(fitted.labels, all.labels)
  assert.ok(Math.abs(fitted.span - all.span) < 60_000, 'the fitted window again (it follows the clock)')
  assert.equal(await page.getByLabel('Range').inputValue(), 'all')
  // a week: the next rotations are drawn when they fall in it; else named beyond the edge
  await page.getByLabel('Range').selectOption('week')
  const rotations = await svg.locator('g.rotation').count()
  const beyond = await svg.locator('[data-offscreen="after"]').count()
  assert.ok(rotations === 2 || beyond === 1, `rotations drawn ${rotations}, named beyond ${beyond}`)
  await shot(page, 'dashboard-zoom-week')
  assert.deepEqual(log.errors, [])
  await context.close()
})
