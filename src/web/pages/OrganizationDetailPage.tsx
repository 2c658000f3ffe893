import { Alert, Anchor, Badge, Button, Card, Group, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { api, ApiError, type Organization, type OrganizationInput } from '../api.js';
import { ConfirmModal } from '../components/ConfirmModal.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { OrgForm } from '../components/OrgForm.js';
import { OrgUsers } from '../components/OrgUsers.js';
import { orgName } from '../labels.js';
import { Problem } from '../components/Problem.js';
import { StandingPanel } from '../membership/Standing.js';
import { can, useSignedIn } from '../session.js';

function Editor({ org }: { org: Organization }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);

  const save = useMutation({
    mutationFn: (patch: Partial<OrganizationInput> & { active?: boolean }) => api.updateOrganization(org.id, patch),
    onSuccess: async (updated, patch) => {
      setConfirming(false);
      const message = patch.active === undefined ? t('org.updated') : patch.active ? t('org.reactivated') : t('org.deactivated');
      notifications.show({ color: 'teal', message });
      queryClient.setQueryData(['organization', org.id], updated);
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
    },
  });

  return (
    <Card withBorder padding="lg" radius="md">
      <Stack>
        <Group justify="space-between">
          <Group gap="xs">
            <Title order={3}>{t('org.editTitle')}</Title>
            <Badge color={org.active ? 'teal' : 'red'} variant="light" data-testid="org-status">
              {org.active ? t('common.active') : t('common.inactive')}
            </Badge>
          </Group>
          {!org.isSecretariat && (
            <Button
              variant="light"
              color={org.active ? 'red' : 'teal'}
              onClick={() => (org.active ? setConfirming(true) : save.mutate({ active: true }))}
              loading={save.isPending && !confirming}
              data-testid="org-toggle-active"
            >
              {org.active ? t('org.deactivate') : t('org.reactivate')}
            </Button>
          )}
        </Group>
        {org.isSecretariat && <Alert variant="light">{t('org.secretariatReadOnly')}</Alert>}
        <OrgForm
          key={org.updatedAt}
          initial={org}
          disabled={org.isSecretariat}
          submitLabel={t('common.save')}
          submitting={save.isPending}
          error={confirming ? null : save.error}
          onSubmit={(v) => save.mutate(v)}
        />
      </Stack>
      <ConfirmModal
        opened={confirming}
        title={t('org.deactivateConfirmTitle')}
        message={t('org.deactivateConfirm', { name: orgName(org, i18n.language) })}
        confirmLabel={t('org.deactivate')}
        loading={save.isPending}
        error={save.error}
        onConfirm={() => save.mutate({ active: false })}
        onClose={() => {
          setConfirming(false);
          save.reset();
        }}
      />
    </Card>
  );
}

/** One organisation: its data and its users (secretariat administrators). */
export function OrganizationDetailPage() {
  const { t, i18n } = useTranslation();
  // Committee members read and decide standing here; only the secretariat administrator edits.
  const manage = can.manageOrganizations(useSignedIn());
  const { id = '' } = useParams();
  const org = useQuery({ queryKey: ['organization', id], queryFn: () => api.getOrganization(id), retry: false });

  if (org.error instanceof ApiError && org.error.status === 404) return <Problem kind="notFound" />;
  return (
    <Stack data-testid="organization-detail">
      <Anchor component={Link} to="/organizations" size="sm">
        ← {t('org.listTitle')}
      </Anchor>
      <ErrorAlert error={org.error} />
      {org.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {org.data && (
        <>
          <Title order={2} data-testid="org-title">
            {orgName(org.data, i18n.language)}
          </Title>
          {manage ? <Editor org={org.data} /> : <OrgForm initial={org.data} disabled submitLabel={t('common.save')} submitting={false} error={null} onSubmit={() => undefined} />}
          <StandingPanel org={org.data} />
          {manage && (
            <Card withBorder padding="lg" radius="md">
              <Stack>
                <Title order={3}>{t('org.usersTitle')}</Title>
                <OrgUsers orgId={org.data.id} canManage />
              </Stack>
            </Card>
          )}
        </>
      )}
    </Stack>
  );
}
