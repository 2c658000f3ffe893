import { Anchor, Badge, Button, Card, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { categories } from '../labels.js';
import { membershipApi, rosterCsvUrl, type Roster } from './api.js';

function RosterTables({ roster }: { roster: Roster }) {
  const { t, i18n } = useTranslation();
  const collator = new Intl.Collator(i18n.language === 'en' ? 'en' : 'ja');
  return (
    <Stack>
      {categories.map((c) => {
        const entries = roster.entries
          .filter((e) => e.category === c)
          .sort((a, b) => (i18n.language === 'en' ? collator.compare(a.nameEn, b.nameEn) : collator.compare(a.nameJa, b.nameJa)));
        if (!entries.length) return null;
        return (
          <Card key={c} withBorder padding="md" radius="md" data-testid="roster-category" data-category={c}>
            <Stack gap="xs">
              <Group gap="xs">
                <Title order={3}>{t(`category.${c}`)}</Title>
                <Badge variant="light">{t('membership.rosterPage.count', { n: entries.length })}</Badge>
              </Group>
              <Table striped>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('org.nameJa')}</Table.Th>
                    <Table.Th>{t('org.nameEn')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {entries.map((e, i) => (
                    <Table.Tr key={i} data-testid="roster-entry">
                      <Table.Td>{e.nameJa}</Table.Td>
                      <Table.Td>{e.nameEn}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Stack>
          </Card>
        );
      })}
    </Stack>
  );
}

/** 構成員名簿: the latest published roster by category (public), earlier rosters, and CSV downloads. */
export function RosterPage() {
  const { t, i18n } = useTranslation();
  const [picked, setPicked] = useState<string | null>(null);
  const list = useQuery({ queryKey: ['membership', 'rosters'], queryFn: () => membershipApi.rosters() });
  const latest = useQuery({ queryKey: ['membership', 'roster'], queryFn: membershipApi.roster, retry: false, enabled: !picked });
  const earlier = useQuery({ queryKey: ['membership', 'roster', picked], queryFn: () => membershipApi.rosterById(picked ?? ''), enabled: !!picked });
  const roster = picked ? earlier.data : latest.data;
  const notPublished = latest.error instanceof ApiError && latest.error.code === 'roster_not_published';

  return (
    <Stack maw={1000} data-testid="roster">
      <Title order={2}>{t('membership.roster.title')}</Title>
      <Text size="sm">{t('membership.rosterPage.lead')}</Text>
      <Group align="flex-end">
        <Select
          label={t('membership.rosterPage.version')}
          data={[
            { value: '', label: t('membership.rosterPage.latest') },
            ...(list.data?.items ?? []).map((r) => ({ value: r.id, label: t('membership.rosterPage.asOf', { date: r.asOf, n: r.count }) })),
          ]}
          value={picked ?? ''}
          onChange={(v) => setPicked(v || null)}
          allowDeselect={false}
          w={320}
          data-testid="roster-version"
        />
        {roster && (
          <Button component="a" href={rosterCsvUrl(i18n.language, picked ?? undefined)} variant="light" data-testid="roster-csv">
            {t('membership.rosterPage.csv')}
          </Button>
        )}
      </Group>
      {notPublished ? <Text c="dimmed" data-testid="roster-none">{t('membership.rosterPage.none')}</Text> : <ErrorAlert error={picked ? earlier.error : latest.error} />}
      {roster && (
        <>
          <Text fw={700} data-testid="roster-as-of">
            {t('membership.rosterPage.heading', { date: roster.asOf, n: roster.entries.length })}
          </Text>
          {'publishedAt' in roster && typeof roster.publishedAt === 'string' && (
            <Text size="xs" c="dimmed">
              {t('membership.rosterPage.publishedAt', { at: formatJst(roster.publishedAt) })}
            </Text>
          )}
          <RosterTables roster={roster} />
        </>
      )}
      <Group gap="md">
        <Anchor component={Link} to="/join" size="sm">
          {t('membership.join.loginLink')}
        </Anchor>
      </Group>
    </Stack>
  );
}
