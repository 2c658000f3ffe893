import { Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { OrgUsers } from '../components/OrgUsers.js';
import { orgName } from '../labels.js';
import { can, useSignedIn } from '../session.js';

/** 自組織のユーザー: an organisation administrator manages the users of their own organisation. */
export function MyOrgUsersPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  return (
    <Stack data-testid="my-org-users">
      <Title order={2}>{t('users.myTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('users.myHelp', { org: orgName(session.organization, i18n.language) })}
      </Text>
      <OrgUsers orgId={session.organization.id} canManage={can.manageOwnUsers(session)} />
    </Stack>
  );
}
