import { Alert, Badge, Button, Card, Group, List, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { requestsApi, type ConsulterMessage, type ConsulterView } from '../requests/api.js';
import { ConsultationStatusBadge } from '../requests/badges.js';
import { observableTypeLabel } from '../sharing/labels.js';

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} component="div" style={{ wordBreak: 'break-word' }}>
        {children}
      </Text>
    </Stack>
  );
}

const fromColor: Record<ConsulterMessage['from'], string> = { consulter: 'gray', council: 'indigo', council_member: 'teal' };

function Message({ m }: { m: ConsulterMessage }) {
  const { t } = useTranslation();
  const mine = m.from === 'consulter';
  return (
    <Paper
      withBorder
      p="sm"
      radius="md"
      ml={mine ? 'xl' : 0}
      mr={mine ? 0 : 'xl'}
      bg={mine ? 'gray.0' : undefined}
      data-testid="private-message"
      data-from={m.from}
    >
      <Group justify="space-between" mb={4}>
        <Badge color={fromColor[m.from]} variant="light">
          {t(`consult.from.${m.from}`)}
        </Badge>
        <Text size="xs" c="dimmed">
          {formatJst(m.createdAt)}
        </Text>
      </Group>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="private-message-body">
        {m.body}
      </Text>
    </Paper>
  );
}

/** 同意: what it means, in plain words, and the switch (withdrawable until members have been asked). */
function Consent({ token, view }: { token: string; view: ConsulterView }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const consent = useMutation({
    mutationFn: (given: boolean) => requestsApi.consentPrivate(token, given),
    onSuccess: (v) => {
      queryClient.setQueryData(['consultation-private', token], v);
      notifications.show({ color: 'teal', message: v.consent.given ? t('consult.consentGiven') : t('consult.consentWithdrawn') });
    },
  });
  return (
    <Card withBorder padding="lg" radius="md" data-testid="private-consent" data-consent={view.consent.given}>
      <Stack gap="sm">
        <Group gap="xs">
          <Title order={3} size="h4">
            {t('consult.consentTitle')}
          </Title>
          {view.consent.given ? (
            <Badge color="teal" data-testid="private-consent-state">
              {t('consult.consentYes')}
            </Badge>
          ) : (
            <Badge color="gray" variant="light" data-testid="private-consent-state">
              {t('consult.consentNo')}
            </Badge>
          )}
          {view.widened && (
            <Badge color="violet" variant="light" data-testid="private-widened">
              {t('consult.widened')}
            </Badge>
          )}
        </Group>
        <Text size="sm">{t('consult.consentLead')}</Text>
        <List size="sm" spacing={4}>
          <List.Item>{t('consult.consentPoint1')}</List.Item>
          <List.Item>{t('consult.consentPoint2')}</List.Item>
          <List.Item>{t('consult.consentPoint3')}</List.Item>
          <List.Item>{t('consult.consentPoint4')}</List.Item>
        </List>
        {view.consent.given && view.consent.at && (
          <Text size="xs" c="dimmed">
            {t('consult.consentAt', { at: formatJst(view.consent.at) })}
          </Text>
        )}
        <ErrorAlert error={consent.error} testId="private-consent-error" />
        {view.widened ? (
          <Alert color="violet" variant="light">
            {t('consult.widenedNote')}
          </Alert>
        ) : view.consent.given ? (
          <Group>
            <Button variant="default" loading={consent.isPending} onClick={() => consent.mutate(false)} data-testid="private-consent-withdraw">
              {t('consult.consentWithdraw')}
            </Button>
          </Group>
        ) : (
          <Group>
            <Button color="teal" loading={consent.isPending} onClick={() => consent.mutate(true)} data-testid="private-consent-give">
              {t('consult.consentGive')}
            </Button>
          </Group>
        )}
      </Stack>
    </Card>
  );
}

function FollowUp({ token }: { token: string }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const post = useMutation({
    mutationFn: () => requestsApi.postPrivate(token, body.trim()),
    onSuccess: (v) => {
      queryClient.setQueryData(['consultation-private', token], v);
      setBody('');
      notifications.show({ color: 'teal', message: t('consult.messageSent') });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim()) post.mutate();
  };
  return (
    <form onSubmit={submit} noValidate data-testid="private-message-form">
      <Stack gap="xs">
        <Textarea
          label={t('consult.followUp')}
          description={t('consult.followUpHelp')}
          value={body}
          onChange={(e) => setBody(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={20000}
          data-testid="private-message-input"
        />
        <ErrorAlert error={post.error} />
        <Group>
          <Button type="submit" disabled={!body.trim()} loading={post.isPending} data-testid="private-message-submit">
            {t('consult.send')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The consulter's private link: the consultation, the exchange with the council, follow-ups and consent. */
export function ConsultationPrivatePage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const view = useQuery({
    queryKey: ['consultation-private', token],
    queryFn: () => requestsApi.viewPrivate(token),
    // A new answer shows without reloading while the page is open.
    refetchInterval: 60_000,
  });
  if (view.error instanceof ApiError && view.error.status === 404) {
    return (
      <Stack maw={720} data-testid="private-not-found">
        <Title order={2}>{t('consult.notFoundTitle')}</Title>
        <Text>{t('consult.notFound')}</Text>
      </Stack>
    );
  }
  const v = view.data;
  return (
    <Stack maw={900} data-testid="consultation-private">
      <Title order={2}>{t('consult.privateTitle')}</Title>
      <Alert color="yellow" variant="light" data-testid="private-bookmark">
        {t('consult.bookmark')}
      </Alert>
      <ErrorAlert error={view.error} />
      {view.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {v && (
        <>
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Group justify="space-between">
                <Title order={3} size="h4">
                  {t('consult.yourConsultation')}
                </Title>
                <ConsultationStatusBadge status={v.status} />
              </Group>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Fact label={t('consult.name')}>{v.name}</Fact>
                <Fact label={t('consult.organizationShort')}>{v.organization ?? t('common.none')}</Fact>
                <Fact label={t('consult.email')}>{v.email}</Fact>
              </SimpleGrid>
              <Text size="xs" c="dimmed">
                {t('consult.sentAt', { at: formatJst(v.createdAt) })}
              </Text>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="private-body">
                {v.body}
              </Text>
              {v.observables.length > 0 && (
                <List size="sm" spacing={2}>
                  {v.observables.map((o) => (
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
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Title order={3} size="h4">
                {t('consult.thread')}
              </Title>
              {v.messages.length === 0 ? (
                <Text size="sm" c="dimmed" data-testid="private-no-messages">
                  {t('consult.noMessages')}
                </Text>
              ) : (
                <Stack gap="xs" data-testid="private-thread">
                  {v.messages.map((m) => (
                    <Message key={m.id} m={m} />
                  ))}
                </Stack>
              )}
              {v.status === 'open' ? (
                <FollowUp token={token} />
              ) : (
                <Alert color="gray" variant="light">
                  {t('consult.closedNote')}
                </Alert>
              )}
            </Stack>
          </Card>
          <Consent token={token} view={v} />
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
        </>
      )}
    </Stack>
  );
}
