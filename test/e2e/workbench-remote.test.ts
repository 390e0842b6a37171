/**
 * The workbench's "Fetch and verify" in headless Chromium when it fails, against a second
 * loopback origin (a node:http server in the test): a JWK Set served without CORS headers is said
 * to be refused by the browser (CORS), a closed port is a network error, a 404 an HTTP status;
 * the same set with Access-Control-Allow-Origin: * verifies across origins. Screenshots in
 * test-output/e2e/.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as jose from 'jose'
import { browserSkipReason, paste, record, shot, usePageFixture, type Served } from './browser.ts'

const skip = browserSkipReason()
const e2e = usePageFixture(skip)
const served = (): Served => e2e.served[0]!

test('remote verification failures say why: CORS refused by another origin, a network error, an HTTP status; with CORS allowed it verifies', { skip, timeout: 90_000 }, async () => {
  // a second loopback origin (another port): /jwks.json without CORS headers, /cors/* with Access-Control-Allow-Origin: *
  const { publicKey, privateKey } = await jose.generateKeyPair('ES256', { extractable: true })
  const set = JSON.stringify({ keys: [{ ...(await jose.exportJWK(publicKey)), kid: 'other-1', alg: 'ES256', use: 'sig' }] })
  const jwt = await new jose.SignJWT({ sub: 'bob' }).setProtectedHeader({ alg: 'ES256', kid: 'other-1' }).setIssuedAt().setExpirationTime('10m').sign(privateKey)
  const other = createServer((req, res) => {
    const path = new URL(req.url!, 'http://x').pathname
    const cors = path.startsWith('/cors/') ? { 'access-control-allow-origin': '*' } : {}
    if (path.endsWith('/jwks.json')) res.writeHead(200, { 'content-type': 'application/json', ...cors }).end(set)
    else res.writeHead(404, cors).end()
  })
  await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve))
  const otherBase = `http://127.0.0.1:${(other.address() as AddressInfo).port}`
  const spare = createServer()
  await new Promise<void>((resolve) => spare.listen(0, '127.0.0.1', resolve))
  const closedBase = `http://127.0.0.1:${(spare.address() as AddressInfo).port}`
  await new Promise<void>((resolve) => spare.close(() => resolve()))
  const page = await e2e.browser.newPage({ viewport: { width: 1100, height: 900 } })
  const log = record(page)
  try {
    await page.goto(served().base + '/')
    const outcome = page.locator('[data-outcome="failed"]')
    const tryRemote = async (url: string) => {
      await paste(page, jwt) // a fresh analysis clears the previous outcome
      await page.getByLabel('JWKS URL or issuer').fill(url)
      await page.getByRole('button', { name: 'Fetch and verify' }).click()
      await page.locator('[data-outcome]').waitFor()
    }

    await tryRemote(otherBase + '/jwks.json')
    assert.equal(await outcome.getAttribute('data-reason'), 'cors')
    const said = await outcome.innerText()
    assert.match(said, new RegExp(`the browser refused the response: ${otherBase.replace(/[.]/g, '\\.')} does not allow cross-origin requests \\(CORS\\)`, 'i'))
    assert.equal(await page.locator('[data-verdict]').innerText(), 'UNVERIFIED')
    assert.match(await page.locator('#notice').innerText(), /^Refused: ERR_JWKS_FETCH_FAILED: the browser refused the response \(the other origin does not allow cross-origin requests: CORS\)$/)
    const toOther = log.requests.filter((r) => r.url().startsWith(otherBase))
    assert.equal(toOther.length, 2, 'the request and one no-cors probe')
    for (const r of toOther) assert.ok(!(await r.allHeaders()).referer, `no referrer (${r.url()})`)
    await shot(page, 'workbench-remote-cors')

    await tryRemote(closedBase + '/jwks.json')
    assert.equal(await outcome.getAttribute('data-reason'), 'network')
    assert.match(await outcome.innerText(), /Network error: the request to http:\/\/127\.0\.0\.1:\d+\/jwks\.json did not complete/)
    assert.doesNotMatch(await outcome.innerText(), /CORS/)
    await shot(page, 'workbench-remote-network')

    await tryRemote(otherBase + '/cors/nothing')
    assert.equal(await outcome.getAttribute('data-reason'), 'http-status')
    assert.match(await outcome.innerText(), /The server answered HTTP 404/)

    // the same set served with Access-Control-Allow-Origin: * verifies across origins
    await tryRemote(otherBase + '/cors/jwks.json')
    await page.locator('[data-verdict="verified"]').waitFor()
    assert.match(await page.locator('[data-outcome="ok"]').innerText(), /with the key kid other-1/)
    // Chromium's own console line confirms what the page said; nothing else was logged
    const corsLines = log.errors.filter((e) => /has been blocked by CORS policy: No 'Access-Control-Allow-Origin' header/.test(e))
    assert.equal(corsLines.length, 1, log.errors.join('\n'))
    assert.ok(corsLines[0]!.includes(`${otherBase}/jwks.json`))
    assert.deepEqual(log.errors.filter((e) => !corsLines.includes(e)), [])
  } finally {
    await page.close()
    other.closeAllConnections()
    await new Promise<void>((resolve) => other.close(() => resolve()))
  }
})
