import { Alert, Anchor, Badge, Button, Card, Group, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
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
import { requestsApi } from '../requests/api.js';
import { ConsultationStatusBadge } from '../requests/badges.js';
import { req } from '../requests/can.js';

/** A consultation the members are asked about: the Type 1 group's summary, and the organisation's answers. */
export function QuestionPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const key = ['consultation-questions', 'one', id];
  const question = useQuery({ queryKey: key, queryFn: () => requestsApi.getQuestion(id) });
  const answer = useMutation({
    mutationFn: () => requestsApi.answerQuestion(id, body.trim()),
    onSuccess: async (q) => {
      queryClient.setQueryData(key, q);
      setBody('');
      notifications.show({ color: 'teal', message: t('consultation.questionAnswered') });
      await queryClient.invalidateQueries({ queryKey: ['consultation-questions'] });
    },
  });
  if (question.error instanceof ApiError && question.error.status === 404) return <Problem kind="notFound" />;
  const q = question.data;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (body.trim()) answer.mutate();
  };
  return (
    <Stack maw={900} data-testid="question">
      <Anchor component={Link} to="/consultations?tab=questions" size="sm">
        ← {t('consultation.backToQuestions')}
      </Anchor>
      <ErrorAlert error={question.error} />
      {question.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {q && (
        <>
          <Group gap="sm">
            <ConsultationStatusBadge status={q.status} />
            <Badge color="violet" variant="light">
              {t(`consultation.widenedTo.${q.stage}`)}
            </Badge>
            <Title order={2}>{t('consultation.questionTitle')}</Title>
          </Group>
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Text size="xs" c="dimmed">
                {t('consultation.askedAt', { at: formatJst(q.widenedAt) })}
              </Text>
              <Text style={{ whiteSpace: 'pre-wrap' }} data-testid="question-summary">
                {q.summary}
              </Text>
              <Text size="xs" c="dimmed">
                {t('consultation.questionNote')}
              </Text>
            </Stack>
          </Card>
          <Card withBorder padding="lg" radius="md">
            <Stack gap="sm">
              <Title order={3} size="h4">
                {t('consultation.ourAnswers')}
              </Title>
              {q.myAnswers.length === 0 && (
                <Text size="sm" c="dimmed">
                  {t('consultation.noOurAnswers')}
                </Text>
              )}
              {q.myAnswers.map((a) => (
                <Paper key={a.id} withBorder p="sm" radius="md" data-testid="question-my-answer">
                  <Group justify="space-between" mb={4}>
                    {a.relayed ? (
                      <Badge color="teal" variant="light">
                        {t('consultation.answerRelayed')}
                      </Badge>
                    ) : (
                      <Badge color="gray" variant="light">
                        {t('consultation.answerPending')}
                      </Badge>
                    )}
                    <Text size="xs" c="dimmed">
                      {formatJst(a.createdAt)}
                    </Text>
                  </Group>
                  <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
                    {a.body}
                  </Text>
                </Paper>
              ))}
              {q.status === 'open' && req.contribute(session) ? (
                <form onSubmit={submit} noValidate data-testid="question-answer-form">
                  <Stack gap="xs">
                    <Textarea
                      label={t('consultation.questionAnswer')}
                      description={t('consultation.questionAnswerHelp')}
                      value={body}
                      onChange={(e) => setBody(e.currentTarget.value)}
                      autosize
                      minRows={4}
                      maxLength={20000}
                      data-testid="question-answer-input"
                    />
                    <ErrorAlert error={answer.error} />
                    <Group>
                      <Button type="submit" disabled={!body.trim()} loading={answer.isPending} data-testid="question-answer-submit">
                        {t('consultation.answerSubmit')}
                      </Button>
                    </Group>
                  </Stack>
                </form>
              ) : (
                q.status !== 'open' && (
                  <Alert color="gray" variant="light">
                    {t('consultation.questionClosed')}
                  </Alert>
                )
              )}
            </Stack>
          </Card>
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
        </>
      )}
    </Stack>
  );
}
