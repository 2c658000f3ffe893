/**
 * Notifications in one server process: the live stream's hub, the job worker (started by `kyogikai serve`, run by
 * hand in tests), and — on PostgreSQL — one LISTEN connection that wakes both when any process commits an event.
 */
import type { Deps } from '../../core/context.js';
import type { Log } from '../../core/notifications/ports.js';
import { createWorker, defaultNotificationConfig, type NotificationConfig, type Worker } from '../../core/notifications/worker.js';
import type { ServerConfig } from '../../config.js';
import { StreamHub } from './hub.js';
import { smtpMailer } from './mailer.js';
import { httpWebhookSender } from './webhook-http.js';

declare module 'fastify' {
  interface FastifyInstance {
    notifications: NotificationRuntime;
  }
}

export interface NotificationRuntime {
  hub: StreamHub;
  worker: Worker;
  /** Something was committed here: look for new events and due jobs now. */
  poke(): void;
  /** Run the worker in the background (what `serve` does). */
  startWorker(): void;
  /** End every stream, finish the jobs in hand, let go of the LISTEN connection. */
  close(): Promise<void>;
}

export function notificationConfig(config: ServerConfig): NotificationConfig {
  const d = defaultNotificationConfig;
  return {
    publicUrl: config.publicUrl ?? `http://localhost:${config.port || 3000}`,
    webhookAllowPrivate: config.webhookAllowPrivate ?? d.webhookAllowPrivate,
    reminderHours: config.reminderHours ?? d.reminderHours,
    digestHourJst: config.digestHourJst ?? d.digestHourJst,
    leaseSeconds: config.jobLeaseSeconds ?? d.leaseSeconds,
  };
}

export function createNotificationRuntime(deps: Deps, config: ServerConfig, log: Log): NotificationRuntime {
  const settings = notificationConfig(config);
  const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl, config.mailFrom ?? 'kyogikai <noreply@localhost>') : null;
  const worker = createWorker({
    deps,
    config: settings,
    mailer,
    webhooks: httpWebhookSender({ allowPrivate: settings.webhookAllowPrivate }),
    log,
  });

  // One LISTEN connection per process, open while the hub has subscribers or the worker runs.
  const users = new Set<'hub' | 'worker'>();
  let listening: { close(): Promise<void> } | undefined;
  const listen = (who: 'hub' | 'worker', on: boolean) => {
    if (on) users.add(who);
    else users.delete(who);
    if (users.size && !listening && deps.store.listen) {
      listening = deps.store.listen(
        () => {
          hub.poke();
          worker.poke();
        },
        (err) => log.warn({ err: err.message }, 'event LISTEN connection failed; reconnecting'),
      );
    } else if (!users.size && listening) {
      void listening.close();
      listening = undefined;
    }
  };

  const postgres = deps.store.dialect === 'postgres';
  const hub = new StreamHub(
    deps,
    // PostgreSQL tells every process at commit, so polling is only the safety net there.
    { pollMs: postgres ? 5000 : 500, heartbeatMs: 20_000, reauthenticateMs: 5 * 60_000, log },
    { start: () => listen('hub', true), stop: () => listen('hub', false) },
  );

  return {
    hub,
    worker,
    poke() {
      hub.poke();
      worker.poke();
    },
    startWorker() {
      listen('worker', true);
      worker.start();
    },
    async close() {
      await hub.close();
      await worker.stop();
      listen('worker', false);
      await mailer?.close();
    },
  };
}
