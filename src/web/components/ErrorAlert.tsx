import { Alert } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api.js';

/** Shows an error's message as the server phrased it (already in the user's language). */
export function ErrorAlert({ error, testId = 'error' }: { error: unknown; testId?: string }) {
  const { t } = useTranslation();
  if (!error) return null;
  const message = error instanceof ApiError || error instanceof Error ? error.message : String(error);
  return (
    <Alert color="red" variant="light" title={t('common.error')} data-testid={testId} role="alert">
      {message}
    </Alert>
  );
}
