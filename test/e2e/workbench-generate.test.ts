/**
 * The workbench's key generation and file input in headless Chromium: every key type offered is
 * generated in the page and reads back as that type, with checkJwk finding no error and the RFC
 * 7638 thumbprint as kid (checked with jose); a PEM file opened and a binary COSE_Key file
 * dropped on the input are read in the page. Nothing fetched, nothing stored.
 */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import * as jose from 'jose'
import { browserSkipReason, fact, record, shot, usePageFixture, type Served } from './browser.ts'

const skip = browserSkipReason()
const e2e = usePageFixture(skip)
const served = (): Served => e2e.served[0]!

test('every key type offered is generated in the page, lands in the input and reads back as that type; a file opened or dropped is read in the page', { skip, timeout: 120_000 }, async () => {
  const page = await e2e.browser.newPage({ viewport: { width: 1100, height: 900 } })
  const log = record(page)
  await page.goto(served().base + '/')
  const choices = await page.locator('#generate-kind option').evaluateAll((os) => os.map((o) => [(o as HTMLOptionElement).value, o.textContent ?? '']))
  assert.equal(choices.length, 20)
  for (const [id, label] of choices) {
    await page.getByLabel('Key type').selectOption(id!)
    const analysed = await page.locator('#report').getAttribute('data-analyses')
    await page.getByRole('button', { name: 'Generate' }).click()
    await page.waitForFunction((b) => document.getElementById('report')!.getAttribute('data-analyses') !== b, analysed, { timeout: 30_000 })
    const type = await fact(page, 'type')
    // the label starts with what the report says: "EC P-256", "RSA 2048", "OKP X25519", "oct 256 bits", "AKP ML-DSA-44"
    const family = label!.split(' — ')[0]!.replace(/ \(key agreement\)$/, '')
    assert.ok(type.startsWith(family.split(' ')[0]!) && type.replace(' bits', '').includes(family.split(' ')[1]!), `${id}: ${type} for "${label}"`)
    assert.equal(await fact(page, 'visibility'), id!.startsWith('HS') || id!.startsWith('A1') || id!.startsWith('A2') ? 'secret' : 'private', id)
    assert.equal(await page.locator('#report [data-problems="errors"]').count(), 0, `${id}: checkJwk finds no error`)
    const jwk = JSON.parse(await page.getByRole('textbox', { name: 'Input', exact: true }).inputValue()) as jose.JWK
    assert.equal(jwk.kid, await jose.calculateJwkThumbprint(jwk), `${id}: kid is the RFC 7638 thumbprint`)
  }

  // Open a file: a PEM public key read in the page
  const ed = generateKeyPairSync('ed25519')
  const pem = String(ed.publicKey.export({ format: 'pem', type: 'spki' }))
  await page.locator('#file').setInputFiles({ name: 'ed.pem', mimeType: 'application/x-pem-file', buffer: Buffer.from(pem) })
  await page.locator('#notice', { hasText: 'Read ed.pem' }).waitFor({ timeout: 10_000 })
  await page.locator('#report [data-detected="pem"]').waitFor()
  assert.equal(await page.locator('[data-value="thumbprint"]').innerText(), await jose.calculateJwkThumbprint(ed.publicKey.export({ format: 'jwk' }) as jose.JWK))
  // drop a binary COSE_Key file on the input: read as base64, recognised
  const cose = Buffer.from(await page.locator('[data-conversion="cose"] pre').innerText(), 'hex')
  const drop = await page.evaluateHandle((bytes) => {
    const dt = new DataTransfer()
    dt.items.add(new File([new Uint8Array(bytes)], 'key.cbor', { type: 'application/cbor' }))
    return dt
  }, [...cose])
  await page.locator('#input').dispatchEvent('drop', { dataTransfer: drop })
  await page.locator('#notice', { hasText: 'Read key.cbor' }).waitFor({ timeout: 10_000 })
  await page.locator('#report [data-detected="cose"]').waitFor()
  assert.equal(await page.locator('[data-value="thumbprint"]').innerText(), await jose.calculateJwkThumbprint(ed.publicKey.export({ format: 'jwk' }) as jose.JWK))
  await shot(page, 'workbench-dropped-cose')
  // generated and dropped keys: nothing fetched, nothing stored
  for (const r of log.requests) assert.equal(new URL(r.url()).origin, new URL(served().base).origin, r.url())
  assert.deepEqual(await page.evaluate(() => [localStorage.length, sessionStorage.length]), [0, 0])
  assert.deepEqual(log.errors, [])
  await page.close()
})
