/** A loopback TCP proxy the test controls: `down()` cuts every connection and refuses new ones; `up()` listens again on the same port. */
import { createServer, connect, type Server, type Socket } from 'node:net'

export interface TcpProxy {
  port: number
  down(): Promise<void>
  /** Silent loss: the open connections stop carrying bytes, with no FIN or RST (new ones work). */
  blackhole(): void
  up(): Promise<void>
  close(): Promise<void>
}

export async function startTcpProxy(targetHost: string, targetPort: number): Promise<TcpProxy> {
  const sockets = new Set<Socket>()
  const pairs = new Set<[Socket, Socket]>()
  const make = (): Server => createServer((client) => {
    const upstream = connect(targetPort, targetHost)
    sockets.add(client).add(upstream)
    pairs.add([client, upstream])
    const end = () => { client.destroy(); upstream.destroy(); sockets.delete(client); sockets.delete(upstream) }
    client.on('error', end).on('close', end)
    upstream.on('error', end).on('close', end)
    client.pipe(upstream)
    upstream.pipe(client)
  })
  let server = make()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as { port: number }).port
  let isUp = true
  const down = async () => {
    if (!isUp) return
    isUp = false
    const closed = new Promise<void>((resolve) => server.close(() => resolve()))
    for (const s of sockets) s.destroy()
    sockets.clear()
    await closed
  }
  return {
    port,
    down,
    async up() {
      if (isUp) return
      server = make()
      await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve))
      isUp = true
    },
    blackhole() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream)
        upstream.unpipe(client)
        client.pause()
        upstream.pause()
      }
      pairs.clear()
    },
    close: down,
  }
}
