import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/** A password or token the server shows only once: monospace, a copy button and a warning. */
export function OneTimeSecret({ label, value, help, testId }: { label: string; value: string; help?: string; testId: string }) {
  const { t } = useTranslation();
  return (
    <Alert color="orange" variant="light" title={t('common.showOnceTitle')}>
      <Stack gap="xs">
        <Text size="sm">{t('common.showOnceWarning')}</Text>
        {help && <Text size="sm">{help}</Text>}
        <Text size="sm" fw={600}>
          {label}
        </Text>
        <Group gap="xs" wrap="nowrap" align="center">
          <Code block data-testid={testId} style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
            {value}
          </Code>
          <CopyButton value={value}>
            {({ copied, copy }) => (
              <Button size="xs" variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : 'blue'} onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
      </Stack>
    </Alert>
  );
}
