// Optional backends (tfjs-node-gpu, tfjs-node, tfjs-backend-webgpu) are not in package.json: they download
// binaries at install time. A user who installs one gets it; everyone else gets one line saying it is absent.

export type OptionalLoad<T> =
  | { loaded: true; module: T }
  | { loaded: false; missing: boolean; reason: string };

/** The load error as one line: native add-ons print multi-line messages and a require stack. */
export function oneLine(e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  const text = message.split(/\n\s*Require stack:/)[0].replace(/\s+/g, ' ').trim();
  return (text.length > 300 ? `${text.slice(0, 300)}…` : text) || 'unknown error';
}

/**
 * require(name), telling "not installed" apart from "installed but failed" (missing CUDA, wrong ABI): only the
 * first is expected. The name is a variable so that bundlers and tsc do not try to resolve it.
 */
export function loadOptional<T>(name: string, requireFn: (id: string) => unknown = require): OptionalLoad<T> {
  try {
    return { loaded: true, module: requireFn(name) as T };
  } catch (e) {
    const code = (e as { code?: string }).code;
    const missing = code === 'MODULE_NOT_FOUND' && oneLine(e).includes(`'${name}'`);
    return { loaded: false, missing, reason: missing ? 'not installed (optional)' : `failed to load: ${oneLine(e)}` };
  }
}
