import { BarChart } from '@mantine/charts';
import { Button, Card, Group, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { stageColor, stages, tlps } from '../sharing/labels.js';
import type { StageCount } from './api.js';

export interface NumbersTable {
  head: string[];
  rows: (string | number)[][];
}

/** The numbers behind a chart, numbers right-aligned. */
function Numbers({ table, testId }: { table: NumbersTable; testId: string }) {
  return (
    <Table.ScrollContainer minWidth={Math.min(1400, table.head.length * 110)}>
      <Table striped withTableBorder data-testid={testId}>
        <Table.Thead>
          <Table.Tr>
            {table.head.map((h, i) => (
              <Table.Th key={i} style={{ whiteSpace: 'nowrap' }}>
                {h}
              </Table.Th>
            ))}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.rows.map((row, i) => (
            <Table.Tr key={i} data-testid={`${testId}-row`}>
              {row.map((cell, j) => (
                <Table.Td key={j} ta={typeof cell === 'number' ? 'right' : undefined}>
                  {cell}
                </Table.Td>
              ))}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/**
 * One chart of a dashboard: its title, the chart or (toggled) the same numbers as a table, and the CSV download of
 * those numbers from the server (headers in the UI's language).
 */
export function ChartCard(props: { title: string; lead?: string; csv: string; table: NumbersTable; testId: string; empty?: boolean; children: ReactNode; extra?: ReactNode }) {
  const { t } = useTranslation();
  const [view, setView] = useState<'chart' | 'table'>('chart');
  return (
    <Card withBorder padding="lg" radius="md" data-testid={props.testId}>
      <Stack>
        <Group justify="space-between" align="flex-start">
          <Stack gap={2} maw={720}>
            <Title order={3} size="h4">
              {props.title}
            </Title>
            {props.lead && (
              <Text size="sm" c="dimmed">
                {props.lead}
              </Text>
            )}
          </Stack>
          <Group gap="xs">
            <SegmentedControl
              size="xs"
              value={view}
              onChange={(v) => setView(v === 'table' ? 'table' : 'chart')}
              data={[
                { value: 'chart', label: t('insight.common.chart') },
                { value: 'table', label: t('insight.common.table') },
              ]}
              data-testid={`${props.testId}-view`}
            />
            <Button component="a" href={props.csv} download size="xs" variant="light" data-testid={`${props.testId}-csv`}>
              {t('insight.common.csv')}
            </Button>
          </Group>
        </Group>
        {props.extra}
        {props.empty ? (
          <Text size="sm" c="dimmed" data-testid={`${props.testId}-empty`}>
            {t('insight.common.noData')}
          </Text>
        ) : view === 'chart' ? (
          props.children
        ) : (
          <Numbers table={props.table} testId={`${props.testId}-table`} />
        )}
      </Stack>
    </Card>
  );
}

export const tlpColor = { clear: 'gray.4', green: 'green.6', amber: 'orange.5', 'amber+strict': 'orange.8', red: 'red.7' } as const;
export const answerColor = { seen: 'red.6', not_seen: 'teal.6', unknown: 'gray.5' } as const;

/** Countermeasure items per stage, stacked by TLP — chart and table. */
export function StageChart({ counts, csv, title, lead, testId }: { counts: StageCount[]; csv: string; title: string; lead: string; testId: string }) {
  const { t } = useTranslation();
  const rows = stages.map((stage) => counts.find((c) => c.stage === stage) ?? { stage, total: 0, byTlp: {} as StageCount['byTlp'] });
  const data = rows.map((r) => ({ stage: t(`stage.${r.stage}`), ...Object.fromEntries(tlps.map((x) => [x, r.byTlp[x] ?? 0])) }));
  return (
    <ChartCard
      title={title}
      lead={lead}
      csv={csv}
      testId={testId}
      empty={rows.every((r) => r.total === 0)}
      table={{
        head: [t('stage.label'), ...tlps.map((x) => `TLP:${x.toUpperCase()}`), t('insight.common.total')],
        rows: rows.map((r) => [t(`stage.${r.stage}`), ...tlps.map((x) => r.byTlp[x] ?? 0), r.total]),
      }}
    >
      <BarChart
        h={280}
        data={data}
        dataKey="stage"
        type="stacked"
        series={tlps.map((x) => ({ name: x, label: `TLP:${x.toUpperCase()}`, color: tlpColor[x] }))}
        withLegend
        yAxisProps={{ allowDecimals: false }}
        data-testid={`${testId}-chart`}
      />
      <Group gap="xs">
        {rows.map((r) => (
          <Text key={r.stage} size="xs" c={`${stageColor[r.stage]}.7`}>
            {t(`stage.${r.stage}`)}: {r.total}
          </Text>
        ))}
      </Group>
    </ChartCard>
  );
}
