/**
 * The dashboards' routes and navigation entries, kept here so that App.tsx and AppLayout.tsx only include them
 * (other features edit those files too). The pages load when first opened.
 */
import { Center, Loader } from '@mantine/core';
import type { TFunction } from 'i18next';
import { lazy, Suspense, type ReactNode } from 'react';
import { Route } from 'react-router';
import type { Session } from '../api.js';
import { Problem } from '../components/Problem.js';
import type { NavItem } from '../membership/routes.js';
import { insight } from './can.js';

const Type1DashboardPage = lazy(() => import('./Type1DashboardPage.js').then((m) => ({ default: m.Type1DashboardPage })));
const CouncilDashboardPage = lazy(() => import('./CouncilDashboardPage.js').then((m) => ({ default: m.CouncilDashboardPage })));
const OrgDashboardPage = lazy(() => import('./OrgDashboardPage.js').then((m) => ({ default: m.OrgDashboardPage })));

function Guard({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  if (!allowed) return <Problem kind="forbidden" />;
  return (
    <Suspense
      fallback={
        <Center h="40vh">
          <Loader />
        </Center>
      }
    >
      {children}
    </Suspense>
  );
}

export function insightRoutes(session: Session) {
  return (
    <>
      <Route path="/dashboards/type1" element={<Guard allowed={insight.type1(session)}><Type1DashboardPage /></Guard>} />
      <Route path="/dashboards/council" element={<Guard allowed={insight.council(session)}><CouncilDashboardPage /></Guard>} />
      <Route path="/dashboards/organization" element={<Guard allowed={insight.organization(session)}><OrgDashboardPage /></Guard>} />
    </>
  );
}

export function insightNav(session: Session, t: TFunction): NavItem[] {
  return [
    { to: '/dashboards/organization', label: t('insight.nav.organization'), show: insight.organization(session), testId: 'nav-dashboard-organization' },
    { to: '/dashboards/type1', label: t('insight.nav.type1'), show: insight.type1(session), testId: 'nav-dashboard-type1' },
    { to: '/dashboards/council', label: t('insight.nav.council'), show: insight.council(session), testId: 'nav-dashboard-council' },
  ];
}
