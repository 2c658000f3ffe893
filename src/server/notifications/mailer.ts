/** E-mail through SMTP with nodemailer: a small pool of connections, and timeouts so a dead server fails fast. */
import nodemailer from 'nodemailer';
import type { Mailer } from '../../core/notifications/ports.js';

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport({
    url,
    pool: true,
    maxConnections: 4,
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  });
  return {
    async send(m) {
      await transport.sendMail({
        from,
        to: m.to,
        subject: m.subject,
        text: m.text,
        messageId: m.messageId,
        headers: { ...m.headers, 'Content-Language': m.locale },
      });
    },
    async close() {
      transport.close();
    },
  };
}
