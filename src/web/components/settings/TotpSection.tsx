import { Badge, Button, Card, Code, CopyButton, Divider, Group, Image, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { sessionKey, useSignedIn } from '../../session.js';
import { ErrorAlert } from '../ErrorAlert.js';

const digitsOnly = (v: string) => v.replace(/\D/g, '').slice(0, 6);

function CodeInput({ value, onChange, label, testId }: { value: string; onChange: (v: string) => void; label: string; testId: string }) {
  return (
    <TextInput
      label={label}
      value={value}
      onChange={(e) => onChange(digitsOnly(e.currentTarget.value))}
      inputMode="numeric"
      autoComplete="one-time-code"
      maxLength={6}
      w={200}
      required
      data-testid={testId}
    />
  );
}

/** Setup: QR code and secret, then a code from the app to confirm. */
function Enable() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [code, setCode] = useState('');
  const start = useMutation({ mutationFn: api.startTotp });
  const confirm = useMutation({
    mutationFn: api.confirmTotp,
    onSuccess: async () => {
      start.reset();
      setCode('');
      notifications.show({ color: 'teal', message: t('totp.enabledNow') });
      await queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
  const setup = start.data;

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (code.length === 6) confirm.mutate(code);
  };

  if (!setup) {
    return (
      <Stack>
        <Text size="sm">{t('totp.disabledHelp')}</Text>
        <ErrorAlert error={start.error} />
        <Button w="fit-content" loading={start.isPending} onClick={() => start.mutate()} data-testid="totp-start">
          {t('totp.start')}
        </Button>
      </Stack>
    );
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack data-testid="totp-setup">
        <Text size="sm">{t('totp.step1')}</Text>
        <Image src={setup.qrDataUrl} alt={t('totp.qrAlt')} w={200} h={200} fit="contain" data-testid="totp-qr" />
        <Text size="sm">{t('totp.step2')}</Text>
        <Group gap="xs" wrap="nowrap">
          <Text size="sm" fw={600}>
            {t('totp.secret')}:
          </Text>
          <Code data-testid="totp-secret" style={{ wordBreak: 'break-all' }}>
            {setup.secret}
          </Code>
          <CopyButton value={setup.secret}>
            {({ copied, copy }) => (
              <Button size="compact-xs" variant="light" onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="sm">{t('totp.step3')}</Text>
        <ErrorAlert error={confirm.error} testId="totp-error" />
        <CodeInput label={t('totp.code')} value={code} onChange={setCode} testId="totp-code" />
        <Button type="submit" w="fit-content" loading={confirm.isPending} disabled={code.length !== 6} data-testid="totp-confirm">
          {t('totp.confirm')}
        </Button>
      </Stack>
    </form>
  );
}

/** Turning it off needs the password and a current code. */
function Disable() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const mutation = useMutation({
    mutationFn: api.disableTotp,
    onSuccess: async () => {
      setPassword('');
      setCode('');
      notifications.show({ color: 'teal', message: t('totp.disabledNow') });
      await queryClient.invalidateQueries({ queryKey: sessionKey });
    },
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (password && code.length === 6) mutation.mutate({ password, code });
  };
  return (
    <form onSubmit={submit} noValidate>
      <Stack maw={420}>
        <Text size="sm">{t('totp.enabledHelp')}</Text>
        <Divider label={t('totp.disableTitle')} labelPosition="left" />
        <Text size="sm" c="dimmed">
          {t('totp.disableHelp')}
        </Text>
        <ErrorAlert error={mutation.error} />
        <PasswordInput
          label={t('totp.disablePassword')}
          value={password}
          onChange={(e) => setPassword(e.currentTarget.value)}
          autoComplete="current-password"
          required
        />
        <CodeInput label={t('totp.code')} value={code} onChange={setCode} testId="totp-disable-code" />
        <Button type="submit" color="red" variant="light" w="fit-content" loading={mutation.isPending} disabled={!password || code.length !== 6}>
          {t('totp.disableSubmit')}
        </Button>
      </Stack>
    </form>
  );
}

export function TotpSection() {
  const { t } = useTranslation();
  const { user } = useSignedIn();
  return (
    <Card withBorder padding="lg" radius="md" data-testid="totp-section">
      <Stack>
        <Group gap="sm">
          <Title order={3}>{t('totp.section')}</Title>
          <Badge color={user.totpEnabled ? 'teal' : 'gray'} data-testid="totp-status">
            {user.totpEnabled ? t('totp.enabled') : t('totp.disabled')}
          </Badge>
        </Group>
        {user.totpEnabled ? <Disable /> : <Enable />}
      </Stack>
    </Card>
  );
}
