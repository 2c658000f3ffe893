import { Switch, Tooltip } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { User } from '../api.js';
import { membershipApi } from './api.js';

/** 運営委員の指定: a secretariat administrator names or removes a steering-committee member. */
export function CommitteeSwitch({ user }: { user: User }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const set = useMutation({
    mutationFn: (on: boolean) => membershipApi.setCommittee(user.id, on),
    onSuccess: async (u) => {
      notifications.show({ color: 'teal', message: u.isCommittee ? t('membership.committee.on') : t('membership.committee.off') });
      await queryClient.invalidateQueries({ queryKey: ['users', user.orgId] });
    },
    onError: (e) => notifications.show({ color: 'red', title: t('common.error'), message: e.message }),
  });
  return (
    <Tooltip label={t('membership.committee.help')} multiline w={280} withArrow>
      <Switch
        size="sm"
        checked={user.isCommittee}
        disabled={set.isPending || (!user.active && !user.isCommittee)}
        onChange={(e) => set.mutate(e.currentTarget.checked)}
        aria-label={t('membership.committee.label')}
        data-testid={`committee-${user.login}`}
      />
    </Tooltip>
  );
}
