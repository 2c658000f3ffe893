import { Anchor, Stack, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.js';
import { OrgForm } from '../components/OrgForm.js';

export function OrganizationNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const mutation = useMutation({
    mutationFn: api.createOrganization,
    onSuccess: async (org) => {
      notifications.show({ color: 'teal', message: t('org.created') });
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
      await navigate(`/organizations/${org.id}`);
    },
  });
  return (
    <Stack>
      <Anchor component={Link} to="/organizations" size="sm">
        ← {t('org.listTitle')}
      </Anchor>
      <Title order={2}>{t('org.newTitle')}</Title>
      <OrgForm submitLabel={t('common.create')} submitting={mutation.isPending} error={mutation.error} onSubmit={(v) => mutation.mutate(v)} />
    </Stack>
  );
}
