import { BarChart } from '@mantine/charts';
import { Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { orgName } from '../labels.js';
import { ledgerKindColor, ledgerKinds } from '../requests/labels.js';
import { LedgerTotalsView } from '../requests/LedgerView.js';
import { csvUrl, insightApi, type OrganizationDashboard } from './api.js';
import { ChartCard, StageChart } from './ChartCard.js';
import { DashboardHeading } from './DashboardHeading.js';
import { DeadlineList } from './DeadlineList.js';

/** The ledger's last twelve months (Japan time), stacked by kind. */
function LedgerMonths({ d }: { d: OrganizationDashboard }) {
  const { t, i18n } = useTranslation();
  const month = (m: string) => (i18n.language === 'en' ? m : `${m.slice(0, 4)}年${Number(m.slice(5))}月`);
  return (
    <ChartCard
      title={t('insight.organization.months')}
      lead={t('insight.organization.monthsLead')}
      csv={csvUrl('organization', 'ledger-months', i18n.language)}
      testId="org-ledger-months"
      empty={d.ledger.months.every((m) => ledgerKinds.every((k) => m.counts[k] === 0))}
      table={{
        head: [t('insight.organization.month'), ...ledgerKinds.map((k) => t(`ledgerKind.${k}`))],
        rows: d.ledger.months.map((m) => [month(m.month), ...ledgerKinds.map((k) => m.counts[k])]),
      }}
    >
      <BarChart
        h={300}
        data={d.ledger.months.map((m) => ({ month: month(m.month), ...m.counts }))}
        dataKey="month"
        type="stacked"
        series={ledgerKinds.map((k) => ({ name: k, label: t(`ledgerKind.${k}`), color: ledgerKindColor[k] }))}
        withLegend
        yAxisProps={{ allowDecimals: false }}
        data-testid="org-ledger-months-chart"
      />
    </ChartCard>
  );
}

/** 自組織のダッシュボード: the organisation's ledger, the answers asked of it with their deadlines, what it may read. */
export function OrgDashboardPage() {
  const { t, i18n } = useTranslation();
  const board = useQuery({ queryKey: ['dashboards', 'organization'], queryFn: insightApi.organization });
  const d = board.data;
  return (
    <Stack maw={1300} data-testid="dashboard-organization">
      <DashboardHeading title={d ? t('insight.organization.title', { name: orgName(d, i18n.language) }) : t('insight.nav.organization')} lead={t('insight.organization.lead')} />
      <ErrorAlert error={board.error} />
      {board.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {d && (
        <>
          <Card withBorder padding="lg" radius="md" data-testid="org-deadlines">
            <Stack>
              <Group justify="space-between" align="flex-start">
                <Stack gap={2}>
                  <Title order={3} size="h4">
                    {t('insight.organization.deadlines')}
                  </Title>
                  <Text size="sm" c="dimmed">
                    {t('insight.organization.deadlinesLead')}
                  </Text>
                </Stack>
                <Button component="a" href={csvUrl('organization', 'deadlines', i18n.language)} download size="xs" variant="light" data-testid="org-deadlines-csv">
                  {t('insight.common.csv')}
                </Button>
              </Group>
              <DeadlineList items={d.deadlines} testId="org-deadline" />
            </Stack>
          </Card>
          <Card withBorder padding="lg" radius="md" data-testid="org-ledger">
            <Stack>
              <Group justify="space-between">
                <Title order={3} size="h4">
                  {t('insight.organization.ledger')}
                </Title>
                <Text fw={700} c="indigo.7" data-testid="org-ledger-score">
                  {t('ledger.score')}: {d.ledger.score}
                </Text>
              </Group>
              <LedgerTotalsView totals={d.ledger.totals} score={d.ledger.score} filename="ledger_mine_all.csv" />
            </Stack>
          </Card>
          <LedgerMonths d={d} />
          <StageChart
            counts={d.available}
            title={t('insight.organization.available')}
            lead={t('insight.organization.availableLead')}
            csv={csvUrl('organization', 'available', i18n.language)}
            testId="org-available"
          />
        </>
      )}
      <Text size="xs" c="dimmed">
        {t('insight.common.visibleOnly')} {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
