// Browser mode: a browser cannot hand the server a path, so files are uploaded (POST /upload, raw bytes) and
// the server answers with the staged path it keeps under the file's name; importPaths then imports those.
import { ApiError, unwrapEnvelope } from './envelope';
import { browserToken, MISSING_TOKEN_MESSAGE, TOKEN_HEADER } from './browser-session';

/** The name the server stages the file under: its path inside a chosen folder, or its file name. */
export function uploadName(file: File): string {
  return file.webkitRelativePath || file.name;
}

/**
 * Uploads one file; `onBytes(loaded)` reports bytes sent so far. XMLHttpRequest rather than fetch because
 * only it reports upload progress. Resolves with the server-side staged path.
 */
export function uploadFile(file: File, onBytes: (loaded: number) => void, signal?: AbortSignal): Promise<string> {
  const token = browserToken();
  if (!token) return Promise.reject(new ApiError(MISSING_TOKEN_MESSAGE, 401));
  const name = uploadName(file);
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', '/upload');
    xhr.setRequestHeader(TOKEN_HEADER, token);
    xhr.setRequestHeader('X-File-Name', encodeURIComponent(name));
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => onBytes(e.loaded);
    xhr.onload = () => {
      try {
        const body: unknown = JSON.parse(xhr.responseText);
        const result = unwrapEnvelope(body, xhr.status, name) as { path?: unknown };
        if (typeof result?.path !== 'string') throw new ApiError(`${name}: the server did not say where it stored the file`);
        onBytes(file.size);
        resolve(result.path);
      } catch (error) {
        reject(error instanceof ApiError ? error : new ApiError(`${name}: upload failed (HTTP ${xhr.status})`, xhr.status));
      }
    };
    xhr.onerror = () => reject(new ApiError(`${name}: upload failed, the server could not be reached`));
    xhr.onabort = () => reject(new ApiError(`${name}: upload cancelled`));
    signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(file);
  });
}
