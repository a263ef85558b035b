// Socket.IO peer of the Stepcast load benchmark (deploy/loadtest/run.sh starts it; not a product).
// Socket.IO 4.8 + @socket.io/redis-adapter, one room per plan: a client emits "subscribe" with a
// plan id, the server joins it to the room and answers "subscribed". Events arrive from Redis
// through the adapter (published in the @socket.io/redis-emitter format) and are broadcast to the
// room. With --workers N the node cluster module runs N processes on the port (WebSocket transport
// only, so no sticky sessions are needed), each with its own adapter.
//
// usage: node server.js --port 9100 --redis redis://127.0.0.1:6379 [--workers 2]
'use strict';
const cluster = require('node:cluster');
const http = require('node:http');
const path = require('node:path');

const args = {};
for (let i = 2; i + 1 < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const port = Number(args.port || 9100);
const redisUrl = args.redis || 'redis://127.0.0.1:6379';
const workers = Math.max(1, Number(args.workers || 1));
const req = (m) => require(path.join(__dirname, '..', 'node_modules', m));

if (cluster.isPrimary && workers > 1) {
  let ready = 0;
  for (let i = 0; i < workers; i++) {
    const w = cluster.fork();
    w.on('message', (m) => {
      if (m === 'ready' && ++ready === workers) console.log(`socket.io ready on ${port} (${workers} workers)`);
    });
  }
  cluster.on('exit', (w, code, signal) => {
    console.log(`worker ${w.process.pid} exited (${signal || code})`);
    process.exitCode = 1;
  });
  const stop = () => { for (const id in cluster.workers) cluster.workers[id].kill('SIGTERM'); setTimeout(() => process.exit(0), 500); };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
} else {
  main().catch((e) => { console.error(e); process.exit(1); });
}

async function main() {
  const { Server } = req('socket.io');
  const { createAdapter } = req('@socket.io/redis-adapter');
  const { createClient } = req('redis');
  const pub = createClient({ url: redisUrl });
  const sub = pub.duplicate();
  pub.on('error', (e) => console.error('redis pub', e.message));
  sub.on('error', (e) => console.error('redis sub', e.message));
  await Promise.all([pub.connect(), sub.connect()]);
  const server = http.createServer();
  const io = new Server(server, {
    transports: ['websocket'],
    serveClient: false,
    perMessageDeflate: false,
    maxHttpBufferSize: 65536,
  });
  io.adapter(createAdapter(pub, sub));
  io.on('connection', (socket) => {
    socket.on('subscribe', (plan) => {
      if (typeof plan !== 'string' || plan.length > 128) return;
      socket.join(plan);
      socket.emit('subscribed', plan);
    });
  });
  // the adapter's PSUBSCRIBE was sent on the same connection before this PING: when PING answers,
  // the subscription is active
  await sub.ping();
  server.listen(port, '127.0.0.1', () => {
    if (cluster.isWorker) process.send('ready');
    else console.log(`socket.io ready on ${port} (1 worker)`);
  });
  process.on('SIGTERM', () => { io.close(); process.exit(0); });
}
