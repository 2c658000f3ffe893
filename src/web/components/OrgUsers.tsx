import { Badge, Button, Group, Modal, Select, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type User, type UserRole } from '../api.js';
import { formatJst } from '../format.js';
import { roleOptions, roles } from '../labels.js';
import { useSignedIn } from '../session.js';
import { ConfirmModal } from './ConfirmModal.js';
import { CreateUserModal } from './CreateUserModal.js';
import { CursorPager, useCursorStack } from './CursorPager.js';
import { ErrorAlert } from './ErrorAlert.js';
import { OneTimeSecret } from './OneTimeSecret.js';
import { CommitteeSwitch } from '../membership/CommitteeSwitch.js';
import { member } from '../membership/can.js';

/** Password reset: confirm, then show the new password once. */
function ResetPasswordModal({ user, onClose }: { user: User | null; onClose: () => void }) {
  const { t } = useTranslation();
  const mutation = useMutation({
    mutationFn: (id: string) => api.resetPassword(id),
    onSuccess: () => notifications.show({ color: 'teal', message: t('users.resetDone') }),
  });
  const close = () => {
    mutation.reset();
    onClose();
  };
  if (mutation.data && user) {
    return (
      <Modal opened onClose={close} title={t('users.resetPassword')} centered size="lg">
        <Stack>
          <OneTimeSecret
            label={`${t('users.newPassword')}: ${user.displayName}（${user.login}）`}
            value={mutation.data.password}
            help={t('users.initialPasswordHelp')}
            testId="user-reset-password"
          />
          <Group justify="flex-end">
            <Button onClick={close}>{t('common.close')}</Button>
          </Group>
        </Stack>
      </Modal>
    );
  }
  return (
    <ConfirmModal
      opened={user !== null}
      title={t('users.resetConfirmTitle')}
      message={t('users.resetConfirm', { name: user?.displayName ?? '', login: user?.login ?? '' })}
      confirmLabel={t('users.resetPassword')}
      color="orange"
      loading={mutation.isPending}
      error={mutation.error}
      onConfirm={() => user && mutation.mutate(user.id)}
      onClose={close}
    />
  );
}

/**
 * The users of one organisation. Administrators (of the secretariat, or of this organisation) may add
 * users, change roles, deactivate and reactivate them and reset passwords; the server decides anyway.
 */
export function OrgUsers({ orgId, canManage }: { orgId: string; canManage: boolean }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const pager = useCursorStack();
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<User | null>(null);
  const [toggling, setToggling] = useState<User | null>(null);
  // 運営委員の指定: secretariat administrators only.
  const committee = member.manage(session);

  const users = useQuery({
    queryKey: ['users', orgId, pager.cursor],
    queryFn: () => api.listUsers(orgId, pager.cursor),
    placeholderData: keepPreviousData,
  });

  const update = useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: { role?: UserRole; active?: boolean } }) => api.updateUser(id, patch),
    onSuccess: async (user, { patch }) => {
      setToggling(null);
      const message =
        patch.active === undefined ? t('users.roleChanged') : patch.active ? t('users.reactivated') : t('users.deactivated');
      notifications.show({ color: 'teal', message });
      await queryClient.invalidateQueries({ queryKey: ['users', orgId] });
    },
    onError: (e) => {
      if (!toggling) notifications.show({ color: 'red', title: t('common.error'), message: e.message });
    },
  });

  return (
    <Stack data-testid="org-users">
      {canManage && (
        <Group>
          <Button onClick={() => setCreating(true)} data-testid="user-new">
            {t('users.new')}
          </Button>
        </Group>
      )}
      <ErrorAlert error={users.error} />
      {users.data && users.data.items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('users.empty')}
        </Text>
      )}
      {users.data && users.data.items.length > 0 && (
        <Table.ScrollContainer minWidth={1100}>
          <Table striped highlightOnHover data-testid="user-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('users.login')}</Table.Th>
                <Table.Th>{t('users.displayName')}</Table.Th>
                <Table.Th>{t('users.email')}</Table.Th>
                <Table.Th>{t('users.role')}</Table.Th>
                <Table.Th>{t('users.totp')}</Table.Th>
                <Table.Th>{t('users.status')}</Table.Th>
                <Table.Th>{t('users.lastLogin')}</Table.Th>
                {committee && <Table.Th>{t('membership.committee.label')}</Table.Th>}
                {canManage && <Table.Th>{t('common.actions')}</Table.Th>}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {users.data.items.map((user) => {
                const self = user.id === session.user.id;
                return (
                  <Table.Tr key={user.id} data-testid={`user-row-${user.login}`}>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>
                      {user.login} {self && <Badge size="xs" variant="outline">{t('users.you')}</Badge>}
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{user.displayName}</Table.Td>
                    <Table.Td>{user.email}</Table.Td>
                    <Table.Td>
                      {canManage && !self ? (
                        <Select
                          size="xs"
                          w={170}
                          aria-label={t('users.role')}
                          data={roleOptions(t)}
                          value={user.role}
                          allowDeselect={false}
                          onChange={(value) => {
                            const role = roles.find((r) => r === value);
                            if (role && role !== user.role) update.mutate({ id: user.id, patch: { role } });
                          }}
                        />
                      ) : (
                        t(`role.${user.role}`)
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Badge color={user.totpEnabled ? 'teal' : 'gray'} variant="light">
                        {user.totpEnabled ? t('totp.enabled') : t('totp.disabled')}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Badge color={user.active ? 'teal' : 'red'} variant="light">
                        {user.active ? t('common.active') : t('common.inactive')}
                      </Badge>
                    </Table.Td>
                    <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(user.lastLoginAt, t('users.never'))}</Table.Td>
                    {committee && (
                      <Table.Td>
                        <CommitteeSwitch user={user} />
                      </Table.Td>
                    )}
                    {canManage && (
                      <Table.Td>
                        {!self && (
                          <Group gap={4} wrap="nowrap">
                            <Button size="compact-xs" variant="light" onClick={() => setResetting(user)}>
                              {t('users.resetPassword')}
                            </Button>
                            <Button
                              size="compact-xs"
                              variant="light"
                              color={user.active ? 'red' : 'teal'}
                              onClick={() => (user.active ? setToggling(user) : update.mutate({ id: user.id, patch: { active: true } }))}
                            >
                              {user.active ? t('users.deactivate') : t('users.reactivate')}
                            </Button>
                          </Group>
                        )}
                      </Table.Td>
                    )}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={users.data?.next} testId="users-pager" />
      {canManage && <CreateUserModal orgId={orgId} opened={creating} onClose={() => setCreating(false)} />}
      <ResetPasswordModal user={resetting} onClose={() => setResetting(null)} />
      <ConfirmModal
        opened={toggling !== null}
        title={t('users.deactivateConfirmTitle')}
        message={t('users.deactivateConfirm', { name: toggling?.displayName ?? '', login: toggling?.login ?? '' })}
        confirmLabel={t('users.deactivate')}
        loading={update.isPending}
        error={toggling ? update.error : null}
        onConfirm={() => toggling && update.mutate({ id: toggling.id, patch: { active: false } })}
        onClose={() => {
          setToggling(null);
          update.reset();
        }}
      />
    </Stack>
  );
}
