import { Button, Card, PasswordInput, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api.js';
import { ErrorAlert } from '../ErrorAlert.js';

const MIN_LENGTH = 12;

export function PasswordSection() {
  const { t } = useTranslation();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const [touched, setTouched] = useState(false);

  const mutation = useMutation({
    mutationFn: api.changePassword,
    onSuccess: () => {
      setCurrent('');
      setNext('');
      setAgain('');
      setTouched(false);
      notifications.show({ color: 'teal', message: t('password.changed') });
    },
  });

  const tooShort = next.length > 0 && next.length < MIN_LENGTH;
  const mismatch = again.length > 0 && again !== next;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!current || next.length < MIN_LENGTH || next !== again) return;
    mutation.mutate({ current, next });
  };

  return (
    <Card withBorder padding="lg" radius="md">
      <form onSubmit={submit} noValidate>
        <Stack maw={420}>
          <Title order={3}>{t('password.section')}</Title>
          <Text size="sm" c="dimmed">
            {t('password.help')}
          </Text>
          <ErrorAlert error={mutation.error} />
          <PasswordInput
            label={t('password.current')}
            value={current}
            onChange={(e) => setCurrent(e.currentTarget.value)}
            autoComplete="current-password"
            error={touched && !current ? t('common.required') : undefined}
            required
          />
          <PasswordInput
            label={t('password.next')}
            value={next}
            onChange={(e) => setNext(e.currentTarget.value)}
            autoComplete="new-password"
            error={(touched || tooShort) && next.length < MIN_LENGTH ? t('password.tooShort') : undefined}
            required
          />
          <PasswordInput
            label={t('password.confirm')}
            value={again}
            onChange={(e) => setAgain(e.currentTarget.value)}
            autoComplete="new-password"
            error={mismatch || (touched && again !== next) ? t('password.mismatch') : undefined}
            required
          />
          <Button type="submit" loading={mutation.isPending} w="fit-content">
            {t('password.submit')}
          </Button>
        </Stack>
      </form>
    </Card>
  );
}
