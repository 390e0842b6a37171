import { openKeyStore } from '../../src/store/open-key-store.ts'
import { storeConformance } from './helpers/conformance.ts'
import { dropSchema, schemaUrl, skipWithoutPostgres, uniqueSchema } from './helpers/postgres.ts'

const KEK = 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8'

storeConformance('postgres', async () => {
  const schema = uniqueSchema('conf')
  const url = schemaUrl(schema)
  const env = { JWKIT_KEK: KEK }
  return {
    store: await openKeyStore(url, { env, listenRetryMs: 100 }),
    reopen: () => openKeyStore(url, { env }),
    cleanup: () => dropSchema(schema),
  }
}, skipWithoutPostgres)
