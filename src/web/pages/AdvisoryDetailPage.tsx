import { Accordion, Anchor, Badge, Button, Card, Grid, Group, Select, SimpleGrid, Stack, Table, Text, Timeline, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { formatJst } from '../format.js';
import { orgName } from '../labels.js';
import { useSignedIn } from '../session.js';
import { sharingApi, type Advisory } from '../sharing/api.js';
import { StageBadge } from '../sharing/badges.js';
import { inTaskForce, inType1Group, share } from '../sharing/can.js';
import { FieldDiffView } from '../sharing/DiffView.js';
import { FeedbackPanel } from '../sharing/FeedbackPanel.js';
import { advisoryFieldLabel, groupLabel, nextStage, observableTypeLabel, stages } from '../sharing/labels.js';
import { ReleaseModal } from '../sharing/ReleaseModal.js';
import { TallyPanel } from '../sharing/TallyPanel.js';
import { TlpBadge } from '../sharing/TlpBadge.js';

function Section({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed" fw={700}>
        {label}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} component="div" data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

function Content({ advisory }: { advisory: Advisory }) {
  const { t } = useTranslation();
  const c = advisory.content;
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack>
        <Group justify="space-between">
          <Title order={3} size="h4">
            {t('advisory.content')}（{t('advisory.versionN', { n: advisory.version })}）
          </Title>
          <Group gap="xs">
            <Badge variant="light">
              {t('confidence.label')}: {t(`confidence.${c.confidence}`)}
            </Badge>
            {/* The export carries the TLP label and this organisation's mark (visible and invisible). */}
            <Button component="a" href={`/api/v1/advisories/${advisory.id}/export?format=md`} size="xs" variant="default" data-testid="advisory-export">
              {t('advisory.export')}
            </Button>
          </Group>
        </Group>
        <Section label={t('advisory.summary')} testId="advisory-summary-text">
          {c.summary}
        </Section>
        <Section label={t('advisory.threat')} testId="advisory-threat-text">
          {c.threat}
        </Section>
        <Section label={t('advisory.actions')} testId="advisory-actions-text">
          {c.actions}
        </Section>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Section label={t('advisory.affectedProducts')}>
            {c.affectedProducts.length ? (
              <Stack gap={2}>
                {c.affectedProducts.map((p) => (
                  <Text key={p} size="sm">
                    ・{p}
                  </Text>
                ))}
              </Stack>
            ) : (
              t('common.none')
            )}
          </Section>
          <Section label={t('advisory.sectors')}>
            {c.sectors.length ? (
              <Group gap={4}>
                {c.sectors.map((s) => (
                  <Badge key={s} variant="outline" style={{ textTransform: 'none' }}>
                    {groupLabel(t, s)}
                  </Badge>
                ))}
              </Group>
            ) : (
              t('common.none')
            )}
          </Section>
        </SimpleGrid>
        <Stack gap={2}>
          <Text size="xs" c="dimmed" fw={700}>
            {t('advisory.indicators')}
          </Text>
          {c.indicators.length === 0 ? (
            <Text size="sm" c="dimmed">
              {t('advisory.noIndicators')}
            </Text>
          ) : (
            <Table data-testid="advisory-indicators-table">
              <Table.Tbody>
                {c.indicators.map((o) => (
                  <Table.Tr key={`${o.type}:${o.value}`}>
                    <Table.Td w={110}>
                      <Badge variant="light" color="indigo" style={{ textTransform: 'none' }}>
                        {observableTypeLabel(t, o.type)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {o.value}
                      </Text>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          )}
        </Stack>
      </Stack>
    </Card>
  );
}

/** The stages as a timeline: when each was reached, with which version and the feedback deadline. */
function History({ advisory }: { advisory: Advisory }) {
  const { t } = useTranslation();
  const reached = stages.indexOf(advisory.stage);
  return (
    <Timeline active={reached} bulletSize={18} lineWidth={2} data-testid="release-history">
      {stages.map((s, i) => {
        const release = advisory.releases.find((r) => r.toStage === s);
        return (
          <Timeline.Item
            key={s}
            title={
              <Text size="sm" fw={i <= reached ? 600 : 400} c={i <= reached ? undefined : 'dimmed'}>
                {t(`stage.${s}`)}
              </Text>
            }
            data-testid={`history-${s}`}
          >
            {s === 'draft' && (
              <Text size="xs" c="dimmed">
                {t('advisory.historyCreated')} · {formatJst(advisory.createdAt)}
              </Text>
            )}
            {release && (
              <Stack gap={0}>
                <Text size="xs" c="dimmed">
                  {t('advisory.historyRelease', { stage: t(`stage.${s}`), version: release.version })}
                </Text>
                <Text size="xs" c="dimmed">
                  {formatJst(release.at)}
                </Text>
                {release.feedbackDeadline && (
                  <Text size="xs" c="orange.8">
                    {t('advisory.historyDeadline', { at: formatJst(release.feedbackDeadline) })}
                  </Text>
                )}
              </Stack>
            )}
          </Timeline.Item>
        );
      })}
    </Timeline>
  );
}

function ReleaseControl({ advisory }: { advisory: Advisory }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const next = nextStage(advisory.stage);
  if (!next) {
    return (
      <Text size="sm" c="dimmed">
        {t('advisory.finalStage')}
      </Text>
    );
  }
  const blocked = next === 'public' && advisory.tlp !== 'clear';
  return (
    <Stack gap="xs">
      <Button color="grape" disabled={blocked} onClick={() => setOpened(true)} data-testid="release-next" data-next={next}>
        {t('advisory.releaseNext', { stage: t(`stage.${next}`) })}
      </Button>
      {blocked && (
        <Text size="xs" c="dimmed">
          {t('advisory.publicNeedsClear')}
        </Text>
      )}
      {opened && <ReleaseModal advisory={advisory} next={next} opened={opened} onClose={() => setOpened(false)} />}
    </Stack>
  );
}

function Versions({ advisory }: { advisory: Advisory }) {
  const { t } = useTranslation();
  const options = advisory.versions.map((v) => ({ value: String(v.version), label: t('advisory.versionN', { n: v.version }) }));
  const [from, setFrom] = useState(Math.max(1, advisory.version - 1));
  const [to, setTo] = useState(advisory.version);
  const enabled = advisory.versions.length > 1 && from !== to;
  const diff = useQuery({
    queryKey: ['advisory-diff', advisory.id, from, to],
    queryFn: () => sharingApi.diff(advisory.id, from, to),
    enabled,
  });
  return (
    <Card withBorder padding="lg" radius="md" data-testid="advisory-versions">
      <Stack>
        <Title order={3} size="h4">
          {t('advisory.diffTitle')}
        </Title>
        <Table>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('advisory.version')}</Table.Th>
              <Table.Th>{t('advisory.createdAt')}</Table.Th>
              <Table.Th>{t('advisory.versionNote')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {advisory.versions.map((v) => (
              <Table.Tr key={v.version}>
                <Table.Td>{t('advisory.versionN', { n: v.version })}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(v.createdAt)}</Table.Td>
                <Table.Td>{v.note ?? t('common.none')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {advisory.versions.length < 2 ? (
          <Text size="sm" c="dimmed">
            {t('advisory.onlyOneVersion')}
          </Text>
        ) : (
          <>
            <Group gap="sm">
              <Select label={t('advisory.diffFrom')} data={options} value={String(from)} onChange={(x) => x && setFrom(Number(x))} allowDeselect={false} w={160} data-testid="diff-from" />
              <Select label={t('advisory.diffTo')} data={options} value={String(to)} onChange={(x) => x && setTo(Number(x))} allowDeselect={false} w={160} data-testid="diff-to" />
            </Group>
            <Text size="xs" c="dimmed">
              {t('advisory.diffLegend')}
            </Text>
            <ErrorAlert error={diff.error} />
            {enabled && diff.data && diff.data.fields.length === 0 && (
              <Text size="sm" c="dimmed">
                {t('advisory.noDiff')}
              </Text>
            )}
            {!enabled && (
              <Text size="sm" c="dimmed">
                {t('advisory.noDiff')}
              </Text>
            )}
            {enabled && diff.data && (
              <Stack gap="sm" data-testid="diff-view">
                {diff.data.fields.map((f) => (
                  <FieldDiffView key={f.field} label={advisoryFieldLabel(t, f.field)} parts={f.parts} />
                ))}
              </Stack>
            )}
          </>
        )}
      </Stack>
    </Card>
  );
}

/** One countermeasure item: content, versions and diff, release stages, feedback or its tally. */
export function AdvisoryDetailPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['advisory', id], queryFn: () => sharingApi.getAdvisory(id), retry: false });

  if (query.error instanceof ApiError && query.error.status === 404) return <Problem kind="notFound" />;
  const a = query.data;
  const analyst = share.analyse(session);
  const feedbackOpen = a ? a.stage === 'type2' || a.stage === 'members' || a.stage === 'public' : false;
  const canAnswer = share.feedback(session) && feedbackOpen;
  // Type 2 members are the ones asked for quick feedback: for them the answer comes first. Anyone else who
  // may answer (the Type 1 group, general members once released to all) finds it folded away.
  const prominent = inTaskForce(session) && !inType1Group(session);
  const showTally = a ? share.tally(session) && (feedbackOpen || a.releases.some((r) => r.toStage === 'type2')) : false;

  return (
    <Stack data-testid="advisory-detail">
      <Anchor component={Link} to="/advisories" size="sm">
        ← {t('advisory.backToList')}
      </Anchor>
      <ErrorAlert error={query.error} />
      {query.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {a && (
        <>
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Group gap="sm">
                <TlpBadge tlp={a.tlp} size="lg" />
                <StageBadge stage={a.stage} />
                <Badge variant="outline" data-testid="advisory-version">
                  {t('advisory.versionN', { n: a.version })}
                </Badge>
              </Group>
              <Title order={2} data-testid="advisory-heading">
                {a.title}
              </Title>
              <Text size="xs" c="dimmed">
                {a.author ? `${t('advisory.author')}: ${orgName({ nameJa: a.author.orgNameJa, nameEn: a.author.orgNameEn }, i18n.language)} · ` : ''}
                {t('advisory.updatedAt')}: {formatJst(a.updatedAt)}
              </Text>
            </Stack>
            {analyst && (
              <Button component={Link} to={`/advisories/${a.id}/revise`} variant="light" data-testid="advisory-revise-button">
                {t('advisory.revise')}
              </Button>
            )}
          </Group>
          {canAnswer && prominent && <FeedbackPanel key={`${a.version}-${a.myFeedback?.answeredAt ?? ''}`} advisory={a} />}
          {showTally && <TallyPanel key={a.version} advisory={a} />}
          <Grid>
            <Grid.Col span={{ base: 12, lg: 8 }}>
              <Stack>
                <Content advisory={a} />
                <Versions key={a.version} advisory={a} />
              </Stack>
            </Grid.Col>
            <Grid.Col span={{ base: 12, lg: 4 }}>
              <Stack>
                <Card withBorder padding="lg" radius="md">
                  <Stack>
                    <Title order={3} size="h4">
                      {t('advisory.history')}
                    </Title>
                    <History advisory={a} />
                    {analyst && <ReleaseControl advisory={a} />}
                  </Stack>
                </Card>
                {canAnswer && !prominent && (
                  <Accordion variant="contained">
                    <Accordion.Item value="feedback">
                      <Accordion.Control>{t('feedback.ownOrg')}</Accordion.Control>
                      <Accordion.Panel>
                        <FeedbackPanel key={`${a.version}-${a.myFeedback?.answeredAt ?? ''}`} advisory={a} compact />
                      </Accordion.Panel>
                    </Accordion.Item>
                  </Accordion>
                )}
              </Stack>
            </Grid.Col>
          </Grid>
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
        </>
      )}
    </Stack>
  );
}
