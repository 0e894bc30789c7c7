import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { reasonOf, StartupError } from '../../bootstrap/startup-error';

const formatAddress = (address: string | undefined, port: number | undefined) => {
  const host = !address || address === '::' || address === '0.0.0.0' ? '0.0.0.0' : address;
  return `${host.includes(':') ? `[${host}]` : host}:${port ?? '?'}`;
};

/**
 * Idle keep-alive connections stay open 65 s (Node closes them after 5 s). A client or reverse proxy that
 * reuses a connection just as the server closes it gets ECONNRESET on a request the server never saw (a
 * test's client did, under load, right at 5 s); proxies keep idle connections up to 60 s (nginx, load
 * balancers), so the server must keep them longer. Headers must still arrive within 66 s (> the idle time).
 * A whole request (its body included) must arrive within REQUEST_TIMEOUT_MS, not Node's 5 minutes: a body that
 * stalls holds what was read of it in memory (an upload up to its size limit) until then; 2 minutes still carry
 * the largest upload over a slow mobile link (≈ 1.5 Mbit/s for 20 MB). Node answers a late request 408.
 */
export const REQUEST_TIMEOUT_MS = 120_000;

export function configureConnectionTimeouts(server: http.Server): http.Server {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  return server;
}

/** Listens, or fails with one StartupError naming the address (port taken, no permission, bad host). */
export function listen(app: Express, port: number, host?: string): Promise<{ server: http.Server; address: string }> {
  const server = configureConnectionTimeouts(http.createServer(app));
  return new Promise((resolve, reject) => {
    const onError = (err: NodeJS.ErrnoException & { address?: string; port?: number }) => {
      const why = err.code === 'EADDRINUSE' ? 'address already in use' : err.code === 'EACCES' ? 'permission denied' : reasonOf(err);
      reject(new StartupError(`cannot listen on ${formatAddress(err.address ?? host, err.port ?? port)}: ${why}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const a = server.address() as AddressInfo;
      resolve({ server, address: formatAddress(a.address, a.port) });
    });
  });
}

/**
 * Graceful stop: no new connections, idle keep-alive connections closed, requests in flight allowed
 * to finish for up to `graceMs`; whatever is still open then is cut. Resolves when all are closed.
 */
export function closeGracefully(server: http.Server, graceMs: number): Promise<{ cut: boolean }> {
  return new Promise((resolve) => {
    let cut = false;
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    const grace = setTimeout(() => {
      cut = true;
      server.closeAllConnections();
    }, graceMs);
    server.close(() => {
      clearInterval(idle);
      clearTimeout(grace);
      resolve({ cut });
    });
    server.closeIdleConnections();
  });
}
