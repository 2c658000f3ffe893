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

/** 構成員統計: member counts per recruitment period, by class and category, as charts, a table and CSV. */
export function StatsPage() {
  const { t } = useTranslation();
  const stats = useQuery({ queryKey: ['membership', 'stats'], queryFn: membershipApi.stats });
  const s = stats.data;
  const rowLabel = (r: MembershipStats['rows'][number]) => (r.periodNumber === null ? t('membership.stats.now') : t('membership.periodLabel', { number: r.periodNumber }));
  const classLabel = (c: StatClass) => (c === 'designated' ? t('org.designated') : t(`memberClass.${c}`));
  const rows = s ? [...s.rows, s.current] : [];
  const byClass = rows.map((r) => ({ label: rowLabel(r), ...Object.fromEntries((s?.classes ?? []).map((c) => [c, r.byClass[c] ?? 0])) }));
  const byCategory = rows.map((r) => ({ label: rowLabel(r), ...Object.fromEntries((s?.categories ?? []).map((c) => [c, r.byCategory[c] ?? 0])) }));

  const csv = () => {
    if (!s) return;
    const header = [t('membership.period'), t('membership.stats.asOf'), t('membership.stats.total'), t('membership.stats.joined'), ...s.classes.map(classLabel), ...s.categories.map((c) => t(`category.${c}`))];
    const body = rows.map((r) => [rowLabel(r), jstDay(new Date(r.asOf).getTime()), r.total, r.joined, ...s.classes.map((c) => r.byClass[c] ?? 0), ...s.categories.map((c) => r.byCategory[c] ?? 0)]);
    downloadCsv('membership-stats.csv', toCsv([header, ...body]));
  };

  return (
    <Stack maw={1200} data-testid="membership-stats">
      <Group justify="space-between">
        <Stack gap={2}>
          <Title order={2}>{t('membership.nav.stats')}</Title>
          <Text size="sm" c="dimmed">
            {t('membership.stats.lead')}
          </Text>
        </Stack>
        <Button variant="light" onClick={csv} disabled={!s} data-testid="stats-csv">
          {t('membership.stats.csv')}
        </Button>
      </Group>
      <ErrorAlert error={stats.error} />
      {s && (
        <>
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Title order={3}>{t('membership.stats.byClass')}</Title>
              <BarChart
                h={300}
                data={byClass}
                dataKey="label"
                type="stacked"
                series={s.classes.map((c) => ({ name: c, label: classLabel(c), color: classColor[c] }))}
                withLegend
                yAxisProps={{ allowDecimals: false }}
                data-testid="stats-class-chart"
              />
            </Stack>
          </Card>
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Title order={3}>{t('membership.stats.byCategory')}</Title>
              <AreaChart
                h={300}
                data={byCategory}
                dataKey="label"
                type="stacked"
                series={s.categories.map((c, i) => ({ name: c, label: t(`category.${c}`), color: categoryColor[i % categoryColor.length] ?? 'gray.5' }))}
                withLegend
                yAxisProps={{ allowDecimals: false }}
                data-testid="stats-category-chart"
              />
            </Stack>
          </Card>
          <Table.ScrollContainer minWidth={1000}>
            <Table striped withTableBorder data-testid="stats-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('membership.period')}</Table.Th>
                  <Table.Th>{t('membership.stats.asOf')}</Table.Th>
                  <Table.Th>{t('membership.stats.total')}</Table.Th>
                  <Table.Th>{t('membership.stats.joined')}</Table.Th>
                  {s.classes.map((c) => (
                    <Table.Th key={c}>{classLabel(c)}</Table.Th>
                  ))}
                  {s.categories.map((c) => (
                    <Table.Th key={c}>{t(`category.${c}`)}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((r, i) => (
                  <Table.Tr key={i} fw={r.periodNumber === null ? 700 : undefined}>
                    <Table.Td>{rowLabel(r)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{jstDay(new Date(r.asOf).getTime())}</Table.Td>
                    <Table.Td>{r.total}</Table.Td>
                    <Table.Td>{r.joined}</Table.Td>
                    {s.classes.map((c) => (
                      <Table.Td key={c}>{r.byClass[c] ?? 0}</Table.Td>
                    ))}
                    {s.categories.map((c) => (
                      <Table.Td key={c}>{r.byCategory[c] ?? 0}</Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Stack>
  );
}
