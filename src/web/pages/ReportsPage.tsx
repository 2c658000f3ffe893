import { Badge, Button, Group, SegmentedControl, Select, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { sharingApi, type ReportKind } from '../sharing/api.js';
import { CertaintyBadge, StatusBadge } from '../sharing/badges.js';
import { share } from '../sharing/can.js';
import { pick, reportKindOptions, reportKinds } from '../sharing/labels.js';
import { TlpBadge } from '../sharing/TlpBadge.js';

type Which = 'all' | 'reports' | 'consultations';

/** 情報提供・相談: what the caller may see, newest first, filtered by kind and by report / consultation. */
export function ReportsPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const navigate = useNavigate();
  const pager = useCursorStack();
  const [kind, setKind] = useState<ReportKind | undefined>(undefined);
  const [which, setWhich] = useState<Which>('all');
  const consultations = which === 'all' ? undefined : which === 'consultations';
  const reports = useQuery({
    queryKey: ['reports', { kind, consultations }, pager.cursor],
    queryFn: () => sharingApi.listReports({ cursor: pager.cursor, kind, consultations }),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack data-testid="reports">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{t('report.listTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('report.listHelp')}
          </Text>
        </Stack>
        {share.createReport(session) && (
          <Button component={Link} to="/reports/new" data-testid="report-new-button">
            {t('report.new')}
          </Button>
        )}
      </Group>
      <Group gap="sm" align="flex-end">
        <Select
          label={t('reportKind.label')}
          placeholder={t('report.allKinds')}
          data={reportKindOptions(t)}
          value={kind ?? null}
          onChange={(x) => {
            setKind(pick(reportKinds, x));
            pager.reset();
          }}
          clearable
          w={220}
          data-testid="report-filter-kind"
        />
        <SegmentedControl
          value={which}
          onChange={(x) => {
            setWhich(x === 'reports' || x === 'consultations' ? x : 'all');
            pager.reset();
          }}
          data={[
            { value: 'all', label: t('report.all') },
            { value: 'reports', label: t('report.reportsOnly') },
            { value: 'consultations', label: t('report.consultationsOnly') },
          ]}
          aria-label={t('report.typeFilter')}
          data-testid="report-filter-type"
        />
      </Group>
      <ErrorAlert error={reports.error} />
      {reports.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {reports.data && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover data-testid="report-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>TLP</Table.Th>
                <Table.Th>{t('report.title')}</Table.Th>
                <Table.Th>{t('reportKind.label')}</Table.Th>
                <Table.Th>{t('certainty.label')}</Table.Th>
                <Table.Th>{t('reportStatus.label')}</Table.Th>
                <Table.Th ta="right">{t('report.corroborations')}</Table.Th>
                <Table.Th ta="right">{t('report.comments')}</Table.Th>
                <Table.Th>{t('report.createdAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {reports.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={8}>{t('common.noData')}</Table.Td>
                </Table.Tr>
              )}
              {reports.data.items.map((r) => (
                <Table.Tr key={r.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/reports/${r.id}`)} data-testid="report-row">
                  <Table.Td>
                    <TlpBadge tlp={r.tlp} size="sm" />
                  </Table.Td>
                  <Table.Td>
                    <Group gap={6} wrap="nowrap">
                      <Text component={Link} to={`/reports/${r.id}`} size="sm" c="blue" onClick={(e) => e.stopPropagation()} data-testid="report-link">
                        {r.title}
                      </Text>
                      {r.isConsultation && (
                        <Badge size="xs" color="cyan" variant="light">
                          {t('report.consultationBadge')}
                        </Badge>
                      )}
                      {r.isOriginal && (
                        <Badge size="xs" color="grape" variant="light">
                          {t('report.originalBadge')}
                        </Badge>
                      )}
                      {r.own && (
                        <Badge size="xs" color="gray" variant="outline">
                          {t('report.own')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>{t(`reportKind.${r.kind}`)}</Table.Td>
                  <Table.Td>
                    <CertaintyBadge certainty={r.certainty} />
                  </Table.Td>
                  <Table.Td>
                    <StatusBadge status={r.status} />
                  </Table.Td>
                  <Table.Td ta="right">{r.corroborations}</Table.Td>
                  <Table.Td ta="right">{r.comments}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(r.createdAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={reports.data?.next} testId="report-pager" />
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
