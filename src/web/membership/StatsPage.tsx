import { AreaChart, BarChart } from '@mantine/charts';
import { Button, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { downloadCsv, toCsv } from '../requests/csv.js';
import { jstDay } from '../requests/time.js';
import { membershipApi, type MembershipStats, type StatClass } from './api.js';

const classColor: Record<StatClass, string> = { designated: 'grape.9', type1: 'grape.5', type2: 'violet.4', general: 'blue.4' };
const categoryColor = ['indigo.6', 'teal.5', 'orange.5', 'red.5', 'cyan.5', 'lime.6'];

/**
 * Member counts per period (and now) by class and by category, as chart data and as a table: shared by this page
 * and the council dashboard (src/web/insight/CouncilDashboardPage.tsx).
 */
export function useMembershipNumbers(s: MembershipStats) {
  const { t } = useTranslation();
  const rowLabel = (r: MembershipStats['rows'][number]) => (r.periodNumber === null ? t('membership.stats.now') : t('membership.periodLabel', { number: r.periodNumber }));
  const classLabel = (c: StatClass) => (c === 'designated' ? t('org.designated') : t(`memberClass.${c}`));
  const rows = [...s.rows, s.current];
  return {
    rows,
    byClass: rows.map((r) => ({ label: rowLabel(r), ...Object.fromEntries(s.classes.map((c) => [c, r.byClass[c] ?? 0])) })),
    byCategory: rows.map((r) => ({ label: rowLabel(r), ...Object.fromEntries(s.categories.map((c) => [c, r.byCategory[c] ?? 0])) })),
    classSeries: s.classes.map((c) => ({ name: c, label: classLabel(c), color: classColor[c] })),
    categorySeries: s.categories.map((c, i) => ({ name: c, label: t(`category.${c}`), color: categoryColor[i % categoryColor.length] ?? 'gray.5' })),
    table: {
      head: [t('membership.period'), t('membership.stats.asOf'), t('membership.stats.total'), t('membership.stats.joined'), ...s.classes.map(classLabel), ...s.categories.map((c) => t(`category.${c}`))],
      rows: rows.map((r) => [
        rowLabel(r),
        jstDay(new Date(r.asOf).getTime()),
        r.total,
        r.joined,
        ...s.classes.map((c) => r.byClass[c] ?? 0),
        ...s.categories.map((c) => r.byCategory[c] ?? 0),
      ]),
    },
  };
}

/** Members per period, stacked by class (the council's growth, e.g. 91 → 155 → 225 → 265). */
export function MembersByClassChart({ stats, testId = 'stats-class-chart' }: { stats: MembershipStats; testId?: string }) {
  const n = useMembershipNumbers(stats);
  return <BarChart h={300} data={n.byClass} dataKey="label" type="stacked" series={n.classSeries} withLegend yAxisProps={{ allowDecimals: false }} data-testid={testId} />;
}

/** Members per period, stacked by category. */
export function MembersByCategoryChart({ stats, testId = 'stats-category-chart' }: { stats: MembershipStats; testId?: string }) {
  const n = useMembershipNumbers(stats);
  return <AreaChart h={300} data={n.byCategory} dataKey="label" type="stacked" series={n.categorySeries} withLegend yAxisProps={{ allowDecimals: false }} data-testid={testId} />;
}

function StatsView({ stats }: { stats: MembershipStats }) {
  const { t } = useTranslation();
  const n = useMembershipNumbers(stats);
  return (
    <>
      <Group justify="flex-end">
        <Button variant="light" onClick={() => downloadCsv('membership-stats.csv', toCsv([n.table.head, ...n.table.rows]))} data-testid="stats-csv">
          {t('membership.stats.csv')}
        </Button>
      </Group>
      <Card withBorder padding="lg" radius="md">
        <Stack>
          <Title order={3}>{t('membership.stats.byClass')}</Title>
          <MembersByClassChart stats={stats} />
        </Stack>
      </Card>
      <Card withBorder padding="lg" radius="md">
        <Stack>
          <Title order={3}>{t('membership.stats.byCategory')}</Title>
          <MembersByCategoryChart stats={stats} />
        </Stack>
      </Card>
      <Table.ScrollContainer minWidth={1000}>
        <Table striped withTableBorder data-testid="stats-table">
          <Table.Thead>
            <Table.Tr>
              {n.table.head.map((h) => (
                <Table.Th key={h}>{h}</Table.Th>
              ))}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {n.table.rows.map((row, i) => (
              <Table.Tr key={i} fw={n.rows[i]?.periodNumber === null ? 700 : undefined}>
                {row.map((cell, j) => (
                  <Table.Td key={j} style={j === 1 ? { whiteSpace: 'nowrap' } : undefined}>
                    {cell}
                  </Table.Td>
                ))}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </>
  );
}

/** 構成員統計: member counts per recruitment period, by class and category, as charts, a table and CSV. */
export function StatsPage() {
  const { t } = useTranslation();
  const stats = useQuery({ queryKey: ['membership', 'stats'], queryFn: membershipApi.stats });
  return (
    <Stack maw={1200} data-testid="membership-stats">
      <Stack gap={2}>
        <Title order={2}>{t('membership.nav.stats')}</Title>
        <Text size="sm" c="dimmed">
          {t('membership.stats.lead')}
        </Text>
      </Stack>
      <ErrorAlert error={stats.error} />
      {stats.data && <StatsView stats={stats.data} />}
    </Stack>
  );
}
