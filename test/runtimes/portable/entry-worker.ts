// workerd (miniflare): GET /run?base=…&mode=… answers the result as JSON.
import { main, type Mode } from './main.ts'
export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url)
    const result = await main('workerd', url.searchParams.get('base')!, url.searchParams.get('mode') as Mode)
    return new Response(JSON.stringify(result), { headers: { 'content-type': 'application/json' } })
  },
}
