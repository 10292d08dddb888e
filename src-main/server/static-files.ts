import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8', '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon',
  '.json': 'application/json', '.woff2': 'font/woff2', '.map': 'application/json',
};

/** The built renderer: dist/renderer, found from the compiled and the source location alike. */
export function findRendererDir(): string | null {
  const candidates = [resolve(__dirname, '../../renderer'), resolve(__dirname, '../../dist/renderer')];
  return candidates.find((c) => existsSync(join(c, 'index.html'))) ?? null;
}

/** Resolves a URL path inside `root`, refusing anything that escapes it. */
export function staticFile(root: string, urlPath: string): { body: Buffer; type: string } | null {
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0]);
  } catch {
    return null;
  }
  if (rel === '/' || rel === '') rel = '/index.html';
  const full = normalize(join(root, rel));
  if (!full.startsWith(root + sep)) return null;
  if (!existsSync(full) || !statSync(full).isFile()) return null;
  return { body: readFileSync(full), type: TYPES[extname(full)] ?? 'application/octet-stream' };
}
