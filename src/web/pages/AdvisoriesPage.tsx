import { Badge, Button, Group, Select, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { sharingApi, type Stage } from '../sharing/api.js';
import { StageBadge } from '../sharing/badges.js';
import { share } from '../sharing/can.js';
import { pick, stageOptions, stages } from '../sharing/labels.js';
import { TlpBadge } from '../sharing/TlpBadge.js';
import { useNow } from '../sharing/time.js';

/** 対策情報: the items the caller may see, newest first, filtered by stage. */
export function AdvisoriesPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const navigate = useNavigate();
  const pager = useCursorStack();
  const [stage, setStage] = useState<Stage | undefined>(undefined);
  const items = useQuery({
    queryKey: ['advisories', { stage }, pager.cursor],
    queryFn: () => sharingApi.listAdvisories({ cursor: pager.cursor, stage }),
    placeholderData: keepPreviousData,
  });
  const now = useNow();

  return (
    <Stack data-testid="advisories">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={2}>{t('advisory.listTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('advisory.listHelp')}
          </Text>
        </Stack>
        {share.analyse(session) && (
          <Button component={Link} to="/advisories/new" color="grape" data-testid="advisory-new-button">
            {t('advisory.new')}
          </Button>
        )}
      </Group>
      <Select
        label={t('stage.label')}
        placeholder={t('advisory.allStages')}
        data={stageOptions(t)}
        value={stage ?? null}
        onChange={(x) => {
          setStage(pick(stages, x));
          pager.reset();
        }}
        clearable
        w={260}
        data-testid="advisory-filter-stage"
      />
      <ErrorAlert error={items.error} />
      {items.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {items.data && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover data-testid="advisory-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>TLP</Table.Th>
                <Table.Th>{t('advisory.title')}</Table.Th>
                <Table.Th>{t('stage.label')}</Table.Th>
                <Table.Th>{t('advisory.version')}</Table.Th>
                <Table.Th>{t('advisory.deadline')}</Table.Th>
                <Table.Th>{t('advisory.releasedAt')}</Table.Th>
                <Table.Th>{t('advisory.updatedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {items.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={7}>{t('common.noData')}</Table.Td>
                </Table.Tr>
              )}
              {items.data.items.map((a) => {
                const overdue = a.feedbackDeadline !== null && new Date(a.feedbackDeadline).getTime() < now;
                return (
                  <Table.Tr key={a.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/advisories/${a.id}`)} data-testid="advisory-row">
                    <Table.Td>
                      <TlpBadge tlp={a.tlp} size="sm" />
                    </Table.Td>
                    <Table.Td>
                      <Text component={Link} to={`/advisories/${a.id}`} size="sm" c="blue" onClick={(e) => e.stopPropagation()} data-testid="advisory-link">
                        {a.title}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <StageBadge stage={a.stage} />
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{t('advisory.versionN', { n: a.version })}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {a.feedbackDeadline ? (
                        <Group gap={4} wrap="nowrap">
                          <Text size="sm">{formatJst(a.feedbackDeadline)}</Text>
                          {overdue && (
                            <Badge size="xs" color="gray" variant="light">
                              {t('feedback.overdue')}
                            </Badge>
                          )}
                        </Group>
                      ) : (
                        t('common.none')
                      )}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(a.releasedAt)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(a.updatedAt)}</Table.Td>
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={items.data?.next} testId="advisory-pager" />
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
