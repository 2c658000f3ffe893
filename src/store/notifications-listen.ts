/**
 * PostgreSQL LISTEN on a dedicated connection: every server process hears, at commit, of the events any process
 * appended (the repository NOTIFYs in the appending transaction). The connection comes back by itself after an
 * error, and says so with one more signal, so that the listener catches up on whatever it may have missed.
 */
import pg from 'pg';
import { EVENTS_CHANNEL_PREFIX } from './notifications-repos.js';

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 30_000;

export interface Listening {
  close(): Promise<void>;
}

export function listenForEvents(config: pg.ClientConfig, onSignal: () => void, onError: (err: Error) => void = () => {}): Listening {
  let client: pg.Client | undefined;
  let closed = false;
  let retryMs = RETRY_MIN_MS;
  let timer: NodeJS.Timeout | undefined;

  const reconnectLater = () => {
    if (closed || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
  };

  async function connect(): Promise<void> {
    const c = new pg.Client(config);
    client = c;
    c.on('notification', () => onSignal());
    c.on('error', (err) => {
      onError(err);
      void c.end().catch(() => {});
      reconnectLater();
    });
    c.on('end', () => {
      if (client === c) reconnectLater();
    });
    try {
      await c.connect();
      const schema = (await c.query<{ schema: string }>('select current_schema() as schema')).rows[0]?.schema ?? 'public';
      await c.query(`listen ${pg.escapeIdentifier(EVENTS_CHANNEL_PREFIX + schema)}`);
      if (closed) return void (await c.end());
      retryMs = RETRY_MIN_MS;
      // Anything committed while we were not listening is found by the listener's own catch-up read.
      onSignal();
    } catch (err) {
      onError(err as Error);
      void c.end().catch(() => {});
      reconnectLater();
    }
  }

  void connect();
  return {
    async close() {
      closed = true;
      clearTimeout(timer);
      const c = client;
      client = undefined;
      await c?.end().catch(() => {});
    },
  };
}
