import { randomBytes } from 'node:crypto';

// Crockford base32 without I, L, O, U: readable over the phone, no look-alike characters.
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A random id such as `S-7KQ2M9XC`: 40 bits, so collisions are negligible for a lab's lifetime. */
export function newId(prefix: string): string {
  const bytes = randomBytes(5);
  let bits = 0n;
  for (const b of bytes) bits = (bits << 8n) | BigInt(b);
  let out = '';
  for (let i = 0; i < 8; i++) {
    out = ALPHABET[Number(bits & 31n)] + out;
    bits >>= 5n;
  }
  return `${prefix}-${out}`;
}
