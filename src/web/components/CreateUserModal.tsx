import { Button, Group, Modal, PasswordInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldErrors, type UserInput, type UserRole } from '../api.js';
import { roleOptions, roles } from '../labels.js';
import { ErrorAlert } from './ErrorAlert.js';
import { OneTimeSecret } from './OneTimeSecret.js';

const LOGIN = /^[A-Za-z0-9._@-]{3,64}$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

const blank = { login: '', displayName: '', email: '', role: 'analyst' as UserRole, locale: 'ja' as 'ja' | 'en', password: '' };

/** Add a user to an organisation; a generated initial password is shown once. */
export function CreateUserModal({ orgId, opened, onClose }: { orgId: string; opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [v, setV] = useState(blank);
  const [touched, setTouched] = useState(false);
  const set = (patch: Partial<typeof blank>) => setV((old) => ({ ...old, ...patch }));

  const mutation = useMutation({
    mutationFn: (input: UserInput) => api.createUser(orgId, input),
    onSuccess: async (result) => {
      notifications.show({ color: 'teal', message: t('users.created') });
      await queryClient.invalidateQueries({ queryKey: ['users', orgId] });
      if (!result.initialPassword) close();
    },
  });

  const close = () => {
    setV(blank);
    setTouched(false);
    mutation.reset();
    onClose();
  };

  const local: Record<string, string | undefined> = {
    login: LOGIN.test(v.login.trim()) ? undefined : t('users.loginInvalid'),
    displayName: v.displayName.trim() ? undefined : t('common.required'),
    email: EMAIL.test(v.email.trim()) ? undefined : t('users.emailInvalid'),
    password: v.password && v.password.length < 12 ? t('password.tooShort') : undefined,
  };
  const server = fieldErrors(mutation.error);
  const err = (field: string) => (touched ? local[field] : undefined) ?? server[field];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.values(local).some(Boolean)) return;
    mutation.mutate({
      login: v.login.trim(),
      displayName: v.displayName.trim(),
      email: v.email.trim(),
      role: v.role,
      locale: v.locale,
      ...(v.password ? { password: v.password } : {}),
    });
  };

  const created = mutation.data;
  return (
    <Modal opened={opened} onClose={close} title={t('users.newTitle')} size="lg" centered>
      {created?.initialPassword ? (
        <Stack>
          <OneTimeSecret
            label={`${t('users.initialPassword')}: ${created.user.displayName}（${created.user.login}）`}
            value={created.initialPassword}
            help={t('users.initialPasswordHelp')}
            testId="user-initial-password"
          />
          <Group justify="flex-end">
            <Button onClick={close}>{t('common.close')}</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit} noValidate data-testid="user-form">
          <Stack>
            <ErrorAlert error={mutation.error} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('users.login')}
                description={t('users.loginHelp')}
                value={v.login}
                onChange={(e) => set({ login: e.currentTarget.value })}
                error={err('login')}
                autoComplete="off"
                required
                data-testid="user-login"
              />
              <TextInput
                label={t('users.displayName')}
                value={v.displayName}
                onChange={(e) => set({ displayName: e.currentTarget.value })}
                error={err('displayName')}
                maxLength={100}
                required
                data-testid="user-display-name"
              />
              <TextInput
                label={t('users.email')}
                type="email"
                value={v.email}
                onChange={(e) => set({ email: e.currentTarget.value })}
                error={err('email')}
                required
                data-testid="user-email"
              />
              <Select
                label={t('users.role')}
                data={roleOptions(t)}
                value={v.role}
                onChange={(value) => set({ role: roles.find((r) => r === value) ?? v.role })}
                allowDeselect={false}
                error={err('role')}
                required
                data-testid="user-role"
              />
              <Select
                label={t('users.locale')}
                data={[
                  { value: 'ja', label: '日本語' },
                  { value: 'en', label: 'English' },
                ]}
                value={v.locale}
                onChange={(value) => set({ locale: value === 'en' ? 'en' : 'ja' })}
                allowDeselect={false}
              />
              <PasswordInput
                label={t('users.password')}
                description={t('users.passwordHelp')}
                value={v.password}
                onChange={(e) => set({ password: e.currentTarget.value })}
                error={err('password')}
                autoComplete="new-password"
              />
            </SimpleGrid>
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={mutation.isPending} data-testid="user-submit">
                {t('common.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
