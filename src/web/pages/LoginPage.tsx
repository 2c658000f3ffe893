import { Alert, Anchor, Button, Center, Group, Paper, PasswordInput, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { useSetSession } from '../session.js';

/** Login ID and password; then, when the server answers `totp_required`, the verification code. */
export function LoginPage() {
  const { t } = useTranslation();
  const setSession = useSetSession();
  const [login, setLogin] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [askTotp, setAskTotp] = useState<string | null>(null);

  const mutation = useMutation({
    mutationFn: api.login,
    onSuccess: (session) => setSession(session),
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'totp_required') setAskTotp(e.message);
      if (e instanceof ApiError && e.code === 'invalid_totp') setTotp('');
    },
  });

  const submit = (event: FormEvent) => {
    event.preventDefault();
    mutation.mutate(askTotp ? { login, password, totp: totp.trim() } : { login, password });
  };

  const restart = () => {
    setAskTotp(null);
    setTotp('');
    setPassword('');
    mutation.reset();
  };

  const error = mutation.error instanceof ApiError && mutation.error.code === 'totp_required' ? null : mutation.error;

  return (
    <Center mih="calc(100vh - 120px)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={420} maw="100%">
        <form onSubmit={submit} noValidate data-testid="login-form">
          <Stack>
            <Title order={2}>{t('login.title')}</Title>
            <Text size="sm" c="dimmed">
              {t('login.lead')}
            </Text>
            <ErrorAlert error={error} testId="login-error" />
            {!askTotp ? (
              <>
                <TextInput
                  label={t('login.loginId')}
                  value={login}
                  onChange={(e) => setLogin(e.currentTarget.value)}
                  autoComplete="username"
                  autoFocus
                  required
                  data-testid="login-id"
                />
                <PasswordInput
                  label={t('login.password')}
                  value={password}
                  onChange={(e) => setPassword(e.currentTarget.value)}
                  autoComplete="current-password"
                  required
                  data-testid="login-password"
                />
              </>
            ) : (
              <>
                <Alert variant="light" color="blue" data-testid="login-totp-prompt">
                  {askTotp}
                </Alert>
                <TextInput
                  label={t('login.totp')}
                  description={t('login.totpHint')}
                  value={totp}
                  onChange={(e) => setTotp(e.currentTarget.value.replace(/\D/g, '').slice(0, 6))}
                  inputMode="numeric"
                  autoComplete="one-time-code"
                  maxLength={6}
                  autoFocus
                  required
                  data-testid="login-totp"
                />
              </>
            )}
            <Button
              type="submit"
              loading={mutation.isPending}
              disabled={!login || !password || (askTotp !== null && totp.length !== 6)}
              data-testid="login-submit"
            >
              {askTotp ? t('login.verify') : t('login.submit')}
            </Button>
            {askTotp && (
              <Anchor component="button" type="button" size="sm" onClick={restart}>
                {t('login.restart')}
              </Anchor>
            )}
            <Anchor component={Link} to="/consult" size="sm" ta="center" data-testid="login-consult-link">
              {t('consult.loginLink')}
            </Anchor>
            <Group justify="center" gap="lg">
              <Anchor component={Link} to="/join" size="sm" data-testid="login-join-link">
                {t('membership.join.loginLink')}
              </Anchor>
              <Anchor component={Link} to="/roster" size="sm" data-testid="login-roster-link">
                {t('membership.roster.title')}
              </Anchor>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Center>
  );
}
