/**
 * The dashboard in headless Chromium against `jwk serve` on loopback: without the admin API it
 * says how to enable it; with it, the "Admin token" field (kept in memory, or sessionStorage when
 * ticked, never localStorage), every key with its state, a rotation confirmed in a dialog that
 * states its consequence, the timeline after it, and a request log holding only same-origin
 * requests with the token on /admin/* only. Screenshots in test-output/e2e/.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { browserSkipReason, record, shot, SHOTS, usePageFixture, type Served } from './browser.ts'

const skip = browserSkipReason()
const TOKEN = 'e2e-admin-token-' + randomBytes(12).toString('base64url')
const e2e = usePageFixture(skip, [{ env: { JWKIT_ADMIN_TOKEN: TOKEN }, args: ['--alg', 'ES256,EdDSA'] }, {}])
const withAdmin = (): Served => e2e.served[0]!
const withoutAdmin = (): Served => e2e.served[1]!

test('without the admin API the dashboard says how to enable it', { skip, timeout: 60_000 }, async () => {
  const page = await e2e.browser.newPage()
  const log = record(page)
  await page.goto(withoutAdmin().base + '/dashboard')
  await page.locator('[data-view="disabled"]').waitFor()
  const text = await page.locator('#dashboard-main').innerText()
  assert.match(text, /Admin API not enabled/)
  assert.match(text, /JWKIT_ADMIN_TOKEN/)
  assert.equal(await page.locator('#token-form').isHidden(), true)
  await shot(page, 'dashboard-disabled')
  assert.deepEqual(log.errors, [])
  assert.deepEqual(log.failed, ['404 /admin/keys'], 'only the probe of the admin API fails')
  await page.close()
})

test('with the token: keys, a confirmed rotation and its timeline, Retire and Revoke, storage and the request log', { skip, timeout: 90_000 }, async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 1200, height: 900 } })
  const page = await context.newPage()
  const log = record(page)
  await page.goto(withAdmin().base + '/dashboard')
  await page.locator('[data-view="need-token"]').waitFor()
  await shot(page, 'dashboard-need-token')

  // a wrong token is refused by the server and said so
  await page.getByLabel('Admin token').fill('not-the-right-token-0123456789')
  await page.getByRole('button', { name: 'Use token' }).click()
  await page.locator('[data-view="error"]').waitFor()
  assert.match(await page.locator('[data-view="error"]').innerText(), /refused this admin token/)

  // the right one, remembered for this tab
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.getByLabel('remember for this tab').check()
  await page.getByRole('button', { name: 'Use token' }).click()
  await page.locator('[data-view="ready"]').waitFor()
  assert.equal(await page.getByLabel('Admin token').inputValue(), '', 'the field is cleared once the token is taken')
  const rows = page.locator('table.keys tbody tr')
  assert.equal(await rows.count(), 4, 'an active and a next key per algorithm')
  assert.deepEqual((await page.locator('table.keys tbody tr').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-state')))).sort(), ['active', 'active', 'next', 'next'])
  const rotationsAtStart = Number((await page.locator('[data-fact="rotations"]').innerText()).split(' ')[0])
  assert.ok(Number.isSafeInteger(rotationsAtStart))
  assert.match(await page.locator('[data-fact="cache-control"]').innerText(), /^public, max-age=\d+$/)
  assert.match(await page.locator('[data-fact="etag"]').innerText(), /^"/)
  assert.equal(await page.locator('[data-fact="store"]').innerText(), 'reachable')
  assert.equal(await page.locator('svg.timeline g.row').count(), 4)
  assert.equal(await page.locator('svg.timeline .now-line').count(), 1)
  assert.equal(await page.locator('svg.timeline g.rotation').count(), 2)
  await shot(page, 'dashboard-keys')

  // storage: the ticked token is in sessionStorage only
  const storage = await page.evaluate(() => ({ session: sessionStorage.getItem('jwkit-admin-token'), local: localStorage.length }))
  assert.deepEqual(storage, { session: TOKEN, local: 0 })

  // Rotate ES256: the next key is seconds old, so the rotation is scheduled for its prepublish time
  const before = await page.locator('table.keys tbody tr[data-state="next"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kid')))
  const dialog = page.locator('dialog#confirm')
  await page.getByRole('button', { name: 'Rotate ES256', exact: true }).click()
  await dialog.waitFor()
  assert.match(await dialog.innerText(), /scheduled to activate at .*Until then the active key keeps signing/s)
  await shot(page, 'dashboard-confirm-rotate-scheduled')
  await dialog.getByRole('button', { name: 'Rotate', exact: true }).click()
  await page.locator('#notice', { hasText: 'Rotation of ES256 requested' }).waitFor()
  await page.locator('li[data-alg="ES256"]', { hasText: 'requested' }).waitFor()
  assert.equal(await page.locator('table.keys tbody tr[data-state="retired"]').count(), 0, 'nothing rotated yet')

  // Rotate now: the dialog states the emergency; Cancel changes nothing
  await page.getByRole('button', { name: 'Rotate ES256 now, without waiting (emergency)' }).click()
  await dialog.waitFor()
  const said = await dialog.innerText()
  assert.match(said, /Rotate the ES256 keys now, without waiting\?/)
  assert.match(said, /The next key \S+ activates now/)
  assert.match(said, /Emergency rotation: .*refuse new tokens until they refetch/s)
  await shot(page, 'dashboard-confirm-rotate')
  await dialog.getByRole('button', { name: 'Cancel' }).click()
  assert.match(await page.locator('#notice').innerText(), /Cancelled/)
  await page.getByRole('button', { name: 'Rotate ES256 now, without waiting (emergency)' }).click()
  await dialog.getByRole('button', { name: 'Rotate now' }).click()
  await page.locator('#notice', { hasText: 'Rotated ES256 now' }).waitFor()
  await page.locator('table.keys tbody tr[data-state="retired"]').waitFor()
  assert.equal(Number((await page.locator('[data-fact="rotations"]').innerText()).split(' ')[0]), rotationsAtStart + 1)
  const promoted = await page.locator('table.keys tbody tr[data-state="active"]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-kid')))
  assert.ok(before.some((kid) => promoted.includes(kid)), 'a former next key is active')
  // the timeline after the rotation: the retired key drawn with an active then a retired phase and its projected removal
  const retiredRow = page.locator('svg.timeline g.row.state-retired')
  assert.equal(await retiredRow.count(), 1)
  assert.deepEqual(await retiredRow.locator('[data-phase]').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-phase'))), ['active', 'retired'])
  assert.equal(await retiredRow.locator('[data-end="removed"]').count(), 1)
  assert.equal(await page.locator('svg.timeline g.row').count(), 5)
  await shot(page, 'dashboard-after-rotate')

  // Retire a next key, then revoke it (keyboard: focus the button, Enter; confirm with Enter)
  const nextKid = (await page.locator('table.keys tbody tr[data-state="next"]').first().getAttribute('data-kid'))!
  await page.getByRole('button', { name: `Retire key ${nextKid}` }).click()
  await dialog.getByRole('button', { name: 'Retire' }).click()
  await page.locator(`table.keys tbody tr[data-kid="${nextKid}"][data-state="retired"]`).waitFor()
  await page.getByRole('button', { name: `Revoke key ${nextKid}` }).focus()
  await page.keyboard.press('Enter')
  await dialog.waitFor()
  assert.match(await dialog.innerText(), /leaves the published JWK Set at once/)
  await page.keyboard.press('Tab') // Cancel has the focus; Tab reaches Revoke
  await page.keyboard.press('Enter')
  await page.locator(`table.keys tbody tr[data-kid="${nextKid}"][data-state="revoked"]`).waitFor()
  const jwks = await (await fetch(withAdmin().base + '/.well-known/jwks.json')).text()
  assert.ok(!jwks.includes(nextKid), 'the revoked key left the served set')

  // the request log: same origin only; the token only on /admin/*, never in a URL
  const origin = new URL(withAdmin().base).origin
  assert.ok(log.requests.length > 4)
  for (const r of log.requests) {
    const url = new URL(r.url())
    assert.equal(url.origin, origin, r.url())
    assert.ok(!r.url().includes(TOKEN))
    const auth = (await r.allHeaders()).authorization
    if (auth !== undefined) assert.ok(url.pathname.startsWith('/admin/'), `token sent to ${url.pathname}`)
    assert.equal((await r.allHeaders()).referer, undefined, 'no referrer')
  }
  assert.ok(log.requests.some((r) => r.headers().authorization === `Bearer ${TOKEN}`))

  // a reload in the same tab keeps the remembered token; "Forget token" drops it
  await page.reload()
  await page.locator('[data-view="ready"]').waitFor()
  await page.getByRole('button', { name: 'Forget token' }).click()
  await page.locator('[data-view="need-token"]').waitFor()
  assert.equal(await page.evaluate(() => sessionStorage.length), 0)
  assert.deepEqual(log.errors, [])
  await context.close()
})

test('at 360 px: no sideways scrolling of the page, visible keyboard focus, labelled controls', { skip, timeout: 60_000 }, async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 360, height: 800 } })
  const page = await context.newPage()
  await page.goto(withAdmin().base + '/dashboard')
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.keyboard.press('Enter')
  await page.locator('[data-view="ready"]').waitFor()
  const width = await page.evaluate(() => document.documentElement.scrollWidth)
  assert.ok(width <= 360, `page is ${width} px wide`)
  await page.getByLabel('Admin token').focus()
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle)
  assert.notEqual(outline, 'none')
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, textarea, select, button')]
    .filter((el) => {
      const e = el as HTMLInputElement
      const name = e.labels?.length ? e.labels[0]!.textContent : (e.getAttribute('aria-label') ?? e.textContent)
      return !name || name.trim() === ''
    }).map((el) => el.outerHTML.slice(0, 80)))
  assert.deepEqual(unlabelled, [])
  await shot(page, 'dashboard-360')
  // the zoom controls wrap inside the card at 360 px; the page still does not scroll sideways
  await page.getByLabel('Range').selectOption('week')
  await page.getByRole('button', { name: 'Zoom in' }).click()
  const controls = await page.locator('.timeline-controls').boundingBox()
  assert.ok(controls !== null && controls.x >= 0 && controls.x + controls.width <= 360, JSON.stringify(controls))
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 360)
  // the timeline scrolls sideways inside its card, scrolled so that the now line is in view
  const nowShown = await page.evaluate(() => {
    const box = document.querySelector('.timeline-scroll')!.getBoundingClientRect()
    const line = document.querySelector('.timeline-scroll .now-line')!.getBoundingClientRect()
    return line.left >= box.left && line.right <= box.right
  })
  assert.equal(nowShown, true, 'the now line is inside the visible part of the timeline')
  await page.locator('.timeline-controls').scrollIntoViewIfNeeded()
  await page.screenshot({ path: join(SHOTS, 'dashboard-360-zoom.png') })
  await context.close()
})

test('at 360 px the 30 s refresh keeps where the reader scrolled the timeline and the table; a zoom shows now again', { skip, timeout: 60_000 }, async () => {
  const context = await e2e.browser.newContext({ viewport: { width: 360, height: 800 } })
  const page = await context.newPage()
  await page.clock.install() // the page's timers run when the test says (its clock starts at the real time)
  await page.goto(withAdmin().base + '/dashboard')
  await page.getByLabel('Admin token').fill(TOKEN)
  await page.keyboard.press('Enter')
  await page.locator('[data-view="ready"]').waitFor()
  await page.getByLabel('Range').selectOption('week')
  await page.getByRole('button', { name: 'Zoom in' }).click()
  const scrolls = () => page.evaluate(() => ['.timeline-scroll', '.table-scroll'].map((s) => {
    const el = document.querySelector(s)!
    return { left: el.scrollLeft, max: el.scrollWidth - el.clientWidth }
  }))
  const [timeline, table] = await scrolls()
  assert.ok(timeline!.max > 0 && table!.max > 0, `both regions scroll sideways at 360 px: ${JSON.stringify([timeline, table])}`)
  assert.ok(timeline!.left > 0, 'the zoom scrolled the timeline to now')
  // the reader scrolls both to the start, then the clock's refresh redraws the view
  await page.evaluate(() => {
    for (const s of ['.timeline-scroll', '.table-scroll']) document.querySelector(s)!.scrollLeft = 0
    ;(window as unknown as { drawn: Element }).drawn = document.querySelector('svg.timeline')!
  })
  await page.clock.runFor(31_000)
  assert.equal(await page.evaluate(() => document.querySelector('svg.timeline') !== (window as unknown as { drawn: Element }).drawn), true, 'the view was redrawn')
  assert.deepEqual((await scrolls()).map((s) => s.left), [0, 0])
  // the same for a table scrolled halfway
  await page.evaluate(() => { document.querySelector('.table-scroll')!.scrollLeft = 40 })
  await page.clock.runFor(30_000)
  assert.deepEqual((await scrolls()).map((s) => s.left), [0, 40])
  // a zoom is a new window: now is scrolled into view again
  await page.getByRole('button', { name: 'Zoom in' }).click()
  assert.ok((await scrolls())[0]!.left > 0)
  await context.close()
})
