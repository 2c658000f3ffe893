import { Alert, Badge, Button, Checkbox, Group, Loader, Modal, NumberInput, Paper, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { sharingApi, type Advisory, type PersonalDataFlag, type Stage } from './api.js';
import { StageBadge } from './badges.js';
import { advisoryFieldLabel } from './labels.js';
import { useNow } from './time.js';

const piiKinds = ['email', 'phone', 'postal_address', 'person_name', 'provider_identifier'] as const;
type PiiKind = (typeof piiKinds)[number];
const isPiiKind = (k: string): k is PiiKind => (piiKinds as readonly string[]).includes(k);

/** The flags a 409 `personal_data_flagged` answer carries (those still open). */
function flagsOf(error: unknown): PersonalDataFlag[] | undefined {
  if (!(error instanceof ApiError) || error.code !== 'personal_data_flagged' || !Array.isArray(error.details)) return undefined;
  return (error.details as unknown[]).filter(
    (f): f is PersonalDataFlag => !!f && typeof f === 'object' && typeof (f as PersonalDataFlag).text === 'string',
  );
}

/**
 * Release to the next stage. Beyond the Type 1 group the text is checked first: every flagged piece of
 * likely personal data must be confirmed (or the item revised to remove it). A release to Type 2 sets
 * the feedback deadline.
 */
export function ReleaseModal({ advisory, next, opened, onClose }: { advisory: Advisory; next: Stage; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const now = useNow(60_000);
  const checked = next !== 'type1';
  const check = useQuery({
    queryKey: ['release-check', advisory.id, advisory.version],
    queryFn: () => sharingApi.releaseCheck(advisory.id),
    enabled: opened && checked,
    staleTime: 0,
  });
  const [confirmed, setConfirmed] = useState<ReadonlySet<string>>(new Set());
  const [hours, setHours] = useState<number | string>(24);
  const release = useMutation({
    mutationFn: () =>
      sharingApi.release(advisory.id, {
        to: next,
        ...(next === 'type2' ? { feedbackHours: Number(hours) } : {}),
        confirmFlags: [...confirmed],
      }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('advisory.released', { stage: t(`stage.${next}`) }) });
      await queryClient.invalidateQueries({ queryKey: ['advisory', advisory.id] });
      await queryClient.invalidateQueries({ queryKey: ['advisories'] });
      await queryClient.invalidateQueries({ queryKey: ['tally', advisory.id] });
      onClose();
    },
  });

  // The check's flags, plus any the server found at release time (the text may have changed meanwhile).
  const flags = [...(check.data?.flags ?? []), ...(flagsOf(release.error) ?? [])].filter(
    (f, i, all) => all.findIndex((g) => g.kind === f.kind && g.text === f.text) === i,
  );
  const open = flags.filter((f) => !confirmed.has(f.text));
  const hoursValid = next !== 'type2' || (Number.isInteger(Number(hours)) && Number(hours) >= 1 && Number(hours) <= 336);
  const ready = !checked || check.isSuccess;
  const toggle = (text: string, on: boolean) =>
    setConfirmed((old) => {
      const s = new Set(old);
      if (on) s.add(text);
      else s.delete(text);
      return s;
    });

  return (
    <Modal opened={opened} onClose={onClose} title={t('advisory.releaseTitle', { stage: t(`stage.${next}`) })} size="lg" centered>
      <Stack data-testid="release-modal">
        <Group gap="xs">
          <StageBadge stage={advisory.stage} />→<StageBadge stage={next} />
          <Text size="sm">{t('advisory.versionN', { n: advisory.version })}</Text>
        </Group>
        <Text size="sm">{t('advisory.releaseLead')}</Text>
        {next === 'type2' && (
          <NumberInput
            label={t('advisory.feedbackHours')}
            description={t('advisory.feedbackHoursHelp')}
            value={hours}
            onChange={setHours}
            min={1}
            max={336}
            allowDecimal={false}
            w={260}
            error={hoursValid ? undefined : t('advisory.feedbackHoursHelp')}
            data-testid="release-hours"
          />
        )}
        {next === 'type2' && hoursValid && (
          <Text size="sm" data-testid="release-deadline">
            {t('advisory.deadlinePreview', { at: formatJst(new Date(now + Number(hours) * 3_600_000).toISOString()) })}
          </Text>
        )}
        {checked && check.isPending && (
          <Group gap="xs">
            <Loader size="xs" />
            <Text size="sm">{t('advisory.checking')}</Text>
          </Group>
        )}
        <ErrorAlert error={check.error} />
        {checked && check.isSuccess && flags.length === 0 && (
          <Alert color="teal" variant="light" data-testid="release-no-flags">
            {t('advisory.noFlags')}
          </Alert>
        )}
        {flags.length > 0 && (
          <Stack gap="xs" data-testid="release-flags">
            <Alert color="orange" variant="light">
              <Text size="sm">{t('advisory.flagsLead')}</Text>
            </Alert>
            {flags.map((f) => (
              <Paper key={`${f.kind}:${f.text}`} withBorder p="xs" radius="sm" data-testid="release-flag">
                <Group justify="space-between" wrap="nowrap" align="flex-start">
                  <Stack gap={2}>
                    <Group gap="xs">
                      <Badge color="orange" variant="light">
                        {isPiiKind(f.kind) ? t(`piiKind.${f.kind}`) : f.kind}
                      </Badge>
                      <Text size="xs" c="dimmed">
                        {t('advisory.flagIn', { field: advisoryFieldLabel(t, f.field) })}
                      </Text>
                    </Group>
                    <Text size="sm" ff="monospace" fw={700} data-testid="release-flag-text">
                      {f.text}
                    </Text>
                  </Stack>
                  <Checkbox
                    label={t('advisory.flagConfirm')}
                    checked={confirmed.has(f.text)}
                    onChange={(e) => toggle(f.text, e.currentTarget.checked)}
                    data-testid="release-flag-confirm"
                  />
                </Group>
              </Paper>
            ))}
            {open.length > 0 && (
              <Text size="sm" c="orange.8">
                {t('advisory.flagsRemaining', { n: open.length })}
              </Text>
            )}
          </Stack>
        )}
        {!flagsOf(release.error) && <ErrorAlert error={release.error} testId="release-error" />}
        <Group justify="flex-end">
          {flags.length > 0 && (
            <Button component={Link} to={`/advisories/${advisory.id}/revise`} variant="subtle" color="orange">
              {t('advisory.reviseToRedact')}
            </Button>
          )}
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color="grape"
            disabled={!ready || open.length > 0 || !hoursValid}
            loading={release.isPending}
            onClick={() => release.mutate()}
            data-testid="release-confirm"
          >
            {t('advisory.releaseConfirm')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}
