import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';

/** Shown instead of a page the user may not open, or for an unknown URL. */
export function Problem({ kind }: { kind: 'forbidden' | 'notFound' }) {
  const { t } = useTranslation();
  return (
    <Stack align="flex-start" data-testid={`problem-${kind}`}>
      <Title order={2}>{kind === 'forbidden' ? t('errors.forbiddenTitle') : t('errors.notFoundTitle')}</Title>
      <Text>{kind === 'forbidden' ? t('errors.forbidden') : t('errors.notFound')}</Text>
      <Button component={Link} to="/" variant="light">
        {t('errors.goHome')}
      </Button>
    </Stack>
  );
}
