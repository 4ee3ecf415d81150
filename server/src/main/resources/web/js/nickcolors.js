// A stable colour per nick, the console client's (client/NickColors.java): Java's String.hashCode
// of the ASCII-lower-cased nick, its low bits spread, one of twelve colours (the ANSI codes
// 31-36 and 91-96, which app.css maps to colours readable in light and dark).

export const PALETTE = [31, 32, 33, 34, 35, 36, 91, 92, 93, 94, 95, 96];

/** Java's String.hashCode: 31-based, over UTF-16 code units, in 32-bit arithmetic. */
function javaHashCode(text) {
  let hash = 0;
  for (let i = 0; i < text.length; i++) {
    hash = (Math.imul(hash, 31) + text.charCodeAt(i)) | 0;
  }
  return hash;
}

/** ContentRules.fold: ASCII letters to lower case, nothing else. */
export function fold(name) {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** The ANSI colour code of a nick, as the console client picks it. */
export function colorOf(nick) {
  let hash = javaHashCode(fold(nick));
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x45d9f3b);
  hash ^= hash >>> 16;
  const n = PALETTE.length;
  return PALETTE[((hash % n) + n) % n];
}
