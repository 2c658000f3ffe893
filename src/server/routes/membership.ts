/**
 * Membership API: recruitment periods, applications (public form and private status link), review and decisions,
 * change notifications, class changes, standing and sanctions, special approvals, the roster, rulebooks,
 * statistics, names and the committee flag. Thin: parse → use case → answer.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Organization, page, PageQuery, User } from '../../core/model.js';
import * as accounts from '../../core/membership/accounts.js';
import * as applications from '../../core/membership/applications.js';
import {
  ApplicantView,
  Application,
  ApplicationCorrections,
  ApplicationCreate,
  ApplicationDetail,
  ApplicationQuery,
  ApprovalResult,
  ApproveInput,
  ChangeNotification,
  ChangeNotificationCreate,
  ClassChangeCreate,
  ClassChangeRequest,
  ClassDecision,
  CommitteeFlag,
  CouncilSettings,
  MembershipStats,
  MembershipView,
  Message,
  MyRulebooks,
  OptionalNote,
  PasswordSetupInfo,
  PasswordSetupInput,
  PeriodCreate,
  PeriodUpdate,
  Reason,
  RecruitmentPeriod,
  RequestQuery,
  Roster,
  RosterPublish,
  RosterSummary,
  Rulebook,
  RulebookCreate,
  RulebookKind,
  RulebookSummary,
  SpecialApprovalInput,
  SubmissionResult,
} from '../../core/membership/model.js';
import * as periods from '../../core/membership/periods.js';
import * as requests from '../../core/membership/requests.js';
import * as roster from '../../core/membership/roster.js';
import * as rulebooks from '../../core/membership/rulebooks.js';
import { getCouncilSettings, updateCouncilSettings } from '../../core/membership/settings.js';
import * as standing from '../../core/membership/standing.js';
import { membershipStats } from '../../core/membership/stats.js';
import type { Locale } from '../../core/messages.js';
import { errors, IdParams, type App } from './types.js';

/** Anyone may post an application: a stricter limit per address than the general one. */
export const APPLICATION_RATE_LIMIT_PER_MINUTE = 10;
/** Private links (status, password setup) are bearer secrets: limit guessing. */
const LINK_RATE_LIMIT_PER_MINUTE = 30;

const NumberParams = z.object({ number: z.coerce.number().int().min(1).max(10_000) });
const TokenParams = z.object({ token: z.string().min(20).max(200) });
const OptionalReason = z.object({ reason: z.string().trim().max(2000).optional() });
const Answer = Message.extend({ corrections: ApplicationCorrections.optional() });

/** A request URL with the secrets of private links replaced, for logs. */
export function redactPrivateLinks(url: string): string {
  return url.replace(/(\/api\/v1\/(?:applications\/status|password-setup)\/)[^/?#]+/, '$1[redacted]');
}

function sendCsv(reply: FastifyReply, asOf: string, csv: string): FastifyReply {
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="roster-${asOf}.csv"`)
    .send(csv);
}

export function membershipRoutes(app: App): void {
  const deps = app.deps;
  const linkLimit = { rateLimit: { max: LINK_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } };

  // ------------------------------------------------------------ recruitment periods
  {
    const tags = ['periods'];
    app.get(
      '/api/v1/periods',
      {
        schema: {
          tags,
          summary: 'Recruitment periods, newest first (public) / 募集期間一覧',
          security: [],
          response: { 200: z.array(RecruitmentPeriod), ...errors },
        },
      },
      () => periods.listPeriods(deps),
    );
    app.get(
      '/api/v1/periods/:number',
      { schema: { tags, security: [], params: NumberParams, response: { 200: RecruitmentPeriod, ...errors } } },
      (req) => periods.getPeriod(deps, req.params.number),
    );
    app.post(
      '/api/v1/periods',
      { schema: { tags, summary: 'Create a period / 募集期間の登録', body: PeriodCreate, response: { 201: RecruitmentPeriod, ...errors } } },
      async (req, reply) => reply.code(201).send(await periods.createPeriod(deps, req.actor, req.body, req.meta)),
    );
    app.patch(
      '/api/v1/periods/:number',
      { schema: { tags, params: NumberParams, body: PeriodUpdate, response: { 200: RecruitmentPeriod, ...errors } } },
      (req) => periods.updatePeriod(deps, req.actor, req.params.number, req.body, req.meta),
    );
    app.delete(
      '/api/v1/periods/:number',
      { schema: { tags, params: NumberParams, response: { 204: z.null(), ...errors } } },
      async (req, reply) => {
        await periods.deletePeriod(deps, req.actor, req.params.number, req.meta);
        return reply.code(204).send(null);
      },
    );
  }

  // ------------------------------------------------------------ applications: the applicant
  {
    const tags = ['applications'];
    app.post(
      '/api/v1/applications',
      {
        config: { rateLimit: { max: APPLICATION_RATE_LIMIT_PER_MINUTE, timeWindow: '1 minute' } },
        schema: {
          tags,
          summary: 'Apply for membership (public) / 加入申込み',
          security: [],
          body: ApplicationCreate,
          response: { 201: SubmissionResult, ...errors },
        },
      },
      async (req, reply) => reply.code(201).send(await applications.submitApplication(deps, req.body, req.meta)),
    );
    app.get(
      '/api/v1/applications/status/:token',
      {
        config: linkLimit,
        schema: {
          tags,
          summary: 'Application status through the private link / 申込み状況',
          security: [],
          params: TokenParams,
          response: { 200: ApplicantView, ...errors },
        },
      },
      (req) => applications.applicationStatus(deps, req.params.token),
    );
    app.post(
      '/api/v1/applications/status/:token/answer',
      {
        config: linkLimit,
        schema: {
          tags,
          summary: "Answer the secretariat's questions / 質問への回答",
          security: [],
          params: TokenParams,
          body: Answer,
          response: { 200: ApplicantView, ...errors },
        },
      },
      (req) => applications.answerQuestions(deps, req.params.token, req.body, req.meta),
    );
    app.post(
      '/api/v1/applications/status/:token/withdraw',
      {
        config: linkLimit,
        schema: { tags, security: [], params: TokenParams, body: OptionalReason, response: { 200: ApplicantView, ...errors } },
      },
      (req) => applications.withdrawApplication(deps, req.params.token, req.body, req.meta),
    );
    app.post(
      '/api/v1/applications/status/:token/password-link',
      {
        config: linkLimit,
        schema: {
          tags,
          summary: "A one-time link for the first administrator's password / パスワード設定リンクの発行",
          security: [],
          params: TokenParams,
          response: {
            200: z.object({ login: z.string(), passwordSetupToken: z.string(), expiresAt: z.string() }),
            ...errors,
          },
        },
      },
      (req) => applications.passwordLinkForApplicant(deps, req.params.token, req.meta),
    );
  }

  // ------------------------------------------------------------ applications: secretariat and committee
  {
    const tags = ['applications'];
    app.get(
      '/api/v1/applications',
      { schema: { tags, querystring: ApplicationQuery, response: { 200: page(Application), ...errors } } },
      (req) => applications.listApplications(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/applications/:id',
      { schema: { tags, params: IdParams, response: { 200: ApplicationDetail, ...errors } } },
      (req) => applications.getApplication(deps, req.actor, req.params.id),
    );
    app.post(
      '/api/v1/applications/:id/return',
      { schema: { tags, summary: 'Return with questions / 差戻し', params: IdParams, body: Message, response: { 200: ApplicationDetail, ...errors } } },
      (req) => applications.returnApplication(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/applications/:id/check',
      { schema: { tags, summary: 'Mark complete / 確認済み', params: IdParams, body: OptionalNote, response: { 200: ApplicationDetail, ...errors } } },
      (req) => applications.checkApplication(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/applications/:id/approve',
      { schema: { tags, summary: 'Approve (committee) / 承認', params: IdParams, body: ApproveInput, response: { 200: ApprovalResult, ...errors } } },
      (req) => applications.approveApplication(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/applications/:id/reject',
      { schema: { tags, summary: 'Reject (committee) / 不承認', params: IdParams, body: Reason, response: { 200: ApplicationDetail, ...errors } } },
      (req) => applications.rejectApplication(deps, req.actor, req.params.id, req.body, req.meta),
    );
  }

  // ------------------------------------------------------------ accounts
  app.get(
    '/api/v1/password-setup/:token',
    { config: linkLimit, schema: { tags: ['session'], security: [], params: TokenParams, response: { 200: PasswordSetupInfo, ...errors } } },
    (req) => accounts.passwordSetupInfo(deps, req.params.token),
  );
  app.post(
    '/api/v1/password-setup',
    {
      config: linkLimit,
      schema: {
        tags: ['session'],
        summary: 'Set a password with a one-time link / パスワードの設定',
        security: [],
        body: PasswordSetupInput,
        response: { 200: z.object({ login: z.string() }), ...errors },
      },
    },
    (req) => accounts.setPasswordWithLink(deps, req.body, req.meta),
  );
  app.put(
    '/api/v1/users/:id/committee',
    { schema: { tags: ['users'], summary: 'Steering committee member / 運営委員の指定', params: IdParams, body: CommitteeFlag, response: { 200: User, ...errors } } },
    (req) => accounts.setCommittee(deps, req.actor, req.params.id, req.body.isCommittee, req.meta),
  );

  // ------------------------------------------------------------ standing, special approval, history
  {
    const tags = ['membership'];
    app.get(
      '/api/v1/organizations/:id/membership',
      { schema: { tags, params: IdParams, response: { 200: MembershipView, ...errors } } },
      (req) => standing.membershipView(deps, req.actor, req.params.id),
    );
    const change = (path: string, what: standing.StandingChange, body: typeof Reason | typeof OptionalReason, summary: string) =>
      app.post(
        `/api/v1/organizations/:id/${path}`,
        { schema: { tags, summary, params: IdParams, body, response: { 200: Organization, ...errors } } },
        (req) => standing.changeStanding(deps, req.actor, req.params.id, what, req.body, req.meta),
      );
    change('withdraw', 'withdraw', OptionalReason, 'Withdraw from the council / 退会');
    change('suspend', 'suspend', Reason, 'Suspend (committee) / 資格停止');
    change('expel', 'expel', Reason, 'Expel (committee) / 除名');
    change('reinstate', 'reinstate', OptionalReason, 'Reinstate a suspended member (committee) / 資格停止の解除');
    app.post(
      '/api/v1/organizations/:id/special-approval',
      {
        schema: { tags, summary: 'Record a special approval (committee) / 特別承認', params: IdParams, body: SpecialApprovalInput, response: { 200: Organization, ...errors } },
      },
      (req) => standing.grantSpecialApproval(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/organizations/:id/special-approval/revoke',
      { schema: { tags, summary: 'Revoke a special approval (committee) / 特別承認の取消し', params: IdParams, body: Reason, response: { 200: Organization, ...errors } } },
      (req) => standing.revokeSpecialApproval(deps, req.actor, req.params.id, req.body, req.meta),
    );
  }

  // ------------------------------------------------------------ change notifications
  {
    const tags = ['change notifications'];
    app.post(
      '/api/v1/organizations/:id/change-notifications',
      {
        schema: { tags, summary: '申込み事項変更届 / Change notification', params: IdParams, body: ChangeNotificationCreate, response: { 201: ChangeNotification, ...errors } },
      },
      async (req, reply) =>
        reply.code(201).send(await requests.submitChangeNotification(deps, req.actor, req.params.id, req.body, req.meta)),
    );
    app.get(
      '/api/v1/change-notifications',
      { schema: { tags, querystring: RequestQuery, response: { 200: page(ChangeNotification), ...errors } } },
      (req) => requests.listChangeNotifications(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/change-notifications/:id',
      { schema: { tags, params: IdParams, response: { 200: ChangeNotification, ...errors } } },
      (req) => requests.getChangeNotification(deps, req.actor, req.params.id),
    );
    app.post(
      '/api/v1/change-notifications/:id/accept',
      { schema: { tags, params: IdParams, body: OptionalNote, response: { 200: ChangeNotification, ...errors } } },
      (req) => requests.acceptChangeNotification(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/change-notifications/:id/reject',
      { schema: { tags, params: IdParams, body: Reason, response: { 200: ChangeNotification, ...errors } } },
      (req) => requests.rejectChangeNotification(deps, req.actor, req.params.id, req.body, req.meta),
    );
  }

  // ------------------------------------------------------------ class changes
  {
    const tags = ['class changes'];
    app.post(
      '/api/v1/organizations/:id/class-changes',
      { schema: { tags, summary: 'Ask for another class / 区分変更の申請', params: IdParams, body: ClassChangeCreate, response: { 201: ClassChangeRequest, ...errors } } },
      async (req, reply) => reply.code(201).send(await requests.requestClassChange(deps, req.actor, req.params.id, req.body, req.meta)),
    );
    app.get(
      '/api/v1/class-changes',
      { schema: { tags, querystring: RequestQuery, response: { 200: page(ClassChangeRequest), ...errors } } },
      (req) => requests.listClassChanges(deps, req.actor, req.query),
    );
    app.get(
      '/api/v1/class-changes/:id',
      { schema: { tags, params: IdParams, response: { 200: ClassChangeRequest, ...errors } } },
      (req) => requests.getClassChange(deps, req.actor, req.params.id),
    );
    app.post(
      '/api/v1/class-changes/:id/approve',
      { schema: { tags, summary: 'Approve (committee) / 承認', params: IdParams, body: ClassDecision, response: { 200: ClassChangeRequest, ...errors } } },
      (req) => requests.approveClassChange(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/class-changes/:id/reject',
      { schema: { tags, params: IdParams, body: Reason, response: { 200: ClassChangeRequest, ...errors } } },
      (req) => requests.rejectClassChange(deps, req.actor, req.params.id, req.body, req.meta),
    );
    app.post(
      '/api/v1/class-changes/:id/cancel',
      { schema: { tags, params: IdParams, response: { 200: ClassChangeRequest, ...errors } } },
      (req) => requests.cancelClassChange(deps, req.actor, req.params.id, req.meta),
    );
  }

  // ------------------------------------------------------------ roster
  {
    const tags = ['roster'];
    const csvLocale = (q: { lang?: Locale | undefined }, fallback: Locale): Locale => q.lang ?? fallback;
    const CsvQuery = z.object({ lang: z.enum(['ja', 'en']).optional() });
    app.get(
      '/api/v1/roster',
      { schema: { tags, summary: 'The latest published roster (public) / 構成員名簿', security: [], response: { 200: Roster, ...errors } } },
      () => roster.latestRoster(deps),
    );
    app.get(
      '/api/v1/roster.csv',
      { schema: { tags, summary: 'The latest roster as CSV (UTF-8 with BOM)', security: [], querystring: CsvQuery } },
      async (req, reply) => {
        const latest = await roster.latestRoster(deps);
        return sendCsv(reply, latest.asOf, roster.rosterCsv(latest, csvLocale(req.query, req.locale)));
      },
    );
    app.get(
      '/api/v1/rosters',
      { schema: { tags, summary: 'Published rosters, newest first (public)', security: [], querystring: PageQuery, response: { 200: page(RosterSummary), ...errors } } },
      (req) => roster.listRosters(deps, req.query),
    );
    app.get(
      '/api/v1/rosters/:id',
      { schema: { tags, security: [], params: IdParams, response: { 200: Roster.extend(RosterSummary.shape), ...errors } } },
      (req) => roster.getRoster(deps, req.params.id),
    );
    app.get(
      '/api/v1/rosters/:id/csv',
      { schema: { tags, security: [], params: IdParams, querystring: CsvQuery } },
      async (req, reply) => {
        const r = await roster.getRoster(deps, req.params.id);
        return sendCsv(reply, r.asOf, roster.rosterCsv(r, csvLocale(req.query, req.locale)));
      },
    );
    app.post(
      '/api/v1/rosters',
      { schema: { tags, summary: 'Publish a roster / 名簿の公表', body: RosterPublish, response: { 201: RosterSummary, ...errors } } },
      async (req, reply) => reply.code(201).send(await roster.publishRoster(deps, req.actor, req.body, req.meta)),
    );
  }

  // ------------------------------------------------------------ rulebooks
  {
    const tags = ['rulebooks'];
    app.get(
      '/api/v1/rulebooks',
      {
        schema: {
          tags,
          summary: 'Rulebooks: the versions in force and every version (public) / 規約・規則',
          security: [],
          querystring: z.object({ kind: RulebookKind.optional() }),
          response: { 200: z.object({ current: z.array(RulebookSummary), items: z.array(RulebookSummary) }), ...errors },
        },
      },
      (req) => rulebooks.listRulebooks(deps, req.query.kind),
    );
    app.get(
      '/api/v1/rulebooks/:id',
      { schema: { tags, security: [], params: IdParams, response: { 200: Rulebook, ...errors } } },
      (req) => rulebooks.getRulebook(deps, req.params.id),
    );
    app.post(
      '/api/v1/rulebooks',
      { schema: { tags, summary: 'Upload a version / 新しい版の登録', body: RulebookCreate, response: { 201: Rulebook, ...errors } } },
      async (req, reply) => reply.code(201).send(await rulebooks.createRulebook(deps, req.actor, req.body, req.meta)),
    );
    app.post(
      '/api/v1/rulebooks/:id/accept',
      { schema: { tags, summary: 'Accept this version / 同意する', params: IdParams, response: { 200: MyRulebooks, ...errors } } },
      (req) => rulebooks.acceptRulebooks(deps, req.actor, [req.params.id], req.meta),
    );
    app.get(
      '/api/v1/me/rulebooks',
      { schema: { tags, summary: 'What I must accept / 同意が必要な規約', response: { 200: MyRulebooks, ...errors } } },
      (req) => rulebooks.myRulebooks(deps, req.actor),
    );
    app.post(
      '/api/v1/me/rulebooks/accept',
      {
        schema: {
          tags,
          summary: 'Accept several versions at once / まとめて同意',
          body: z.object({ ids: z.array(z.uuid()).min(1).max(10) }),
          response: { 200: MyRulebooks, ...errors },
        },
      },
      (req) => rulebooks.acceptRulebooks(deps, req.actor, req.body.ids, req.meta),
    );
  }

  // ------------------------------------------------------------ statistics and settings
  app.get(
    '/api/v1/membership/stats',
    { schema: { tags: ['membership'], summary: 'Member counts per period, class and category / 構成員数の推移', response: { 200: MembershipStats, ...errors } } },
    (req) => membershipStats(deps, req.actor),
  );
  app.get(
    '/api/v1/settings/council',
    { schema: { tags: ['settings'], summary: 'Council and secretariat names (public)', security: [], response: { 200: CouncilSettings, ...errors } } },
    () => getCouncilSettings(deps),
  );
  app.put(
    '/api/v1/settings/council',
    { schema: { tags: ['settings'], body: CouncilSettings.partial(), response: { 200: CouncilSettings, ...errors } } },
    (req) => updateCouncilSettings(deps, req.actor, req.body, req.meta),
  );
}
