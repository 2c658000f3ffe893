import { Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { StageBadge } from '../sharing/badges.js';
import { TlpBadge } from '../sharing/TlpBadge.js';
import { insightApi, type Home } from './api.js';
import { DeadlineList } from './DeadlineList.js';

function Section({ title, count, testId, children }: { title: string; count: number; testId: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" radius="md" data-testid={testId}>
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={3} size="h4">
            {title}
          </Title>
          <Badge color={count > 0 ? 'red' : 'gray'} variant={count > 0 ? 'filled' : 'light'} data-testid={`${testId}-count`}>
            {count}
          </Badge>
        </Group>
        {children}
      </Stack>
    </Card>
  );
}

const itemPath = (i: Home['newItems']['items'][number]) => (i.kind === 'advisory' ? `/advisories/${i.id}` : `/reports/${i.id}`);
const consultationPath = (c: Home['consultations']['items'][number]) => (c.kind === 'consultation' ? `/consultations/${c.id}` : `/consultations/questions/${c.id}`);

/** What needs the user's attention first: answers due, new items for their tier, consultations waiting. */
export function Attention() {
  const { t } = useTranslation();
  const home = useQuery({ queryKey: ['home'], queryFn: insightApi.home });
  const h = home.data;
  if (!h) return <ErrorAlert error={home.error} />;
  return (
    <Stack data-testid="home-attention">
      <Section title={t('insight.home.due')} count={h.due.length} testId="home-due">
        <DeadlineList items={h.due} testId="home-due" />
      </Section>
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
        <Section title={t('insight.home.new')} count={h.newItems.total} testId="home-new">
          <Text size="xs" c="dimmed" data-testid="home-new-since">
            {h.sinceLastVisit ? t('insight.home.sinceLastVisit', { at: formatJst(h.since) }) : t('insight.home.sinceRecent', { at: formatJst(h.since) })}
          </Text>
          {h.newItems.items.map((i) => (
            <Stack key={`${i.kind}:${i.id}`} gap={2} data-testid="home-new-item" data-kind={i.kind}>
              <Group gap={6}>
                <Badge size="xs" variant="light" color={i.kind === 'advisory' ? 'indigo' : 'gray'}>
                  {t(`insight.home.kind.${i.kind}`)}
                </Badge>
                <StageBadge stage={i.stage} />
                <TlpBadge tlp={i.tlp} size="xs" />
              </Group>
              <Anchor component={Link} to={itemPath(i)} size="sm" fw={500}>
                {i.title}
              </Anchor>
              <Text size="xs" c="dimmed">
                {formatJst(i.at)}
              </Text>
            </Stack>
          ))}
          {h.newItems.total === 0 && (
            <Text size="sm" c="dimmed">
              {t('insight.home.noNew')}
            </Text>
          )}
          {h.newItems.total > h.newItems.items.length && (
            <Text size="xs" c="dimmed">
              {t('insight.home.more', { n: h.newItems.total - h.newItems.items.length })}{' '}
              <Anchor component={Link} to="/advisories" size="xs">
                {t('nav.advisories')}
              </Anchor>{' '}
              <Anchor component={Link} to="/reports" size="xs">
                {t('nav.reports')}
              </Anchor>
            </Text>
          )}
        </Section>
        <Section title={t('insight.home.consultations')} count={h.consultations.total} testId="home-consultations">
          {h.consultations.items.map((c) => (
            <Stack key={`${c.kind}:${c.id}`} gap={2} data-testid="home-consultation" data-kind={c.kind}>
              <Badge size="xs" variant="light" color={c.kind === 'consultation' ? 'grape' : 'cyan'}>
                {t(`insight.home.kind.${c.kind}`)}
              </Badge>
              <Anchor component={Link} to={consultationPath(c)} size="sm">
                {c.title}
              </Anchor>
              <Text size="xs" c="dimmed">
                {formatJst(c.at)}
              </Text>
            </Stack>
          ))}
          {h.consultations.total === 0 && (
            <Text size="sm" c="dimmed">
              {t('insight.home.noConsultations')}
            </Text>
          )}
        </Section>
      </SimpleGrid>
    </Stack>
  );
}
