import { Alert, Anchor, Badge, Card, Group, SegmentedControl, Stack, Table, Tabs, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { requestsApi, type ConsultationStatus } from '../requests/api.js';
import { ConsultationStatusBadge } from '../requests/badges.js';
import { req } from '../requests/can.js';
import { inType1Group } from '../sharing/can.js';

type Filter = ConsultationStatus | 'all';

/** The Type 1 group's list of consultations from non-members. */
function ConsultationList() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const pager = useCursorStack();
  const [filter, setFilter] = useState<Filter>('open');
  const status = filter === 'all' ? undefined : filter;
  const list = useQuery({
    queryKey: ['consultations', 'list', status, pager.cursor],
    queryFn: () => requestsApi.listConsultations({ status, cursor: pager.cursor }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <SegmentedControl
        w="fit-content"
        value={filter}
        onChange={(x) => {
          setFilter(x === 'open' || x === 'closed' ? x : 'all');
          pager.reset();
        }}
        data={[
          { value: 'open', label: t('consultation.status.open') },
          { value: 'closed', label: t('consultation.status.closed') },
          { value: 'all', label: t('consultation.all') },
        ]}
        data-testid="consultation-filter"
      />
      <ErrorAlert error={list.error} />
      {list.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {list.data && (
        <Table.ScrollContainer minWidth={960}>
          <Table striped highlightOnHover data-testid="consultation-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('consultation.statusLabel')}</Table.Th>
                <Table.Th>{t('consultation.consulter')}</Table.Th>
                <Table.Th>{t('consultation.excerpt')}</Table.Th>
                <Table.Th>{t('consultation.progress')}</Table.Th>
                <Table.Th ta="right">{t('consultation.messages')}</Table.Th>
                <Table.Th>{t('consultation.receivedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>{t('common.noData')}</Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((c) => (
                <Table.Tr key={c.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/consultations/${c.id}`)} data-testid="consultation-row">
                  <Table.Td>
                    <ConsultationStatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" component={Link} to={`/consultations/${c.id}`} c="blue" onClick={(e) => e.stopPropagation()} data-testid="consultation-link">
                      {c.name}
                    </Text>
                    {c.organization && (
                      <Text size="xs" c="dimmed">
                        {c.organization}
                      </Text>
                    )}
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm" lineClamp={2}>
                      {c.excerpt}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {c.messages === 0 && (
                        <Badge size="sm" color="orange" variant="light">
                          {t('consultation.unanswered')}
                        </Badge>
                      )}
                      {c.consentAt && (
                        <Badge size="sm" color="teal" variant="light">
                          {t('consultation.consented')}
                        </Badge>
                      )}
                      {c.widenedStage && (
                        <Badge size="sm" color="violet" variant="light">
                          {t(`consultation.widenedTo.${c.widenedStage}`)}
                        </Badge>
                      )}
                      {c.reportId && (
                        <Badge size="sm" color="indigo" variant="light">
                          {t('consultation.converted')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td ta="right">{c.messages}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    <Text size="sm">{formatJst(c.createdAt)}</Text>
                    {c.lastMessageAt && (
                      <Text size="xs" c="dimmed">
                        {t('consultation.lastMessage', { at: formatJst(c.lastMessageAt) })}
                      </Text>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={list.data?.next} testId="consultation-pager" />
    </Stack>
  );
}

/** The widened questions: what members are asked about (the summary only), with the organisation's own answers. */
function QuestionList() {
  const { t } = useTranslation();
  const pager = useCursorStack();
  const list = useQuery({
    queryKey: ['consultation-questions', pager.cursor],
    queryFn: () => requestsApi.listQuestions({ cursor: pager.cursor }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('consultation.questionsLead')}
      </Text>
      <ErrorAlert error={list.error} />
      {list.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {list.data?.items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="questions-empty">
          {t('consultation.noQuestions')}
        </Text>
      )}
      {list.data?.items.map((q) => (
        <Card key={q.id} withBorder padding="md" radius="md" data-testid="question-card">
          <Stack gap={6}>
            <Group justify="space-between" wrap="nowrap">
              <Group gap={6}>
                <Badge color="violet" variant="light">
                  {t(`consultation.widenedTo.${q.stage}`)}
                </Badge>
                <ConsultationStatusBadge status={q.status} />
                {q.myAnswers.length > 0 && (
                  <Badge color="teal" variant="light">
                    {t('consultation.answeredByUs', { n: q.myAnswers.length })}
                  </Badge>
                )}
              </Group>
              <Text size="xs" c="dimmed">
                {t('consultation.askedAt', { at: formatJst(q.widenedAt) })}
              </Text>
            </Group>
            <Text size="sm" lineClamp={3} style={{ whiteSpace: 'pre-wrap' }}>
              {q.summary}
            </Text>
            <Anchor component={Link} to={`/consultations/questions/${q.id}`} size="sm" data-testid="question-link">
              {q.status === 'open' ? t('consultation.openQuestion') : t('consultation.viewQuestion')} →
            </Anchor>
          </Stack>
        </Card>
      ))}
      <CursorPager pager={pager} next={list.data?.next} testId="question-pager" />
    </Stack>
  );
}

/** 相談: the Type 1 group's consultations and the questions to members; members only see the questions. */
export function ConsultationsPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const [params, setParams] = useSearchParams();
  const type1 = req.readConsultations(session);
  const tab = type1 && params.get('tab') !== 'questions' ? 'consultations' : 'questions';
  return (
    <Stack maw={1200} data-testid="consultations">
      <Stack gap={2}>
        <Title order={2}>{t('consultation.title')}</Title>
        <Text size="sm" c="dimmed">
          {type1 ? t('consultation.leadType1') : t('consultation.leadMembers')}
        </Text>
      </Stack>
      {!type1 && inType1Group(session) && !session.user.totpEnabled && (
        <Alert color="yellow" variant="light" data-testid="consultation-totp-needed">
          {t('consultation.totpNeeded')}{' '}
          <Anchor component={Link} to="/settings" size="sm">
            {t('home.totpMissingLink')}
          </Anchor>
        </Alert>
      )}
      {type1 ? (
        <Tabs value={tab} onChange={(v) => setParams(v === 'questions' ? { tab: 'questions' } : {}, { replace: true })} keepMounted={false}>
          <Tabs.List>
            <Tabs.Tab value="consultations" data-testid="tab-consultations">
              {t('consultation.tabConsultations')}
            </Tabs.Tab>
            <Tabs.Tab value="questions" data-testid="tab-questions">
              {t('consultation.tabQuestions')}
            </Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="consultations" pt="md">
            <ConsultationList />
          </Tabs.Panel>
          <Tabs.Panel value="questions" pt="md">
            <QuestionList />
          </Tabs.Panel>
        </Tabs>
      ) : (
        <QuestionList />
      )}
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
