// The HTTP floor of TAXII paging: a bare Node server that answers every GET with the bytes of one page, read from
// the file PAGE_FILE at start — no authentication, no policy, no database.
import { readFileSync } from 'node:fs';
import http from 'node:http';
const page = readFileSync(process.env.PAGE_FILE);
http
  .createServer((req, res) => {
    if (req.url === '/healthz') return res.end('ok');
    res.writeHead(200, { 'content-type': 'application/taxii+json;version=2.1' });
    res.end(page);
  })
  .listen(Number(process.env.PORT), '127.0.0.1');
