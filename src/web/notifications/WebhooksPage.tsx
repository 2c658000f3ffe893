import { Alert, Badge, Button, Card, Checkbox, Code, Group, SimpleGrid, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { fieldErrors } from '../api.js';
import { ConfirmModal } from '../components/ConfirmModal.js';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { OneTimeSecret } from '../components/OneTimeSecret.js';
import { formatJst } from '../format.js';
import { orgName } from '../labels.js';
import { useSignedIn } from '../session.js';
import { eventName, notificationsApi, webhookKeys, type DeliveryStatus, type EventName, type Webhook } from './api.js';

/** The README section that shows how to check a signature, step by step with code. */
const SIGNATURE_SECTION = "Checking a webhook's signature";

const statusColor: Record<DeliveryStatus, string> = {
  pending: 'gray',
  delivered: 'teal',
  retrying: 'orange',
  failed: 'red',
  cancelled: 'gray',
};

/** While a delivery waits for its first attempt, the log asks again this often (a test goes out within seconds). */
const PENDING_POLL_MS = 2_000;

function useEventNames() {
  const { i18n } = useTranslation();
  const events = useQuery({ queryKey: webhookKeys.events, queryFn: notificationsApi.events, staleTime: Infinity });
  const items: EventName[] = events.data?.items ?? [];
  return { items, error: events.error, name: (n: string) => eventName(items, n, i18n.language) };
}

function RegisterWebhook() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const events = useEventNames();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [chosen, setChosen] = useState<string[]>([]);
  const [touched, setTouched] = useState(false);
  const create = useMutation({
    mutationFn: notificationsApi.createWebhook,
    onSuccess: async () => {
      setUrl('');
      setDescription('');
      setChosen([]);
      setTouched(false);
      await queryClient.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
  const server = fieldErrors(create.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!url.trim() || chosen.length === 0) return;
    create.mutate({ url: url.trim(), events: chosen, ...(description.trim() ? { description: description.trim() } : {}) });
  };
  return (
    <Card withBorder padding="lg" radius="md" data-testid="webhook-register">
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={3}>{t('notifications.webhooks.register')}</Title>
          <TextInput
            label={t('notifications.webhooks.url')}
            placeholder="https://soc.example.jp/kyogikai/webhook"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            error={(touched && !url.trim() ? t('common.required') : undefined) ?? server.url}
            maxLength={2000}
            required
            data-testid="webhook-url"
          />
          <TextInput
            label={t('notifications.webhooks.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={server.description}
            maxLength={200}
            data-testid="webhook-description"
          />
          <ErrorAlert error={events.error} />
          <Checkbox.Group
            label={t('notifications.webhooks.events')}
            value={chosen}
            onChange={setChosen}
            error={(touched && chosen.length === 0 ? t('notifications.webhooks.eventsRequired') : undefined) ?? server.events}
            required
          >
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="xs" mt="xs">
              {events.items.map((e) => (
                <Checkbox key={e.name} value={e.name} label={events.name(e.name)} data-testid={`webhook-event-${e.name}`} />
              ))}
            </SimpleGrid>
          </Checkbox.Group>
          <ErrorAlert error={create.error} testId="webhook-register-error" />
          <Group>
            <Button type="submit" loading={create.isPending} data-testid="webhook-submit">
              {t('notifications.webhooks.submit')}
            </Button>
          </Group>
          {create.data && (
            <OneTimeSecret
              label={t('notifications.webhooks.created', { url: create.data.url })}
              value={create.data.secret}
              help={t('notifications.webhooks.secretHelp')}
              testId="webhook-secret"
            />
          )}
        </Stack>
      </form>
    </Card>
  );
}

function DeliveryLog({ webhook }: { webhook: Webhook }) {
  const { t } = useTranslation();
  const events = useEventNames();
  const pager = useCursorStack();
  const log = useQuery({
    queryKey: [...webhookKeys.deliveries(webhook.id), pager.cursor],
    queryFn: () => notificationsApi.deliveries(webhook.id, pager.cursor),
    placeholderData: keepPreviousData,
    refetchInterval: (q) => (q.state.data?.items.some((d) => d.status === 'pending') ? PENDING_POLL_MS : false),
  });
  return (
    <Stack gap="xs" data-testid="webhook-deliveries">
      <Group justify="space-between">
        <Text size="sm" fw={600}>
          {t('notifications.webhooks.showDeliveries')}
        </Text>
        <Button variant="subtle" size="compact-xs" loading={log.isFetching} onClick={() => void log.refetch()} data-testid="webhook-deliveries-refresh">
          {t('notifications.webhooks.refresh')}
        </Button>
      </Group>
      <ErrorAlert error={log.error} />
      {log.data?.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('notifications.webhooks.noDeliveries')}
        </Text>
      )}
      {log.data && log.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped fz="xs">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('notifications.webhooks.delivery.createdAt')}</Table.Th>
                <Table.Th>{t('notifications.webhooks.delivery.event')}</Table.Th>
                <Table.Th>{t('notifications.webhooks.delivery.status')}</Table.Th>
                <Table.Th>{t('notifications.webhooks.delivery.attempts')}</Table.Th>
                <Table.Th>{t('notifications.webhooks.delivery.responseStatus')}</Table.Th>
                <Table.Th>{t('notifications.webhooks.delivery.deliveredAt')}</Table.Th>
                <Table.Th>{t('notifications.webhooks.delivery.nextAttemptAt')}</Table.Th>
                <Table.Th>{t('notifications.webhooks.delivery.error')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {log.data.items.map((d) => (
                <Table.Tr key={d.id} data-testid="webhook-delivery" data-status={d.status} data-event={d.event}>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(d.createdAt)}</Table.Td>
                  <Table.Td>{d.event === 'ping' ? t('notifications.webhooks.ping') : events.name(d.event)}</Table.Td>
                  <Table.Td>
                    <Badge color={statusColor[d.status]} variant="light" data-testid="webhook-delivery-status">
                      {t(`notifications.webhooks.status.${d.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>{d.attempts}</Table.Td>
                  <Table.Td data-testid="webhook-delivery-http">{d.responseStatus ?? t('common.none')}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(d.deliveredAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(d.nextAttemptAt)}</Table.Td>
                  <Table.Td>{d.error ? <Code>{d.error}</Code> : t('common.none')}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={log.data?.next} testId="webhook-deliveries-pager" />
    </Stack>
  );
}

function WebhookCard({ webhook, onDelete }: { webhook: Webhook; onDelete: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const events = useEventNames();
  const [showLog, setShowLog] = useState(false);
  const test = useMutation({
    mutationFn: () => notificationsApi.testWebhook(webhook.id),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('notifications.webhooks.testQueued') });
      setShowLog(true);
      await queryClient.invalidateQueries({ queryKey: webhookKeys.deliveries(webhook.id) });
    },
  });
  return (
    <Card withBorder padding="md" radius="md" data-testid="webhook-card" data-url={webhook.url}>
      <Stack gap="xs">
        <Group justify="space-between" wrap="nowrap" align="flex-start">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Code style={{ wordBreak: 'break-all' }} data-testid="webhook-card-url">
              {webhook.url}
            </Code>
            {webhook.description && <Text size="sm">{webhook.description}</Text>}
            <Text size="xs" c="dimmed">
              {t('notifications.webhooks.createdAt')}: {formatJst(webhook.createdAt)}
            </Text>
          </Stack>
          <Group gap="xs" wrap="nowrap">
            <Button size="xs" variant="light" loading={test.isPending} onClick={() => test.mutate()} data-testid="webhook-test">
              {t('notifications.webhooks.test')}
            </Button>
            <Button size="xs" variant="default" onClick={() => setShowLog((x) => !x)} data-testid="webhook-log-toggle">
              {showLog ? t('notifications.webhooks.hideDeliveries') : t('notifications.webhooks.showDeliveries')}
            </Button>
            <Button size="xs" variant="light" color="red" onClick={onDelete} data-testid="webhook-delete">
              {t('notifications.webhooks.delete')}
            </Button>
          </Group>
        </Group>
        <Group gap={4}>
          {webhook.events.map((e) => (
            <Badge key={e} size="sm" variant="outline" color="gray">
              {events.name(e)}
            </Badge>
          ))}
        </Group>
        <ErrorAlert error={test.error} />
        {showLog && <DeliveryLog webhook={webhook} />}
      </Stack>
    </Card>
  );
}

function WebhookList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: webhookKeys.all, queryFn: notificationsApi.webhooks });
  const [deleting, setDeleting] = useState<Webhook | null>(null);
  const remove = useMutation({
    mutationFn: notificationsApi.deleteWebhook,
    onSuccess: async () => {
      setDeleting(null);
      notifications.show({ color: 'teal', message: t('notifications.webhooks.deleted') });
      await queryClient.invalidateQueries({ queryKey: webhookKeys.all });
    },
  });
  return (
    <Stack data-testid="webhook-list">
      <Title order={3}>{t('notifications.webhooks.list')}</Title>
      <ErrorAlert error={list.error} />
      {list.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {list.data?.items.length === 0 && (
        <Text size="sm" c="dimmed" data-testid="webhook-empty">
          {t('notifications.webhooks.empty')}
        </Text>
      )}
      {list.data?.items.map((w) => <WebhookCard key={w.id} webhook={w} onDelete={() => setDeleting(w)} />)}
      <ConfirmModal
        opened={deleting !== null}
        title={t('notifications.webhooks.deleteTitle')}
        message={t('notifications.webhooks.deleteConfirm', { url: deleting?.url ?? '' })}
        confirmLabel={t('notifications.webhooks.delete')}
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting.id)}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </Stack>
  );
}

/** Webhook 連携: an organisation administrator registers receivers, sends tests and reads the delivery log. */
export function WebhooksPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  return (
    <Stack maw={1100} data-testid="webhooks">
      <Stack gap={2}>
        <Title order={2}>{t('notifications.webhooks.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('notifications.webhooks.lead', { org: orgName(session.organization, i18n.language) })}
        </Text>
      </Stack>
      <Alert variant="light" color="blue" title={t('notifications.webhooks.signatureTitle')} data-testid="webhook-signature-help">
        <Stack gap={4}>
          <Text size="sm">{t('notifications.webhooks.signatureHelp')}</Text>
          <Text size="sm">{t('notifications.webhooks.signatureReadme', { section: SIGNATURE_SECTION })}</Text>
        </Stack>
      </Alert>
      <RegisterWebhook />
      <WebhookList />
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
