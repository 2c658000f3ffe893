// Baseline for the fan-out: a bare Node server that keeps SSE responses open and writes one event to all of them
// on POST /go — no authentication, no policy, no database.
import http from 'node:http';
const clients = new Set();
http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok');
    if (req.url === '/go') {
      const event = `event: notification\ndata: {"link":"/advisories/bare"}\n\n`;
      for (const c of clients) c.write(event);
      return res.end('sent');
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('retry: 5000\n\n');
    clients.add(res);
    req.on('close', () => clients.delete(res));
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
