// The HTTP floors of TAXII: a bare Node server, no authentication, no policy, no database. Every GET is answered with
// the bytes of one page, read from the file PAGE_FILE at start (if given); every POST is read, parsed as JSON and
// answered 202 with a status counting its objects. BUSY_MS: that much synchronous work before each answer (the load
// workload's bare server).
import { readFileSync } from 'node:fs';
import http from 'node:http';
const page = process.env.PAGE_FILE ? readFileSync(process.env.PAGE_FILE) : Buffer.from('{"more":false}');
const busyMs = Number(process.env.BUSY_MS ?? 0);
http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok');
    for (const start = performance.now(); performance.now() - start < busyMs; );
    if (req.method === 'POST') {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const count = JSON.parse(Buffer.concat(chunks).toString('utf8')).objects.length;
        res.writeHead(202, { 'content-type': 'application/taxii+json;version=2.1' });
        res.end(JSON.stringify({ id: 'bare', status: 'complete', total_count: count, success_count: count, failure_count: 0, pending_count: 0 }));
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1' });
    res.end(page);
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
