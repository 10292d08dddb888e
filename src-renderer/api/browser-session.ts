// Browser mode: the page is opened as http://127.0.0.1:PORT/#token=XXXX. The token is read from the URL once,
// kept in sessionStorage (so a reload keeps working) and removed from the visible URL, history and bookmarks.
const TOKEN_KEY = 'gaitlab.token';

let token: string | null = null;

function takeTokenFromUrl(): void {
  const match = /^#(?:.*&)?token=([^&]*)/.exec(window.location.hash);
  if (!match) return;
  const fromUrl = decodeURIComponent(match[1]);
  if (fromUrl) {
    try {
      window.sessionStorage.setItem(TOKEN_KEY, fromUrl);
    } catch {
      // Storage can be disabled; the token then lives only as long as this page.
    }
    token = fromUrl;
  }
  window.history.replaceState(window.history.state, '', window.location.pathname + window.location.search + '#/');
}

/** Call before anything reads location.hash (the router), so the token never reaches it. */
export function initBrowserSession(): void {
  takeTokenFromUrl();
  if (token === null) {
    try {
      token = window.sessionStorage.getItem(TOKEN_KEY);
    } catch {
      token = null;
    }
  }
}

export function browserToken(): string | null {
  return token;
}

export const TOKEN_HEADER = 'X-GaitLab-Token';

export const MISSING_TOKEN_MESSAGE =
  'No access token: open GaitLab from the link that `gaitlab serve` printed (it ends in #token=…).';
