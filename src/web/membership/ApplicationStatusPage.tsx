import { Alert, Anchor, Button, Card, CopyButton, Group, Paper, SimpleGrid, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ConfirmModal } from '../components/ConfirmModal.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { membershipApi, type ApplicantView } from './api.js';
import { ApplicationHistory } from './History.js';
import { ApplicationStatusBadge, Fact } from './ui.js';

const passwordLinkOf = (token: string) => `${window.location.origin}/password-setup/${encodeURIComponent(token)}`;

function PasswordLink({ token, view }: { token: string; view: ApplicantView }) {
  const { t } = useTranslation();
  const issue = useMutation({ mutationFn: () => membershipApi.passwordLink(token) });
  if (!view.administrator) return null;
  if (view.administrator.passwordSet) {
    return (
      <Alert color="teal" variant="light" title={t('membership.status.accountReadyTitle')} data-testid="status-account-ready">
        <Stack gap={4}>
          <Text size="sm">{t('membership.status.accountReady', { login: view.administrator.login })}</Text>
          <Anchor component={Link} to="/login" size="sm">
            {t('membership.status.toLogin')}
          </Anchor>
        </Stack>
      </Alert>
    );
  }
  const link = issue.data ? passwordLinkOf(issue.data.passwordSetupToken) : null;
  return (
    <Paper withBorder p="lg" radius="md" bg="teal.0" data-testid="status-password">
      <Stack gap="sm">
        <Text fw={700}>{t('membership.status.passwordTitle')}</Text>
        <Text size="sm">{t('membership.status.passwordLead', { login: view.administrator.login })}</Text>
        <ErrorAlert error={issue.error} />
        {!link && (
          <Group>
            <Button onClick={() => issue.mutate()} loading={issue.isPending} data-testid="status-password-link">
              {t('membership.status.passwordButton')}
            </Button>
          </Group>
        )}
        {link && issue.data && (
          <>
            <Text ff="monospace" fw={700} style={{ wordBreak: 'break-all' }} data-testid="status-password-url">
              {link}
            </Text>
            <Text size="sm">{t('membership.status.passwordExpires', { at: formatJst(issue.data.expiresAt) })}</Text>
            <Group>
              <CopyButton value={link}>
                {({ copied, copy }) => (
                  <Button variant="light" color={copied ? 'teal' : 'dark'} onClick={copy}>
                    {copied ? t('common.copied') : t('common.copy')}
                  </Button>
                )}
              </CopyButton>
              <Button component={Link} to={`/password-setup/${encodeURIComponent(issue.data.passwordSetupToken)}`} data-testid="status-password-open">
                {t('membership.status.passwordOpen')}
              </Button>
            </Group>
          </>
        )}
      </Stack>
    </Paper>
  );
}

/** 申込み状況: the applicant's private page, reached only through the status link. */
export function ApplicationStatusPage() {
  const { t, i18n } = useTranslation();
  const { token = '' } = useParams();
  const queryClient = useQueryClient();
  const key = ['membership', 'status', token];
  const view = useQuery({ queryKey: key, queryFn: () => membershipApi.status(token), retry: false });
  const [answer, setAnswer] = useState('');
  const [withdrawing, setWithdrawing] = useState(false);

  const done = (v: ApplicantView) => queryClient.setQueryData(key, v);
  const reply = useMutation({
    mutationFn: () => membershipApi.answer(token, { message: answer.trim() }),
    onSuccess: (v) => {
      setAnswer('');
      done(v);
    },
  });
  const withdraw = useMutation({
    mutationFn: () => membershipApi.withdrawApplication(token),
    onSuccess: (v) => {
      setWithdrawing(false);
      done(v);
    },
  });

  if (view.error instanceof ApiError && view.error.status === 404) {
    return (
      <Alert color="red" variant="light" title={t('membership.status.notFoundTitle')} data-testid="status-not-found">
        {t('membership.status.notFound')}
      </Alert>
    );
  }
  const v = view.data;
  const questions = v?.history.filter((e) => e.kind === 'returned') ?? [];
  const open = v && ['submitted', 'returned', 'checked'].includes(v.status);
  const name = v ? (i18n.language === 'en' ? v.nameEn : v.nameJa) : '';

  return (
    <Stack maw={900} data-testid="application-status">
      <Title order={2}>{t('membership.status.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('membership.status.lead')}
      </Text>
      <ErrorAlert error={view.error} />
      {view.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {v && (
        <>
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Group justify="space-between">
                <Title order={3} data-testid="status-org-name">
                  {name}
                </Title>
                <ApplicationStatusBadge status={v.status} testId="status-badge" />
              </Group>
              <Text size="sm" data-testid="status-explain">
                {t(`membership.status.explain.${v.status}`)}
              </Text>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Fact label={t('membership.period')}>{t('membership.periodLabel', { number: v.periodNumber })}</Fact>
                <Fact label={t('membership.requestedClass')}>{t(`memberClass.${v.requestedClass}`)}</Fact>
                {v.decidedClass && (
                  <Fact label={t('membership.decidedClass')} testId="status-decided-class">
                    {t(`memberClass.${v.decidedClass}`)}
                  </Fact>
                )}
                <Fact label={t('membership.submittedAt')}>{formatJst(v.createdAt)}</Fact>
                <Fact label={t('membership.updatedAt')}>{formatJst(v.updatedAt)}</Fact>
              </SimpleGrid>
              {v.decisionReason && (
                <Alert color={v.status === 'rejected' ? 'red' : 'teal'} variant="light" title={t('membership.decisionReason')}>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {v.decisionReason}
                  </Text>
                </Alert>
              )}
            </Stack>
          </Card>

          {v.status === 'approved' && <PasswordLink token={token} view={v} />}

          {v.status === 'returned' && (
            <Card withBorder padding="lg" radius="md" data-testid="status-questions">
              <Stack>
                <Title order={3}>{t('membership.status.questionsTitle')}</Title>
                {questions.slice(-1).map((q) => (
                  <Alert key={q.id} color="orange" variant="light" title={formatJst(q.at)}>
                    <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="status-question">
                      {q.message}
                    </Text>
                  </Alert>
                ))}
                <Textarea
                  label={t('membership.status.answer')}
                  description={t('membership.status.answerHelp')}
                  value={answer}
                  onChange={(e) => setAnswer(e.currentTarget.value)}
                  autosize
                  minRows={3}
                  maxLength={4000}
                  data-testid="status-answer"
                />
                <ErrorAlert error={reply.error} />
                <Group>
                  <Button onClick={() => reply.mutate()} loading={reply.isPending} disabled={!answer.trim()} data-testid="status-answer-submit">
                    {t('membership.status.answerSubmit')}
                  </Button>
                </Group>
              </Stack>
            </Card>
          )}

          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Title order={3}>{t('membership.history')}</Title>
              <ApplicationHistory events={v.history} />
            </Stack>
          </Card>

          {open && (
            <Group>
              <Button variant="subtle" color="red" onClick={() => setWithdrawing(true)} data-testid="status-withdraw">
                {t('membership.status.withdraw')}
              </Button>
            </Group>
          )}
          <ConfirmModal
            opened={withdrawing}
            title={t('membership.status.withdrawTitle')}
            message={t('membership.status.withdrawConfirm')}
            confirmLabel={t('membership.status.withdraw')}
            loading={withdraw.isPending}
            error={withdraw.error}
            onConfirm={() => withdraw.mutate()}
            onClose={() => setWithdrawing(false)}
          />
        </>
      )}
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
