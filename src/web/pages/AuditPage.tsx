import { Autocomplete, Button, Code, Group, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { DatePickerInput, type DateValue } from '@mantine/dates';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type AuditEntry, type AuditFilter } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst, jstDayEnd, jstDayStart } from '../format.js';
import { ja } from '../i18n/ja.js';

/** Actions the server records today; the filter also takes any other text. */
const knownActions = Object.keys(ja.auditAction).map((k) => k.replace(/__/g, '.'));

type ActionKey = keyof typeof ja.auditAction;
const actionKey = (action: string): ActionKey | undefined => {
  const key = action.replace(/\./g, '__');
  return key in ja.auditAction ? (key as ActionKey) : undefined;
};

/** `YYYY-MM-DD` of a picker value (Mantine gives strings; older versions Date objects). */
function dayOf(value: DateValue): string | undefined {
  if (!value) return undefined;
  if (typeof value === 'string') return value.slice(0, 10);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${value.getFullYear()}-${pad(value.getMonth() + 1)}-${pad(value.getDate())}`;
}

function Row({ entry }: { entry: AuditEntry }) {
  const { t } = useTranslation();
  const key = actionKey(entry.action);
  const detail = Object.keys(entry.detail).length > 0 ? JSON.stringify(entry.detail) : '';
  return (
    <Table.Tr data-testid="audit-row">
      <Table.Td>{entry.seq}</Table.Td>
      <Table.Td style={{ whiteSpace: 'nowrap' }} data-testid="audit-at">
        {formatJst(entry.at)}
      </Table.Td>
      <Table.Td>{entry.actorLabel}</Table.Td>
      <Table.Td>
        <Text size="sm">{key ? t(`auditAction.${key}`) : entry.action}</Text>
        <Code>{entry.action}</Code>
      </Table.Td>
      <Table.Td>
        {entry.targetId ? (
          <Text size="xs" ff="monospace">
            {entry.targetType ? `${entry.targetType}:` : ''}
            {entry.targetId}
          </Text>
        ) : (
          t('common.none')
        )}
      </Table.Td>
      <Table.Td>{entry.ip ?? t('common.none')}</Table.Td>
      <Table.Td maw={320}>
        {detail ? (
          <Code block style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>
            {detail}
          </Code>
        ) : (
          t('common.none')
        )}
      </Table.Td>
      <Table.Td>
        <Tooltip label={entry.hash}>
          <Code>{entry.hash.slice(0, 10)}…</Code>
        </Tooltip>
      </Table.Td>
    </Table.Tr>
  );
}

/** 監査ログ: newest first, filtered by action, target and JST dates, with "load more" paging. */
export function AuditPage() {
  const { t, i18n } = useTranslation();
  const monthLabelFormat = i18n.language === 'ja' ? 'YYYY年M月' : 'MMMM YYYY';
  const [action, setAction] = useState('');
  const [targetId, setTargetId] = useState('');
  const [from, setFrom] = useState<DateValue>(null);
  const [to, setTo] = useState<DateValue>(null);
  const [filter, setFilter] = useState<AuditFilter>({});

  const audit = useInfiniteQuery({
    queryKey: ['audit', filter],
    queryFn: ({ pageParam }) => api.listAudit(filter, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
  });

  const apply = (e: FormEvent) => {
    e.preventDefault();
    const fromDay = dayOf(from);
    const toDay = dayOf(to);
    setFilter({
      ...(action.trim() ? { action: action.trim() } : {}),
      ...(targetId.trim() ? { targetId: targetId.trim() } : {}),
      ...(fromDay ? { from: jstDayStart(fromDay) } : {}),
      ...(toDay ? { to: jstDayEnd(toDay) } : {}),
    });
  };
  const clear = () => {
    setAction('');
    setTargetId('');
    setFrom(null);
    setTo(null);
    setFilter({});
  };

  const entries = audit.data?.pages.flatMap((p) => p.items) ?? [];

  return (
    <Stack data-testid="audit">
      <Stack gap={2}>
        <Title order={2}>{t('audit.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('audit.help')} {t('common.jstNote')}
        </Text>
      </Stack>
      <form onSubmit={apply} data-testid="audit-filter">
        <Group align="flex-end" gap="sm">
          <Autocomplete
            label={t('audit.action')}
            placeholder={t('audit.actionPlaceholder')}
            data={knownActions}
            value={action}
            onChange={setAction}
            w={200}
            data-testid="audit-action"
          />
          <TextInput
            label={t('audit.targetId')}
            value={targetId}
            onChange={(e) => setTargetId(e.currentTarget.value)}
            w={260}
            data-testid="audit-target"
          />
          <DatePickerInput
            label={t('audit.from')}
            value={from}
            onChange={setFrom}
            valueFormat="YYYY/MM/DD"
            monthLabelFormat={monthLabelFormat}
            clearable
            w={140}
            data-testid="audit-from"
          />
          <DatePickerInput
            label={t('audit.to')}
            value={to}
            onChange={setTo}
            valueFormat="YYYY/MM/DD"
            monthLabelFormat={monthLabelFormat}
            clearable
            w={140}
            data-testid="audit-to"
          />
          <Button type="submit" data-testid="audit-search">
            {t('common.search')}
          </Button>
          <Button variant="default" onClick={clear}>
            {t('common.clear')}
          </Button>
        </Group>
        <Text size="xs" c="dimmed" mt={4}>
          {t('audit.datesJst')}
        </Text>
      </form>
      <ErrorAlert error={audit.error} />
      {audit.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {audit.data && (
        <Table.ScrollContainer minWidth={1100}>
          <Table striped verticalSpacing="xs" data-testid="audit-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('audit.seq')}</Table.Th>
                <Table.Th>{t('audit.at')}</Table.Th>
                <Table.Th>{t('audit.actor')}</Table.Th>
                <Table.Th>{t('audit.action')}</Table.Th>
                <Table.Th>{t('audit.target')}</Table.Th>
                <Table.Th>{t('audit.ip')}</Table.Th>
                <Table.Th>{t('audit.detail')}</Table.Th>
                <Table.Th>{t('audit.hash')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {entries.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>{t('common.noData')}</Table.Td>
                </Table.Tr>
              )}
              {entries.map((entry) => (
                <Row key={entry.seq} entry={entry} />
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between">
        <Text size="xs" c="dimmed">
          {audit.data ? t('audit.shown', { n: entries.length }) : ''}
        </Text>
        {audit.hasNextPage && (
          <Button variant="default" loading={audit.isFetchingNextPage} onClick={() => void audit.fetchNextPage()} data-testid="audit-more">
            {t('common.loadMore')}
          </Button>
        )}
      </Group>
    </Stack>
  );
}
