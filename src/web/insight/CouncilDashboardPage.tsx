import { BarChart } from '@mantine/charts';
import { Anchor, SimpleGrid, Stack, Text } from '@mantine/core';
import type { DateValue } from '@mantine/dates';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { orgName } from '../labels.js';
import { MembersByCategoryChart, MembersByClassChart, useMembershipNumbers } from '../membership/StatsPage.js';
import { PeriodInputs, periodOf } from '../requests/LedgerView.js';
import { ledgerKindColor, ledgerKinds } from '../requests/labels.js';
import { jstDay } from '../requests/time.js';
import { csvUrl, insightApi, type CouncilDashboard, type DashboardPeriod } from './api.js';
import { ChartCard } from './ChartCard.js';
import { DashboardHeading, shortTitle } from './DashboardHeading.js';

const YEAR_MS = 365 * 86_400_000;
/** Organisations shown in the ranking and overdue charts (the tables and CSV have them all). */
const TOP = 15;
const overdueKinds = ['feedbackMissing', 'requestsMissing', 'feedbackLate', 'requestsLate'] as const;
const overdueColor = { feedbackMissing: 'red.7', requestsMissing: 'orange.6', feedbackLate: 'red.3', requestsLate: 'orange.3' } as const;

/** Members per recruitment period, by class and by category (the council's growth). */
function Members({ d, period }: { d: CouncilDashboard; period: DashboardPeriod }) {
  const { t, i18n } = useTranslation();
  const n = useMembershipNumbers(d.membership);
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <ChartCard
        title={t('insight.council.byClass')}
        lead={t('insight.council.membersLead')}
        csv={csvUrl('council', 'members', i18n.language, period)}
        testId="council-members-class"
        table={n.table}
      >
        <MembersByClassChart stats={d.membership} testId="council-members-class-chart" />
      </ChartCard>
      <ChartCard
        title={t('insight.council.byCategory')}
        lead={t('insight.council.membersLead')}
        csv={csvUrl('council', 'members', i18n.language, period)}
        testId="council-members-category"
        table={n.table}
      >
        <MembersByCategoryChart stats={d.membership} testId="council-members-category-chart" />
      </ChartCard>
    </SimpleGrid>
  );
}

/** The give-and-take ranking: each organisation's score, split by what earned it. */
function Ranking({ d, period }: { d: CouncilDashboard; period: DashboardPeriod }) {
  const { t, i18n } = useTranslation();
  // The chart shows who earned something; the table and the CSV list every organisation.
  const top = d.ranking.items.filter((r) => r.score > 0).slice(0, TOP);
  return (
    <ChartCard
      title={t('insight.council.ranking')}
      lead={t('insight.council.rankingLead', { n: TOP })}
      csv={csvUrl('council', 'ranking', i18n.language, period)}
      testId="council-ranking"
      empty={top.length === 0}
      extra={
        <Anchor component={Link} to="/ledger?tab=ranking" size="sm">
          {t('insight.council.fullRanking')}
        </Anchor>
      }
      table={{
        head: [t('ledger.rank'), t('ledger.organization'), t('ledger.memberClass'), t('ledger.score'), ...ledgerKinds.map((k) => t(`ledgerKind.${k}`)), t('ledger.missed')],
        rows: d.ranking.items.map((r) => [r.rank, orgName(r, i18n.language), t(`memberClass.${r.memberClass}`), r.score, ...ledgerKinds.map((k) => r.totals[k]), r.missedRequests]),
      }}
    >
      <BarChart
        h={Math.max(200, top.length * 36)}
        // Points per kind (count × weight), so the bar's length is the score.
        data={top.map((r) => ({ org: shortTitle(orgName(r, i18n.language)), ...Object.fromEntries(ledgerKinds.map((k) => [k, r.totals[k] * (d.ranking.weights[k] ?? 0)])) }))}
        dataKey="org"
        type="stacked"
        orientation="vertical"
        series={ledgerKinds.filter((k) => (d.ranking.weights[k] ?? 0) > 0).map((k) => ({ name: k, label: t(`ledgerKind.${k}`), color: ledgerKindColor[k] }))}
        withLegend
        legendProps={{ wrapperStyle: { fontSize: 12 } }}
        yAxisProps={{ width: 200, interval: 0 }}
        xAxisProps={{ allowDecimals: false }}
        data-testid="council-ranking-chart"
      />
    </ChartCard>
  );
}

/** Organisations with answers missing past their deadline, or given late. */
function Overdue({ d, period }: { d: CouncilDashboard; period: DashboardPeriod }) {
  const { t, i18n } = useTranslation();
  const top = d.overdue.slice(0, TOP);
  return (
    <ChartCard
      title={t('insight.council.overdue')}
      lead={t('insight.council.overdueLead')}
      csv={csvUrl('council', 'overdue', i18n.language, period)}
      testId="council-overdue"
      empty={d.overdue.length === 0}
      table={{
        head: [t('ledger.organization'), t('ledger.memberClass'), ...overdueKinds.map((k) => t(`insight.council.${k}`))],
        rows: d.overdue.map((o) => [orgName(o, i18n.language), t(`memberClass.${o.memberClass}`), ...overdueKinds.map((k) => o[k])]),
      }}
    >
      <BarChart
        h={Math.max(200, top.length * 36)}
        data={top.map((o) => ({ org: shortTitle(orgName(o, i18n.language)), ...Object.fromEntries(overdueKinds.map((k) => [k, o[k]])) }))}
        dataKey="org"
        type="stacked"
        orientation="vertical"
        series={overdueKinds.map((k) => ({ name: k, label: t(`insight.council.${k}`), color: overdueColor[k] }))}
        withLegend
        yAxisProps={{ width: 200, interval: 0 }}
        xAxisProps={{ allowDecimals: false }}
        data-testid="council-overdue-chart"
      />
    </ChartCard>
  );
}

/** 事務局・運営委員会のダッシュボード. */
export function CouncilDashboardPage() {
  const { t } = useTranslation();
  const [from, setFrom] = useState<DateValue>(() => jstDay(Date.now() - YEAR_MS));
  const [to, setTo] = useState<DateValue>(() => jstDay(Date.now()));
  const period = periodOf(from, to);
  const board = useQuery({ queryKey: ['dashboards', 'council', period], queryFn: () => insightApi.council(period), placeholderData: keepPreviousData });
  const d = board.data;
  return (
    <Stack maw={1300} data-testid="dashboard-council">
      <DashboardHeading title={t('insight.council.title')} lead={t('insight.council.lead')}>
        <PeriodInputs from={from} to={to} onFrom={setFrom} onTo={setTo} testId="council-period" />
      </DashboardHeading>
      <ErrorAlert error={board.error} />
      {board.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {d && (
        <>
          <Members d={d} period={period} />
          <Ranking d={d} period={period} />
          <Overdue d={d} period={period} />
        </>
      )}
      <Text size="xs" c="dimmed">
        {t('insight.common.visibleOnly')} {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
