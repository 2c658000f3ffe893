/**
 * Configuration from the environment: every variable the server reads is here (and in the README's table).
 */
import { z } from 'zod';

const bool = z
  .enum(['1', '0', 'true', 'false', 'yes', 'no'])
  .transform((v) => v === '1' || v === 'true' || v === 'yes');

const Env = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('0.0.0.0'),
  DATABASE_URL: z.string().default('./data/kyogikai.db'),
  KYOGIKAI_ADMIN_PASSWORD: z.string().min(12).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  TRUST_PROXY: bool.default(false),
  SESSION_IDLE_MINUTES: z.coerce.number().int().min(5).default(480),
  SESSION_MAX_HOURS: z.coerce.number().int().min(1).default(168),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(600),
  LOGIN_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(1).default(20),
  ATTACHMENTS_DIR: z.string().default('./data/attachments'),
  MAX_ATTACHMENT_MB: z.coerce.number().min(0.001).max(1024).default(10),
  CONSULTATION_POW_BITS: z.coerce.number().int().min(0).max(32).default(18),
  CONSULTATION_RATE_LIMIT_PER_HOUR: z.coerce.number().int().min(1).default(10),
  SMTP_URL: z.string().regex(/^smtps?:\/\//, 'smtp://… or smtps://…').optional(),
  MAIL_FROM: z.string().default('kyogikai <noreply@localhost>'),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  WEBHOOK_ALLOW_PRIVATE: bool.default(false),
  REMINDER_HOURS: z.coerce.number().min(0).max(24 * 14).default(6),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(8),
  JOB_LEASE_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
});

export interface ServerConfig {
  port: number;
  host: string;
  databaseUrl: string;
  adminPassword: string | undefined;
  logLevel: string;
  /** Behind a TLS-terminating proxy: trust X-Forwarded-*; cookies become Secure and HSTS is sent. */
  trustProxy: boolean;
  sessionIdleMinutes: number;
  sessionMaxHours: number;
  rateLimitPerMinute: number;
  loginRateLimitPerMinute: number;
  /** Attachments are stored here, outside the web root. */
  attachmentsDir: string;
  maxAttachmentBytes: number;
  /** Proof of work of the public consultation form: leading zero bits of sha256(challenge + nonce) (default 18). */
  consultationPowBits?: number;
  /** Consultations accepted per address and hour (default 10). */
  consultationRateLimitPerHour?: number;
  /** Notifications (src/core/notifications): SMTP server for e-mail (`smtp://user:pass@host:587`); no mail without it. */
  smtpUrl?: string;
  /** Sender of notification e-mails. */
  mailFrom?: string;
  /** The address users reach the platform at, for links in e-mails and webhooks (default http://localhost:PORT). */
  publicUrl?: string;
  /** Deliver webhooks to loopback and private addresses (otherwise refused: SSRF). */
  webhookAllowPrivate?: boolean;
  /** Reminders this many hours before feedback and information-request deadlines (default 6). */
  reminderHours?: number;
  /** Hour (Japan time) of the daily digest e-mail (default 8). */
  digestHourJst?: number;
  /** A job held by a worker that stopped is taken again after this many seconds (default 120). */
  jobLeaseSeconds?: number;
}

/** Read and check the environment; a bad value stops the start with a message naming the variable. */
export function configFromEnv(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = Env.safeParse(present);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration / 設定値が不正です: ${problems}`);
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    adminPassword: e.KYOGIKAI_ADMIN_PASSWORD,
    logLevel: e.LOG_LEVEL,
    trustProxy: e.TRUST_PROXY,
    sessionIdleMinutes: e.SESSION_IDLE_MINUTES,
    sessionMaxHours: e.SESSION_MAX_HOURS,
    rateLimitPerMinute: e.RATE_LIMIT_PER_MINUTE,
    loginRateLimitPerMinute: e.LOGIN_RATE_LIMIT_PER_MINUTE,
    attachmentsDir: e.ATTACHMENTS_DIR,
    maxAttachmentBytes: Math.round(e.MAX_ATTACHMENT_MB * 1024 * 1024),
    consultationPowBits: e.CONSULTATION_POW_BITS,
    consultationRateLimitPerHour: e.CONSULTATION_RATE_LIMIT_PER_HOUR,
    ...(e.SMTP_URL ? { smtpUrl: e.SMTP_URL } : {}),
    mailFrom: e.MAIL_FROM,
    publicUrl: e.PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    webhookAllowPrivate: e.WEBHOOK_ALLOW_PRIVATE,
    reminderHours: e.REMINDER_HOURS,
    digestHourJst: e.DIGEST_HOUR,
    jobLeaseSeconds: e.JOB_LEASE_SECONDS,
  };
}
