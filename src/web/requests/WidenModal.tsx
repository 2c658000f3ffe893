import { Alert, Badge, Button, Checkbox, Group, List, Modal, Paper, Radio, Stack, Text, Textarea } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import type { PersonalDataFlag } from '../sharing/api.js';
import { requestsApi, type ConsultationDetail, type WidenStage } from './api.js';
import { widenStages } from './labels.js';

const piiKinds = ['email', 'phone', 'postal_address', 'person_name', 'provider_identifier'] as const;
type PiiKind = (typeof piiKinds)[number];
const isPiiKind = (k: string): k is PiiKind => (piiKinds as readonly string[]).includes(k);

/** The flags a 409 `personal_data_flagged` answer carries. */
function flagsOf(error: unknown): PersonalDataFlag[] {
  if (!(error instanceof ApiError) || error.code !== 'personal_data_flagged' || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).filter((f): f is PersonalDataFlag => !!f && typeof f === 'object' && typeof (f as PersonalDataFlag).text === 'string');
}

/** The consulter's words a 400 `text_identifies_consulter` answer names. */
function identifyingOf(error: unknown): string[] {
  if (!(error instanceof ApiError) || error.code !== 'text_identifies_consulter' || !Array.isArray(error.details)) return [];
  return (error.details as unknown[]).filter((x): x is string => typeof x === 'string');
}

/**
 * 構成員への照会: after the consulter's consent, a Type 1 user asks Type 2 or all members with a summary that names
 * nothing of the consulter. Likely personal data the server flags must be confirmed (as for a release).
 */
export function WidenModal({ consultation, onClose }: { consultation: ConsultationDetail; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [summary, setSummary] = useState('');
  const [stage, setStage] = useState<WidenStage>('members');
  const [flags, setFlags] = useState<PersonalDataFlag[]>([]);
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set());
  const widen = useMutation({
    mutationFn: () => requestsApi.widen(consultation.id, { summary: summary.trim(), stage, confirmFlags: [...confirmed] }),
    onSuccess: async (detail) => {
      queryClient.setQueryData(['consultations', 'one', consultation.id], detail);
      await queryClient.invalidateQueries({ queryKey: ['consultations', 'list'] });
      notifications.show({ color: 'teal', message: t('consultation.widenDone', { stage: t(`consultation.widenedTo.${stage}`) }) });
      onClose();
    },
    onError: (e) => {
      const found = flagsOf(e);
      if (found.length) setFlags((old) => [...old, ...found].filter((f, i, all) => all.findIndex((g) => g.kind === f.kind && g.text === f.text) === i));
    },
  });
  const open = flags.filter((f) => !confirmed.has(f.text));
  const identifying = identifyingOf(widen.error);
  const toggle = (text: string, on: boolean) =>
    setConfirmed((old) => {
      const s = new Set(old);
      if (on) s.add(text);
      else s.delete(text);
      return s;
    });
  return (
    <Modal opened onClose={onClose} title={t('consultation.widenTitle')} size="lg" centered>
      <Stack data-testid="widen-modal">
        <Text size="sm">{t('consultation.widenLead')}</Text>
        <Alert color="yellow" variant="light">
          <Text size="sm">{t('consultation.widenNoPersonal')}</Text>
        </Alert>
        <Textarea
          label={t('consultation.summary')}
          description={t('consultation.summaryHelp')}
          value={summary}
          onChange={(e) => {
            setSummary(e.currentTarget.value);
            // A changed text is checked again from scratch.
            setFlags([]);
            setConfirmed(new Set());
          }}
          autosize
          minRows={5}
          maxLength={5000}
          required
          data-testid="widen-summary"
        />
        <Radio.Group label={t('consultation.widenStage')} value={stage} onChange={(v) => setStage(widenStages.find((s) => s === v) ?? 'members')}>
          <Stack gap={6} mt={6}>
            {widenStages.map((s) => (
              <Radio key={s} value={s} label={t(`consultation.widenStageOption.${s}`)} data-testid={`widen-stage-${s}`} />
            ))}
          </Stack>
        </Radio.Group>
        {identifying.length > 0 && (
          <Alert color="red" variant="light" data-testid="widen-identifying">
            <Text size="sm">{widen.error instanceof Error ? widen.error.message : ''}</Text>
            <List size="sm" mt={4}>
              {identifying.map((w) => (
                <List.Item key={w}>
                  <Text span ff="monospace" fw={700}>
                    {w}
                  </Text>
                </List.Item>
              ))}
            </List>
          </Alert>
        )}
        {flags.length > 0 && (
          <Stack gap="xs" data-testid="widen-flags">
            <Alert color="orange" variant="light">
              <Text size="sm">{t('consultation.flagsLead')}</Text>
            </Alert>
            {flags.map((f) => (
              <Paper key={`${f.kind}:${f.text}`} withBorder p="xs" radius="sm" data-testid="widen-flag">
                <Group justify="space-between" wrap="nowrap">
                  <Group gap="xs">
                    <Badge color="orange" variant="light">
                      {isPiiKind(f.kind) ? t(`piiKind.${f.kind}`) : f.kind}
                    </Badge>
                    <Text size="sm" ff="monospace" fw={700} data-testid="widen-flag-text">
                      {f.text}
                    </Text>
                  </Group>
                  <Checkbox
                    label={t('consultation.flagConfirm')}
                    checked={confirmed.has(f.text)}
                    onChange={(e) => toggle(f.text, e.currentTarget.checked)}
                    data-testid="widen-flag-confirm"
                  />
                </Group>
              </Paper>
            ))}
          </Stack>
        )}
        {flagsOf(widen.error).length === 0 && identifying.length === 0 && <ErrorAlert error={widen.error} testId="widen-error" />}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="violet"
            disabled={!summary.trim() || open.length > 0}
            loading={widen.isPending}
            onClick={() => widen.mutate()}
            data-testid="widen-confirm"
          >
            {t('consultation.widenConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
