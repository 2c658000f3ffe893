import { BarChart, LineChart } from '@mantine/charts';
import { Anchor, Group, Paper, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import type { DateValue } from '@mantine/dates';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { PeriodInputs, periodOf } from '../requests/LedgerView.js';
import { jstDay } from '../requests/time.js';
import { feedbackAnswers, groupLabel } from '../sharing/labels.js';
import { shortJst } from '../sharing/time.js';
import { csvUrl, insightApi, type DashboardPeriod, type Type1Dashboard, type Type2Release } from './api.js';
import { answerColor, ChartCard, StageChart } from './ChartCard.js';
import { DashboardHeading, shortTitle } from './DashboardHeading.js';

const releaseStages = ['type1', 'type2', 'members', 'public'] as const;
const stageHoursColor = { type1: 'grape.5', type2: 'violet.5', members: 'blue.5', public: 'teal.5' } as const;
const DEFAULT_DAYS = 90;

/** Every release to Type 2 of the period: answers stacked per release, with those still missing. */
function Releases({ d, period }: { d: Type1Dashboard; period: DashboardPeriod }) {
  const { t, i18n } = useTranslation();
  const answers = feedbackAnswers.map((a) => t(`feedback.${a}`));
  return (
    <ChartCard
      title={t('insight.type1.releases')}
      lead={t('insight.type1.releasesLead')}
      csv={csvUrl('type1', 'releases', i18n.language, period)}
      testId="type1-releases"
      empty={d.releases.length === 0}
      table={{
        head: [
          t('insight.type1.item'),
          t('insight.type1.version'),
          t('insight.type1.releasedAt'),
          t('insight.type1.deadline'),
          t('insight.type1.expected'),
          ...answers,
          t('insight.type1.late'),
          t('insight.type1.notAnswered'),
        ],
        rows: d.releases.map((r) => [
          r.title,
          r.version,
          formatJst(r.releasedAt),
          formatJst(r.deadline),
          r.expected,
          ...feedbackAnswers.map((a) => r.totals[a]),
          r.late,
          r.notAnswered,
        ]),
      }}
    >
      <BarChart
        h={Math.max(160, d.releases.length * 48)}
        data={d.releases.map((r) => ({ item: shortTitle(r.title), ...r.totals, notAnswered: r.notAnswered }))}
        dataKey="item"
        type="stacked"
        orientation="vertical"
        series={[
          ...feedbackAnswers.map((a) => ({ name: a, label: t(`feedback.${a}`), color: answerColor[a] })),
          { name: 'notAnswered', label: t('insight.type1.notAnswered'), color: 'gray.3' },
        ]}
        withLegend
        xAxisProps={{ allowDecimals: false }}
        yAxisProps={{ width: 220, interval: 0 }}
        data-testid="type1-releases-chart"
      />
    </ChartCard>
  );
}

/** One release: the answers in time, cumulative, hour by hour until the deadline; and by sector. */
function ReleaseDetail({ r, period }: { r: Type2Release; period: DashboardPeriod }) {
  const { t, i18n } = useTranslation();
  const answers = feedbackAnswers.map((a) => t(`feedback.${a}`));
  const series = feedbackAnswers.map((a) => ({ name: a, label: t(`feedback.${a}`), color: answerColor[a] }));
  const points = r.overTime.map((p) => ({ time: shortJst(new Date(p.at).getTime()), seen: p.seen, not_seen: p.not_seen, unknown: p.unknown }));
  const sectors = r.bySector.map((s) => ({ group: groupLabel(t, s.group), seen: s.seen, not_seen: s.not_seen, unknown: s.unknown }));
  return (
    <SimpleGrid cols={{ base: 1, lg: 2 }} spacing="lg">
      <ChartCard
        title={t('insight.type1.overTime')}
        lead={t('insight.type1.overTimeLead', { deadline: formatJst(r.deadline) })}
        csv={csvUrl('type1', 'over-time', i18n.language, period)}
        testId="type1-over-time"
        table={{ head: [t('insight.type1.time'), ...answers], rows: r.overTime.map((p) => [formatJst(p.at), ...feedbackAnswers.map((a) => p[a])]) }}
      >
        <LineChart
          h={280}
          data={points}
          dataKey="time"
          series={series}
          curveType="stepAfter"
          withLegend
          withDots={false}
          yAxisProps={{ allowDecimals: false }}
          data-testid="type1-over-time-chart"
        />
      </ChartCard>
      <ChartCard
        title={t('insight.type1.bySector')}
        lead={t('insight.type1.bySectorLead')}
        csv={csvUrl('type1', 'sectors', i18n.language, period)}
        testId="type1-sectors"
        empty={sectors.length === 0}
        table={{ head: [t('insight.type1.group'), ...answers], rows: sectors.map((s) => [s.group, s.seen, s.not_seen, s.unknown]) }}
      >
        <BarChart
          h={280}
          data={sectors}
          dataKey="group"
          type="stacked"
          series={series}
          withLegend
          yAxisProps={{ allowDecimals: false }}
          data-testid="type1-sectors-chart"
        />
      </ChartCard>
    </SimpleGrid>
  );
}

/** Hours from the report an item came from to its first release to each stage. */
function LeadTimes({ d, period }: { d: Type1Dashboard; period: DashboardPeriod }) {
  const { t, i18n } = useTranslation();
  const hours = (h: number | null) => (h === null ? '—' : t('insight.type1.hours', { h }));
  return (
    <ChartCard
      title={t('insight.type1.leadTimes')}
      lead={t('insight.type1.leadTimesLead')}
      csv={csvUrl('type1', 'lead-times', i18n.language, period)}
      testId="type1-lead-times"
      empty={d.leadTimes.length === 0}
      extra={
        <Group gap="sm">
          {releaseStages.map((s) => (
            <Paper key={s} withBorder p="xs" radius="md" data-testid={`type1-median-${s}`}>
              <Text size="xs" c="dimmed">
                {t('insight.type1.median', { stage: t(`stage.${s}`) })}
              </Text>
              <Text fw={700}>{hours(d.medianHours[s])}</Text>
            </Paper>
          ))}
        </Group>
      }
      table={{
        head: [t('insight.type1.item'), t('insight.type1.reportedAt'), ...releaseStages.map((s) => t('insight.type1.hoursTo', { stage: t(`stage.${s}`) }))],
        rows: d.leadTimes.map((l) => [l.title, formatJst(l.reportedAt), ...releaseStages.map((s) => l.hours[s] ?? '—')]),
      }}
    >
      <BarChart
        h={Math.max(160, d.leadTimes.length * 56)}
        data={d.leadTimes.map((l) => ({ item: shortTitle(l.title), ...Object.fromEntries(releaseStages.map((s) => [s, l.hours[s]])) }))}
        dataKey="item"
        orientation="vertical"
        series={releaseStages.map((s) => ({ name: s, label: t(`stage.${s}`), color: stageHoursColor[s] }))}
        withLegend
        valueFormatter={(v) => t('insight.type1.hours', { h: v })}
        yAxisProps={{ width: 220, interval: 0 }}
        data-testid="type1-lead-times-chart"
      />
    </ChartCard>
  );
}

/** 第一類構成員Gのダッシュボード. */
export function Type1DashboardPage() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState<DateValue>(() => jstDay(Date.now() - DEFAULT_DAYS * 86_400_000));
  const [to, setTo] = useState<DateValue>(() => jstDay(Date.now()));
  const period = periodOf(from, to);
  const board = useQuery({ queryKey: ['dashboards', 'type1', period], queryFn: () => insightApi.type1(period), placeholderData: keepPreviousData });
  const [picked, setPicked] = useState<string | null>(null);
  const d = board.data;
  const release = d?.releases.find((r) => r.advisoryId === picked) ?? d?.releases[0];
  return (
    <Stack maw={1300} data-testid="dashboard-type1">
      <DashboardHeading title={t('insight.type1.title')} lead={t('insight.type1.lead')}>
        <PeriodInputs from={from} to={to} onFrom={setFrom} onTo={setTo} testId="type1-period" />
      </DashboardHeading>
      <ErrorAlert error={board.error} />
      {board.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {d && (
        <>
          <StageChart
            counts={d.stages}
            title={t('insight.type1.stages')}
            lead={t('insight.type1.stagesLead')}
            csv={csvUrl('type1', 'stages', i18n.language, period)}
            testId="type1-stages"
          />
          <Releases d={d} period={period} />
          {release && (
            <Stack gap="xs">
              <Group justify="space-between" align="flex-end">
                <Select
                  label={t('insight.type1.pickRelease')}
                  data={d.releases.map((r) => ({ value: r.advisoryId, label: `${r.title}（${t('insight.type1.versionN', { n: r.version })}）` }))}
                  value={release.advisoryId}
                  onChange={setPicked}
                  allowDeselect={false}
                  w={{ base: '100%', sm: 560 }}
                  data-testid="type1-release-pick"
                />
                <Anchor component={Link} to={`/advisories/${release.advisoryId}`} size="sm" data-testid="type1-release-link">
                  {t('insight.type1.openItem')}
                </Anchor>
              </Group>
              <ReleaseDetail r={release} period={period} />
            </Stack>
          )}
          <LeadTimes d={d} period={period} />
        </>
      )}
      <Text size="xs" c="dimmed">
        {t('insight.common.visibleOnly')} {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
