import { BarChart, LineChart } from '@mantine/charts';
import { Accordion, Badge, Card, Group, Paper, Select, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { orgName } from '../labels.js';
import { sharingApi, type Advisory, type Tally } from './api.js';
import { AnswerBadge, StageBadge } from './badges.js';
import { Deadline } from './FeedbackPanel.js';
import { feedbackAnswers, groupLabel } from './labels.js';
import { shortJst, useNow } from './time.js';

const chartColor = { seen: 'red.6', not_seen: 'teal.6', unknown: 'gray.5' } as const;

function Stat({ label, value, color, testId }: { label: string; value: number; color: string; testId: string }) {
  return (
    <Paper withBorder p="sm" radius="md">
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} size="xl" c={color} data-testid={testId}>
        {value}
      </Text>
    </Paper>
  );
}

/** Cumulative answers from the release to Type 2 until the deadline (or now, when earlier). */
function timeline(tally: Tally, advisory: Advisory, now: number) {
  const released = advisory.releases.find((r) => r.toStage === 'type2')?.at;
  const first = tally.overTime[0]?.at;
  const start = Math.min(...[released, first].filter((x): x is string => !!x).map((x) => new Date(x).getTime()), now);
  const deadline = tally.deadline ? new Date(tally.deadline).getTime() : undefined;
  const points = [
    { t: start, seen: 0, not_seen: 0, unknown: 0, total: 0 },
    ...tally.overTime.map((p) => ({ t: new Date(p.at).getTime(), seen: p.seen, not_seen: p.not_seen, unknown: p.unknown, total: p.seen + p.not_seen + p.unknown })),
  ];
  const last = points[points.length - 1] ?? points[0];
  const end = Math.max(deadline ?? now, last?.t ?? now);
  const until = Math.min(now, end);
  if (last && until > last.t) points.push({ ...last, t: until });
  return { points, start, end, deadline };
}

/** フィードバックの集計 (Type 1 group): totals, by sector, over time, each answer and who has not answered. */
export function TallyPanel({ advisory }: { advisory: Advisory }) {
  const { t, i18n } = useTranslation();
  const now = useNow(60_000);
  const [version, setVersion] = useState(advisory.version);
  const tally = useQuery({ queryKey: ['tally', advisory.id, version], queryFn: () => sharingApi.tally(advisory.id, version) });
  const data = tally.data;
  const series = feedbackAnswers.map((a) => ({ name: a, label: t(`feedback.${a}`), color: chartColor[a] }));
  const answered = data ? data.answers.length : 0;

  return (
    <Card withBorder padding="lg" radius="md" data-testid="tally-panel">
      <Stack>
        <Group justify="space-between" align="flex-end">
          <Group gap="xs">
            <Title order={3} size="h4">
              {t('tally.title')}
            </Title>
            <StageBadge stage={advisory.stage} />
          </Group>
          {advisory.versions.length > 1 && (
            <Select
              label={t('tally.version')}
              data={advisory.versions.map((v) => ({ value: String(v.version), label: t('advisory.versionN', { n: v.version }) }))}
              value={String(version)}
              onChange={(x) => x && setVersion(Number(x))}
              allowDeselect={false}
              w={160}
              data-testid="tally-version"
            />
          )}
        </Group>
        <Deadline deadline={data?.deadline ?? advisory.feedbackDeadline} />
        <ErrorAlert error={tally.error} />
        {tally.isPending && <Text size="sm">{t('common.loading')}</Text>}
        {data && (
          <>
            <SimpleGrid cols={{ base: 2, sm: 5 }}>
              <Stat label={t('feedback.seen')} value={data.totals.seen} color="red.7" testId="tally-seen" />
              <Stat label={t('feedback.not_seen')} value={data.totals.not_seen} color="teal.7" testId="tally-not-seen" />
              <Stat label={t('feedback.unknown')} value={data.totals.unknown} color="gray.7" testId="tally-unknown" />
              <Stat label={t('tally.answered')} value={answered} color="indigo.7" testId="tally-answered" />
              <Stat label={t('tally.notAnswered')} value={data.notAnswered.length} color="orange.7" testId="tally-not-answered" />
            </SimpleGrid>
            <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
              <Stack gap="xs">
                <Text fw={500} size="sm">
                  {t('tally.bySector')}
                </Text>
                {data.bySector.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('tally.noAnswers')}
                  </Text>
                ) : (
                  <BarChart
                    h={240}
                    data={data.bySector.map((g) => ({ ...g, group: groupLabel(t, g.group) }))}
                    dataKey="group"
                    type="stacked"
                    series={series}
                    withLegend
                    yAxisProps={{ allowDecimals: false }}
                    data-testid="tally-bar-chart"
                  />
                )}
                <Accordion variant="contained" chevronPosition="left" defaultValue="numbers">
                  <Accordion.Item value="numbers">
                    <Accordion.Control>{t('tally.numbers')}</Accordion.Control>
                    <Accordion.Panel>
                      <Table data-testid="tally-sector-table">
                        <Table.Thead>
                          <Table.Tr>
                            <Table.Th>{t('tally.group')}</Table.Th>
                            {feedbackAnswers.map((a) => (
                              <Table.Th key={a} ta="right">
                                {t(`feedback.${a}`)}
                              </Table.Th>
                            ))}
                            <Table.Th ta="right">{t('tally.total')}</Table.Th>
                          </Table.Tr>
                        </Table.Thead>
                        <Table.Tbody>
                          {data.bySector.map((g) => (
                            <Table.Tr key={g.group}>
                              <Table.Td>{groupLabel(t, g.group)}</Table.Td>
                              <Table.Td ta="right">{g.seen}</Table.Td>
                              <Table.Td ta="right">{g.not_seen}</Table.Td>
                              <Table.Td ta="right">{g.unknown}</Table.Td>
                              <Table.Td ta="right">{g.seen + g.not_seen + g.unknown}</Table.Td>
                            </Table.Tr>
                          ))}
                          <Table.Tr fw={700}>
                            <Table.Td>{t('tally.total')}</Table.Td>
                            <Table.Td ta="right">{data.totals.seen}</Table.Td>
                            <Table.Td ta="right">{data.totals.not_seen}</Table.Td>
                            <Table.Td ta="right">{data.totals.unknown}</Table.Td>
                            <Table.Td ta="right">{answered}</Table.Td>
                          </Table.Tr>
                        </Table.Tbody>
                      </Table>
                    </Accordion.Panel>
                  </Accordion.Item>
                </Accordion>
              </Stack>
              <OverTime tally={data} advisory={advisory} now={now} series={series} />
            </SimpleGrid>
            <Stack gap="xs">
              <Text fw={500} size="sm">
                {t('tally.answers')}
              </Text>
              {data.answers.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('tally.noAnswers')}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={700}>
                  <Table striped data-testid="tally-answers">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('tally.organization')}</Table.Th>
                        <Table.Th>{t('tally.answer')}</Table.Th>
                        <Table.Th>{t('tally.comment')}</Table.Th>
                        <Table.Th ta="right">{t('tally.sightings')}</Table.Th>
                        <Table.Th>{t('tally.answeredAt')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {data.answers.map((a) => (
                        <Table.Tr key={a.orgId} data-testid="tally-answer-row">
                          <Table.Td>{orgName(a, i18n.language)}</Table.Td>
                          <Table.Td>
                            <Group gap={4} wrap="nowrap">
                              <AnswerBadge answer={a.answer} />
                              {a.late && (
                                <Badge color="orange" variant="outline" size="sm">
                                  {t('feedback.late')}
                                </Badge>
                              )}
                            </Group>
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{a.comment ?? t('common.none')}</Table.Td>
                          <Table.Td ta="right">{a.sightings}</Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(a.answeredAt)}</Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
            <Stack gap="xs">
              <Text fw={500} size="sm">
                {t('tally.notAnswered')}（{data.notAnswered.length}）
              </Text>
              {data.notAnswered.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('tally.allAnswered')}
                </Text>
              ) : (
                <Group gap={6} data-testid="tally-not-answered-list">
                  {data.notAnswered.map((o) => (
                    <Badge key={o.orgId} color="orange" variant="light" style={{ textTransform: 'none' }}>
                      {orgName(o, i18n.language)}
                    </Badge>
                  ))}
                </Group>
              )}
            </Stack>
          </>
        )}
      </Stack>
    </Card>
  );
}

function OverTime({
  tally,
  advisory,
  now,
  series,
}: {
  tally: Tally;
  advisory: Advisory;
  now: number;
  series: { name: string; label: string; color: string }[];
}) {
  const { t } = useTranslation();
  const { points, start, end, deadline } = timeline(tally, advisory, now);
  return (
    <Stack gap="xs">
      <Text fw={500} size="sm">
        {t('tally.overTime')}
      </Text>
      {/* A line chart: @mantine/charts' AreaChart draws nothing with React 19 while recharts bundles react-is 18. */}
      <LineChart
        h={240}
        data={points}
        dataKey="t"
        curveType="stepAfter"
        series={[...series, { name: 'total', label: t('tally.total'), color: 'indigo.6', strokeDasharray: '5 5' }]}
        withLegend
        withDots
        dotProps={{ r: 3 }}
        xAxisProps={{
          type: 'number',
          scale: 'time',
          domain: [start, end],
          ticks: [0, 1, 2, 3, 4].map((i) => Math.round(start + ((end - start) * i) / 4)),
          tickFormatter: (v: number) => shortJst(v),
        }}
        yAxisProps={{ allowDecimals: false }}
        tooltipProps={{ labelFormatter: (v: unknown) => (typeof v === 'number' ? `${shortJst(v)} JST` : String(v)) }}
        lineChartProps={{ margin: { right: 24 } }}
        referenceLines={[
          ...(now < end ? [{ x: now, label: t('tally.now'), color: 'gray.6', labelPosition: 'insideTopLeft' as const }] : []),
          ...(deadline ? [{ x: deadline, label: t('tally.deadlineLine'), color: 'red.6', labelPosition: 'insideTopRight' as const }] : []),
        ]}
        data-testid="tally-time-chart"
      />
      <Accordion variant="contained" chevronPosition="left" defaultValue="numbers">
        <Accordion.Item value="numbers">
          <Accordion.Control>{t('tally.numbers')}</Accordion.Control>
          <Accordion.Panel>
            <Table data-testid="tally-time-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('tally.at')}</Table.Th>
                  {feedbackAnswers.map((a) => (
                    <Table.Th key={a} ta="right">
                      {t(`feedback.${a}`)}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {tally.overTime.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={4}>{t('tally.noAnswers')}</Table.Td>
                  </Table.Tr>
                )}
                {tally.overTime.map((p, i) => (
                  <Table.Tr key={`${p.at}-${i}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(p.at)}</Table.Td>
                    <Table.Td ta="right">{p.seen}</Table.Td>
                    <Table.Td ta="right">{p.not_seen}</Table.Td>
                    <Table.Td ta="right">{p.unknown}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Accordion.Panel>
        </Accordion.Item>
      </Accordion>
    </Stack>
  );
}
