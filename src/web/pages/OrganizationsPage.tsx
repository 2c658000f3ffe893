import { Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { api } from '../api.js';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { memberClassColor } from '../labels.js';
import { can, useSignedIn } from '../session.js';

/** 組織管理: all organisations, page by page (secretariat administrators). */
export function OrganizationsPage() {
  const session = useSignedIn();
  const { t } = useTranslation();
  const navigate = useNavigate();
  const pager = useCursorStack();
  const orgs = useQuery({
    queryKey: ['organizations', pager.cursor],
    queryFn: () => api.listOrganizations(pager.cursor),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack data-testid="organizations">
      <Group justify="space-between">
        <Stack gap={2}>
          <Title order={2}>{t('org.listTitle')}</Title>
          <Text size="sm" c="dimmed">
            {t('org.listHelp')}
          </Text>
        </Stack>
        {can.manageOrganizations(session) && (
          <Button component={Link} to="/organizations/new" data-testid="org-new">
            {t('org.new')}
          </Button>
        )}
      </Group>
      <ErrorAlert error={orgs.error} />
      {orgs.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {orgs.data && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped highlightOnHover data-testid="org-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('org.nameJa')}</Table.Th>
                <Table.Th>{t('org.nameEn')}</Table.Th>
                <Table.Th>{t('org.category')}</Table.Th>
                <Table.Th>{t('org.sector')}</Table.Th>
                <Table.Th>{t('org.memberClass')}</Table.Th>
                <Table.Th>{t('org.status')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {orgs.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>{t('common.noData')}</Table.Td>
                </Table.Tr>
              )}
              {orgs.data.items.map((org) => (
                <Table.Tr key={org.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/organizations/${org.id}`)}>
                  <Table.Td>
                    <Text component={Link} to={`/organizations/${org.id}`} size="sm" c="blue" onClick={(e) => e.stopPropagation()}>
                      {org.nameJa}
                    </Text>
                  </Table.Td>
                  <Table.Td>{org.nameEn}</Table.Td>
                  <Table.Td>{t(`category.${org.category}`)}</Table.Td>
                  <Table.Td>{org.sector ? t(`sector.${org.sector}`) : t('common.none')}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      {org.isSecretariat && <Badge color="dark">{t('org.secretariat')}</Badge>}
                      <Badge color={memberClassColor[org.memberClass]} variant="light">
                        {t(`memberClass.${org.memberClass}`)}
                      </Badge>
                      {org.designated && (
                        <Badge color="grape" variant="outline">
                          {t('org.designated')}
                        </Badge>
                      )}
                      {org.foreignCapital && (
                        <Badge color="orange" variant="outline">
                          {t('org.foreignCapital')}
                        </Badge>
                      )}
                    </Group>
                  </Table.Td>
                  <Table.Td>
                    <Badge color={org.active ? 'teal' : 'red'} variant="light">
                      {org.active ? t('common.active') : t('common.inactive')}
                    </Badge>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={orgs.data?.next} testId="org-pager" />
    </Stack>
  );
}
