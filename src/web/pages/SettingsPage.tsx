import { Card, Group, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from '../components/LanguageSwitch.js';
import { PasswordSection } from '../components/settings/PasswordSection.js';
import { TokensSection } from '../components/settings/TokensSection.js';
import { TotpSection } from '../components/settings/TotpSection.js';
import { NotificationPreferences } from '../notifications/NotificationPreferences.js';

/** Language, e-mail notifications, password, second factor and API tokens of the signed-in user. */
export function SettingsPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={1000} data-testid="settings">
      <Title order={2}>{t('settings.title')}</Title>
      <Card withBorder padding="lg" radius="md">
        <Stack gap="xs">
          <Title order={3}>{t('settings.languageSection')}</Title>
          <Text size="sm" c="dimmed">
            {t('settings.languageHelp')}
          </Text>
          <Group>
            <LanguageSwitch size="sm" testId="settings-lang-switch" />
          </Group>
        </Stack>
      </Card>
      <NotificationPreferences />
      <PasswordSection />
      <TotpSection />
      <TokensSection />
    </Stack>
  );
}
