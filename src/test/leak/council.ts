/**
 * Random councils for the leak test: fast-check arbitraries of organisations (every class, the designated
 * corporation, suspended and deactivated ones, foreign capital with and without the committee's special approval),
 * their users (roles, TOTP or not, committee members, rules accepted or not) and credentials (full and read-only API
 * tokens, revoked and expired ones, browser sessions), and of the information they share (reports with comments,
 * attachments and links, countermeasure information at every stage and TLP, TLP:RED recipients, feedback,
 * consultations asked of the wider council, information requests and their answers), and where notices go (each
 * user's e-mail preference, organisations' webhooks).
 *
 * `buildCouncil` writes one such council straight into a fresh database (as src/test/sharing-council.ts does), which
 * also reaches states the use cases refuse, such as a foreign-capital Type 2 member without special approval: the
 * policy must hold whatever the data. Every secret text carries a canary (`canary(kind, id)`) so that any answer can
 * be searched for what it reveals, whatever its format.
 *
 * What happens is told as the use cases tell it: each item written is followed by the notice its use case records
 * (src/core/notifications/notices.ts) in the same transaction, and the real worker then turns the events into inbox
 * rows, e-mails to an SMTP server and webhook calls to an HTTP receiver, both started in this process.
 */
import fc from 'fast-check';
import { anonymous, type Actor } from '../../core/actor.js';
import { iso, newId, type Deps } from '../../core/context.js';
import { randomToken, sha256 } from '../../core/crypto.js';
import { membershipDefaults } from '../../core/membership/model.js';
import type { MemberClass, Organization, UserRole } from '../../core/model.js';
import { audienceCollectionId, audiences } from '../../core/interop/collections.js';
import { publishAdvisory, publishFeedback, publishReport } from '../../core/interop/publish.js';
import { recordLedger } from '../../core/sharing/ledger.js';
import { stages, tlps, type AdvisoryContent, type Observable, type Stage, type Tlp } from '../../core/sharing/model.js';
import type { WidenStage } from '../../core/sharing/requests-model.js';
import type { AdvisoryRecord, ReportRecord } from '../../core/sharing/ports.js';
import { newTotpSecret } from '../../core/totp.js';
import { webhookEventTypes, type EmailPreference } from '../../core/notifications/model.js';
import { noticeConsultation, noticeConsulter, noticeContribution, noticeRelease, noticeReply, noticeReport, noticeRequest, noticeWidened } from '../../core/notifications/notices.js';
import type { UserRecord } from '../../core/ports.js';
import type { InfoRequestRecord } from '../../core/sharing/requests-ports.js';
import { authenticateSession, authenticateToken, userActor } from '../../core/usecases/auth.js';
import { buildApp } from '../../server/app.js';
import type { App } from '../../server/routes/types.js';
import type { Dialect } from '../../store/index.js';
import { startHttpReceiver, startSmtpReceiver, type HttpReceiver, type SmtpReceiver } from '../notifications.js';
import { createTestStore, testDeps, testServerConfig, type TestClock, type TestStore } from '../stores.js';

// ------------------------------------------------------------------ what fast-check generates

/** True with probability about `p`. */
const chance = (p: number) => fc.integer({ min: 0, max: 99 }).map((n) => n < p * 100);

const userSpec = fc.record({
  role: fc.constantFrom<UserRole>('admin', 'analyst', 'analyst', 'viewer'),
  totp: fc.boolean(),
  committee: chance(0.2),
  acceptsRules: chance(0.8),
  active: chance(0.9),
  /** Besides the full token every user has. */
  readOnlyToken: fc.boolean(),
  session: chance(0.3),
  /** A token the server must refuse. */
  deadToken: fc.constantFrom(null, null, null, 'revoked' as const, 'expired' as const),
});

const orgSpec = fc.record({
  memberClass: fc.constantFrom<MemberClass>('none', 'general', 'general', 'type2', 'type2', 'type1', 'type1'),
  /** Only a Type 1 organisation is made the designated corporation. */
  designated: chance(0.3),
  foreignCapital: chance(0.3),
  specialApproval: fc.boolean(),
  suspended: chance(0.2),
  active: chance(0.9),
  users: fc.array(userSpec, { minLength: 1, maxLength: 2 }),
});

/** Indices into the council's users or organisations, taken modulo their number. */
const who = fc.nat({ max: 50 });
/** Observables come from a small pool, so that items share some ("also in …" correlation). */
const observable = fc.option(fc.integer({ min: 0, max: 2 }), { nil: null });

const reportSpec = fc.record({
  author: who,
  tlp: fc.constantFrom<Tlp>(...tlps),
  recipients: fc.array(who, { maxLength: 2 }),
  providerNamed: fc.boolean(),
  isConsultation: chance(0.3),
  comments: fc.array(fc.record({ author: who, kind: fc.constantFrom('comment' as const, 'original' as const, 'reply' as const) }), { maxLength: 2 }),
  attachment: chance(0.4),
  observable,
  /** A link to an earlier report. */
  linkTo: fc.option(who, { nil: null }),
});

const advisorySpec = fc.record({
  author: who,
  stage: fc.constantFrom<Stage>(...stages),
  tlp: fc.constantFrom<Tlp>(...tlps),
  recipients: fc.array(who, { maxLength: 2 }),
  versions: fc.constantFrom(1, 2),
  observable,
  feedbackBy: fc.array(who, { maxLength: 2 }),
});

const consultationSpec = fc.record({
  widened: fc.constantFrom<WidenStage | null>(null, 'type2', 'members'),
  councilAnswerBy: fc.option(who, { nil: null }),
  memberAnswerBy: fc.option(who, { nil: null }),
});

const requestSpec = fc.record({
  recipients: fc.array(who, { maxLength: 3 }),
  answeredBy: fc.array(who, { maxLength: 2 }),
});

export const councilSpec = fc.record({
  secretariatUsers: fc.array(userSpec, { minLength: 1, maxLength: 2 }),
  orgs: fc.array(orgSpec, { minLength: 2, maxLength: 6 }),
  /** Rulebooks in force: users who have not accepted them see only public information. */
  rulebooks: chance(0.4),
  reports: fc.array(reportSpec, { maxLength: 5 }),
  advisories: fc.array(advisorySpec, { maxLength: 6 }),
  consultations: fc.array(consultationSpec, { maxLength: 2 }),
  requests: fc.array(requestSpec, { maxLength: 2 }),
  /** Lists are read in pages of this size, so keyset paging is part of every channel. */
  pageSize: fc.constantFrom(1, 2, 200),
  /** Where notices go, by user and organisation in turn (generated last, so that a seed builds the same council as before). */
  delivery: fc.record({
    /** Mandatory notices are mailed whatever this says; a digest waits for the next morning, after the test. */
    email: fc.array(fc.constantFrom<EmailPreference>('immediate', 'immediate', 'digest', 'off'), { minLength: 1, maxLength: 5 }),
    /**
     * The first organisations (the secretariat first): a webhook for every event, registered by one more user of its
     * own (mostly an administrator, who may register one; the others stand for one demoted since). That user authors
     * nothing, so the rest of the council stays as the seed built it before.
     */
    webhook: fc.array(fc.option(fc.record({ role: fc.constantFrom<UserRole>('admin', 'admin', 'admin', 'viewer'), totp: fc.boolean(), acceptsRules: chance(0.8), active: chance(0.9) }), { nil: null, freq: 2 }), { maxLength: 3 }),
  }),
});
export type CouncilSpec = typeof councilSpec extends fc.Arbitrary<infer T> ? T : never;

// ------------------------------------------------------------------ the built council

/** Marks a secret text: `canaryPattern` finds every one in any answer. */
export const canary = (kind: RefKind, id: string): string => `LEAK_${kind}_${id}`;
export const canaryPattern = /LEAK_([a-z]+)_([0-9a-f-]{36})/g;

/**
 * Something an answer can reveal. Items and texts are found by their canaries; `provider`, `author` and the
 * `gate:*` kinds are read from the answer's structure (a named provider, an answered status).
 */
export type RefKind =
  | 'report'
  | 'comment'
  | 'attachment'
  | 'provider'
  | 'advisory'
  | 'author'
  | 'tally'
  | 'releasecheck'
  | 'feedback'
  | 'consultation'
  | 'question'
  | 'memberanswer'
  | 'campaign'
  | 'request'
  | 'requestanswer'
  /** An audience collection (TAXII) by its audience: listed to those the policy lets read that audience. */
  | 'collection'
  | `gate:${string}`;
export interface Ref {
  kind: RefKind;
  id: string;
  /** In `covered` only: the channel must show this ref where the policy allows it and also allows `given` (its parent). */
  given?: Ref;
}
export const refKey = (r: Ref): string => `${r.kind}:${r.id}`;

/** Who asks: credentials, and the actor the server's own authentication code makes of them. */
export interface Principal {
  label: string;
  headers: Record<string, string>;
  /** 'refused': credentials the server must answer 401 to (revoked or expired token, deactivated account). */
  actor: Actor | 'refused';
  /** The user's full token: stands for the user where a channel delivers per user, not per credential (e-mail, webhooks). */
  primaryOf?: CouncilUser;
}

export interface CouncilUser {
  id: string;
  orgId: string;
  login: string;
  email: string;
  emailPreference: EmailPreference;
}

/** The council as written, for the channels (what to ask about) and the oracle (the facts the policy needs). */
export interface Council {
  orgs: Organization[];
  users: CouncilUser[];
  principals: Principal[];
  pageSize: number;
  reports: { id: string; orgId: string; userId: string; stage: Stage; tlp: Tlp; providerNamed: boolean; recipients: string[] }[];
  comments: { id: string; reportId: string; orgId: string; audience: 'type1' | 'provider' }[];
  attachments: { id: string; reportId: string; bytes: Buffer }[];
  links: { from: string; to: string }[];
  advisories: { id: string; orgId: string; userId: string; stage: Stage; tlp: Tlp; version: number; recipients: string[] }[];
  feedback: { id: string; advisoryId: string; orgId: string }[];
  consultations: { id: string; widenedStage: WidenStage | null }[];
  memberAnswers: { id: string; consultationId: string; orgId: string }[];
  campaigns: { id: string }[];
  requests: { id: string; recipients: string[] }[];
  requestAnswers: { id: string; requestId: string; orgId: string }[];
  /** Every STIX object the release use cases published, per audience collection, with what its text reveals. */
  stix: { collection: string; stixId: string; refs: Ref[] }[];
  /** Organisations' webhooks (at most one each), with the user who registered it: it acts with that user's rights. */
  webhooks: { orgId: string; createdBy: string; path: string }[];
}

export interface LeakWorld {
  app: App;
  /** The server listening on 127.0.0.1, for the live stream (it never ends, so `inject` cannot read it). */
  base: string;
  deps: Deps & { clock: TestClock };
  db: TestStore;
  council: Council;
  /** What the notification worker delivered: every mail, every webhook call. */
  smtp: SmtpReceiver;
  hooks: HttpReceiver;
  close(): Promise<void>;
}

const pool: Observable[] = [
  { type: 'ipv4', value: '203.0.113.7' },
  { type: 'domain', value: 'evil.example.com' },
  { type: 'sha256', value: 'a'.repeat(64) },
];

const content = (id: string, title: string, extra: Observable | null): AdvisoryContent => ({
  title,
  summary: `Summary ${canary('advisory', id)}`,
  threat: `Threat ${canary('advisory', id)}`,
  actions: `Patch. ${canary('advisory', id)}`,
  affectedProducts: [],
  sectors: [],
  indicators: extra ? [extra] : [],
  confidence: 'medium',
});

const pick = <T>(list: readonly T[], i: number): T => list[i % list.length] as T;

/**
 * A fresh database and server for one council. The secretariat is written directly too (no `bootstrap`, whose
 * password hashing would dominate a run), and no password is ever needed: principals use tokens and sessions.
 */
export async function buildCouncil(dialect: Dialect, spec: CouncilSpec): Promise<LeakWorld> {
  const db = await createTestStore(dialect);
  const deps = testDeps(db.store);
  const smtp = await startSmtpReceiver();
  const hooks = await startHttpReceiver();
  const app = await buildApp({ deps, config: { ...testServerConfig, smtpUrl: smtp.url, publicUrl: 'https://kyogikai.example.jp', webhookAllowPrivate: true }, logger: false });
  await app.ready();
  const now = deps.now();
  const at = iso(now);
  const day = 86_400_000;

  const council: Council = {
    orgs: [],
    users: [],
    principals: [{ label: 'anonymous', headers: {}, actor: anonymous }],
    pageSize: spec.pageSize,
    reports: [],
    comments: [],
    attachments: [],
    links: [],
    advisories: [],
    feedback: [],
    consultations: [],
    memberAnswers: [],
    campaigns: [],
    requests: [],
    requestAnswers: [],
    stix: [],
    webhooks: [],
  };
  /** Credentials to resolve into actors once everything is written. */
  const credentials: { label: string; token?: string; session?: string; primaryOf?: CouncilUser }[] = [];
  /** Who caused an event, as a use case would have it (only the user and the organisation matter to a notice). */
  const records = new Map<string, { user: UserRecord; org: Organization }>();
  const registrants = new Set<string>();
  const actorOf = (userId: string) => {
    const { user, org } = records.get(userId) as { user: UserRecord; org: Organization };
    return userActor(user, org, true, { via: 'session', readOnly: false });
  };

  await deps.store.tx(async (r) => {
    const orgSpecs = [
      { memberClass: 'none' as const, designated: false, foreignCapital: false, specialApproval: false, suspended: false, active: true, users: spec.secretariatUsers, secretariat: true },
      ...spec.orgs.map((o) => ({ ...o, secretariat: false })),
    ];
    const rulebookIds: string[] = [];
    if (spec.rulebooks) {
      for (const kind of ['council_rules', 'taskforce_rules', 'confidentiality_pledge'] as const) {
        const id = newId();
        rulebookIds.push(id);
        await r.rulebooks.insert({ id, kind, version: 1, titleJa: kind, titleEn: kind, bodyMd: '# 規約', effectiveAt: iso(new Date(now.getTime() - day)), createdAt: at, createdBy: 'leak-test' });
      }
    }

    for (const [i, o] of orgSpecs.entries()) {
      const orgId = newId();
      const designated = o.designated && o.memberClass === 'type1';
      const org: Organization = {
        id: orgId,
        nameJa: `組織${i}`,
        nameEn: `Org ${i} (${o.secretariat ? 'secretariat' : o.memberClass}${designated ? ', designated' : ''})`,
        category: o.secretariat ? 'national_agency' : 'cyber_business',
        sector: null,
        foreignCapital: o.foreignCapital,
        memberClass: o.memberClass,
        designated,
        isSecretariat: o.secretariat,
        active: o.active,
        createdAt: at,
        updatedAt: at,
        ...membershipDefaults(),
        status: o.suspended ? 'suspended' : 'member',
        specialApproval: o.foreignCapital && o.specialApproval ? { at, reason: '特別承認' } : null,
        foreignCapitalShare: o.foreignCapital ? 60 : null,
        rosterConsent: true,
      };
      await r.organizations.insert(org);
      council.orgs.push(org);

      const registrant = spec.delivery.webhook[i] ?? null;
      const orgUsers = [...o.users, ...(registrant ? [{ ...registrant, committee: false, readOnlyToken: false, session: false, deadToken: null }] : [])];
      for (const [j, u] of orgUsers.entries()) {
        const userId = newId();
        const login = `u${i}x${j}`;
        const user: UserRecord = {
          id: userId,
          orgId,
          login,
          displayName: login,
          email: `${login}@example.jp`,
          role: u.role,
          locale: 'ja',
          totpEnabled: u.totp,
          active: u.active,
          lastLoginAt: null,
          createdAt: at,
          passwordHash: '!unset',
          totpSecret: u.totp ? newTotpSecret() : null,
          totpPendingSecret: null,
          totpLastStep: null,
          isCommittee: u.committee,
        };
        await r.users.insert(user);
        records.set(userId, { user, org });
        const emailPreference = pick(spec.delivery.email, council.users.length);
        const councilUser: CouncilUser = { id: userId, orgId, login, email: user.email, emailPreference };
        council.users.push(councilUser);
        if (emailPreference !== 'immediate') await r.notifications.preferences.set(userId, emailPreference, at);
        if (u.acceptsRules) for (const id of rulebookIds) await r.rulebooks.accept(userId, id, at);

        const describe = `${login} (${org.nameEn}; ${u.role}${u.totp ? ', TOTP' : ''}${u.committee ? ', committee' : ''}${u.acceptsRules ? '' : ', rules not accepted'}${u.active ? '' : ', inactive'}${org.active ? '' : ', org inactive'}${o.suspended ? ', suspended' : ''}${o.foreignCapital ? `, foreign capital${org.specialApproval ? ' with approval' : ' without approval'}` : ''})`;
        const tokens: { readOnly: boolean; dead: 'revoked' | 'expired' | null }[] = [{ readOnly: false, dead: null }];
        if (u.readOnlyToken) tokens.push({ readOnly: true, dead: null });
        if (u.deadToken) tokens.push({ readOnly: false, dead: u.deadToken });
        for (const [k, t] of tokens.entries()) {
          const token = `kyg_${randomToken()}`;
          await r.tokens.insert({
            id: newId(),
            userId,
            name: 'leak test',
            tokenHash: sha256(token),
            prefix: token.slice(0, 10),
            readOnly: t.readOnly,
            expiresAt: iso(new Date(now.getTime() + (t.dead === 'expired' ? -day : 30 * day))),
            createdAt: at,
            lastUsedAt: null,
            revokedAt: t.dead === 'revoked' ? at : null,
          });
          credentials.push({ label: `${describe}, ${t.dead ?? (t.readOnly ? 'read-only token' : 'token')}`, token, ...(k === 0 ? { primaryOf: councilUser } : {}) });
        }
        if (u.session) {
          const session = randomToken();
          await r.sessions.insert({
            idHash: sha256(session),
            userId,
            csrfToken: randomToken(),
            createdAt: at,
            lastSeenAt: at,
            expiresAt: iso(new Date(now.getTime() + day)),
            ip: null,
            userAgent: null,
          });
          credentials.push({ label: `${describe}, session`, session });
        }
      }
      if (registrant) {
        // Written as it is, like everything else here: a webhook whose registrant may not (or no longer) read the
        // organisation's webhooks must receive nothing.
        const by = council.users.at(-1) as CouncilUser;
        registrants.add(by.id);
        const path = `/hook/${orgId}`;
        await r.notifications.webhooks.insert({ id: newId(), orgId, url: new URL(path, hooks.url).toString(), events: [...webhookEventTypes], description: null, secret: `whsec_${randomToken(24)}`, createdBy: by.id, createdAt: at, deletedAt: null });
        council.webhooks.push({ orgId, createdBy: by.id, path });
      }
    }

    const users = council.users.filter((u) => !registrants.has(u.id));
    const orgs = council.orgs;
    const userOrg = (i: number) => pick(users, i);

    for (const [i, s] of spec.reports.entries()) {
      const author = userOrg(s.author);
      const id = newId();
      const recipients = s.tlp === 'red' ? [...new Set(s.recipients.map((n) => pick(users, n).id))] : [];
      await r.sharing.reports.insert({
        id,
        orgId: author.orgId,
        userId: author.id,
        // Reports go to the Type 1 group when filed (createReport).
        stage: 'type1',
        tlp: s.tlp,
        kind: 'incident',
        certainty: 'suspected',
        confidence: 'low',
        isConsultation: s.isConsultation,
        isOriginal: false,
        providerNamed: s.providerNamed,
        title: `Report ${i} ${canary('report', id)}`,
        description: `Description ${canary('report', id)}`,
        attackSource: null,
        technique: null,
        objective: null,
        status: 'open',
        createdAt: at,
        updatedAt: at,
      });
      await r.sharing.recipients.set(id, recipients);
      const observables = s.observable === null ? [] : [pool[s.observable] as Observable];
      if (observables.length) await r.sharing.observables.replace('report', id, observables, at);
      // As createReport does: the report into the Type 1 group's TAXII collection, and its analysts told of it.
      const report = (await r.sharing.reports.byId(id)) as ReportRecord;
      await publishReport(r, deps, report, observables);
      await recordLedger(r, deps, { orgId: author.orgId, kind: 'report', refId: id });
      await noticeReport(r, deps, actorOf(author.id), report);
      council.reports.push({ id, orgId: author.orgId, userId: author.id, stage: 'type1', tlp: s.tlp, providerNamed: s.providerNamed, recipients });

      for (const c of s.comments) {
        const by = userOrg(c.author);
        const commentId = newId();
        const audience = c.kind === 'reply' ? 'provider' : 'type1';
        await r.sharing.comments.insert({ id: commentId, reportId: id, orgId: by.orgId, userId: by.id, kind: c.kind, audience, body: `Comment ${canary('comment', commentId)}`, createdAt: at });
        if (c.kind !== 'reply') await recordLedger(r, deps, { orgId: by.orgId, kind: 'analysis', refId: id });
        else await noticeReply(r, deps, actorOf(by.id), report);
        council.comments.push({ id: commentId, reportId: id, orgId: by.orgId, audience });
      }
      if (s.attachment) {
        const attachmentId = newId();
        const bytes = Buffer.from(`Attachment ${canary('attachment', attachmentId)}\n`);
        await deps.files.put(attachmentId, bytes);
        await r.sharing.attachments.insert({
          id: attachmentId,
          reportId: id,
          filename: `evidence-${canary('attachment', attachmentId)}.txt`,
          mediaType: 'text/plain',
          size: bytes.length,
          sha256: sha256(bytes.toString('utf8')),
          createdAt: at,
        });
        council.attachments.push({ id: attachmentId, reportId: id, bytes });
      }
      const earlier = council.reports.slice(0, -1);
      if (s.linkTo !== null && earlier.length) {
        const to = pick(earlier, s.linkTo).id;
        await r.sharing.links.add(id, to, author.id, at);
        council.links.push({ from: id, to });
      }
    }

    for (const [i, s] of spec.advisories.entries()) {
      const author = userOrg(s.author);
      const id = newId();
      // Only TLP:CLEAR is ever made public (releaseAdvisory, reviseAdvisory).
      const tlp = s.stage === 'public' ? 'clear' : s.tlp;
      const recipients = tlp === 'red' ? [...new Set(s.recipients.map((n) => pick(users, n).id))] : [];
      const title = `Advisory ${i} ${canary('advisory', id)}`;
      const extra = s.observable === null ? null : (pool[s.observable] as Observable);
      await r.sharing.advisories.insert({
        id,
        orgId: author.orgId,
        userId: author.id,
        stage: s.stage,
        tlp,
        version: s.versions,
        title,
        sourceReportId: null,
        feedbackDeadline: s.stage === 'draft' || s.stage === 'type1' ? null : iso(new Date(now.getTime() + day)),
        releasedAt: s.stage === 'draft' ? null : at,
        createdAt: at,
        updatedAt: at,
      });
      for (let v = 1; v <= s.versions; v++) {
        const c = content(id, title, extra);
        await r.sharing.versions.insert({ advisoryId: id, version: v, content: v === 1 ? c : { ...c, actions: `Patch, then restart. ${canary('advisory', id)}` }, userId: author.id, note: null, createdAt: at });
      }
      await r.sharing.recipients.set(id, recipients);
      if (extra) await r.sharing.observables.replace('advisory', id, [extra], at);
      // As releaseAdvisory and reviseAdvisory do: the current version into every collection its stage reached.
      await publishAdvisory(r, deps, id);
      const advisory = (await r.sharing.advisories.byId(id)) as AdvisoryRecord;
      // As releaseAdvisory does at each step up to its stage: the new audience told of it (Type 2 asked for feedback).
      for (let k = 1; k <= stages.indexOf(s.stage); k++) {
        await noticeRelease(r, deps, actorOf(author.id), { ...advisory, stage: stages[k] as Stage }, stages[k - 1] as Stage);
      }
      council.advisories.push({ id, orgId: author.orgId, userId: author.id, stage: s.stage, tlp, version: s.versions, recipients });

      for (const orgId of new Set(s.feedbackBy.map((n) => pick(orgs, n).id))) {
        const feedbackId = newId();
        const by = users.find((u) => u.orgId === orgId) as CouncilUser;
        await r.sharing.feedback.insert({
          id: feedbackId,
          advisoryId: id,
          version: s.versions,
          orgId,
          userId: by.id,
          answer: 'seen',
          comment: `Feedback ${canary('feedback', feedbackId)}`,
          sightings: [],
          late: false,
          answeredAt: at,
          updatedAt: at,
        });
        await recordLedger(r, deps, { orgId, kind: 'feedback_on_time', refId: feedbackId, itemId: id });
        // As answerFeedback does: the answer into the Type 1 group's collection.
        await publishFeedback(r, deps, advisory, orgId, undefined);
        council.feedback.push({ id: feedbackId, advisoryId: id, orgId });
      }
    }

    for (const s of spec.consultations) {
      const id = newId();
      await r.requests.consultations.insert({
        id,
        tokenHash: sha256(randomToken()),
        name: '相談 太郎',
        organization: null,
        email: 'consulter@example.jp',
        locale: 'ja',
        // The canary first: the Type 1 group's list shows the start of the body.
        body: `${canary('consultation', id)} 不審なメールが届きました。`,
        observables: [],
        status: 'open',
        consentAt: s.widened ? at : null,
        widenedAt: s.widened ? at : null,
        widenedBy: s.widened ? pick(users, 0).id : null,
        widenedStage: s.widened,
        summary: s.widened ? `Question ${canary('question', id)}` : null,
        reportId: null,
        convertedAt: null,
        createdAt: at,
        updatedAt: at,
      });
      council.consultations.push({ id, widenedStage: s.widened });
      // As submitConsultation and widenConsultation do.
      await noticeConsultation(r, deps, { id });
      if (s.widened) await noticeWidened(r, deps, actorOf(pick(users, 0).id), { id }, s.widened);
      if (s.councilAnswerBy !== null) {
        const by = userOrg(s.councilAnswerBy);
        const messageId = newId();
        await r.requests.consultationMessages.insert({ id: messageId, consultationId: id, author: 'council', orgId: by.orgId, userId: by.id, body: `Answer ${canary('consultation', id)}`, relayedAt: null, relayedBy: null, createdAt: at });
        // The consulter, outside the council, is told by e-mail that there is an answer (answerConsultation).
        await noticeConsulter(r, deps, actorOf(by.id), { id, email: 'consulter@example.jp', locale: 'ja' });
      }
      if (s.widened && s.memberAnswerBy !== null) {
        const by = userOrg(s.memberAnswerBy);
        const messageId = newId();
        await r.requests.consultationMessages.insert({ id: messageId, consultationId: id, author: 'member', orgId: by.orgId, userId: by.id, body: `Member answer ${canary('memberanswer', messageId)}`, relayedAt: null, relayedBy: null, createdAt: at });
        await recordLedger(r, deps, { orgId: by.orgId, kind: 'consultation_answered', refId: id });
        await noticeContribution(r, deps, actorOf(by.id), { id });
        council.memberAnswers.push({ id: messageId, consultationId: id, orgId: by.orgId });
      }
    }

    if (spec.requests.length) {
      const secretariatUser = pick(users, 0);
      const campaignId = newId();
      await r.requests.campaigns.insert({
        id: campaignId,
        title: `Campaign ${canary('campaign', campaignId)}`,
        description: `Campaign ${canary('campaign', campaignId)}`,
        status: 'active',
        declaredAt: at,
        declaredBy: secretariatUser.id,
        endedAt: null,
        endedBy: null,
        endNote: null,
        createdAt: at,
        updatedAt: at,
      });
      council.campaigns.push({ id: campaignId });
      for (const [i, s] of spec.requests.entries()) {
        const id = newId();
        const recipients = [...new Set(s.recipients.map((n) => pick(orgs, n).id))];
        const request: InfoRequestRecord = {
          id,
          campaignId,
          title: `Request ${i} ${canary('request', id)}`,
          body: `Body ${canary('request', id)}`,
          audience: 'all',
          deadline: iso(new Date(now.getTime() + day)),
          status: 'open',
          orgId: secretariatUser.orgId,
          userId: secretariatUser.id,
          closedAt: null,
          createdAt: at,
          updatedAt: at,
        };
        await r.requests.infoRequests.insert(request);
        await r.requests.recipients.add(id, recipients);
        await noticeRequest(r, deps, actorOf(secretariatUser.id), request, recipients);
        council.requests.push({ id, recipients });
        const answering = recipients.length ? new Set(s.answeredBy.map((n) => pick(recipients, n))) : new Set<string>();
        for (const orgId of answering) {
          const answerId = newId();
          const by = users.find((u) => u.orgId === orgId) as CouncilUser;
          await r.requests.answers.insert({ id: answerId, requestId: id, orgId, userId: by.id, kind: 'answer', text: `Answer ${canary('requestanswer', answerId)}`, reason: null, observables: [], late: false, answeredAt: at, updatedAt: at });
          await recordLedger(r, deps, { orgId, kind: 'request_answered', refId: answerId, itemId: id });
          council.requestAnswers.push({ id: answerId, requestId: id, orgId });
        }
      }
    }
  });

  // What each published object reveals, read back from the store, so that manifests and version lists (ids only)
  // can be mapped to the items behind them.
  for (const audience of audiences) {
    const collection = audienceCollectionId(audience);
    const all = { all: true, first: false, last: false, at: [] };
    for (const o of await deps.store.read.interop.stix.bodies({ collection, filter: [{}], userId: undefined, versions: all, limit: 100_000 })) {
      council.stix.push({ collection, stixId: (JSON.parse(o.body) as { id: string }).id, refs: [...o.body.matchAll(canaryPattern)].map((m) => ({ kind: m[1] as RefKind, id: m[2] as string })) });
    }
  }

  // The server's own authentication code decides who each credential is (or that it is nobody).
  for (const c of credentials) {
    if (c.token) {
      const actor = await authenticateToken(deps, c.token);
      council.principals.push({ label: c.label, headers: { authorization: `Bearer ${c.token}` }, actor: actor ?? 'refused', ...(c.primaryOf ? { primaryOf: c.primaryOf } : {}) });
    } else if (c.session) {
      // An unusable session cookie is treated as no session: the request is anonymous.
      const found = await authenticateSession(deps, c.session);
      council.principals.push({ label: c.label, headers: { cookie: `kyg_session=${c.session}` }, actor: found?.actor ?? anonymous });
    }
  }

  // The notification worker, as `serve` runs it, until every event is delivered (digests wait for the morning).
  await app.notifications.worker.runUntilIdle();
  const base = await app.listen({ port: 0, host: '127.0.0.1' });

  return {
    app,
    base,
    deps,
    db,
    council,
    smtp,
    hooks,
    async close() {
      await app.close();
      await Promise.all([smtp.close(), hooks.close()]);
      await db.cleanup();
    },
  };
}
