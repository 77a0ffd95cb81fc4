// Waits until PostgreSQL and Redis answer. Usage: node wait-for-services.mjs <db-url> <redis-url> <seconds>
// A URL given as "-" is not checked.
import net from "node:net";

const [dbUrl, redisUrl, seconds = "20"] = process.argv.slice(2);

function reachable(rawUrl, defaultPort) {
  const url = new URL(rawUrl);
  return new Promise((resolve) => {
    const socket = net.connect({ host: url.hostname || "127.0.0.1", port: Number(url.port || defaultPort) });
    socket.setTimeout(1_000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

const deadline = Date.now() + Number(seconds) * 1000;
for (;;) {
  const [db, redis] = await Promise.all([
    dbUrl === "-" || reachable(dbUrl, 5432),
    redisUrl === "-" || reachable(redisUrl, 6379),
  ]);
  if (db && redis) process.exit(0);
  if (Date.now() > deadline) {
    if (Number(seconds) > 1)
      console.error(`not reachable: ${[!db && dbUrl, !redis && redisUrl].filter(Boolean).join(", ")}`);
    process.exit(1);
  }
  await new Promise((resolve) => setTimeout(resolve, 250));
}
