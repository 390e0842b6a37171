import { openKeyStore } from '../../src/store/open-key-store.ts'
import { storeConformance } from './helpers/conformance.ts'

storeConformance('memory', async () => ({ store: await openKeyStore('memory:'), cleanup: async () => {} }))
