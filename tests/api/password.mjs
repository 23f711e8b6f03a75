// A random password the server's quality check accepts. cracklib calls a password "too
// systematic" when more than 3 + 0.09 × its length neighbouring characters are one apart (after
// lowercasing), which random text hits about once in 300 draws; such a draw is drawn again, so
// no test fails by chance.
import { randomBytes } from 'node:crypto';

export function strongPassword() {
  for (;;) {
    const pw = randomBytes(18).toString('base64url');
    const s = pw.toLowerCase();
    let steps = 0;
    for (let i = 1; i < s.length; i++) if (Math.abs(s.charCodeAt(i) - s.charCodeAt(i - 1)) === 1) steps++;
    if (steps <= 3) return pw;
  }
}
