import { Anchor, Badge, Button, Group, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { StageBadge } from '../sharing/badges.js';
import { observableTypeLabel } from '../sharing/labels.js';
import { TlpBadge } from '../sharing/TlpBadge.js';
import { searchApi, type LookupResult } from './api.js';

function Holders({ result }: { result: LookupResult }) {
  const { t } = useTranslation();
  if (result.total === 0) return <Text size="sm" c="dimmed">{t('lookup.noHolders')}</Text>;
  return (
    <Stack gap={4}>
      {result.items.map((h) => (
        <Group key={`${h.kind}:${h.id}`} gap={6} data-testid="lookup-holder">
          <TlpBadge tlp={h.tlp} size="xs" />
          <StageBadge stage={h.stage} />
          <Badge variant="light" color="gray" size="sm">
            {t(`search.kind.${h.kind}`)}
          </Badge>
          <Anchor component={Link} to={h.path} size="sm" data-testid="lookup-holder-link">
            {h.title}
          </Anchor>
          <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
            {t('lookup.seenAt')} {formatJst(h.seenAt)}
          </Text>
        </Group>
      ))}
      {result.total > result.items.length && (
        <Text size="xs" c="dimmed">
          {t('lookup.more', { count: result.total - result.items.length, shown: result.items.length })}
        </Text>
      )}
    </Stack>
  );
}

/** 観測値の照会: which visible reports and countermeasure information hold each pasted value. */
export function LookupPage() {
  const { t } = useTranslation();
  const [values, setValues] = useState('');
  const lookup = useMutation({ mutationFn: searchApi.lookup });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    lookup.mutate(values);
  };
  const results = lookup.data?.results;

  return (
    <Stack data-testid="lookup">
      <Stack gap={2}>
        <Title order={2}>{t('lookup.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('lookup.lead')}
        </Text>
      </Stack>
      <form onSubmit={submit}>
        <Stack gap="sm">
          <Textarea
            label={t('lookup.values')}
            value={values}
            onChange={(e) => setValues(e.currentTarget.value)}
            autosize
            minRows={5}
            maxRows={20}
            styles={{ input: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' } }}
            data-testid="lookup-values"
          />
          <Button type="submit" disabled={!values.trim()} loading={lookup.isPending} style={{ alignSelf: 'flex-start' }} data-testid="lookup-submit">
            {t('lookup.submit')}
          </Button>
        </Stack>
      </form>
      <ErrorAlert error={lookup.error} />
      {results && (
        <>
          <Text size="sm" data-testid="lookup-summary">
            {t('lookup.summary', { lines: results.length, found: results.filter((r) => r.total > 0).length })}
          </Text>
          <Table.ScrollContainer minWidth={1100}>
            <Table striped verticalSpacing="sm" data-testid="lookup-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('lookup.input')}</Table.Th>
                  <Table.Th>{t('lookup.type')}</Table.Th>
                  <Table.Th>{t('lookup.value')}</Table.Th>
                  <Table.Th>{t('lookup.firstSeen')}</Table.Th>
                  <Table.Th>{t('lookup.lastSeen')}</Table.Th>
                  <Table.Th>{t('lookup.holders')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {results.map((r) => (
                  <Table.Tr key={r.input} data-testid="lookup-row" data-total={r.total}>
                    <Table.Td style={{ minWidth: 180, wordBreak: 'break-all' }}>
                      <Text size="sm" ff="monospace">
                        {r.input}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {r.type ? observableTypeLabel(t, r.type) : <Text size="sm" c="red">{t('lookup.unknownType')}</Text>}
                    </Table.Td>
                    <Table.Td style={{ minWidth: 180, wordBreak: 'break-all' }}>
                      <Text size="sm" ff="monospace" data-testid="lookup-value">
                        {r.value ?? '—'}
                      </Text>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(r.firstSeen)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(r.lastSeen)}</Table.Td>
                    <Table.Td style={{ minWidth: 360 }}>{r.type && <Holders result={r} />}</Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
        </>
      )}
    </Stack>
  );
}
