import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
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
 * A whole request (its body included) must arrive within `requestTimeoutMs`, not Node's 5 minutes: a body that
 * stalls holds what was read of it in memory (an upload up to its size limit) until then. 2 minutes, or longer when
 * the largest upload (MAX_UPLOAD_MB) needs it over a slow mobile link (SLOW_LINK_BITS_PER_SECOND: 20 MB ≈ 112 s).
 * Node answers a late request 408 (with the API's JSON error body: `answerClientError`).
 */
export const SLOW_LINK_BITS_PER_SECOND = 1_500_000;
export const requestTimeoutMs = (maxUploadBytes: number) => Math.max(120_000, Math.ceil((maxUploadBytes * 8 * 1000) / SLOW_LINK_BITS_PER_SECOND));

export function configureConnectionTimeouts(server: http.Server, maxUploadBytes = 0): http.Server {
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.requestTimeout = requestTimeoutMs(maxUploadBytes);
  server.on('clientError', answerClientError);
  return server;
}

const CLIENT_ERRORS: Record<string, { status: number; code: string; message: string; messageEn: string }> = {
  HPE_HEADER_OVERFLOW: { status: 431, code: 'HEADERS_TOO_LARGE', message: '请求头过大', messageEn: 'Request headers too large' },
  ERR_HTTP_REQUEST_TIMEOUT: { status: 408, code: 'REQUEST_TIMEOUT', message: '请求超时', messageEn: 'Request timed out' },
};
const MALFORMED = { status: 400, code: 'MALFORMED_REQUEST', message: '请求格式不正确', messageEn: 'Malformed HTTP request' };

/**
 * A request Node cannot parse (a negative Content-Length, broken framing, headers too large, too slow) never reaches
 * the app: Node answers it itself with a bare status line. Here it gets the API's JSON error body like every other
 * refusal, and the connection is closed (what follows on it cannot be trusted). A socket already gone is only destroyed.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable || err.code === 'ECONNRESET') {
    socket.destroy();
    return;
  }
  const e = CLIENT_ERRORS[err.code ?? ''] ?? MALFORMED;
  const body = JSON.stringify({ error: { code: e.code, message: e.message, messageEn: e.messageEn } });
  socket.end(`HTTP/1.1 ${e.status} ${http.STATUS_CODES[e.status]}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** Listens, or fails with one StartupError naming the address (port taken, no permission, bad host). */
export function listen(app: Express, port: number, host?: string, maxUploadBytes = 0): Promise<{ server: http.Server; address: string }> {
  const server = configureConnectionTimeouts(http.createServer(app), maxUploadBytes);
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
