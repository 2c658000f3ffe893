import { Anchor, Badge, Button, Card, Group, List, Paper, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ConfirmModal } from '../components/ConfirmModal.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { formatJst } from '../format.js';
import { memberClassColor, orgName } from '../labels.js';
import { useSignedIn } from '../session.js';
import { requestsApi } from '../requests/api.js';
import { AnswerKindBadge, RequestStatusBadge } from '../requests/badges.js';
import { req } from '../requests/can.js';
import { Deadline } from '../requests/Deadline.js';
import { observableTypeLabel } from '../sharing/labels.js';

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

/** 回答状況 (secretariat, designated corporation): who answered, who refused with which justified reason, who is missing. */
export function InfoRequestStatusPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [closing, setClosing] = useState(false);
  const status = useQuery({ queryKey: ['info-requests', 'status', id], queryFn: () => requestsApi.requestStatus(id) });
  const close = useMutation({
    mutationFn: () => requestsApi.closeRequest(id),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('infoRequest.closed') });
      setClosing(false);
      await queryClient.invalidateQueries({ queryKey: ['info-requests'] });
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
  if (status.error instanceof ApiError && status.error.status === 404) return <Problem kind="notFound" />;
  const s = status.data;
  return (
    <Stack maw={1200} data-testid="request-status-page">
      {s && (
        <Anchor component={Link} to={`/campaigns/${s.request.campaignId}`} size="sm">
          ← {t('infoRequest.backToCampaign', { title: s.request.campaignTitle })}
        </Anchor>
      )}
      <ErrorAlert error={status.error} />
      {status.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {s && (
        <>
          <Group justify="space-between" align="flex-start">
            <Stack gap={4}>
              <Text size="sm" c="dimmed">
                {t('infoRequest.statusTitle')}
              </Text>
              <Group gap="sm">
                <RequestStatusBadge status={s.request.status} />
                <Title order={2} data-testid="request-heading">
                  {s.request.title}
                </Title>
              </Group>
            </Stack>
            {req.manageCampaigns(session) && s.request.status === 'open' && (
              <Button variant="default" onClick={() => setClosing(true)} data-testid="request-close">
                {t('infoRequest.close')}
              </Button>
            )}
          </Group>
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Deadline deadline={s.request.deadline} closed={s.request.status === 'closed'} />
              <Text size="sm">
                {t('infoRequest.audience')}: {t(`infoRequest.audienceOption.${s.request.audience}`)}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {s.request.body}
              </Text>
            </Stack>
          </Card>
          <SimpleGrid cols={{ base: 2, sm: 5 }}>
            <Stat label={t('infoRequest.counts.addressed')} value={s.counts.addressed} color="indigo.7" testId="status-addressed" />
            <Stat label={t('infoRequest.counts.answered')} value={s.counts.answered} color="teal.7" testId="status-answered" />
            <Stat label={t('infoRequest.counts.refused')} value={s.counts.refused} color="gray.7" testId="status-refused" />
            <Stat label={t('infoRequest.counts.late')} value={s.counts.late} color="orange.7" testId="status-late" />
            <Stat label={t('infoRequest.counts.missing')} value={s.counts.missing} color="red.7" testId="status-missing" />
          </SimpleGrid>
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Title order={3} size="h4">
                {t('infoRequest.responses')}
              </Title>
              {s.responses.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('infoRequest.noResponses')}
                </Text>
              ) : (
                <Table.ScrollContainer minWidth={900}>
                  <Table striped data-testid="status-responses">
                    <Table.Thead>
                      <Table.Tr>
                        <Table.Th>{t('infoRequest.organization')}</Table.Th>
                        <Table.Th>{t('infoRequest.answerCol')}</Table.Th>
                        <Table.Th>{t('infoRequest.content')}</Table.Th>
                        <Table.Th>{t('infoRequest.answeredAt')}</Table.Th>
                      </Table.Tr>
                    </Table.Thead>
                    <Table.Tbody>
                      {s.responses.map((r) => (
                        <Table.Tr key={r.orgId} data-testid="status-response-row" data-kind={r.kind}>
                          <Table.Td>
                            <Stack gap={2}>
                              <Text size="sm">{orgName(r, i18n.language)}</Text>
                              <Badge size="xs" variant="light" color={memberClassColor[r.memberClass]}>
                                {t(`memberClass.${r.memberClass}`)}
                              </Badge>
                            </Stack>
                          </Table.Td>
                          <Table.Td>
                            <AnswerKindBadge answer={r} />
                          </Table.Td>
                          <Table.Td>
                            {r.kind === 'refusal' ? (
                              <Stack gap={2}>
                                <Text size="xs" c="dimmed">
                                  {t('infoRequest.reason')}
                                </Text>
                                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="status-reason">
                                  {r.reason}
                                </Text>
                              </Stack>
                            ) : (
                              <Stack gap={4}>
                                <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="status-text">
                                  {r.text}
                                </Text>
                                {r.observables.length > 0 && (
                                  <List size="xs" spacing={2}>
                                    {r.observables.map((o) => (
                                      <List.Item key={`${o.type}:${o.value}`}>
                                        <Text span size="xs" c="dimmed">
                                          {observableTypeLabel(t, o.type)}{' '}
                                        </Text>
                                        <Text span size="xs" ff="monospace">
                                          {o.value}
                                        </Text>
                                      </List.Item>
                                    ))}
                                  </List>
                                )}
                              </Stack>
                            )}
                          </Table.Td>
                          <Table.Td style={{ whiteSpace: 'nowrap' }}>
                            <Text size="sm">{formatJst(r.answeredAt)}</Text>
                            {r.updatedAt !== r.answeredAt && (
                              <Text size="xs" c="dimmed">
                                {t('infoRequest.updatedAt', { at: formatJst(r.updatedAt) })}
                              </Text>
                            )}
                          </Table.Td>
                        </Table.Tr>
                      ))}
                    </Table.Tbody>
                  </Table>
                </Table.ScrollContainer>
              )}
            </Stack>
          </Card>
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Title order={3} size="h4">
                {t('infoRequest.missingTitle')}
              </Title>
              {s.missing.length === 0 ? (
                <Text size="sm" c="dimmed">
                  {t('infoRequest.allAnswered')}
                </Text>
              ) : (
                <Group gap="xs" data-testid="status-missing-list">
                  {s.missing.map((m) => (
                    <Badge key={m.orgId} color="orange" variant="light" size="lg" style={{ textTransform: 'none' }}>
                      {orgName(m, i18n.language)}
                    </Badge>
                  ))}
                </Group>
              )}
            </Stack>
          </Card>
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
          <ConfirmModal
            opened={closing}
            title={t('infoRequest.close')}
            message={t('infoRequest.closeLead')}
            confirmLabel={t('infoRequest.close')}
            color="gray"
            loading={close.isPending}
            error={close.error}
            onConfirm={() => close.mutate()}
            onClose={() => setClosing(false)}
          />
        </>
      )}
    </Stack>
  );
}
