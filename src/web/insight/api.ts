/**
 * Client of the dashboards (/api/v1/dashboards/…) and the home page (/api/v1/home). Shapes come from
 * src/core/insight/model.ts; each chart's CSV is a plain link (the session cookie goes with it).
 */
import type {
  CouncilDashboard,
  DashboardPeriod,
  Deadline,
  Home,
  LeadTime,
  OrganizationDashboard,
  OverdueRow,
  StageCount,
  Type1Dashboard,
  Type2Release,
} from '../../core/insight/model.js';
import { request } from '../api.js';

export type { CouncilDashboard, DashboardPeriod, Deadline, Home, LeadTime, OrganizationDashboard, OverdueRow, StageCount, Type1Dashboard, Type2Release };

export type Board = 'type1' | 'council' | 'organization';

export const insightApi = {
  home: () => request<Home>('GET', '/home'),
  type1: (period: DashboardPeriod) => request<Type1Dashboard>('GET', '/dashboards/type1', { query: { ...period } }),
  council: (period: DashboardPeriod) => request<CouncilDashboard>('GET', '/dashboards/council', { query: { ...period } }),
  organization: () => request<OrganizationDashboard>('GET', '/dashboards/organization'),
};

/** Where one chart's numbers download as CSV, for the same period, with headers in the UI's language. */
export function csvUrl(board: Board, chart: string, lang: string, period: DashboardPeriod = {}): string {
  const params = new URLSearchParams({ lang: lang === 'en' ? 'en' : 'ja' });
  if (period.from) params.set('from', period.from);
  if (period.to) params.set('to', period.to);
  return `/api/v1/dashboards/${board}/${chart}.csv?${params.toString()}`;
}
