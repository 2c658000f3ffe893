import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { AdvisoryForm, advisoryValues } from '../sharing/AdvisoryForm.js';
import { sharingApi } from '../sharing/api.js';
import { StageBadge } from '../sharing/badges.js';

/** 改訂: a new version of the text (the stage stays; feedback is asked per version). */
export function AdvisoryRevisePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const query = useQuery({ queryKey: ['advisory', id], queryFn: () => sharingApi.getAdvisory(id), retry: false });
  const revise = useMutation({
    mutationFn: (body: Parameters<typeof sharingApi.reviseAdvisory>[1]) => sharingApi.reviseAdvisory(id, body),
    onSuccess: async (a) => {
      notifications.show({ color: 'teal', message: t('advisory.revised', { version: a.version }) });
      await queryClient.invalidateQueries({ queryKey: ['advisory', id] });
      await queryClient.invalidateQueries({ queryKey: ['advisories'] });
      await navigate(`/advisories/${id}`);
    },
  });

  if (query.error instanceof ApiError && query.error.status === 404) return <Problem kind="notFound" />;
  const a = query.data;
  return (
    <Stack maw={900} data-testid="advisory-revise">
      <Anchor component={Link} to={`/advisories/${id}`} size="sm">
        ← {a?.title ?? t('advisory.backToList')}
      </Anchor>
      <Title order={2}>{t('advisory.reviseTitle')}</Title>
      <ErrorAlert error={query.error} />
      {query.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {a && (
        <>
          <Text size="sm" c="dimmed" component="div">
            <StageBadge stage={a.stage} /> {t('advisory.versionN', { n: a.version })} → {t('advisory.versionN', { n: a.version + 1 })}
          </Text>
          <Card withBorder padding="lg" radius="md">
            <AdvisoryForm
              key={a.updatedAt}
              initial={advisoryValues(a.content, a.tlp)}
              revising
              allowedTlps={a.stage === 'public' ? ['clear'] : undefined}
              submitLabel={t('advisory.submitRevise')}
              submitting={revise.isPending}
              error={revise.error}
              onSubmit={(values) => revise.mutate(values)}
            />
          </Card>
        </>
      )}
    </Stack>
  );
}
