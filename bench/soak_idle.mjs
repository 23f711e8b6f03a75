// Idle connections for bench/soak.sh: keeps COUNT connections open to the server, spread over
// source addresses 127.0.0.FIRST.. (PER_ADDRESS each, so per-address limits allow them), sending
// nothing. The server closes an idle connection at its header timeout; it is opened again at
// once, so COUNT stay open all along. Runs SECONDS, then prints how many were open at the end,
// the fewest seen, and how often the server closed one.
// Usage: node bench/soak_idle.mjs PORT COUNT PER_ADDRESS FIRST SECONDS
import net from 'node:net';

const [port, count, perAddress, first, seconds] = process.argv.slice(2).map(Number);
const until = Date.now() + seconds * 1000;
let open = 0, fewest = Infinity, closedByServer = 0, failed = 0;

function keep(addr) {
  if (Date.now() >= until) return;
  const s = net.connect({ host: '127.0.0.1', port, localAddress: addr });
  let up = false;
  s.on('connect', () => { up = true; open++; });
  s.on('error', () => { if (!up) failed++; });
  s.on('close', () => {
    if (up) { open--; closedByServer++; }
    setTimeout(() => keep(addr), up ? 0 : 200);
  });
}

for (let i = 0; i < count; i++) {
  keep(`127.0.0.${first + Math.floor(i / perAddress)}`);
  if (i % 250 === 249) await new Promise((r) => setTimeout(r, 50));
}
const settle = Date.now() + 5000;
const timer = setInterval(() => {
  if (Date.now() > settle) fewest = Math.min(fewest, open);
  if (Date.now() >= until) {
    clearInterval(timer);
    console.log(`idle: ${open} open at the end, fewest ${fewest} after the first 5 s, ` +
      `${closedByServer} closed by the server and reopened, ${failed} failed to connect`);
    process.exit(0);
  }
}, 250);
