import { Badge, Center, Loader, MantineProvider, createTheme } from '@mantine/core';
import { DatesProvider } from '@mantine/dates';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { BrowserRouter, Navigate, Route, Routes } from 'react-router';
import { ApiError, type Session } from './api.js';
import { AppLayout } from './components/AppLayout.js';
import { ErrorAlert } from './components/ErrorAlert.js';
import { Problem } from './components/Problem.js';
import { AdvisoriesPage } from './pages/AdvisoriesPage.js';
import { AdvisoryDetailPage } from './pages/AdvisoryDetailPage.js';
import { AdvisoryNewPage } from './pages/AdvisoryNewPage.js';
import { AdvisoryRevisePage } from './pages/AdvisoryRevisePage.js';
import { AuditPage } from './pages/AuditPage.js';
import { CampaignDetailPage } from './pages/CampaignDetailPage.js';
import { CampaignsPage } from './pages/CampaignsPage.js';
import { ConsultationDetailPage } from './pages/ConsultationDetailPage.js';
import { ConsultationPrivatePage } from './pages/ConsultationPrivatePage.js';
import { ConsultationsPage } from './pages/ConsultationsPage.js';
import { ConsultPage } from './pages/ConsultPage.js';
import { HomePage } from './pages/HomePage.js';
import { InfoRequestPage } from './pages/InfoRequestPage.js';
import { InfoRequestsPage } from './pages/InfoRequestsPage.js';
import { InfoRequestStatusPage } from './pages/InfoRequestStatusPage.js';
import { LedgerOrgPage, LedgerPage } from './pages/LedgerPage.js';
import { LoginPage } from './pages/LoginPage.js';
import { MyOrgUsersPage } from './pages/MyOrgUsersPage.js';
import { OrganizationDetailPage } from './pages/OrganizationDetailPage.js';
import { OrganizationNewPage } from './pages/OrganizationNewPage.js';
import { OrganizationsPage } from './pages/OrganizationsPage.js';
import { QuestionPage } from './pages/QuestionPage.js';
import { ReportDetailPage } from './pages/ReportDetailPage.js';
import { ReportNewPage } from './pages/ReportNewPage.js';
import { ReportsPage } from './pages/ReportsPage.js';
import { SettingsPage } from './pages/SettingsPage.js';
import { req } from './requests/can.js';
import { share } from './sharing/can.js';
import { can, dropSession, SessionContext, sessionKey, useSessionQuery } from './session.js';
import { membershipPublicRoutes, membershipRoutes } from './membership/routes.js';
import { insightRoutes } from './insight/routes.js';
import { searchRoutes } from './search/routes.js';
import { notificationRoutes } from './notifications/routes.js';
import { RulesGate } from './membership/RulesGate.js';

const theme = createTheme({
  primaryColor: 'indigo',
  fontFamily:
    '"Hiragino Kaku Gothic ProN", "Hiragino Sans", "Noto Sans JP", "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, system-ui, sans-serif',
  headings: { fontFamily: '"Hiragino Kaku Gothic ProN", "Hiragino Sans", "Noto Sans JP", "Noto Sans CJK JP", "Yu Gothic UI", Meiryo, sans-serif' },
  components: {
    // Badges in narrow table cells must not shrink to "有…": a status is short and must stay readable.
    Badge: Badge.extend({ styles: { root: { flexShrink: 0, minWidth: 'max-content' } } }),
  },
});

/** A request answered "please sign in" means the session ended elsewhere: go back to the login page. */
const sessionEnded = (error: unknown) => error instanceof ApiError && error.status === 401 && error.code === 'unauthenticated';

/** A stale CSRF token (the session was replaced in another tab): reload the session to get the new one. */
const csrfStale = (error: unknown) => error instanceof ApiError && error.code === 'csrf_invalid';

function onApiError(error: unknown): void {
  if (sessionEnded(error)) dropSession(queryClient);
  else if (csrfStale(error)) void queryClient.invalidateQueries({ queryKey: sessionKey });
  // A new version of the rules came into force: ask the rules gate again.
  else if (error instanceof ApiError && error.code === 'rules_not_accepted') void queryClient.invalidateQueries({ queryKey: ['membership', 'my-rulebooks'] });
}

const queryClient: QueryClient = new QueryClient({
  queryCache: new QueryCache({ onError: onApiError }),
  mutationCache: new MutationCache({ onError: onApiError }),
  defaultOptions: {
    queries: { retry: (count, e) => !(e instanceof ApiError && e.status > 0 && e.status < 500) && count < 2, refetchOnWindowFocus: false },
  },
});

function Guard({ allowed, children }: { allowed: boolean; children: ReactNode }) {
  return allowed ? children : <Problem kind="forbidden" />;
}

function SignedInRoutes({ session }: { session: Session }) {
  return (
    <Routes>
      <Route path="/" element={<HomePage />} />
      <Route path="/login" element={<Navigate to="/" replace />} />
      <Route path="/settings" element={<SettingsPage />} />
      <Route
        path="/organizations"
        element={
          <Guard allowed={can.viewOrganizations(session)}>
            <OrganizationsPage />
          </Guard>
        }
      />
      <Route
        path="/organizations/new"
        element={
          <Guard allowed={can.manageOrganizations(session)}>
            <OrganizationNewPage />
          </Guard>
        }
      />
      <Route
        path="/organizations/:id"
        element={
          <Guard allowed={can.viewOrganizations(session)}>
            <OrganizationDetailPage />
          </Guard>
        }
      />
      <Route
        path="/my-organization/users"
        element={
          <Guard allowed={can.manageOwnUsers(session)}>
            <MyOrgUsersPage />
          </Guard>
        }
      />
      <Route
        path="/audit"
        element={
          <Guard allowed={can.readAudit(session)}>
            <AuditPage />
          </Guard>
        }
      />
      <Route path="/reports" element={<ReportsPage />} />
      <Route
        path="/reports/new"
        element={
          <Guard allowed={share.createReport(session)}>
            <ReportNewPage />
          </Guard>
        }
      />
      <Route path="/reports/:id" element={<ReportDetailPage />} />
      <Route path="/advisories" element={<AdvisoriesPage />} />
      <Route
        path="/advisories/new"
        element={
          <Guard allowed={share.analyse(session)}>
            <AdvisoryNewPage />
          </Guard>
        }
      />
      <Route path="/advisories/:id" element={<AdvisoryDetailPage />} />
      <Route
        path="/advisories/:id/revise"
        element={
          <Guard allowed={share.analyse(session)}>
            <AdvisoryRevisePage />
          </Guard>
        }
      />
      {/* Large-scale attack mode, information requests, consultations, give and take */}
      <Route path="/campaigns" element={<Guard allowed={req.requestStatus(session)}><CampaignsPage /></Guard>} />
      <Route path="/campaigns/:id" element={<Guard allowed={req.requestStatus(session)}><CampaignDetailPage /></Guard>} />
      <Route path="/info-requests" element={<Guard allowed={req.receiveRequests(session)}><InfoRequestsPage /></Guard>} />
      <Route path="/info-requests/:id" element={<Guard allowed={req.receiveRequests(session) || req.requestStatus(session)}><InfoRequestPage /></Guard>} />
      <Route path="/info-requests/:id/status" element={<Guard allowed={req.requestStatus(session)}><InfoRequestStatusPage /></Guard>} />
      <Route path="/consultations" element={<Guard allowed={req.readConsultations(session) || req.questions(session)}><ConsultationsPage /></Guard>} />
      <Route path="/consultations/questions/:id" element={<Guard allowed={req.questions(session)}><QuestionPage /></Guard>} />
      <Route path="/consultations/:id" element={<Guard allowed={req.readConsultations(session)}><ConsultationDetailPage /></Guard>} />
      <Route path="/ledger" element={<Guard allowed={req.ownLedger(session)}><LedgerPage /></Guard>} />
      <Route path="/ledger/orgs/:id" element={<Guard allowed={req.ranking(session)}><LedgerOrgPage /></Guard>} />
      {/* Membership: applications, periods, requests, roster, rulebooks, statistics, settings */}
      {membershipRoutes(session)}
      {/* Dashboards: the Type 1 group's, the council's, each organisation's */}
      {insightRoutes(session)}
      {/* Full-text search, observable look-up */}
      {searchRoutes()}
      {/* Inbox and the organisation's webhooks */}
      {notificationRoutes(session)}
      <Route path="*" element={<Problem kind="notFound" />} />
    </Routes>
  );
}

/** Until the session is known, a spinner; then the login page or the signed-in routes. */
function Shell() {
  const session = useSessionQuery();
  if (session.isPending) {
    return (
      <Center h="100vh">
        <Loader />
      </Center>
    );
  }
  const current = session.data ?? null;
  return (
    <SessionContext.Provider value={current}>
      <AppLayout>
        <Routes>
          {/* Public pages: with or without a session (a non-member has none). */}
          <Route path="/consult" element={<ConsultPage />} />
          <Route path="/consultations/private/:token" element={<ConsultationPrivatePage />} />
          {membershipPublicRoutes()}
          <Route
            path="*"
            element={session.error ? <ErrorAlert error={session.error} /> : current ? (
                  <RulesGate session={current}>
                    <SignedInRoutes session={current} />
                  </RulesGate>
                ) : (
                  <LoginPage />
                )}
          />
        </Routes>
      </AppLayout>
    </SessionContext.Provider>
  );
}

export function App() {
  const { i18n } = useTranslation();
  return (
    <MantineProvider theme={theme} defaultColorScheme="light">
      <DatesProvider settings={{ locale: i18n.language, firstDayOfWeek: 0, consistentWeeks: true }}>
        <Notifications position="top-right" />
        <QueryClientProvider client={queryClient}>
          <BrowserRouter>
            <Shell />
          </BrowserRouter>
        </QueryClientProvider>
      </DatesProvider>
    </MantineProvider>
  );
}
