/**
 * The membership screens' routes and navigation entries, kept here so that App.tsx and AppLayout.tsx only
 * include them (other features edit those files too).
 */
import type { TFunction } from 'i18next';
import { lazy, Suspense, type ReactNode } from 'react';
import { Center, Loader } from '@mantine/core';
import { Route } from 'react-router';
import type { Session } from '../api.js';
import { Problem } from '../components/Problem.js';
import { ApplicationDetailPage } from './ApplicationDetailPage.js';
import { ApplicationsPage } from './ApplicationsPage.js';
import { ApplicationStatusPage } from './ApplicationStatusPage.js';
import { member } from './can.js';
import { JoinPage } from './JoinPage.js';
import { PasswordSetupPage } from './PasswordSetupPage.js';
import { RequestsPage } from './RequestsPage.js';
import { RosterPage } from './RosterPage.js';
import { MyMembershipPage } from './Standing.js';

// Screens of the secretariat only: loaded when first opened, to keep the main bundle small.
const CouncilSettingsPage = lazy(() => import('./AdminPages.js').then((m) => ({ default: m.CouncilSettingsPage })));
const RosterAdminPage = lazy(() => import('./AdminPages.js').then((m) => ({ default: m.RosterAdminPage })));
const RulebooksAdminPage = lazy(() => import('./AdminPages.js').then((m) => ({ default: m.RulebooksAdminPage })));
const PeriodsPage = lazy(() => import('./PeriodsPage.js').then((m) => ({ default: m.PeriodsPage })));
const StatsPage = lazy(() => import('./StatsPage.js').then((m) => ({ default: m.StatsPage })));

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

/** Public pages: no account needed (an applicant has none). */
export function membershipPublicRoutes() {
  return (
    <>
      <Route path="/join" element={<JoinPage />} />
      <Route path="/applications/status/:token" element={<ApplicationStatusPage />} />
      <Route path="/password-setup/:token" element={<PasswordSetupPage />} />
      <Route path="/roster" element={<RosterPage />} />
    </>
  );
}

export function membershipRoutes(session: Session) {
  return (
    <>
      <Route path="/membership/applications" element={<Guard allowed={member.readApplications(session)}><ApplicationsPage /></Guard>} />
      <Route path="/membership/applications/:id" element={<Guard allowed={member.readApplications(session)}><ApplicationDetailPage /></Guard>} />
      <Route path="/membership/requests" element={<Guard allowed={member.readRequests(session)}><RequestsPage /></Guard>} />
      <Route path="/membership/periods" element={<Guard allowed={member.manage(session)}><PeriodsPage /></Guard>} />
      <Route path="/membership/roster" element={<Guard allowed={member.manage(session)}><RosterAdminPage /></Guard>} />
      <Route path="/membership/rulebooks" element={<Guard allowed={member.manage(session)}><RulebooksAdminPage /></Guard>} />
      <Route path="/membership/stats" element={<Guard allowed={member.stats(session)}><StatsPage /></Guard>} />
      <Route path="/membership/council" element={<Guard allowed={member.manage(session)}><CouncilSettingsPage /></Guard>} />
      <Route path="/my-organization/membership" element={<Guard allowed={member.ownMembership(session)}><MyMembershipPage /></Guard>} />
    </>
  );
}

export interface NavItem {
  to: string;
  label: string;
  show: boolean;
  testId: string;
  child?: boolean;
}

export function membershipNav(session: Session, t: TFunction): NavItem[] {
  return [
    { to: '/my-organization/membership', label: t('membership.nav.mine'), show: member.ownMembership(session), testId: 'nav-my-membership' },
    { to: '/membership/applications', label: t('membership.nav.applications'), show: member.readApplications(session), testId: 'nav-applications' },
    { to: '/membership/requests', label: t('membership.nav.requests'), show: member.readRequests(session), testId: 'nav-membership-requests' },
    { to: '/membership/periods', label: t('membership.nav.periods'), show: member.manage(session), testId: 'nav-periods' },
    { to: '/membership/roster', label: t('membership.nav.roster'), show: member.manage(session), testId: 'nav-roster-admin' },
    { to: '/membership/rulebooks', label: t('membership.nav.rulebooks'), show: member.manage(session), testId: 'nav-rulebooks' },
    { to: '/membership/stats', label: t('membership.nav.stats'), show: member.stats(session), testId: 'nav-membership-stats' },
    { to: '/membership/council', label: t('membership.nav.council'), show: member.manage(session), testId: 'nav-council' },
  ];
}
