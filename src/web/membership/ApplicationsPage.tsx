import { Badge, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { memberClassColor } from '../labels.js';
import { membershipApi, type ApplicationStatus } from './api.js';
import { ApplicationStatusBadge, applicationStatuses } from './ui.js';

/** 加入申込: applications, filtered by status and period (the secretariat and the steering committee). */
export function ApplicationsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const status = (applicationStatuses as readonly string[]).includes(params.get('status') ?? '') ? (params.get('status') as ApplicationStatus) : undefined;
  const [q, setQ] = useState('');
  const [period, setPeriod] = useState<string | null>(null);
  const pager = useCursorStack();
  const periods = useQuery({ queryKey: ['membership', 'periods'], queryFn: membershipApi.periods });
  const filter = { ...(status ? { status } : {}), ...(period ? { periodNumber: Number(period) } : {}), ...(q.trim() ? { q: q.trim() } : {}) };
  const list = useQuery({
    queryKey: ['membership', 'applications', filter, pager.cursor],
    queryFn: () => membershipApi.applications(filter, pager.cursor),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack data-testid="applications">
      <Stack gap={2}>
        <Title order={2}>{t('membership.applications.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('membership.applications.lead')}
        </Text>
      </Stack>
      <Group align="flex-end">
        <Select
          label={t('membership.statusLabel')}
          data={[{ value: '', label: t('membership.all') }, ...applicationStatuses.map((s) => ({ value: s, label: t(`membership.applicationStatus.${s}`) }))]}
          value={status ?? ''}
          onChange={(v) => {
            pager.reset();
            setParams(v ? { status: v } : {});
          }}
          allowDeselect={false}
          w={200}
          data-testid="applications-status"
        />
        <Select
          label={t('membership.period')}
          data={(periods.data ?? []).map((p) => ({ value: String(p.number), label: t('membership.periodLabel', { number: p.number }) }))}
          value={period}
          onChange={(v) => {
            pager.reset();
            setPeriod(v);
          }}
          clearable
          placeholder={t('membership.all')}
          w={160}
        />
        <TextInput
          label={t('membership.applications.search')}
          value={q}
          onChange={(e) => {
            pager.reset();
            setQ(e.currentTarget.value);
          }}
          w={260}
        />
      </Group>
      <ErrorAlert error={list.error} />
      {list.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {list.data && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover data-testid="applications-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('membership.period')}</Table.Th>
                <Table.Th>{t('org.nameJa')}</Table.Th>
                <Table.Th>{t('org.nameEn')}</Table.Th>
                <Table.Th>{t('org.category')}</Table.Th>
                <Table.Th>{t('membership.requestedClass')}</Table.Th>
                <Table.Th>{t('membership.statusLabel')}</Table.Th>
                <Table.Th>{t('membership.submittedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>{t('common.noData')}</Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((a) => (
                <Table.Tr key={a.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/membership/applications/${a.id}`)} data-testid="application-row">
                  <Table.Td>{t('membership.periodLabel', { number: a.periodNumber })}</Table.Td>
                  <Table.Td>
                    <Text component={Link} to={`/membership/applications/${a.id}`} size="sm" c="blue" onClick={(e) => e.stopPropagation()}>
                      {a.nameJa}
                    </Text>
                    {a.foreignCapital && (
                      <Badge ml={6} size="xs" color="orange" variant="outline">
                        {t('org.foreignCapital')}
                      </Badge>
                    )}
                  </Table.Td>
                  <Table.Td>{a.nameEn}</Table.Td>
                  <Table.Td>{t(`category.${a.category}`)}</Table.Td>
                  <Table.Td>
                    <Badge color={memberClassColor[a.requestedClass]} variant="light">
                      {t(`memberClass.${a.requestedClass}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    <ApplicationStatusBadge status={a.status} />
                  </Table.Td>
                  <Table.Td>{formatJst(a.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={list.data?.next} testId="applications-pager" />
    </Stack>
  );
}
