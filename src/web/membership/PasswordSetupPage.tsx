import { Alert, Button, Center, Paper, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError, fieldErrors } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { membershipApi } from './api.js';

const MIN = 12;

/** パスワードの設定: the first administrator of a new member organisation, through a one-time link. */
export function PasswordSetupPage() {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const info = useQuery({ queryKey: ['membership', 'password-setup', token], queryFn: () => membershipApi.passwordSetupInfo(token), retry: false });
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [touched, setTouched] = useState(false);
  const save = useMutation({ mutationFn: () => membershipApi.setPassword({ token, password }) });

  const local = {
    password: password.length < MIN ? t('membership.password.tooShort', { min: MIN }) : undefined,
    repeat: repeat !== password ? t('membership.password.mismatch') : undefined,
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (local.password || local.repeat) return;
    save.mutate();
  };

  return (
    <Center mih="calc(100vh - 120px)">
      <Paper withBorder shadow="sm" p="xl" radius="md" w={480} maw="100%" data-testid="password-setup">
        <Stack>
          <Title order={2}>{t('membership.password.title')}</Title>
          {info.error instanceof ApiError && info.error.status === 404 ? (
            <Alert color="red" variant="light" data-testid="password-link-invalid">
              {info.error.message}
            </Alert>
          ) : (
            <ErrorAlert error={info.error} />
          )}
          {info.isPending && <Text size="sm">{t('common.loading')}</Text>}
          {save.data ? (
            <Stack data-testid="password-done">
              <Alert color="teal" variant="light" title={t('membership.password.doneTitle')}>
                {t('membership.password.done', { login: save.data.login })}
              </Alert>
              <Button component={Link} to="/login" data-testid="password-to-login">
                {t('membership.password.toLogin')}
              </Button>
            </Stack>
          ) : (
            info.data && (
              <form onSubmit={submit} noValidate>
                <Stack>
                  <Text size="sm">{t('membership.password.lead')}</Text>
                  <Text size="sm">
                    {t('membership.password.login')}: <b data-testid="password-login">{info.data.login}</b>
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('membership.password.expires', { at: formatJst(info.data.expiresAt) })}
                  </Text>
                  <input type="text" name="username" autoComplete="username" value={info.data.login} readOnly hidden />
                  <PasswordInput
                    label={t('membership.password.new')}
                    description={t('membership.password.rule', { min: MIN })}
                    value={password}
                    onChange={(e) => setPassword(e.currentTarget.value)}
                    error={(touched ? local.password : undefined) ?? fieldErrors(save.error).password}
                    autoComplete="new-password"
                    required
                    data-testid="password-new"
                  />
                  <PasswordInput
                    label={t('membership.password.repeat')}
                    value={repeat}
                    onChange={(e) => setRepeat(e.currentTarget.value)}
                    error={touched ? local.repeat : undefined}
                    autoComplete="new-password"
                    required
                    data-testid="password-repeat"
                  />
                  <ErrorAlert error={save.error} />
                  <Button type="submit" loading={save.isPending} data-testid="password-submit">
                    {t('membership.password.submit')}
                  </Button>
                </Stack>
              </form>
            )
          )}
        </Stack>
      </Paper>
    </Center>
  );
}
