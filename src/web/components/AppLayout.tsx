import { AppShell, Burger, Button, Group, NavLink, ScrollArea, Stack, Text, Title, UnstyledButton } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation } from '@tanstack/react-query';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { api } from '../api.js';
import { orgName } from '../labels.js';
import { can, useSession, useSetSession } from '../session.js';
import { CampaignBanner } from '../requests/CampaignBanner.js';
import { req } from '../requests/can.js';
import { share } from '../sharing/can.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { useCouncilName } from '../membership/council.js';
import { membershipNav } from '../membership/routes.js';
import { insightNav } from '../insight/routes.js';
import { HeaderSearch } from '../search/HeaderSearch.js';
import { searchNav } from '../search/routes.js';
import { InboxBell } from '../notifications/InboxBell.js';
import { webhookNav } from '../notifications/routes.js';
import { useRulesPending } from '../membership/RulesGate.js';

function Brand() {
  const { t } = useTranslation();
  const councilName = useCouncilName();
  return (
    <UnstyledButton component={Link} to="/">
      <Group gap="xs" wrap="nowrap">
      <Title order={1} size="h4" data-testid="app-title" style={{ whiteSpace: 'nowrap' }}>
        {councilName}
      </Title>
      <Text size="xs" c="dimmed" visibleFrom="sm">
        {t('app.subtitle')} · {t('app.product')}
        </Text>
      </Group>
    </UnstyledButton>
  );
}

function UserMenu() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const setSession = useSetSession();
  const navigate = useNavigate();
  const logout = useMutation({
    mutationFn: api.logout,
    onSettled: async () => {
      await setSession(null);
      await navigate('/');
    },
  });
  if (!session) return null;
  return (
    <Group gap="sm" wrap="nowrap">
      <Text size="sm" visibleFrom="md" data-testid="current-user">
        {t('header.user', { name: session.user.displayName, org: orgName(session.organization, i18n.language) })}
      </Text>
      <Button size="xs" variant="default" loading={logout.isPending} onClick={() => logout.mutate()} data-testid="logout">
        {t('header.logout')}
      </Button>
    </Group>
  );
}

function Navigation({ onNavigate }: { onNavigate: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const { pathname } = useLocation();
  if (!session) return null;
  const items = [
    { to: '/', label: t('nav.home'), show: true, testId: 'nav-home' },
    ...insightNav(session, t),
    { to: '/reports', label: t('nav.reports'), show: true, testId: 'nav-reports' },
    { to: '/reports/new', label: t('nav.reportNew'), show: share.createReport(session), testId: 'nav-report-new', child: true },
    { to: '/advisories', label: t('nav.advisories'), show: true, testId: 'nav-advisories' },
    ...searchNav(t),
    { to: '/campaigns', label: t('campaign.nav'), show: req.requestStatus(session), testId: 'nav-campaigns' },
    { to: '/info-requests', label: t('infoRequest.nav'), show: req.receiveRequests(session), testId: 'nav-info-requests' },
    { to: '/consultations', label: t('consultation.nav'), show: req.readConsultations(session) || req.questions(session), testId: 'nav-consultations' },
    { to: '/ledger', label: t('ledger.nav'), show: req.ownLedger(session), testId: 'nav-ledger' },
    { to: '/organizations', label: t('nav.organizations'), show: can.viewOrganizations(session), testId: 'nav-organizations' },
    { to: '/my-organization/users', label: t('nav.myOrgUsers'), show: can.manageOwnUsers(session), testId: 'nav-my-users' },
    ...webhookNav(session, t),
    ...membershipNav(session, t),
    { to: '/audit', label: t('nav.audit'), show: can.readAudit(session), testId: 'nav-audit' },
    { to: '/settings', label: t('nav.settings'), show: true, testId: 'nav-settings' },
  ];
  // A child entry (e.g. 新規) is a page of its own: its parent is not highlighted with it.
  const childPaths = items.filter((i) => 'child' in i && i.child).map((i) => i.to);
  const isActive = (to: string) =>
    to === '/' ? pathname === '/' : pathname === to || (pathname.startsWith(`${to}/`) && !childPaths.includes(pathname));
  return (
    <Stack gap={4}>
      {items
        .filter((i) => i.show)
        .map((i) => (
          <NavLink
            key={i.to}
            component={Link}
            to={i.to}
            label={i.label}
            active={isActive(i.to)}
            onClick={onNavigate}
            pl={'child' in i && i.child ? 'xl' : undefined}
            data-testid={i.testId}
          />
        ))}
    </Stack>
  );
}

/** Header with title, language switch and user; a navbar once signed in. */
export function AppLayout({ children }: { children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const signedIn = useSession();
  const councilName = useCouncilName();
  // Until the rules are accepted, the navigation leads nowhere: the rules gate replaces every page.
  const rulesPending = useRulesPending();
  const session = rulesPending ? null : signedIn;
  const [opened, { toggle, close }] = useDisclosure(false);

  useEffect(() => {
    document.title = `${councilName} | ${t('app.product')}`;
  }, [t, i18n.language, councilName]);

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={session ? { width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } } : undefined}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            {session && <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('header.menu')} />}
            <Brand />
          </Group>
          <Group gap="sm" wrap="nowrap">
            {session && <HeaderSearch />}
            {session && <InboxBell />}
            <LanguageSwitch />
            <UserMenu />
          </Group>
        </Group>
      </AppShell.Header>
      {session && (
        <AppShell.Navbar p="sm">
          {/* The entries outgrow a short window: they scroll rather than fall off its bottom. */}
          <AppShell.Section grow component={ScrollArea}>
            <Navigation onNavigate={close} />
          </AppShell.Section>
        </AppShell.Navbar>
      )}
      <AppShell.Main>
        <CampaignBanner />
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
