import { Anchor, Badge, Button, Card, Group, Stack, Table, Tabs, Text } from '@mantine/core';
import type { DateValue } from '@mantine/dates';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams, useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { memberClassColor, orgName } from '../labels.js';
import { useSignedIn } from '../session.js';
import { requestsApi } from '../requests/api.js';
import { req } from '../requests/can.js';
import { downloadCsv, toCsv } from '../requests/csv.js';
import { ledgerKinds } from '../requests/labels.js';
import { dayOf, LedgerHeading, LedgerView, PeriodInputs, periodOf } from '../requests/LedgerView.js';
import { jstDay } from '../requests/time.js';

const YEAR_MS = 365 * 86_400_000;

/** ランキング (committee, secretariat): every member organisation's totals and score for a period of JST days. */
function Ranking() {
  const { t, i18n } = useTranslation();
  const [from, setFrom] = useState<DateValue>(() => jstDay(Date.now() - YEAR_MS));
  const [to, setTo] = useState<DateValue>(() => jstDay(Date.now()));
  const period = periodOf(from, to);
  const ranking = useQuery({ queryKey: ['ledger', 'ranking', period], queryFn: () => requestsApi.ranking(period), placeholderData: keepPreviousData });
  const d = ranking.data;
  const csv = () => {
    if (!d) return;
    downloadCsv(
      `ledger_ranking_${dayOf(from) ?? ''}_${dayOf(to) ?? ''}.csv`,
      toCsv([
        [t('ledger.rank'), t('ledger.organization'), t('ledger.memberClass'), t('ledger.score'), ...ledgerKinds.map((k) => t(`ledgerKind.${k}`)), t('ledger.missed')],
        ...d.items.map((r) => [r.rank, orgName(r, i18n.language), t(`memberClass.${r.memberClass}`), r.score, ...ledgerKinds.map((k) => r.totals[k]), r.missedRequests]),
      ]),
    );
  };
  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <PeriodInputs from={from} to={to} onFrom={setFrom} onTo={setTo} testId="ranking-period" />
        <Button size="xs" variant="light" onClick={csv} disabled={!d} data-testid="ranking-csv">
          {t('ledger.csv')}
        </Button>
      </Group>
      {d && (
        <Text size="xs" c="dimmed" data-testid="ranking-period-text">
          {t('ledger.rankingPeriod', { from: formatJst(d.from), to: formatJst(d.to) })}
        </Text>
      )}
      <ErrorAlert error={ranking.error} />
      {ranking.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {d && (
        <Card withBorder padding="md" radius="md">
          <Table.ScrollContainer minWidth={1500}>
            <Table striped highlightOnHover data-testid="ranking-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>{t('ledger.rank')}</Table.Th>
                  <Table.Th>{t('ledger.organization')}</Table.Th>
                  <Table.Th ta="right" style={{ whiteSpace: 'nowrap' }}>{t('ledger.score')}</Table.Th>
                  {ledgerKinds.map((k) => (
                    <Table.Th key={k} ta="right" style={{ fontSize: 'var(--mantine-font-size-xs)' }}>
                      {t(`ledgerKind.${k}`)}
                    </Table.Th>
                  ))}
                  <Table.Th ta="right">{t('ledger.missed')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {d.items.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={ledgerKinds.length + 4}>{t('common.noData')}</Table.Td>
                  </Table.Tr>
                )}
                {d.items.map((r) => (
                  <Table.Tr key={r.orgId} data-testid="ranking-row">
                    <Table.Td ta="right" fw={700}>
                      {r.rank}
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        <Anchor component={Link} to={`/ledger/orgs/${r.orgId}`} state={{ name: orgName(r, i18n.language) }} size="sm">
                          {orgName(r, i18n.language)}
                        </Anchor>
                        <Badge size="xs" variant="light" color={memberClassColor[r.memberClass]}>
                          {t(`memberClass.${r.memberClass}`)}
                        </Badge>
                      </Stack>
                    </Table.Td>
                    <Table.Td ta="right" fw={700}>
                      {r.score}
                    </Table.Td>
                    {ledgerKinds.map((k) => (
                      <Table.Td key={k} ta="right">
                        {r.totals[k]}
                      </Table.Td>
                    ))}
                    <Table.Td ta="right">
                      {r.missedRequests > 0 ? (
                        <Badge color="red" variant="light">
                          {r.missedRequests}
                        </Badge>
                      ) : (
                        0
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      {d && (
        <Text size="xs" c="dimmed" data-testid="ranking-weights">
          {t('ledger.weights')}: {ledgerKinds.map((k) => `${t(`ledgerKind.${k}`)} ${d.weights[k]}`).join(' / ')}
        </Text>
      )}
      <Text size="xs" c="dimmed">
        {t('ledger.missedHelp')}
      </Text>
    </Stack>
  );
}

/** ギブアンドテイク: the organisation's own ledger; the committee and the secretariat also see the ranking. */
export function LedgerPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const ranking = req.ranking(session);
  const tab = ranking && params.get('tab') === 'ranking' ? 'ranking' : 'mine';
  return (
    <Stack maw={1300} data-testid="ledger">
      <LedgerHeading title={t('ledger.title')} lead={t('ledger.lead')} />
      {ranking ? (
        <Tabs value={tab} onChange={(v) => setParams(v === 'ranking' ? { tab: 'ranking' } : {}, { replace: true })} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="mine" data-testid="tab-ledger-mine">
              {t('ledger.tabMine')}
            </Tabs.Tab>
            <Tabs.Tab value="ranking" data-testid="tab-ledger-ranking">
              {t('ledger.tabRanking')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="mine" pt="md">
            <LedgerView />
          </Tabs.Panel>
          <Tabs.Panel value="ranking" pt="md">
            <Ranking />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <LedgerView />
      )}
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}

/** Another organisation's ledger (committee, secretariat), opened from the ranking. */
export function LedgerOrgPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const state: unknown = location.state;
  const name = state && typeof state === 'object' && 'name' in state && typeof state.name === 'string' ? state.name : undefined;
  return (
    <Stack maw={1300} data-testid="ledger-org">
      <Anchor component={Link} to="/ledger?tab=ranking" size="sm">
        ← {t('ledger.backToRanking')}
      </Anchor>
      <LedgerHeading title={name ? t('ledger.orgTitle', { name }) : t('ledger.title')} lead={t('ledger.orgLead')} />
      <LedgerView orgId={id} name={name} />
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
