// Browser mode: the same renderer and the same typed API over HTTP and WebSocket, bound to
// 127.0.0.1 only, guarded by a random per-run token (header for HTTP, query for the WebSocket)
// and by Host/Origin checks against DNS rebinding. The page makes its calls over the WebSocket
// (ws-channel.ts); POST /api/<method> stays for scripts and curl. No request, however malformed,
// may end the server: every handler answers a bad request with a 4xx and goes on serving.
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { dirname, join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiRequest } from '../../src-shared/api/schema';
import { uploadReply } from '../../src-shared/api/transport';
import { ApiError, httpStatus } from '../services/api-errors';
import type { ServiceContext } from '../services/context';
import { apiMethodOrThrow, createDispatcher } from '../services/dispatch';
import { removeStaleStaging, runStagingFolder } from './staging';
import { findRendererDir, staticFile } from './static-files';
import { MAX_WS_MESSAGE_BYTES, serveApiSocket } from './ws-channel';

export const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws://127.0.0.1:*; font-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
const MAX_JSON_BYTES = 1 << 20;
const MAX_UPLOAD_BYTES = 2 ** 31;

export interface BrowserServer { url: string; port: number; token: string; server: Server; stagingDir: string; close: () => Promise<void> }

export interface BrowserServerOptions {
  port?: number;
  /** Called once, when the first page opens its WebSocket with the token (a hand-over page can go now). */
  onPageConnected?: () => void;
}

function tokenMatches(expected: Buffer, given: string | undefined | null): boolean {
  if (!given) return false;
  const g = Buffer.from(given);
  return g.length === expected.length && timingSafeEqual(g, expected);
}

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff' });
  res.end(text);
}

function fail(res: ServerResponse, status: number, message: string, code = 'bad-request'): void {
  send(res, status, { ok: false, error: { code, message } });
}

/** A bare HTTP answer on a raw socket (upgrade requests and unparsable ones have no ServerResponse). */
function rejectSocket(socket: Duplex, status: number, reason: string): void {
  if (socket.writable) socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  socket.destroy();
}

/** The request-target as a URL, or null when it is not one (`GET http://[ HTTP/1.1`): a 400, never a throw. */
export function parseRequestTarget(target: string | undefined, port: number): URL | null {
  try {
    return new URL(target ?? '/', `http://127.0.0.1:${port}`);
  } catch {
    return null;
  }
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ApiError('bad-request', `request body larger than ${limit} bytes`);
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** A staged upload keeps its (relative) file name, because formats are named by it (GaCo01_01.txt). */
function stagedPath(stagingDir: string, rawName: string): string | null {
  let name: string;
  try {
    name = decodeURIComponent(rawName);
  } catch {
    return null;
  }
  const parts = name.split(/[\\/]+/).filter((p) => p && p !== '.' && p !== '..' && !p.startsWith('.'));
  if (parts.length === 0 || parts.some((p) => /[\0:]/.test(p))) return null;
  const full = normalize(join(stagingDir, ...parts));
  return full.startsWith(stagingDir + sep) ? full : null;
}

export async function startBrowserServer(ctx: ServiceContext, opts: BrowserServerOptions = {}): Promise<BrowserServer> {
  const token = randomBytes(24).toString('base64url');
  const expected = Buffer.from(token);
  const dispatch = createDispatcher(ctx);
  const rendererDir = findRendererDir();
  const sockets = new Set<WebSocket>();
  // Runs that were killed could not clean up after themselves: their folders go now.
  removeStaleStaging(ctx.stagingDir);
  const staging = runStagingFolder(ctx.stagingDir);
  let port = 0;
  let pageConnected = false;

  const hostOk = (req: IncomingMessage) => req.headers.host === `127.0.0.1:${port}` || req.headers.host === `localhost:${port}`;
  const originOk = (req: IncomingMessage) => !req.headers.origin || req.headers.origin === `http://127.0.0.1:${port}` || req.headers.origin === `http://localhost:${port}`;

  const server = createServer(async (req, res) => {
    try {
      if (!hostOk(req)) return fail(res, 421, 'wrong Host header');
      const url = parseRequestTarget(req.url, port);
      if (!url) return fail(res, 400, 'malformed request target');
      if (url.pathname.startsWith('/api/') || url.pathname === '/upload') {
        if (req.method !== 'POST') return fail(res, 405, 'POST only');
        if (!originOk(req)) return fail(res, 403, 'cross-origin request refused');
        if (!tokenMatches(expected, req.headers['x-gaitlab-token'] as string | undefined)) return fail(res, 401, 'missing or wrong token', 'unauthorized');
        if (url.pathname === '/upload') {
          const target = stagedPath(staging.dir, String(req.headers['x-file-name'] ?? ''));
          if (!target) return fail(res, 400, 'X-File-Name header missing or not a plain relative file name');
          mkdirSync(dirname(target), { recursive: true });
          let size = 0;
          req.on('data', (c: Buffer) => { size += c.length; if (size > MAX_UPLOAD_BYTES) req.destroy(new Error('upload too large')); });
          try {
            await pipeline(req, createWriteStream(target));
          } catch (e) {
            rmSync(target, { force: true }); // a broken upload leaves no partial file to import
            throw e;
          }
          return send(res, 200, { ok: true, result: uploadReply.parse({ path: target }) });
        }
        if (!String(req.headers['content-type'] ?? '').startsWith('application/json')) return fail(res, 415, 'Content-Type must be application/json');
        const method = apiMethodOrThrow(url.pathname.slice('/api/'.length));
        const body = await readBody(req, MAX_JSON_BYTES);
        let payload: unknown;
        try {
          payload = body.length ? JSON.parse(body.toString('utf8')) : {};
        } catch {
          return fail(res, 400, 'request body is not valid JSON');
        }
        // A script that hangs up has given up on the call: cancel it (an import stops between files).
        const abort = new AbortController();
        res.on('close', () => { if (!res.writableFinished) abort.abort(); });
        const result = await dispatch(method, payload as ApiRequest<typeof method>, { signal: abort.signal });
        return send(res, 200, { ok: true, result });
      }
      if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'method not allowed');
      if (!rendererDir) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        return res.end('The GaitLab UI is not built: run `npm run build` first.');
      }
      const file = staticFile(rendererDir, url.pathname);
      if (!file) {
        res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
        return res.end('not found');
      }
      res.writeHead(200, { 'Content-Type': file.type, 'Content-Security-Policy': CSP, 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer', 'X-Frame-Options': 'DENY' });
      res.end(req.method === 'HEAD' ? undefined : file.body);
    } catch (e) {
      if (res.headersSent || res.destroyed) return res.destroy();
      if (e instanceof ApiError) return fail(res, httpStatus(e.code), e.message, e.code);
      return fail(res, 500, (e as Error).message.split('\n')[0], 'internal');
    }
  });

  // Requests Node cannot parse (bad method, absurd or huge headers): a 400 on that connection, nothing more.
  server.on('clientError', (_err, socket) => rejectSocket(socket, 400, 'Bad Request'));
  // A proxy tunnel (CONNECT) is not served here: answered 405, where Node would close the socket without a word.
  server.on('connect', (_req, socket) => {
    socket.on('error', () => socket.destroy());
    rejectSocket(socket, 405, 'Method Not Allowed');
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    try {
      socket.on('error', () => socket.destroy());
      const url = parseRequestTarget(req.url, port);
      if (!url) return rejectSocket(socket, 400, 'Bad Request');
      if (!hostOk(req) || !originOk(req) || url.pathname !== '/ws' || !tokenMatches(expected, url.searchParams.get('token'))) {
        return rejectSocket(socket, 401, 'Unauthorized');
      }
      if (!pageConnected) {
        pageConnected = true;
        opts.onPageConnected?.();
      }
      wss.handleUpgrade(req, socket, head, (ws) => {
        sockets.add(ws);
        serveApiSocket(ws, dispatch, ctx.events);
        ws.on('close', () => sockets.delete(ws));
      });
    } catch {
      rejectSocket(socket, 400, 'Bad Request');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as { port: number }).port;
  let closing: Promise<void> | null = null;
  return {
    url: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    server,
    stagingDir: staging.dir,
    close: () => (closing ??= new Promise<void>((resolve) => {
      // Terminating a socket closes its session, which cancels its calls in flight.
      for (const s of sockets) s.terminate();
      wss.close();
      staging.remove();
      server.close(() => resolve());
      server.closeAllConnections?.();
    })),
  };
}
