import { Badge, Card, Group, List, Radio, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { emailPreferences, eventName, notificationsApi, webhookKeys, type EmailPreference } from './api.js';

const settingsKey = ['me', 'notifications'] as const;

const isPreference = (v: string): v is EmailPreference => (emailPreferences as readonly string[]).includes(v);

/** 設定 → メール通知: every notice at once, a daily digest or none; the notices that are mailed regardless. */
export function NotificationPreferences() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: settingsKey, queryFn: notificationsApi.settings });
  const events = useQuery({ queryKey: webhookKeys.events, queryFn: notificationsApi.events, staleTime: Infinity });
  const save = useMutation({
    mutationFn: notificationsApi.saveSettings,
    onSuccess: (answer) => {
      queryClient.setQueryData(settingsKey, answer);
      notifications.show({ color: 'teal', message: t('notifications.preferences.saved') });
    },
  });
  // While saving, the choice just made stays selected.
  const chosen = save.isPending ? save.variables : settings.data?.email;

  return (
    <Card withBorder padding="lg" radius="md" data-testid="notification-preferences">
      <Stack>
        <Title order={3}>{t('notifications.preferences.section')}</Title>
        <Text size="sm" c="dimmed">
          {t('notifications.preferences.help')}
        </Text>
        <ErrorAlert error={settings.error ?? save.error} />
        {settings.data && (
          <Radio.Group value={chosen ?? null} onChange={(v) => isPreference(v) && save.mutate(v)} data-testid="email-preference" data-value={chosen}>
            <Stack gap="sm">
              {emailPreferences.map((p) => (
                <Radio
                  key={p}
                  value={p}
                  label={t(`notifications.preferences.email.${p}`)}
                  description={t(`notifications.preferences.emailHelp.${p}`)}
                  disabled={save.isPending}
                  data-testid={`email-preference-${p}`}
                />
              ))}
            </Stack>
          </Radio.Group>
        )}
        {settings.data && settings.data.mandatory.length > 0 && (
          <Stack gap={4} data-testid="mandatory-notices">
            <Text size="sm" fw={600}>
              {t('notifications.preferences.mandatoryTitle')}
            </Text>
            <Text size="sm" c="dimmed">
              {t('notifications.preferences.mandatoryHelp')}
            </Text>
            <List size="sm" spacing={4}>
              {settings.data.mandatory.map((name) => (
                <List.Item key={name} data-testid="mandatory-notice">
                  <Group gap="xs" wrap="nowrap">
                    <Text size="sm">{eventName(events.data?.items, name, i18n.language)}</Text>
                    <Badge size="xs" color="gray" variant="light">
                      {t('notifications.preferences.mandatoryBadge')}
                    </Badge>
                  </Group>
                </List.Item>
              ))}
            </List>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}
