import { Alert, Anchor, Badge, Button, Card, Group, List, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { TFunction } from 'i18next';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { requestsApi, type ConsultationDetail, type CouncilMessage } from '../requests/api.js';
import { ConsultationStatusBadge } from '../requests/badges.js';
import { req } from '../requests/can.js';
import { ConvertForm } from '../requests/ConvertForm.js';
import { WidenModal } from '../requests/WidenModal.js';
import { observableTypeLabel } from '../sharing/labels.js';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div" style={{ wordBreak: 'break-word' }} data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

const authorColor: Record<CouncilMessage['author'], string> = { consulter: 'gray', council: 'indigo', member: 'teal' };

/** Who wrote a message: the consulter, the council (with the writing organisation and person), or a member. */
function authorLabel(t: TFunction, lang: string, m: CouncilMessage): string {
  if (m.author === 'consulter') return t('consultation.author.consulter');
  const org = (lang === 'en' ? m.orgNameEn || m.orgNameJa : m.orgNameJa || m.orgNameEn) ?? '';
  const who = [org, m.displayName].filter(Boolean).join(' ');
  return m.author === 'council' ? t('consultation.author.council', { who }) : t('consultation.author.member', { who });
}

function Thread({ c, canAnswer }: { c: ConsultationDetail; canAnswer: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const key = ['consultations', 'one', c.id];
  const answer = useMutation({
    mutationFn: () => requestsApi.answerConsultation(c.id, body.trim()),
    onSuccess: async (detail) => {
      queryClient.setQueryData(key, detail);
      setBody('');
      notifications.show({ color: 'teal', message: t('consultation.answerSent') });
      await queryClient.invalidateQueries({ queryKey: ['consultations', 'list'] });
    },
  });
  const relay = useMutation({
    mutationFn: (messageId: string) => requestsApi.relay(c.id, messageId),
    onSuccess: (detail) => {
      queryClient.setQueryData(key, detail);
      notifications.show({ color: 'teal', message: t('consultation.relayed') });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim()) answer.mutate();
  };
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('consultation.thread')}
        </Title>
        {c.messages.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('consultation.noMessages')}
          </Text>
        )}
        <Stack gap="xs" data-testid="consultation-thread">
          {c.messages.map((m) => (
            <Paper
              key={m.id}
              withBorder
              p="sm"
              radius="md"
              bg={m.author === 'member' && !m.relayedAt ? 'yellow.0' : undefined}
              data-testid="consultation-message"
              data-author={m.author}
            >
              <Group justify="space-between" mb={4} wrap="nowrap" align="flex-start">
                <Group gap={6}>
                  <Badge color={authorColor[m.author]} variant="light" style={{ textTransform: 'none' }}>
                    {authorLabel(t, i18n.language, m)}
                  </Badge>
                  {m.author === 'member' &&
                    (m.relayedAt ? (
                      <Badge color="teal" variant="outline" size="sm" data-testid="message-relayed">
                        {t('consultation.relayedAt', { at: formatJst(m.relayedAt) })}
                      </Badge>
                    ) : (
                      <Badge color="orange" variant="outline" size="sm">
                        {t('consultation.notRelayed')}
                      </Badge>
                    ))}
                </Group>
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatJst(m.createdAt)}
                </Text>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="consultation-message-body">
                {m.body}
              </Text>
              {m.author === 'member' && !m.relayedAt && canAnswer && c.status === 'open' && (
                <Group mt="xs">
                  <Button
                    size="xs"
                    variant="light"
                    color="teal"
                    loading={relay.isPending && relay.variables === m.id}
                    onClick={() => relay.mutate(m.id)}
                    data-testid="message-relay"
                  >
                    {t('consultation.relay')}
                  </Button>
                  <Text size="xs" c="dimmed">
                    {t('consultation.relayHelp')}
                  </Text>
                </Group>
              )}
            </Paper>
          ))}
        </Stack>
        <ErrorAlert error={relay.error} />
        {canAnswer && c.status === 'open' && (
          <form onSubmit={submit} noValidate data-testid="consultation-answer-form">
            <Stack gap="xs">
              <Textarea
                label={t('consultation.answer')}
                description={t('consultation.answerHelp')}
                value={body}
                onChange={(e) => setBody(e.currentTarget.value)}
                autosize
                minRows={4}
                maxLength={20000}
                data-testid="consultation-answer-input"
              />
              <ErrorAlert error={answer.error} testId="consultation-answer-error" />
              <Group>
                <Button type="submit" disabled={!body.trim()} loading={answer.isPending} data-testid="consultation-answer-submit">
                  {t('consultation.answerSubmit')}
                </Button>
              </Group>
            </Stack>
          </form>
        )}
      </Stack>
    </Card>
  );
}

/** 構成員への照会: the consulter's consent, and the question asked (or the button to ask it). */
function Widen({ c, canAnswer }: { c: ConsultationDetail; canAnswer: boolean }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <Card withBorder padding="lg" radius="md" data-testid="consultation-widen">
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={3} size="h4">
            {t('consultation.widenSection')}
          </Title>
          {c.consentAt ? (
            <Badge color="teal" data-testid="consultation-consent" data-consent="true">
              {t('consultation.consentGiven', { at: formatJst(c.consentAt) })}
            </Badge>
          ) : (
            <Badge color="gray" variant="light" data-testid="consultation-consent" data-consent="false">
              {t('consultation.consentMissing')}
            </Badge>
          )}
        </Group>
        {c.widenedAt && c.widenedStage ? (
          <Stack gap={4} data-testid="consultation-widened">
            <Text size="sm">{t('consultation.widenedInfo', { stage: t(`consultation.widenedTo.${c.widenedStage}`), at: formatJst(c.widenedAt) })}</Text>
            <Paper withBorder p="sm" radius="sm" bg="gray.0">
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                {c.summary}
              </Text>
            </Paper>
            <Text size="xs" c="dimmed">
              {t('consultation.widenedHelp')}
            </Text>
          </Stack>
        ) : c.consentAt ? (
          <>
            <Text size="sm">{t('consultation.widenReady')}</Text>
            {canAnswer && c.status === 'open' && (
              <Group>
                <Button color="violet" variant="light" onClick={() => setOpen(true)} data-testid="consultation-widen-open">
                  {t('consultation.widenButton')}
                </Button>
              </Group>
            )}
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('consultation.widenNeedsConsent')}
          </Text>
        )}
      </Stack>
      {open && <WidenModal consultation={c} onClose={() => setOpen(false)} />}
    </Card>
  );
}

/** One consultation for the Type 1 group: the consulter, the thread, answering, asking members, relaying, converting. */
export function ConsultationDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [converting, setConverting] = useState(false);
  const consultation = useQuery({ queryKey: ['consultations', 'one', id], queryFn: () => requestsApi.getConsultation(id) });
  const setStatus = useMutation({
    mutationFn: (status: 'open' | 'closed') => requestsApi.setConsultationStatus(id, status),
    onSuccess: async (detail) => {
      queryClient.setQueryData(['consultations', 'one', id], detail);
      await queryClient.invalidateQueries({ queryKey: ['consultations', 'list'] });
    },
  });
  if (consultation.error instanceof ApiError && consultation.error.status === 404) return <Problem kind="notFound" />;
  const c = consultation.data;
  const canAnswer = req.answerConsultations(session);
  return (
    <Stack maw={1100} data-testid="consultation-detail">
      <Anchor component={Link} to="/consultations" size="sm">
        ← {t('consultation.back')}
      </Anchor>
      <ErrorAlert error={consultation.error} />
      {consultation.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {c && (
        <>
          <Group justify="space-between" align="flex-start">
            <Group gap="sm">
              <ConsultationStatusBadge status={c.status} />
              <Title order={2} data-testid="consultation-heading">
                {t('consultation.heading', { name: c.name })}
              </Title>
            </Group>
            {canAnswer && (
              <Button
                variant="default"
                loading={setStatus.isPending}
                onClick={() => setStatus.mutate(c.status === 'open' ? 'closed' : 'open')}
                data-testid="consultation-toggle-status"
              >
                {c.status === 'open' ? t('consultation.close') : t('consultation.reopen')}
              </Button>
            )}
          </Group>
          <ErrorAlert error={setStatus.error} />
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Alert color="yellow" variant="light" p="xs">
                <Text size="xs">{t('consultation.personalNote')}</Text>
              </Alert>
              <SimpleGrid cols={{ base: 1, sm: 4 }}>
                <Fact label={t('consult.name')} testId="consultation-name">
                  {c.name}
                </Fact>
                <Fact label={t('consult.organizationShort')}>{c.organization ?? t('common.none')}</Fact>
                <Fact label={t('consult.email')}>
                  <Anchor href={`mailto:${c.email}`} size="sm">
                    {c.email}
                  </Anchor>
                </Fact>
                <Fact label={t('consultation.receivedAt')}>{formatJst(c.createdAt)}</Fact>
              </SimpleGrid>
              <Text size="xs" c="dimmed">
                {t('consultation.locale', { lang: t(`language.${c.locale}`) })}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="consultation-body">
                {c.body}
              </Text>
              {c.observables.length > 0 && (
                <List size="sm" spacing={2}>
                  {c.observables.map((o) => (
                    <List.Item key={`${o.type}:${o.value}`}>
                      <Text span size="xs" c="dimmed">
                        {observableTypeLabel(t, o.type)}{' '}
                      </Text>
                      <Text span size="sm" ff="monospace">
                        {o.value}
                      </Text>
                    </List.Item>
                  ))}
                </List>
              )}
            </Stack>
          </Card>
          <Thread c={c} canAnswer={canAnswer} />
          <Widen c={c} canAnswer={canAnswer} />
          {c.reportId ? (
            <Alert color="indigo" variant="light" data-testid="consultation-report">
              {t('consultation.convertedAt', { at: formatJst(c.convertedAt) })}{' '}
              <Anchor component={Link} to={`/reports/${c.reportId}`} size="sm" data-testid="consultation-report-link">
                {t('consultation.openReport')}
              </Anchor>
            </Alert>
          ) : converting ? (
            <ConvertForm consultation={c} onCancel={() => setConverting(false)} />
          ) : (
            canAnswer && (
              <Group>
                <Button variant="light" onClick={() => setConverting(true)} data-testid="consultation-convert-open">
                  {t('consultation.convertButton')}
                </Button>
                <Text size="xs" c="dimmed">
                  {t('consultation.convertHint')}
                </Text>
              </Group>
            )
          )}
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
        </>
      )}
    </Stack>
  );
}
