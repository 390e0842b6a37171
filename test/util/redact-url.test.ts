import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { redactUrl } from '../../src/util/redact-url.ts'

describe('redactUrl', () => {
  it('masks the user-info password and secret query values; keeps the rest', () => {
    assert.equal(redactUrl('postgres://app:hunter2@db.example:5432/keys?schema=jwkit'), 'postgres://app:***@db.example:5432/keys?schema=jwkit')
    const q = redactUrl('postgresql://db.example/keys?user=app&password=hunter2&sslpassword=s3cret&sslmode=require')
    assert.ok(!q.includes('hunter2') && !q.includes('s3cret'), q)
    assert.match(q, /user=app/)
    assert.match(q, /sslmode=require/)
    assert.match(q, /password=\*\*\*/)
    for (const name of ['PASSWORD', 'access_token', 'api_key', 'client_secret', 'kek']) {
      assert.ok(!redactUrl(`https://h.example/p?${name}=topsecret`).includes('topsecret'), name)
    }
    assert.ok(!redactUrl('https://h.example/cb#access_token=topsecret&x=1').includes('topsecret'))
    assert.equal(redactUrl('sqlite:./data/keys.db'), 'sqlite:./data/keys.db')
  })
  it('an unparseable URL keeps its scheme only (the text may hold anything)', () => {
    assert.equal(redactUrl('postgres://app:hunter2@[bad/keys'), 'postgres:…')
    assert.equal(redactUrl('not a url hunter2'), '…')
  })
})
