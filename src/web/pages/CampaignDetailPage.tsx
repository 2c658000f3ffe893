import { Alert, Anchor, Badge, Button, Card, Group, Modal, Radio, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, fieldErrors } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { requestsApi, type Campaign, type RequestAudience } from '../requests/api.js';
import { CampaignStatusBadge, RequestStatusBadge } from '../requests/badges.js';
import { req } from '../requests/can.js';
import { requestAudiences } from '../requests/labels.js';
import { toJstLocal } from '../requests/time.js';
import { jstLocalToIso, useNow } from '../sharing/time.js';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId} component="div">
        {children}
      </Text>
    </Stack>
  );
}

/** Default deadline of a new request: three days from now, on the hour (Japan time). */
const defaultDeadline = () => toJstLocal(Math.ceil((Date.now() + 72 * 3_600_000) / 3_600_000) * 3_600_000);

function EndModal({ campaign, onClose }: { campaign: Campaign; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const end = useMutation({
    mutationFn: () => requestsApi.endCampaign(campaign.id, note.trim() || undefined),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('campaign.ended') });
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      await queryClient.invalidateQueries({ queryKey: ['info-requests'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('campaign.endTitle')} centered size="lg">
      <Stack data-testid="campaign-end-modal">
        <Text size="sm">{t('campaign.endLead', { n: campaign.openRequests })}</Text>
        <Textarea label={t('campaign.endNote')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={5000} data-testid="campaign-end-note" />
        <ErrorAlert error={end.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="gray" loading={end.isPending} onClick={() => end.mutate()} data-testid="campaign-end-confirm">
            {t('campaign.end')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** 情報提供依頼の作成: title, what is asked, the deadline in Japan time, and to whom. */
function IssueForm({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const now = useNow(60_000);
  const [title, setTitle] = useState('');
  const [body, setBody] = useState('');
  const [deadline, setDeadline] = useState(defaultDeadline);
  const [audience, setAudience] = useState<RequestAudience>('general');
  const [touched, setTouched] = useState(false);
  const issue = useMutation({
    mutationFn: () => requestsApi.issueRequest(campaign.id, { title: title.trim(), body: body.trim(), deadline: jstLocalToIso(deadline), audience }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('infoRequest.issued') });
      setTitle('');
      setBody('');
      setTouched(false);
      setDeadline(defaultDeadline());
      await queryClient.invalidateQueries({ queryKey: ['info-requests'] });
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
    },
  });
  const deadlineMs = deadline ? Date.parse(jstLocalToIso(deadline)) : NaN;
  const local = {
    title: title.trim() ? undefined : t('common.required'),
    body: body.trim() ? undefined : t('common.required'),
    deadline: !deadline || Number.isNaN(deadlineMs) ? t('common.required') : deadlineMs <= now ? t('infoRequest.deadlineFuture') : undefined,
  };
  const server = fieldErrors(issue.error);
  const err = (k: keyof typeof local) => (touched ? local[k] : undefined) ?? server[k];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.values(local).some(Boolean)) return;
    issue.mutate();
  };
  return (
    <Card withBorder padding="lg" radius="md">
      <form onSubmit={submit} noValidate data-testid="request-issue-form">
        <Stack>
          <Title order={3} size="h4">
            {t('infoRequest.issueTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('infoRequest.issueLead')}
          </Text>
          <ErrorAlert error={issue.error instanceof ApiError && Object.keys(server).length ? null : issue.error} testId="request-issue-error" />
          <TextInput label={t('infoRequest.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={err('title')} maxLength={200} required data-testid="request-title" />
          <Textarea
            label={t('infoRequest.body')}
            description={t('infoRequest.bodyHelp')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={err('body')}
            autosize
            minRows={4}
            maxLength={20000}
            required
            data-testid="request-body"
          />
          <Group align="flex-start" gap="xl">
            <Stack gap={4}>
              <TextInput
                type="datetime-local"
                label={t('infoRequest.deadlineJst')}
                value={deadline}
                onChange={(e) => setDeadline(e.currentTarget.value)}
                error={err('deadline')}
                required
                w={240}
                data-testid="request-deadline"
              />
              {!local.deadline && (
                <Text size="xs" c="dimmed" data-testid="request-deadline-preview">
                  {formatJst(new Date(deadlineMs).toISOString())}
                </Text>
              )}
            </Stack>
            <Radio.Group
              label={t('infoRequest.audience')}
              value={audience}
              onChange={(v) => setAudience(requestAudiences.find((a) => a === v) ?? 'general')}
              data-testid="request-audience"
            >
              <Stack gap={6} mt={6}>
                {requestAudiences.map((a) => (
                  <Radio key={a} value={a} label={t(`infoRequest.audienceOption.${a}`)} data-testid={`request-audience-${a}`} />
                ))}
              </Stack>
            </Radio.Group>
          </Group>
          <Group>
            <Button type="submit" loading={issue.isPending} data-testid="request-issue-submit">
              {t('infoRequest.issue')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

function Requests({ campaignId }: { campaignId: string }) {
  const { t } = useTranslation();
  const list = useQuery({ queryKey: ['info-requests', 'campaign', campaignId], queryFn: () => requestsApi.listRequests({ campaignId, limit: 200 }) });
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('campaign.requests')}
        </Title>
        <ErrorAlert error={list.error} />
        {list.data && list.data.items.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('campaign.noRequests')}
          </Text>
        )}
        {list.data && list.data.items.length > 0 && (
          <Table.ScrollContainer minWidth={860}>
            <Table striped data-testid="campaign-request-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('infoRequest.statusLabel')}</Table.Th>
                  <Table.Th>{t('infoRequest.title')}</Table.Th>
                  <Table.Th>{t('infoRequest.audience')}</Table.Th>
                  <Table.Th>{t('infoRequest.deadline')}</Table.Th>
                  <Table.Th ta="right">{t('infoRequest.counts.addressed')}</Table.Th>
                  <Table.Th ta="right">{t('infoRequest.counts.answered')}</Table.Th>
                  <Table.Th ta="right">{t('infoRequest.counts.refused')}</Table.Th>
                  <Table.Th ta="right">{t('infoRequest.counts.missing')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {list.data.items.map((x) => (
                  <Table.Tr key={x.id} data-testid="campaign-request-row">
                    <Table.Td>
                      <RequestStatusBadge status={x.status} />
                    </Table.Td>
                    <Table.Td>
                      <Anchor component={Link} to={`/info-requests/${x.id}/status`} size="sm" data-testid="request-status-link">
                        {x.title}
                      </Anchor>
                    </Table.Td>
                    <Table.Td>{t(`infoRequest.audienceShort.${x.audience}`)}</Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(x.deadline)}</Table.Td>
                    <Table.Td ta="right">{x.counts.addressed}</Table.Td>
                    <Table.Td ta="right">{x.counts.answered}</Table.Td>
                    <Table.Td ta="right">{x.counts.refused}</Table.Td>
                    <Table.Td ta="right">
                      {x.counts.missing > 0 ? (
                        <Badge color="orange" variant="light">
                          {x.counts.missing}
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
        )}
      </Stack>
    </Card>
  );
}

/** One campaign: its declaration, the requests issued in it and their answers; the secretariat ends it or issues more. */
export function CampaignDetailPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSignedIn();
  const [ending, setEnding] = useState(false);
  const campaign = useQuery({ queryKey: ['campaigns', 'one', id], queryFn: () => requestsApi.getCampaign(id) });
  if (campaign.error instanceof ApiError && campaign.error.status === 404) return <Problem kind="notFound" />;
  const c = campaign.data;
  const manage = req.manageCampaigns(session);
  return (
    <Stack maw={1100} data-testid="campaign-detail">
      <Anchor component={Link} to="/campaigns" size="sm">
        ← {t('campaign.back')}
      </Anchor>
      <ErrorAlert error={campaign.error} />
      {campaign.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {c && (
        <>
          <Group justify="space-between" align="flex-start">
            <Group gap="sm">
              <CampaignStatusBadge status={c.status} />
              <Title order={2} data-testid="campaign-heading">
                {c.title}
              </Title>
            </Group>
            {manage && c.status === 'active' && (
              <Button variant="default" onClick={() => setEnding(true)} data-testid="campaign-end">
                {t('campaign.end')}
              </Button>
            )}
          </Group>
          {c.status === 'active' && (
            <Alert color="red" variant="light" data-testid="campaign-active-note">
              {t('campaign.activeNote')}
            </Alert>
          )}
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="campaign-description-text">
                {c.description}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Fact label={t('campaign.declaredAt')}>{formatJst(c.declaredAt)}</Fact>
                <Fact label={t('campaign.endedAt')}>{formatJst(c.endedAt)}</Fact>
                <Fact label={t('campaign.openRequests')}>{c.openRequests}</Fact>
              </SimpleGrid>
              {c.endNote && (
                <Fact label={t('campaign.endNote')}>
                  <span style={{ whiteSpace: 'pre-wrap' }}>{c.endNote}</span>
                </Fact>
              )}
            </Stack>
          </Card>
          {manage && c.status === 'active' && <IssueForm campaign={c} />}
          <Requests campaignId={c.id} />
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
          {ending && <EndModal campaign={c} onClose={() => setEnding(false)} />}
        </>
      )}
    </Stack>
  );
}
