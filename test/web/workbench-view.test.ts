/** The workbench's report region as data: labels, the UNVERIFIED/VERIFIED verdict, problem pointers, copy and download. */
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import * as jose from 'jose'
import { analyze } from '../../src/web/logic/analyze.ts'
import { summarize, workbenchView, type WorkbenchHandlers } from '../../src/web/logic/workbench-view.ts'
import { findAll, textOf, type VNode } from '../../src/web/logic/vnode.ts'

const calls: string[] = []
const handlers: WorkbenchHandlers = {
  copy: (text, what) => calls.push(`copy ${what} ${text.length}`),
  download: (name) => calls.push(`download ${name}`),
  select: (p) => calls.push(`select ${p}`),
}
const click = (n: VNode) => (n.attrs.onclick as () => void)()

test('a token is UNVERIFIED until a successful outcome, then VERIFIED naming the key', async () => {
  const { privateKey } = await jose.generateKeyPair('ES256')
  const token = await new jose.SignJWT({ sub: 'a' }).setProtectedHeader({ alg: 'ES256' }).setExpirationTime('1h').sign(privateKey)
  const analysis = analyze(token, Date.now())
  const before = workbenchView({ analysis, now: Date.now() }, handlers)
  assert.equal(findAll(before, (n) => n.attrs['data-verdict'] === 'unverified').length, 1)
  assert.match(textOf(before), /Decoded, not verified/)
  const failed = workbenchView({ analysis, now: Date.now(), outcome: { ok: false, code: 'ERR_JWS_SIGNATURE_INVALID', message: 'bad' } }, handlers)
  assert.equal(findAll(failed, (n) => n.attrs['data-verdict'] === 'unverified').length, 1, 'a failure stays unverified')
  const after = workbenchView({ analysis, now: Date.now(), outcome: { ok: true, message: 'Signature verified', kid: 'k9', thumbprint: 'T' } }, handlers)
  assert.equal(findAll(after, (n) => n.attrs['data-verdict'] === 'verified').length, 1)
  assert.match(textOf(after), /with the key kid k9 \(thumbprint T\)/)
})

test('keys: copy buttons for thumbprint and URI, a pointer button per problem, copy and download per conversion', () => {
  const jwk = generateKeyPairSync('ed25519').privateKey.export({ format: 'jwk' })
  const ok = workbenchView({ analysis: analyze(JSON.stringify(jwk), Date.now()), now: Date.now() }, handlers)
  const buttons = findAll(ok, (n) => n.tag === 'button')
  calls.length = 0
  click(buttons.find((b) => b.attrs['aria-label'] === 'Copy the thumbprint')!)
  click(buttons.find((b) => String(b.attrs['aria-label']).startsWith('Download PEM PKCS#8'))!)
  assert.deepEqual(calls, ['copy thumbprint 43', 'download OKP.pkcs8.pem'])
  const broken = workbenchView({ analysis: analyze(JSON.stringify({ ...jwk, x: 'AAAA' }), Date.now()), now: Date.now() }, handlers)
  const pointers = findAll(broken, (n) => n.tag === 'button' && String(n.attrs['aria-label']).startsWith('Select'))
  assert.ok(pointers.length > 0)
  calls.length = 0
  click(pointers[0]!)
  assert.match(calls[0]!, /^select \//)
  assert.equal(findAll(broken, (n) => n.attrs['data-conversion'] !== undefined).length, 0)
})

test('the status sentence says what was recognised', () => {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' })
  assert.equal(summarize(analyze(JSON.stringify({ keys: [jwk, { ...jwk, x: 'AA' }] }), Date.now())), 'Recognised: JWK Set, 2 keys, 1 with errors.')
  assert.equal(summarize(analyze(JSON.stringify(jwk), Date.now())), 'Recognised: JWK, 1 key, no errors.')
  assert.match(summarize(analyze('zzz', Date.now())), /^Not readable: ERR_/)
  assert.equal(summarize(analyze('', Date.now())), '')
})
