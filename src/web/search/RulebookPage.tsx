import { Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { membershipApi } from '../membership/api.js';
import { Markdown } from '../membership/Markdown.js';

/** One version of a rulebook, as a search result opens it (rulebooks are public). */
export function RulebookPage() {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const book = useQuery({ queryKey: ['rulebook', id], queryFn: () => membershipApi.rulebook(id) });
  if (book.error) return <ErrorAlert error={book.error} />;
  if (!book.data) return <Text size="sm">{t('common.loading')}</Text>;
  const b = book.data;
  return (
    <Stack data-testid="rulebook">
      <Stack gap={2}>
        <Text size="sm" c="dimmed">
          {t('search.rulebookTitle')} · {t('search.version', { version: b.version })}
        </Text>
        <Title order={2} data-testid="rulebook-title">
          {i18n.language === 'en' ? b.titleEn : b.titleJa}
        </Title>
        <Text size="sm" c="dimmed">
          {t('search.effectiveAt')}: {formatJst(b.effectiveAt)}
        </Text>
      </Stack>
      <Markdown source={b.bodyMd} testId="rulebook-body" />
    </Stack>
  );
}
