import { ActionIcon, Alert, Badge, Button, Card, Group, NumberInput, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { sharingApi, type Advisory, type FeedbackAnswer, type FeedbackInput } from './api.js';
import { AnswerBadge } from './badges.js';
import { answerColor, feedbackAnswers } from './labels.js';
import { detectObservable } from './observables.js';
import { formatDuration, jstLocalToIso, useNow } from './time.js';

interface SightingRow {
  key: number;
  observable: string;
  count: number | string;
  firstSeen: string;
  lastSeen: string;
}

const helpKey = { seen: 'feedback.seenHelp', not_seen: 'feedback.notSeenHelp', unknown: 'feedback.unknownHelp' } as const;

/** The deadline in Japan time, and the time left (or that it has passed). */
export function Deadline({ deadline }: { deadline: string | null }) {
  const { t } = useTranslation();
  const now = useNow();
  if (!deadline) return null;
  const left = new Date(deadline).getTime() - now;
  return (
    <Group gap="xs" data-testid="feedback-deadline">
      <Text size="sm" fw={500}>
        {t('feedback.deadline')}: {formatJst(deadline)}
      </Text>
      {left > 0 ? (
        <Badge color={left < 3 * 3_600_000 ? 'orange' : 'blue'} variant="light" data-testid="feedback-time-left">
          {t('feedback.timeLeft', { time: formatDuration(t, left) })}
        </Badge>
      ) : (
        <Badge color="gray" variant="light">
          {t('feedback.overdue')}
        </Badge>
      )}
    </Group>
  );
}

/**
 * フィードバック: the organisation's answer for the current version — 来ている / 来ていない / わからない —
 * with an optional comment and sightings; changeable until the deadline, recorded as late after it.
 */
export function FeedbackPanel({ advisory, compact = false }: { advisory: Advisory; compact?: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const now = useNow();
  const mine = advisory.myFeedback;
  const [comment, setComment] = useState(mine?.comment ?? '');
  const [rows, setRows] = useState<SightingRow[]>([]);
  const [nextKey, setNextKey] = useState(1);
  const [rowErrors, setRowErrors] = useState<Record<number, string>>({});
  const deadline = advisory.feedbackDeadline;
  const past = deadline !== null && now > new Date(deadline).getTime();
  const locked = past && mine !== null;

  const send = useMutation({
    mutationFn: (body: FeedbackInput) => sharingApi.submitFeedback(advisory.id, body),
    onSuccess: async (res) => {
      notifications.show({ color: 'teal', message: t('feedback.sent', { answer: t(`feedback.${res.answer}`) }) });
      await queryClient.invalidateQueries({ queryKey: ['advisory', advisory.id] });
      await queryClient.invalidateQueries({ queryKey: ['tally', advisory.id] });
    },
  });

  const answer = (a: FeedbackAnswer) => {
    const errors: Record<number, string> = {};
    const sightings: FeedbackInput['sightings'] = [];
    for (const row of rows) {
      if (!row.observable.trim()) continue;
      const observable = detectObservable(row.observable);
      if (!observable) {
        errors[row.key] = t('feedback.sightingInvalid');
        continue;
      }
      sightings.push({
        observable,
        count: Math.max(1, Number(row.count) || 1),
        ...(row.firstSeen ? { firstSeen: jstLocalToIso(row.firstSeen) } : {}),
        ...(row.lastSeen ? { lastSeen: jstLocalToIso(row.lastSeen) } : {}),
      });
    }
    setRowErrors(errors);
    if (Object.keys(errors).length) return;
    send.mutate({ answer: a, ...(comment.trim() ? { comment: comment.trim() } : {}), sightings });
  };
  const setRow = (key: number, patch: Partial<SightingRow>) => setRows((old) => old.map((r) => (r.key === key ? { ...r, ...patch } : r)));

  return (
    <Card withBorder padding="lg" radius="md" data-testid="feedback-panel">
      <Stack gap="sm">
        {!compact && (
          <Title order={3} size="h4">
            {t('feedback.title')}
          </Title>
        )}
        <Text size="sm">{t('feedback.lead')}</Text>
        <Deadline deadline={deadline} />
        <Group gap="xs" data-testid="feedback-mine">
          {mine ? (
            <>
              <Text size="sm">{t('feedback.mine', { answer: t(`feedback.${mine.answer}`), at: formatJst(mine.answeredAt) })}</Text>
              <AnswerBadge answer={mine.answer} />
              {mine.late && (
                <Badge color="orange" variant="outline" data-testid="feedback-late">
                  {t('feedback.late')}
                </Badge>
              )}
            </>
          ) : (
            <Text size="sm" c="dimmed">
              {t('feedback.none')}
            </Text>
          )}
        </Group>
        {locked && (
          <Alert color="gray" variant="light" data-testid="feedback-locked">
            {t('feedback.locked', { deadline: formatJst(deadline) })}
          </Alert>
        )}
        {past && !mine && (
          <Alert color="orange" variant="light">
            {t('feedback.lateWarning')}
          </Alert>
        )}
        {!locked && (
          <>
            <Textarea
              label={t('feedback.comment')}
              value={comment}
              onChange={(e) => setComment(e.currentTarget.value)}
              autosize
              minRows={2}
              maxLength={5000}
              data-testid="feedback-comment"
            />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('feedback.sightings')}
              </Text>
              <Text size="xs" c="dimmed">
                {t('feedback.sightingsHelp')}
              </Text>
              {rows.map((row) => (
                <Group key={row.key} gap="xs" align="flex-end" wrap="wrap">
                  <TextInput
                    label={t('feedback.sightingObservable')}
                    value={row.observable}
                    onChange={(e) => setRow(row.key, { observable: e.currentTarget.value })}
                    error={rowErrors[row.key]}
                    w={260}
                    styles={{ input: { fontFamily: 'ui-monospace, monospace' } }}
                    data-testid="sighting-observable"
                  />
                  <NumberInput label={t('feedback.sightingCount')} value={row.count} onChange={(count) => setRow(row.key, { count })} min={1} allowDecimal={false} w={100} />
                  <TextInput label={`${t('feedback.firstSeen')} (JST)`} type="datetime-local" value={row.firstSeen} onChange={(e) => setRow(row.key, { firstSeen: e.currentTarget.value })} w={210} />
                  <TextInput label={`${t('feedback.lastSeen')} (JST)`} type="datetime-local" value={row.lastSeen} onChange={(e) => setRow(row.key, { lastSeen: e.currentTarget.value })} w={210} />
                  <ActionIcon variant="subtle" color="red" size="lg" aria-label={t('feedback.remove')} onClick={() => setRows((old) => old.filter((r) => r.key !== row.key))}>
                    ×
                  </ActionIcon>
                </Group>
              ))}
              <Group>
                <Button
                  variant="subtle"
                  size="xs"
                  onClick={() => {
                    setRows((old) => [...old, { key: nextKey, observable: '', count: 1, firstSeen: '', lastSeen: '' }]);
                    setNextKey((k) => k + 1);
                  }}
                  data-testid="sighting-add"
                >
                  + {t('feedback.addSighting')}
                </Button>
              </Group>
            </Stack>
            <Text size="xs" c="dimmed">
              {t('feedback.hint')}
            </Text>
          </>
        )}
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          {feedbackAnswers.map((a) => (
            <Button
              key={a}
              h={76}
              size="lg"
              color={answerColor[a]}
              variant={mine?.answer === a ? 'filled' : 'light'}
              disabled={locked}
              loading={send.isPending && send.variables.answer === a}
              onClick={() => answer(a)}
              data-testid={`feedback-${a}`}
              styles={{ inner: { height: '100%' }, label: { flexDirection: 'column', justifyContent: 'center', gap: 4, height: 'auto', overflow: 'visible', lineHeight: 1.3 } }}
            >
              <span style={{ fontSize: 'var(--mantine-font-size-lg)', fontWeight: 700 }}>{t(`feedback.${a}`)}</span>
              <span style={{ fontSize: 'var(--mantine-font-size-xs)', fontWeight: 400, opacity: 0.85 }}>{t(helpKey[a])}</span>
            </Button>
          ))}
        </SimpleGrid>
        <ErrorAlert error={send.error} testId="feedback-error" />
      </Stack>
    </Card>
  );
}
