/**
 * Several real `kyogikai serve` processes on one PostgreSQL (the built code, as `npm start` runs it): a release made
 * through one process reaches a stream subscriber of the other (LISTEN/NOTIFY). Killing a process in the middle of
 * a batch of e-mails is in crash.test.ts.
 */
import { describe, expect, it } from 'vitest';
import type { StreamNotice } from '../core/notifications/model.js';
import { openStream, waitFor } from '../test/notifications.js';
import { councilAt, createPgDatabase, releaseThrough, startServerProcess, type ServerProcess } from '../test/processes.js';
import { dialects } from '../test/stores.js';

const PASSWORD = 'process test password 2026';

describe.runIf(dialects.includes('postgres'))('notifications across server processes on one PostgreSQL', () => {
  it('a release made through one process reaches a stream subscriber of the other', async () => {
    const db = await createPgDatabase(process.env.TEST_DATABASE_URL as string);
    const { c, deps } = await councilAt(db.url, PASSWORD);
    const env = { DATABASE_URL: db.url, KYOGIKAI_ADMIN_PASSWORD: PASSWORD };
    const [a, b] = await Promise.all([startServerProcess(env), startServerProcess(env)]);
    const stream = await openStream(`${(b as ServerProcess).url}/api/v1/stream`, { authorization: `Bearer ${c.type2.token}` });
    try {
      expect(stream.status).toBe(200);
      const id = await releaseThrough(a as ServerProcess, c.type1.token, ['type1', 'type2']);
      await waitFor(() => stream.messages.some((m) => m.event === 'notification'), 'the notice on the other process');
      const notice = JSON.parse(stream.messages.find((m) => m.event === 'notification')?.data as string) as StreamNotice;
      expect(notice).toMatchObject({ kind: 'feedback.requested', link: `/advisories/${id}` });
      // The fan-out ran once, in whichever process took it: one inbox row.
      await waitFor(async () => (await deps.store.read.notifications.inbox.unreadCount(c.type2.userId)) === 1, 'the inbox row');
      await new Promise((r) => setTimeout(r, 500));
      expect(await deps.store.read.notifications.inbox.unreadCount(c.type2.userId)).toBe(1);
    } finally {
      stream.close();
      await Promise.all([a?.stop(), b?.stop()]);
      await deps.store.close();
      await db.drop();
    }
  }, 120_000);
});
