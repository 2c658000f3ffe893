/**
 * Dashboards (Type 1 group, secretariat and committee, each organisation) and the home page's "needs attention".
 * Each chart of a dashboard also downloads as CSV: `GET /api/v1/dashboards/{board}/{chart}.csv` takes the same
 * period as the board and answers UTF-8 with a BOM, headers in the reader's language (`lang`, else the user's).
 * Thin: parse → use case → answer.
 */
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { councilDashboard } from '../../core/insight/council.js';
import { councilCharts, organizationCharts, type1Charts } from '../../core/insight/csv.js';
import { dashboardCsv } from '../../core/insight/download.js';
import { home } from '../../core/insight/home.js';
import { CouncilDashboard, DashboardPeriod, Home, OrganizationDashboard, Type1Dashboard } from '../../core/insight/model.js';
import { organizationDashboard } from '../../core/insight/organization.js';
import { type1Dashboard } from '../../core/insight/type1.js';
import { Locale } from '../../core/model.js';
import { errors, type App } from './types.js';

const CsvQuery = DashboardPeriod.extend({ lang: Locale.optional() });

function sendCsv(reply: FastifyReply, name: string, csv: string): FastifyReply {
  return reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`).send(csv);
}

export function insightRoutes(app: App): void {
  const deps = app.deps;
  const tags = ['dashboards'];

  app.get(
    '/api/v1/home',
    { schema: { tags, summary: '要対応事項 / What needs my attention (home page)', response: { 200: Home, ...errors } } },
    (req) => home(deps, req.actor),
  );

  app.get(
    '/api/v1/dashboards/type1',
    {
      schema: {
        tags,
        summary: '第一類構成員Gのダッシュボード / Type 1 group dashboard (default period: the last 90 days)',
        querystring: DashboardPeriod,
        response: { 200: Type1Dashboard, ...errors },
      },
    },
    (req) => type1Dashboard(deps, req.actor, req.query),
  );
  app.get(
    '/api/v1/dashboards/type1/:chart.csv',
    { schema: { tags, summary: 'One chart of the Type 1 group dashboard as CSV', params: z.object({ chart: z.enum(type1Charts) }), querystring: CsvQuery } },
    async (req, reply) => {
      const { lang, ...period } = req.query;
      const csv = await dashboardCsv(deps, req.actor, { board: 'type1', chart: req.params.chart }, period, lang ?? req.locale, req.meta);
      return sendCsv(reply, `type1-${req.params.chart}`, csv);
    },
  );

  app.get(
    '/api/v1/dashboards/council',
    {
      schema: {
        tags,
        summary: '事務局・運営委員会のダッシュボード / Secretariat and committee dashboard (default period: the last year)',
        querystring: DashboardPeriod,
        response: { 200: CouncilDashboard, ...errors },
      },
    },
    (req) => councilDashboard(deps, req.actor, req.query, req.meta),
  );
  app.get(
    '/api/v1/dashboards/council/:chart.csv',
    { schema: { tags, summary: 'One chart of the council dashboard as CSV', params: z.object({ chart: z.enum(councilCharts) }), querystring: CsvQuery } },
    async (req, reply) => {
      const { lang, ...period } = req.query;
      const csv = await dashboardCsv(deps, req.actor, { board: 'council', chart: req.params.chart }, period, lang ?? req.locale, req.meta);
      return sendCsv(reply, `council-${req.params.chart}`, csv);
    },
  );

  app.get(
    '/api/v1/dashboards/organization',
    { schema: { tags, summary: '自組織のダッシュボード / My organisation’s dashboard', response: { 200: OrganizationDashboard, ...errors } } },
    (req) => organizationDashboard(deps, req.actor),
  );
  app.get(
    '/api/v1/dashboards/organization/:chart.csv',
    {
      schema: {
        tags,
        summary: 'One chart of my organisation’s dashboard as CSV',
        params: z.object({ chart: z.enum(organizationCharts) }),
        querystring: z.object({ lang: Locale.optional() }),
      },
    },
    async (req, reply) => {
      const csv = await dashboardCsv(deps, req.actor, { board: 'organization', chart: req.params.chart }, {}, req.query.lang ?? req.locale, req.meta);
      return sendCsv(reply, `organization-${req.params.chart}`, csv);
    },
  );
}
