import { Alert, Anchor, Badge, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatJst } from '../format.js';
import { Attention } from '../insight/Attention.js';
import { memberClassColor, orgName } from '../labels.js';
import { useSignedIn } from '../session.js';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={500} data-testid={testId}>
        {children}
      </Text>
    </Stack>
  );
}

/** Welcome: what needs attention first (answers due, new items, consultations waiting), then who you are. */
export function HomePage() {
  const { t, i18n } = useTranslation();
  const { user, organization: org } = useSignedIn();
  return (
    <Stack maw={900} data-testid="home">
      <Title order={2} data-testid="home-welcome">
        {t('home.welcome', { name: user.displayName })}
      </Title>
      {!user.totpEnabled && (
        <Alert color="yellow" variant="light" title={t('home.totpMissingTitle')} data-testid="home-totp-missing">
          {t('home.totpMissing')}{' '}
          <Anchor component={Link} to="/settings" size="sm">
            {t('home.totpMissingLink')}
          </Anchor>
        </Alert>
      )}
      <Attention />
      <Card withBorder padding="lg" radius="md">
        <Stack>
          <Group justify="space-between" align="flex-start">
            <Stack gap={2}>
              <Text size="xs" c="dimmed">
                {t('home.organization')}
              </Text>
              <Title order={3} data-testid="home-org-name">
                {orgName(org, i18n.language)}
              </Title>
            </Stack>
            <Group gap="xs">
              {org.isSecretariat && <Badge color="dark">{t('home.secretariat')}</Badge>}
              <Badge color={memberClassColor[org.memberClass]} data-testid="home-member-class">
                {t(`memberClass.${org.memberClass}`)}
              </Badge>
              {org.designated && <Badge color="grape" variant="outline">{t('home.designated')}</Badge>}
              {org.foreignCapital && <Badge color="orange" variant="outline">{t('home.foreignCapital')}</Badge>}
            </Group>
          </Group>
          <Text size="sm">{t(`home.classDescription.${org.memberClass}`)}</Text>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Fact label={t('home.category')}>{t(`category.${org.category}`)}</Fact>
            {org.sector && <Fact label={t('home.sector')}>{t(`sector.${org.sector}`)}</Fact>}
            <Fact label={t('home.role')}>{t(`role.${user.role}`)}</Fact>
            <Fact label={t('home.lastLogin')} testId="home-last-login">
              {formatJst(user.lastLoginAt)}
            </Fact>
          </SimpleGrid>
        </Stack>
      </Card>
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
