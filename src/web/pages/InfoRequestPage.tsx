import { Alert, Anchor, Button, Card, Group, List, SegmentedControl, Stack, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { requestsApi, type ReceivedRequest, type RequestAnswerKind } from '../requests/api.js';
import { AnswerKindBadge, MyRequestBadge, RequestStatusBadge } from '../requests/badges.js';
import { req } from '../requests/can.js';
import { Deadline } from '../requests/Deadline.js';
import { observableTypeLabel } from '../sharing/labels.js';
import { ObservablesField, observablesFromText } from '../sharing/ObservablesField.js';
import { observablesText } from '../sharing/observables.js';
import { useNow } from '../sharing/time.js';

/** The organisation's answer as it stands. */
function MyAnswer({ request }: { request: ReceivedRequest }) {
  const { t } = useTranslation();
  const a = request.myAnswer;
  if (!a) return null;
  return (
    <Card withBorder padding="lg" radius="md" data-testid="my-answer">
      <Stack gap="xs">
        <Group gap="xs">
          <Title order={3} size="h4">
            {t('infoRequest.mine')}
          </Title>
          <AnswerKindBadge answer={a} />
        </Group>
        <Text size="xs" c="dimmed">
          {t('infoRequest.mineAt', { at: formatJst(a.answeredAt), updated: formatJst(a.updatedAt) })}
        </Text>
        {a.kind === 'refusal' ? (
          <Stack gap={2}>
            <Text size="xs" c="dimmed">
              {t('infoRequest.reason')}
            </Text>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="my-answer-reason">
              {a.reason}
            </Text>
          </Stack>
        ) : (
          <>
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="my-answer-text">
              {a.text}
            </Text>
            {a.observables.length > 0 && (
              <List size="sm" spacing={2}>
                {a.observables.map((o) => (
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
          </>
        )}
      </Stack>
    </Card>
  );
}

/** 回答 or 正当な理由による辞退: one answer per organisation, changeable until the deadline. */
function AnswerForm({ request }: { request: ReceivedRequest }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const now = useNow();
  const mine = request.myAnswer;
  const [kind, setKind] = useState<RequestAnswerKind>(mine?.kind ?? 'answer');
  const [text, setText] = useState(mine?.text ?? '');
  const [reason, setReason] = useState(mine?.reason ?? '');
  const [observables, setObservables] = useState(mine ? observablesText(mine.observables) : '');
  const [touched, setTouched] = useState(false);
  const past = now > new Date(request.deadline).getTime();
  const send = useMutation({
    mutationFn: () => {
      const list = observablesFromText(observables) ?? [];
      return requestsApi.answerRequest(
        request.id,
        kind === 'answer' ? { kind, text: text.trim(), observables: list } : { kind, reason: reason.trim() },
      );
    },
    onSuccess: async (a) => {
      notifications.show({ color: 'teal', message: a.kind === 'answer' ? t('infoRequest.sent') : t('infoRequest.sentRefusal') });
      setTouched(false);
      await queryClient.invalidateQueries({ queryKey: ['info-requests'] });
    },
  });
  const local = {
    text: kind === 'answer' && !text.trim() ? t('infoRequest.textRequired') : undefined,
    reason: kind === 'refusal' && !reason.trim() ? t('infoRequest.reasonRequired') : undefined,
  };
  const observableError = send.error instanceof ApiError && send.error.code === 'invalid_observable' ? send.error.message : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (local.text || local.reason) return;
    if (kind === 'answer' && observablesFromText(observables) === null) return;
    send.mutate();
  };
  return (
    <Card withBorder padding="lg" radius="md">
      <form onSubmit={submit} noValidate data-testid="answer-form">
        <Stack>
          <Title order={3} size="h4">
            {mine ? t('infoRequest.changeTitle') : t('infoRequest.answerTitle')}
          </Title>
          <Text size="sm" c="dimmed">
            {mine ? t('infoRequest.changeable') : t('infoRequest.answerLead')}
          </Text>
          {past && !mine && (
            <Alert color="orange" variant="light" data-testid="answer-late-warning">
              {t('infoRequest.lateWarning')}
            </Alert>
          )}
          <SegmentedControl
            value={kind}
            onChange={(v) => setKind(v === 'refusal' ? 'refusal' : 'answer')}
            data={[
              { value: 'answer', label: t('infoRequest.kind.answer') },
              { value: 'refusal', label: t('infoRequest.kind.refusal') },
            ]}
            fullWidth
            data-testid="answer-kind-choice"
          />
          {kind === 'answer' ? (
            <>
              <Textarea
                label={t('infoRequest.text')}
                description={t('infoRequest.textHelp')}
                value={text}
                onChange={(e) => setText(e.currentTarget.value)}
                error={touched ? local.text : undefined}
                autosize
                minRows={5}
                maxLength={20000}
                required
                data-testid="answer-text"
              />
              <ObservablesField
                label={t('infoRequest.observables')}
                value={observables}
                onChange={setObservables}
                showErrors={touched}
                serverError={observableError}
                testId="answer-observables"
              />
            </>
          ) : (
            <>
              <Alert color="yellow" variant="light" data-testid="refusal-note">
                <Text size="sm">{t('infoRequest.refusalNote')}</Text>
              </Alert>
              <Textarea
                label={t('infoRequest.reason')}
                description={t('infoRequest.reasonHelp')}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={touched ? local.reason : undefined}
                autosize
                minRows={4}
                maxLength={5000}
                required
                data-testid="answer-reason"
              />
            </>
          )}
          {!observableError && <ErrorAlert error={send.error} testId="answer-error" />}
          <Group>
            <Button type="submit" color={kind === 'answer' ? 'teal' : 'gray'} loading={send.isPending} data-testid="answer-submit">
              {kind === 'answer' ? t('infoRequest.submit') : t('infoRequest.submitRefusal')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}

/** One information request as the addressed organisation sees it, with its answer. */
export function InfoRequestPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSignedIn();
  const now = useNow();
  const request = useQuery({ queryKey: ['info-requests', 'one', id], queryFn: () => requestsApi.getRequest(id) });
  if (request.error instanceof ApiError && request.error.status === 404) return <Problem kind="notFound" />;
  const x = request.data;
  const past = x ? now > new Date(x.deadline).getTime() : false;
  // Only an addressed organisation has an answer or an outstanding request (the secretariat may look too).
  const addressed = !!x && (x.myAnswer !== null || x.outstanding);
  const showMine = !!x && (addressed || (x.status === 'closed' && !req.requestStatus(session)));
  const locked = !!x && (x.status === 'closed' || (past && x.myAnswer !== null));
  return (
    <Stack maw={960} data-testid="info-request">
      <Anchor component={Link} to="/info-requests" size="sm">
        ← {t('infoRequest.back')}
      </Anchor>
      <ErrorAlert error={request.error} />
      {request.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {x && (
        <>
          <Stack gap={4}>
            <Text size="sm" c="dimmed">
              {t('infoRequest.campaign')}: {x.campaignTitle}
            </Text>
            <Group gap="sm">
              <RequestStatusBadge status={x.status} />
              <Title order={2} data-testid="info-request-heading">
                {x.title}
              </Title>
              {showMine && <MyRequestBadge request={x} />}
            </Group>
          </Stack>
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Deadline deadline={x.deadline} closed={x.status === 'closed'} />
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="info-request-body">
                {x.body}
              </Text>
              <Text size="xs" c="dimmed">
                {t('infoRequest.issuedAt', { at: formatJst(x.createdAt) })}
              </Text>
            </Stack>
          </Card>
          <MyAnswer request={x} />
          {x.status === 'closed' && (
            <Alert color="gray" variant="light">
              {t('infoRequest.closedNote')}
            </Alert>
          )}
          {x.status === 'open' && past && x.myAnswer && (
            <Alert color="gray" variant="light" data-testid="answer-locked">
              {t('infoRequest.locked', { deadline: formatJst(x.deadline) })}
            </Alert>
          )}
          {!locked && addressed && req.answerRequests(session) && <AnswerForm key={x.myAnswer?.updatedAt ?? 'new'} request={x} />}
          {!locked && addressed && !req.answerRequests(session) && (
            <Alert color="gray" variant="light">
              {t('infoRequest.viewerNote')}
            </Alert>
          )}
          {req.requestStatus(session) && (
            <Anchor component={Link} to={`/info-requests/${x.id}/status`} size="sm">
              {t('infoRequest.statusLink')} →
            </Anchor>
          )}
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
        </>
      )}
    </Stack>
  );
}
