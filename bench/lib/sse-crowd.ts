/**
 * A separate process holding many SSE connections (the server under test must not share its CPU with the clients'
 * bookkeeping more than the machine forces). Protocol on stdio, one JSON line each:
 *   in:  {"url", "tokens": [...], "match": "substring of the awaited event's data"}
 *   out: {"ready": n} once every stream answered 200 and sent its first bytes,
 *        {"done": n, "lastAt": epoch ms} once every stream received a matching event.
 */
import { request } from 'node:http';
import { createInterface } from 'node:readline';

interface Job {
  url: string;
  tokens: string[];
  match: string;
}

const send = (o: object) => process.stdout.write(`${JSON.stringify(o)}\n`);

async function main(): Promise<void> {
  const line = await new Promise<string>((resolve) => createInterface({ input: process.stdin }).once('line', resolve));
  const job = JSON.parse(line) as Job;
  let ready = 0;
  let done = 0;
  let lastAt = 0;
  const connect = (token: string) =>
    new Promise<void>((resolve, reject) => {
      const req = request(`${job.url}/api/v1/stream`, { headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` }, agent: false }, (res) => {
        if (res.statusCode !== 200) return reject(new Error(`stream answered ${res.statusCode}`));
        let seenFirst = false;
        let matched = false;
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          if (!seenFirst) {
            seenFirst = true;
            if (++ready === job.tokens.length) send({ ready });
            resolve();
          }
          if (matched) return;
          buffer += chunk;
          if (buffer.includes(job.match)) {
            matched = true;
            lastAt = Date.now();
            buffer = '';
            if (++done === job.tokens.length) send({ done, lastAt });
          } else if (buffer.length > 65_536) buffer = buffer.slice(-1024);
        });
        res.on('error', () => {});
      });
      req.on('error', reject);
      req.end();
    });
  // Connect in waves: 10,000 simultaneous handshakes would measure the accept queue, not kyogikai.
  for (let i = 0; i < job.tokens.length; i += 200) await Promise.all(job.tokens.slice(i, i + 200).map(connect));
}

main().catch((err: unknown) => {
  send({ error: (err as Error).message });
  process.exit(1);
});
