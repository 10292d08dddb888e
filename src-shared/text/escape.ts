// Text copied from a file into a message must not reach a terminal (or a log viewer) as control bytes:
// ESC, BEL or a C1 CSI could move the cursor, retitle the window or hide the rest of the line.

/** C0 controls (tab and newline included: a message is one line), DEL and the C1 range U+0080–U+009F. */
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;

/** Shows every control character as a visible escape: ESC → `\x1b`, BEL → `\x07`, CSI (U+009B) → `\x9b`. */
export function escapeControl(text: string): string {
  return text.replace(CONTROL, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
}

/** Text as HTML content or attribute value: the five characters HTML gives meaning to, escaped. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
