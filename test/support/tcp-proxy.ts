import net from 'node:net';
import { freePort } from '../../scripts/support/server-process';

/**
 * A TCP forwarder to a MySQL server on a free port, listening only once `open()` is called;
 * `close()` cuts every connection through it and stops listening (the database "goes away"),
 * and `open()` brings it back on the same port.
 */
export async function tcpProxy(target: URL) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(target.port || 3306), target.hostname);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    client.pipe(upstream).pipe(client);
  });
  return {
    port,
    open: () => new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve)),
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
