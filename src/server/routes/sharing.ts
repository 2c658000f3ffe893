/** Reports, analysis, countermeasure information, releases and feedback. */
import { z } from 'zod';
import { Invalid } from '../../core/errors.js';
import { page } from '../../core/model.js';
import {
  Advisory,
  AdvisoryCreate,
  AdvisoryRevise,
  AdvisorySummary,
  CommentCreate,
  FeedbackAnswer,
  FeedbackInput,
  ObservableView,
  ReleaseInput,
  Report,
  ReportCreate,
  ReportKind,
  ReportStatus,
  ReportSummary,
  Comment,
  Stage,
} from '../../core/sharing/model.js';
import {
  createAdvisory,
  diffAdvisory,
  getAdvisory,
  listAdvisories,
  releaseAdvisory,
  releaseCheck,
  reviseAdvisory,
} from '../../core/sharing/advisories.js';
import { feedbackTally, submitFeedback } from '../../core/sharing/feedback.js';
import {
  addAttachment,
  addComment,
  corroborate,
  createReport,
  getAttachment,
  getReport,
  linkReports,
  listReports,
  setReportStatus,
} from '../../core/sharing/reports.js';
import { errors, IdParams, type App } from './types.js';

const Cursor = z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(200).default(50) });

const ReportDetail = z.object({
  report: Report,
  observables: z.array(ObservableView),
  comments: z.array(Comment),
  corroborations: z.object({
    count: z.number().int(),
    orgs: z.array(z.object({ nameJa: z.string(), nameEn: z.string(), at: z.string() })),
    mine: z.boolean(),
  }),
  links: z.array(z.object({ id: z.string(), title: z.string() })),
  attachments: z.array(z.object({ id: z.string(), filename: z.string(), mediaType: z.string(), size: z.number(), sha256: z.string(), createdAt: z.string() })),
});

const Flag = z.object({ kind: z.string(), text: z.string(), field: z.string() });

const Tally = z.object({
  advisoryId: z.string(),
  version: z.number().int(),
  deadline: z.string().nullable(),
  totals: z.record(FeedbackAnswer, z.number().int()),
  bySector: z.array(z.object({ group: z.string(), seen: z.number(), not_seen: z.number(), unknown: z.number() })),
  overTime: z.array(z.object({ at: z.string(), seen: z.number(), not_seen: z.number(), unknown: z.number() })),
  answers: z.array(
    z.object({
      orgId: z.string(),
      nameJa: z.string(),
      nameEn: z.string(),
      answer: FeedbackAnswer,
      comment: z.string().nullable(),
      late: z.boolean(),
      answeredAt: z.string(),
      sightings: z.number().int(),
    }),
  ),
  notAnswered: z.array(z.object({ orgId: z.string(), nameJa: z.string(), nameEn: z.string() })),
});

const Empty = z.null();

export function sharingRoutes(app: App): void {
  const deps = app.deps;
  const reports = ['reports'];
  const advisories = ['advisories'];

  app.post(
    '/api/v1/reports',
    { schema: { tags: reports, summary: '情報提供・相談 / Report or consult', body: ReportCreate, response: { 201: Report, ...errors } } },
    async (req, reply) => reply.code(201).send(await createReport(deps, req.actor, req.body, req.meta)),
  );

  app.get(
    '/api/v1/reports',
    {
      schema: {
        tags: reports,
        querystring: Cursor.extend({ kind: ReportKind.optional(), consultations: z.enum(['true', 'false']).optional() }),
        response: { 200: page(ReportSummary), ...errors },
      },
    },
    (req) =>
      listReports(deps, req.actor, {
        cursor: req.query.cursor,
        limit: req.query.limit,
        kind: req.query.kind,
        consultations: req.query.consultations === undefined ? undefined : req.query.consultations === 'true',
      }),
  );

  app.get(
    '/api/v1/reports/:id',
    { schema: { tags: reports, params: IdParams, response: { 200: ReportDetail, ...errors } } },
    (req) => getReport(deps, req.actor, req.params.id, req.meta),
  );

  app.patch(
    '/api/v1/reports/:id',
    { schema: { tags: reports, params: IdParams, body: z.object({ status: ReportStatus }), response: { 204: Empty, ...errors } } },
    async (req, reply) => {
      await setReportStatus(deps, req.actor, req.params.id, req.body.status, req.meta);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/reports/:id/comments',
    { schema: { tags: reports, summary: '分析コメント / Analysis comment', params: IdParams, body: CommentCreate, response: { 204: Empty, ...errors } } },
    async (req, reply) => {
      await addComment(deps, req.actor, req.params.id, req.body, req.meta);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/reports/:id/corroborations',
    {
      schema: {
        tags: reports,
        summary: 'こちらでも観測 / We see it too',
        params: IdParams,
        body: z.object({ note: z.string().trim().max(2000).optional() }).default({}),
        response: { 200: z.object({ added: z.boolean() }), ...errors },
      },
    },
    async (req) => ({ added: await corroborate(deps, req.actor, req.params.id, req.body.note, req.meta) }),
  );

  app.post(
    '/api/v1/reports/:id/links',
    { schema: { tags: reports, params: IdParams, body: z.object({ reportId: z.uuid() }), response: { 204: Empty, ...errors } } },
    async (req, reply) => {
      await linkReports(deps, req.actor, req.params.id, req.body.reportId, req.meta);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/api/v1/reports/:id/attachments',
    {
      schema: {
        tags: reports,
        summary: 'Attach a file (multipart/form-data, field "file")',
        params: IdParams,
        response: { 201: z.object({ id: z.string(), sha256: z.string() }), ...errors },
      },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw new Invalid('invalid_input');
      let upload: { filename: string; mediaType: string; bytes: Buffer } | undefined;
      try {
        const file = await req.file({ limits: { fileSize: deps.config.maxAttachmentBytes + 1, files: 1 } });
        if (file) upload = { filename: file.filename, mediaType: file.mimetype, bytes: await file.toBuffer() };
      } catch (err) {
        // Far over the limit the multipart reader stops first: answer as for a file just over it, not a bare 413.
        if ((err as { code?: string }).code === 'FST_REQ_FILE_TOO_LARGE') {
          throw new Invalid('attachment_too_large', { max: Math.floor(deps.config.maxAttachmentBytes / 1024 / 1024) || 1 });
        }
        // Whatever else the multipart reader throws, the upload itself was malformed (cut short, no closing boundary).
        throw new Invalid('invalid_input');
      }
      if (!upload) throw new Invalid('invalid_input');
      const saved = await addAttachment(deps, req.actor, req.params.id, upload, req.meta);
      return reply.code(201).send(saved);
    },
  );

  app.get(
    '/api/v1/attachments/:id',
    { schema: { tags: reports, params: IdParams } },
    async (req, reply) => {
      const file = await getAttachment(deps, req.actor, req.params.id, req.meta);
      // Always a download, never rendered by the browser in our origin.
      return reply
        .header('content-type', 'application/octet-stream')
        .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.filename)}`)
        .header('x-content-type-options', 'nosniff')
        .send(file.bytes);
    },
  );

  app.post(
    '/api/v1/advisories',
    { schema: { tags: advisories, summary: '対策情報の作成 / Create countermeasure information', body: AdvisoryCreate, response: { 201: AdvisorySummary, ...errors } } },
    async (req, reply) => reply.code(201).send(await createAdvisory(deps, req.actor, req.body, req.meta)),
  );

  app.get(
    '/api/v1/advisories',
    {
      schema: {
        tags: advisories,
        summary: 'Countermeasure information the caller may list (public items without credentials)',
        querystring: Cursor.extend({ stage: Stage.optional() }),
        response: { 200: page(AdvisorySummary), ...errors },
      },
    },
    (req) => listAdvisories(deps, req.actor, req.query),
  );

  app.get(
    '/api/v1/advisories/:id',
    { schema: { tags: advisories, params: IdParams, response: { 200: Advisory, ...errors } } },
    (req) => getAdvisory(deps, req.actor, req.params.id, req.meta),
  );

  app.put(
    '/api/v1/advisories/:id',
    { schema: { tags: advisories, summary: '新しい版 / New version', params: IdParams, body: AdvisoryRevise, response: { 200: AdvisorySummary, ...errors } } },
    (req) => reviseAdvisory(deps, req.actor, req.params.id, req.body, req.meta),
  );

  app.get(
    '/api/v1/advisories/:id/diff',
    {
      schema: {
        tags: advisories,
        params: IdParams,
        querystring: z.object({ from: z.coerce.number().int().min(1), to: z.coerce.number().int().min(1) }),
        response: {
          200: z.object({ fields: z.array(z.object({ field: z.string(), parts: z.array(z.object({ value: z.string(), added: z.boolean().optional(), removed: z.boolean().optional() })) })) }),
          ...errors,
        },
      },
    },
    async (req) => ({ fields: await diffAdvisory(deps, req.actor, req.params.id, req.query.from, req.query.to) }),
  );

  app.get(
    '/api/v1/advisories/:id/release-check',
    { schema: { tags: advisories, summary: 'Personal-data flags before a release', params: IdParams, response: { 200: z.object({ flags: z.array(Flag) }), ...errors } } },
    async (req) => ({ flags: await releaseCheck(deps, req.actor, req.params.id) }),
  );

  app.post(
    '/api/v1/advisories/:id/releases',
    { schema: { tags: advisories, summary: '段階的公開 / Release to the next stage', params: IdParams, body: ReleaseInput, response: { 200: AdvisorySummary, ...errors } } },
    (req) => releaseAdvisory(deps, req.actor, req.params.id, req.body, req.meta),
  );

  app.put(
    '/api/v1/advisories/:id/feedback',
    {
      schema: {
        tags: advisories,
        summary: 'フィードバック（来ている／来ていない／わからない） / Feedback',
        params: IdParams,
        body: FeedbackInput,
        response: { 200: z.object({ answer: FeedbackAnswer, late: z.boolean(), version: z.number().int() }), ...errors },
      },
    },
    (req) => submitFeedback(deps, req.actor, req.params.id, req.body, req.meta),
  );

  app.get(
    '/api/v1/advisories/:id/feedback',
    {
      schema: {
        tags: advisories,
        summary: 'Feedback tally (Type 1 group)',
        params: IdParams,
        querystring: z.object({ version: z.coerce.number().int().min(1).optional() }),
        response: { 200: Tally, ...errors },
      },
    },
    (req) => feedbackTally(deps, req.actor, req.params.id, req.query.version),
  );
}
