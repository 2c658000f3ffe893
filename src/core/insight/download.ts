/** One chart of a dashboard as a CSV download: the dashboard's own use case (and refusals), then the record. */
import type { Actor } from '../actor.js';
import { audit, type Deps, type RequestMeta } from '../context.js';
import type { Locale } from '../messages.js';
import { councilDashboard } from './council.js';
import { councilCsv, organizationCsv, type1Csv, type CouncilChart, type OrganizationChart, type Type1Chart } from './csv.js';
import type { DashboardPeriod } from './model.js';
import { organizationDashboard } from './organization.js';
import { type1Dashboard } from './type1.js';

export type ChartRef = { board: 'type1'; chart: Type1Chart } | { board: 'council'; chart: CouncilChart } | { board: 'organization'; chart: OrganizationChart };

export async function dashboardCsv(deps: Deps, actor: Actor, ref: ChartRef, q: DashboardPeriod, locale: Locale, meta: RequestMeta): Promise<string> {
  let csv: string;
  switch (ref.board) {
    case 'type1':
      csv = type1Csv(await type1Dashboard(deps, actor, q), ref.chart, locale);
      break;
    case 'council':
      csv = councilCsv(await councilDashboard(deps, actor, q, meta), ref.chart, locale);
      break;
    case 'organization':
      csv = organizationCsv(await organizationDashboard(deps, actor), ref.chart, locale);
      break;
  }
  // A download takes titles and numbers of non-public information out of the platform: on the record, like every export.
  await deps.store.tx((t) => audit(t, deps, actor, meta, 'dashboard.csv', null, { ...ref, ...q }));
  return csv;
}
