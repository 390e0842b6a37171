import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openKeyStore } from '../../src/store/open-key-store.ts'
import { storeConformance } from './helpers/conformance.ts'

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'

storeConformance('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'jwkit-sqlite-'))
  const url = `sqlite:${join(dir, 'keys.db')}`
  const env = { JWKIT_KEK: KEK }
  return {
    store: await openKeyStore(url, { env }),
    reopen: () => openKeyStore(url, { env }),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  }
})
