import { Anchor, Card, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { AdvisoryForm, blankAdvisory, type AdvisoryFormValues } from '../sharing/AdvisoryForm.js';
import { sharingApi, type ReportDetail } from '../sharing/api.js';
import { observablesText } from '../sharing/observables.js';

/** A draft pre-filled from a report: its title, text, attack details and observables. */
function fromReport(detail: ReportDetail, labels: { attackSource: string; technique: string; objective: string }): AdvisoryFormValues {
  const r = detail.report;
  const firstParagraph = r.description.split(/\n\s*\n/)[0] ?? r.description;
  const extra = [
    r.attackSource ? `${labels.attackSource}: ${r.attackSource}` : '',
    r.technique ? `${labels.technique}: ${r.technique}` : '',
    r.objective ? `${labels.objective}: ${r.objective}` : '',
  ].filter(Boolean);
  return {
    ...blankAdvisory,
    title: r.title,
    summary: firstParagraph.slice(0, 1000),
    threat: [r.description, ...(extra.length ? ['', ...extra] : [])].join('\n'),
    indicators: observablesText(detail.observables),
    confidence: r.confidence,
    tlp: r.tlp,
  };
}

/** 対策情報の新規作成 (Type 1 group), optionally from a report (`?fromReport=<id>`). */
export function AdvisoryNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params] = useSearchParams();
  const sourceReportId = params.get('fromReport') ?? undefined;
  const source = useQuery({
    queryKey: ['report', sourceReportId],
    queryFn: () => sharingApi.getReport(sourceReportId ?? ''),
    enabled: !!sourceReportId,
    retry: false,
  });
  const create = useMutation({
    mutationFn: sharingApi.createAdvisory,
    onSuccess: async (a) => {
      notifications.show({ color: 'teal', message: t('advisory.created') });
      await queryClient.invalidateQueries({ queryKey: ['advisories'] });
      await navigate(`/advisories/${a.id}`);
    },
  });

  const ready = !sourceReportId || source.data;
  const initial =
    sourceReportId && source.data
      ? fromReport(source.data, { attackSource: t('report.attackSource'), technique: t('report.technique'), objective: t('report.objective') })
      : blankAdvisory;

  return (
    <Stack maw={900} data-testid="advisory-new">
      <Anchor component={Link} to={sourceReportId ? `/reports/${sourceReportId}` : '/advisories'} size="sm">
        ← {sourceReportId ? (source.data?.report.title ?? t('report.backToList')) : t('advisory.backToList')}
      </Anchor>
      <Title order={2}>{t('advisory.newTitle')}</Title>
      {source.data && (
        <Text size="sm" c="dimmed" data-testid="advisory-source">
          {t('advisory.fromReport', { title: source.data.report.title })}
        </Text>
      )}
      <ErrorAlert error={source.error} />
      {sourceReportId && source.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {ready && (
        <Card withBorder padding="lg" radius="md">
          <AdvisoryForm
            key={sourceReportId ?? 'blank'}
            initial={initial}
            revising={false}
            submitLabel={t('advisory.submitCreate')}
            submitting={create.isPending}
            error={create.error}
            onSubmit={({ note: _note, ...values }) => create.mutate({ ...values, ...(sourceReportId ? { sourceReportId } : {}) })}
          />
        </Card>
      )}
    </Stack>
  );
}
