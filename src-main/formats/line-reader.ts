/**
 * Reads a text header one line at a time (LF or CRLF, latin1), keeping the 1-based number of the last line
 * read and the byte offset where the next one starts, so the data section can be parsed from there.
 */
export class LineReader {
  /** Byte offset of the next line. */
  pos = 0;
  /** 1-based number of the line last returned (0 before the first). */
  lineNo = 0;

  constructor(private readonly bytes: Buffer) {}

  next(): string | null {
    const { bytes } = this;
    if (this.pos >= bytes.length) return null;
    let end = bytes.indexOf(10, this.pos);
    if (end < 0) end = bytes.length;
    const text = bytes.toString('latin1', this.pos, end).replace(/\r$/, '');
    this.pos = end + 1;
    this.lineNo++;
    return text;
  }
}
