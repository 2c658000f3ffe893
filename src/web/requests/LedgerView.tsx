import { BarChart } from '@mantine/charts';
import { Anchor, Badge, Button, Card, Group, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { DatePickerInput, type DateValue } from '@mantine/dates';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst, jstDayEnd, jstDayStart } from '../format.js';
import { useSignedIn } from '../session.js';
import { inType1Group } from '../sharing/can.js';
import { requestsApi, type LedgerTotals, type OrgLedger, type Period } from './api.js';
import { req } from './can.js';
import { downloadCsv, toCsv } from './csv.js';
import { ledgerItemPath, ledgerKindColor, ledgerKinds } from './labels.js';

/** `YYYY-MM-DD` of a date picker value (Mantine 8 gives strings; older versions Date objects). */
export function dayOf(value: DateValue): string | undefined {
  if (!value) return undefined;
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

/** A period of Japanese calendar days, as the API takes it. */
export function periodOf(from: DateValue, to: DateValue): Period {
  const f = dayOf(from);
  const t = dayOf(to);
  return { ...(f ? { from: jstDayStart(f) } : {}), ...(t ? { to: jstDayEnd(t) } : {}) };
}

export function PeriodInputs(props: { from: DateValue; to: DateValue; onFrom: (v: DateValue) => void; onTo: (v: DateValue) => void; clearable?: boolean; testId: string }) {
  const { t, i18n } = useTranslation();
  const monthLabelFormat = i18n.language === 'ja' ? 'YYYY年M月' : 'MMMM YYYY';
  return (
    <Group gap="sm" align="flex-end">
      <DatePickerInput
        label={t('ledger.from')}
        value={props.from}
        onChange={props.onFrom}
        valueFormat="YYYY/MM/DD"
        monthLabelFormat={monthLabelFormat}
        clearable={props.clearable}
        w={150}
        data-testid={`${props.testId}-from`}
      />
      <DatePickerInput
        label={t('ledger.to')}
        value={props.to}
        onChange={props.onTo}
        valueFormat="YYYY/MM/DD"
        monthLabelFormat={monthLabelFormat}
        clearable={props.clearable}
        w={150}
        data-testid={`${props.testId}-to`}
      />
    </Group>
  );
}

/** Totals by kind: a bar chart and the same numbers as a table, with a CSV download of the table. */
export function LedgerTotalsView({ totals, score, filename }: { totals: LedgerTotals; score: number; filename: string }) {
  const { t } = useTranslation();
  const rows = ledgerKinds.map((k) => ({ kind: k, label: t(`ledgerKind.${k}`), count: totals[k] }));
  const total = rows.reduce((n, r) => n + r.count, 0);
  const csv = () =>
    downloadCsv(
      filename,
      toCsv([[t('ledger.kind'), t('ledger.count')], ...rows.map((r) => [r.label, r.count]), [t('ledger.total'), total], [t('ledger.score'), score]]),
    );
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <Stack gap="xs">
        <Text fw={500} size="sm">
          {t('ledger.chartTitle')}
        </Text>
        <BarChart
          h={360}
          // Each bar in its kind's colour, as in the table.
          data={rows.map((r) => ({ kind: r.label, count: r.count, color: ledgerKindColor[r.kind] }))}
          dataKey="kind"
          orientation="vertical"
          series={[{ name: 'count', label: t('ledger.count'), color: 'indigo.6' }]}
          yAxisProps={{ width: 170 }}
          xAxisProps={{ allowDecimals: false }}
          withBarValueLabel
          valueFormatter={(v) => String(v)}
          data-testid="ledger-chart"
        />
      </Stack>
      <Stack gap="xs">
        <Group justify="space-between">
          <Text fw={500} size="sm">
            {t('ledger.tableTitle')}
          </Text>
          <Button size="xs" variant="light" onClick={csv} data-testid="ledger-csv">
            {t('ledger.csv')}
          </Button>
        </Group>
        <Table data-testid="ledger-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ledger.kind')}</Table.Th>
              <Table.Th ta="right">{t('ledger.count')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((r) => (
              <Table.Tr key={r.kind} data-testid="ledger-table-row" data-kind={r.kind}>
                <Table.Td>
                  <Group gap={6} wrap="nowrap">
                    <span style={{ width: 10, height: 10, borderRadius: 2, flexShrink: 0, background: `var(--mantine-color-${ledgerKindColor[r.kind].replace('.', '-')})` }} />
                    {r.label}
                  </Group>
                </Table.Td>
                <Table.Td ta="right" data-testid="ledger-count">
                  {r.count}
                </Table.Td>
              </Table.Tr>
            ))}
            <Table.Tr fw={700}>
              <Table.Td>{t('ledger.total')}</Table.Td>
              <Table.Td ta="right">{total}</Table.Td>
            </Table.Tr>
          </Table.Tbody>
        </Table>
      </Stack>
    </SimpleGrid>
  );
}

/** The entries of a ledger, newest first, each linked to what it was for (where the reader may open it). */
function Entries({ ledger, own, pager }: { ledger: OrgLedger; own: boolean; pager: ReturnType<typeof useCursorStack> }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const opts = { own, type1: req.readConsultations(session) && inType1Group(session), status: req.requestStatus(session) };
  return (
    <Stack gap="xs">
      <Text fw={500} size="sm">
        {t('ledger.entries')}
      </Text>
      {ledger.items.length === 0 ? (
        <Text size="sm" c="dimmed">
          {t('ledger.noEntries')}
        </Text>
      ) : (
        <Table striped data-testid="ledger-entries">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('ledger.at')}</Table.Th>
              <Table.Th>{t('ledger.kind')}</Table.Th>
              <Table.Th>{t('ledger.item')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {ledger.items.map((e) => {
              const path = ledgerItemPath(e.kind, e.itemId, opts);
              return (
                <Table.Tr key={e.id} data-testid="ledger-entry">
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(e.at)}</Table.Td>
                  <Table.Td>
                    <Badge color={ledgerKindColor[e.kind].split('.')[0]} variant="light">
                      {t(`ledgerKind.${e.kind}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {path ? (
                      <Anchor component={Link} to={path} size="sm">
                        {t('ledger.open')}
                      </Anchor>
                    ) : (
                      <Text size="sm" c="dimmed">
                        {t('common.none')}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      )}
      <CursorPager pager={pager} next={ledger.next} testId="ledger-pager" />
    </Stack>
  );
}

/** One organisation's ledger (its own, or another's for the committee and the secretariat) for a period. */
export function LedgerView({ orgId, name }: { orgId?: string; name?: string }) {
  const { t } = useTranslation();
  const pager = useCursorStack();
  const [from, setFrom] = useState<DateValue>(null);
  const [to, setTo] = useState<DateValue>(null);
  const period = periodOf(from, to);
  const ledger = useQuery({
    queryKey: ['ledger', orgId ?? 'mine', period, pager.cursor],
    queryFn: () => (orgId ? requestsApi.orgLedger(orgId, { ...period, cursor: pager.cursor }) : requestsApi.myLedger({ ...period, cursor: pager.cursor })),
    placeholderData: keepPreviousData,
  });
  const d = ledger.data;
  const span = `${dayOf(from) ?? ''}_${dayOf(to) ?? ''}`.replace(/^_$/, 'all');
  return (
    <Stack data-testid="ledger-view">
      <Group justify="space-between" align="flex-end">
        <PeriodInputs
          from={from}
          to={to}
          onFrom={(v) => {
            setFrom(v);
            pager.reset();
          }}
          onTo={(v) => {
            setTo(v);
            pager.reset();
          }}
          clearable
          testId="ledger-period"
        />
        <Text size="xs" c="dimmed">
          {from || to ? t('ledger.periodNote') : t('ledger.allTime')}
        </Text>
      </Group>
      <ErrorAlert error={ledger.error} />
      {ledger.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {d && (
        <>
          <Group gap="md">
            <Paper withBorder p="sm" radius="md">
              <Text size="xs" c="dimmed">
                {t('ledger.score')}
              </Text>
              <Text fw={700} size="xl" c="indigo.7" data-testid="ledger-score">
                {d.score}
              </Text>
            </Paper>
            <Text size="xs" c="dimmed" maw={520}>
              {t('ledger.scoreHelp')}
            </Text>
          </Group>
          <Card withBorder padding="lg" radius="md">
            <LedgerTotalsView totals={d.totals} score={d.score} filename={`ledger_${name ?? orgId ?? 'mine'}_${span}.csv`.replace(/[\\/:*?"<>|\s]+/g, '_')} />
          </Card>
          <Card withBorder padding="lg" radius="md">
            <Entries ledger={d} own={!orgId} pager={pager} />
          </Card>
        </>
      )}
    </Stack>
  );
}

export function LedgerHeading({ title, lead }: { title: string; lead: string }) {
  return (
    <Stack gap={2}>
      <Title order={2}>{title}</Title>
      <Text size="sm" c="dimmed">
        {lead}
      </Text>
    </Stack>
  );
}
