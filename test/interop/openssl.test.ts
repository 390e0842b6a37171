/**
 * Interop with the real `openssl` binary, both directions: keys openssl generates are read by
 * jwkit and compared with node:crypto's own export; keys jwkit writes are opened and checked by
 * `openssl pkey` / `openssl rsa -check` / `openssl ec -check` and show the same public key;
 * encrypted PKCS#8 both ways; certificate chains made with `openssl req` / `openssl x509`.
 */
import assert from 'node:assert/strict'
import { createPrivateKey, X509Certificate } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { after, before, describe, test } from 'node:test'
import { exportJwk } from '../../src/crypto/export.ts'
import { fromPem } from '../../src/formats/from-pem.ts'
import { toPem } from '../../src/formats/to-pem.ts'
import { fromX509 } from '../../src/formats/x509.ts'
import { toPublicJwk } from '../../src/jwk/public.ts'
import type { Jwk } from '../../src/jwk/types.ts'
import { findTool, run, tempDir } from './tool.ts'

const openssl = findTool('openssl', ['version'])

const KEYS: ReadonlyArray<readonly [string, string[]]> = [
  ['rsa', ['-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048']],
  ['p256', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256']],
  ['p384', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-384']],
  ['p521', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-521']],
  ['secp256k1', ['-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:secp256k1']],
  ['ed25519', ['-algorithm', 'ED25519']],
  ['ed448', ['-algorithm', 'ED448']],
  ['x25519', ['-algorithm', 'X25519']],
  ['x448', ['-algorithm', 'X448']],
]

describe('openssl interop', { skip: openssl.skip }, () => {
  let dir = ''
  let remove = () => {}
  const file = (name: string) => join(dir, name)
  const pubout = (args: string[]) => run('openssl', ['pkey', ...args, '-pubout'])

  before(() => {
    ;({ dir, remove } = tempDir('jwkit-openssl-'))
    for (const [name, args] of KEYS) run('openssl', ['genpkey', ...args, '-out', file(`${name}.pem`)])
  })
  after(() => remove())

  test('openssl genpkey, every type → jwkit equals node:crypto\'s own export (PKCS#8 and SPKI)', () => {
    for (const [name] of KEYS) {
      const pem = readFileSync(file(`${name}.pem`), 'utf8')
      const expected = exportJwk(createPrivateKey(pem))
      assert.deepEqual(fromPem(pem), expected, name)
      assert.deepEqual(fromPem(pubout(['-in', file(`${name}.pem`)])), toPublicJwk(expected), name)
    }
  })

  test('openssl traditional formats: RSA PRIVATE KEY, RSA PUBLIC KEY, EC PRIVATE KEY (with EC PARAMETERS)', () => {
    const rsa = fromPem(readFileSync(file('rsa.pem'), 'utf8'))
    assert.deepEqual(fromPem(run('openssl', ['rsa', '-in', file('rsa.pem'), '-traditional'])), rsa)
    assert.deepEqual(fromPem(run('openssl', ['rsa', '-in', file('rsa.pem'), '-RSAPublicKey_out'])), toPublicJwk(rsa))
    for (const name of ['p256', 'secp256k1']) {
      const ec = fromPem(readFileSync(file(`${name}.pem`), 'utf8'))
      assert.deepEqual(fromPem(run('openssl', ['ec', '-in', file(`${name}.pem`)])), ec, name)
    }
    // openssl ecparam -genkey writes an EC PARAMETERS block before the EC PRIVATE KEY.
    const both = run('openssl', ['ecparam', '-name', 'secp384r1', '-genkey'])
    assert.match(both, /BEGIN EC PARAMETERS[\s\S]*BEGIN EC PRIVATE KEY/)
    const keyBlock = both.slice(both.indexOf('-----BEGIN EC PRIVATE KEY'))
    assert.deepEqual(fromPem(both), exportJwk(createPrivateKey(keyBlock)))
  })

  test('jwkit PEM → openssl pkey / rsa -check / ec -check succeed and show the same public key', () => {
    for (const [name] of KEYS) {
      const jwk = fromPem(readFileSync(file(`${name}.pem`), 'utf8'))
      const expectedPub = pubout(['-in', file(`${name}.pem`)])
      writeFileSync(file(`${name}.jwkit.pem`), toPem(jwk))
      writeFileSync(file(`${name}.jwkit.pub.pem`), toPem(toPublicJwk(jwk)))
      run('openssl', ['pkey', '-in', file(`${name}.jwkit.pem`), '-noout'])
      assert.equal(pubout(['-in', file(`${name}.jwkit.pem`)]), expectedPub, name)
      assert.equal(pubout(['-pubin', '-in', file(`${name}.jwkit.pub.pem`)]), expectedPub, name)
      if (jwk.kty === 'RSA') {
        writeFileSync(file('rsa.pkcs1.pem'), toPem(jwk, { format: 'pkcs1' }))
        assert.match(run('openssl', ['rsa', '-in', file('rsa.pkcs1.pem'), '-check', '-noout']), /RSA key ok/)
        writeFileSync(file('rsa.pkcs1.pub.pem'), toPem(toPublicJwk(jwk), { format: 'pkcs1' }))
        assert.equal(run('openssl', ['rsa', '-RSAPublicKey_in', '-in', file('rsa.pkcs1.pub.pem'), '-pubout']), expectedPub)
      }
      if (jwk.kty === 'EC') {
        writeFileSync(file(`${name}.sec1.pem`), toPem(jwk, { format: 'sec1' }))
        const out = run('openssl', ['ec', '-in', file(`${name}.sec1.pem`), '-check', '-noout'], {})
        assert.equal(out, '', name)
        assert.equal(run('openssl', ['ec', '-in', file(`${name}.sec1.pem`), '-pubout']), expectedPub, name)
      }
    }
  })

  test('encrypted PKCS#8: openssl pkcs8 -topk8 -v2 (aes-256-cbc, aes-128-cbc + hmacWithSHA1) → jwkit', () => {
    const jwk = fromPem(readFileSync(file('p384.pem'), 'utf8'))
    run('openssl', ['pkcs8', '-topk8', '-v2', 'aes-256-cbc', '-passout', 'pass:s3cret', '-in', file('p384.pem'), '-out', file('enc256.pem')])
    run('openssl', ['pkcs8', '-topk8', '-v2', 'aes-128-cbc', '-v2prf', 'hmacWithSHA1', '-passout', 'pass:s3cret', '-in', file('p384.pem'), '-out', file('enc128.pem')])
    for (const name of ['enc256.pem', 'enc128.pem']) {
      const pem = readFileSync(file(name), 'utf8')
      assert.deepEqual(fromPem(pem, { passphrase: 's3cret' }), jwk, name)
      assert.throws(() => fromPem(pem, { passphrase: 'wrong' }), { code: 'ERR_PASSPHRASE_WRONG' })
      assert.throws(() => fromPem(pem), { code: 'ERR_PASSPHRASE_REQUIRED' })
    }
  })

  test('encrypted PKCS#8: jwkit (AES-256-CBC, PBKDF2-HMAC-SHA256, default 600,000 iterations) → openssl pkey -passin', () => {
    // The default count once (Ed25519); RSA with a small count to keep the test fast.
    for (const [name, iterations] of [['ed25519', undefined], ['rsa', 2048]] as const) {
      const jwk = fromPem(readFileSync(file(`${name}.pem`), 'utf8'))
      writeFileSync(file(`${name}.enc.pem`), toPem(jwk, { passphrase: 'pa55 word', ...(iterations === undefined ? {} : { iterations }) }))
      assert.equal(pubout(['-in', file(`${name}.enc.pem`), '-passin', 'pass:pa55 word']), pubout(['-in', file(`${name}.pem`)]), name)
      assert.throws(() => run('openssl', ['pkey', '-in', file(`${name}.enc.pem`), '-passin', 'pass:wrong', '-noout']))
      const params = run('openssl', ['asn1parse', '-in', file(`${name}.enc.pem`)])
      assert.match(params, /PBES2/)
      assert.match(params, /hmacWithSHA256/)
      assert.match(params, /aes-256-cbc/)
      assert.match(params, iterations === undefined ? /INTEGER\s+:0927C0/ : /INTEGER\s+:0800/) // 600000 or 2048
    }
  })

  test('refused: a brainpoolP256r1 key from openssl is ERR_JWK_UNSUPPORTED', () => {
    run('openssl', ['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:brainpoolP256r1', '-out', file('bp.pem')])
    assert.throws(() => fromPem(readFileSync(file('bp.pem'), 'utf8')), { code: 'ERR_JWK_UNSUPPORTED' })
    assert.throws(() => fromPem(pubout(['-in', file('bp.pem')])), { code: 'ERR_JWK_UNSUPPORTED' })
  })

  describe('X.509 chains from openssl req -x509 and openssl x509 -req', () => {
    const chain: string[] = []
    let root = ''
    let other = ''
    let leafKey: Jwk
    before(() => {
      const ca = 'basicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n'
      writeFileSync(file('ca.ext'), ca)
      writeFileSync(file('leaf.ext'), 'basicConstraints=CA:FALSE\n')
      run('openssl', ['req', '-x509', '-new', '-key', file('p256.pem'), '-subj', '/CN=Interop Root', '-days', '30', '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign', '-out', file('root.crt')])
      run('openssl', ['req', '-new', '-key', file('p384.pem'), '-subj', '/CN=Interop Intermediate', '-out', file('int.csr')])
      run('openssl', ['x509', '-req', '-in', file('int.csr'), '-CA', file('root.crt'), '-CAkey', file('p256.pem'), '-CAcreateserial', '-days', '20', '-extfile', file('ca.ext'), '-out', file('int.crt')])
      run('openssl', ['req', '-new', '-key', file('rsa.pem'), '-subj', '/CN=leaf.interop.test', '-out', file('leaf.csr')])
      run('openssl', ['x509', '-req', '-in', file('leaf.csr'), '-CA', file('int.crt'), '-CAkey', file('p384.pem'), '-CAcreateserial', '-days', '10', '-extfile', file('leaf.ext'), '-out', file('leaf.crt')])
      run('openssl', ['req', '-x509', '-new', '-key', file('ed25519.pem'), '-subj', '/CN=Other Root', '-days', '30', '-out', file('other.crt')])
      chain.push(readFileSync(file('leaf.crt'), 'utf8'), readFileSync(file('int.crt'), 'utf8'))
      root = readFileSync(file('root.crt'), 'utf8')
      other = readFileSync(file('other.crt'), 'utf8')
      leafKey = toPublicJwk(fromPem(readFileSync(file('rsa.pem'), 'utf8')))
    })

    test('leaf + intermediate verify against the root as trust anchor; x5c and x5t#S256 set', () => {
      const jwk = fromX509(chain.join(''), { trustAnchors: root })
      assert.equal(jwk.n, leafKey.n)
      assert.equal(jwk.x5c?.length, 2)
      const fp = run('openssl', ['x509', '-in', file('leaf.crt'), '-noout', '-fingerprint', '-sha256']).split('=')[1]!.trim()
      assert.equal(Buffer.from(jwk['x5t#S256']!, 'base64url').toString('hex').toUpperCase(), fp.replaceAll(':', ''))
      assert.ok(fromX509(chain, { trustAnchors: [other, root] }))
    })

    test('refused with ERR_X509_CHAIN_INVALID: wrong anchor, expired at currentDate, broken order, missing intermediate', () => {
      const leafEnd = Date.parse(new X509Certificate(chain[0]!).validTo)
      assert.throws(() => fromX509(chain, { trustAnchors: other }), { code: 'ERR_X509_CHAIN_INVALID' })
      assert.throws(() => fromX509(chain, { trustAnchors: root, currentDate: new Date(leafEnd + 60_000) }), { code: 'ERR_X509_CHAIN_INVALID' })
      assert.throws(() => fromX509([chain[1]!, chain[0]!], { trustAnchors: root }), { code: 'ERR_X509_CHAIN_INVALID' })
      assert.throws(() => fromX509(chain[0]!, { trustAnchors: root }), { code: 'ERR_X509_CHAIN_INVALID' })
    })
  })
})
