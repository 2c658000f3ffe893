import { Alert, Anchor, Button, Card, Checkbox, Fieldset, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { ApiError, fieldErrors } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { sharingApi, type Certainty, type Confidence, type ReportKind, type Tlp } from '../sharing/api.js';
import { certainties, certaintyOptions, confidenceOptions, confidences, pick, reportKindOptions, reportKinds } from '../sharing/labels.js';
import { ObservablesField, observablesFromText } from '../sharing/ObservablesField.js';
import { TlpPicker } from '../sharing/TlpPicker.js';

interface Values {
  title: string;
  description: string;
  kind: ReportKind;
  certainty: Certainty;
  confidence: Confidence;
  tlp: Tlp;
  providerNamed: boolean;
  isConsultation: boolean;
  observables: string;
  attackSource: string;
  technique: string;
  objective: string;
}

const blank: Values = {
  title: '',
  description: '',
  kind: 'suspicious_activity',
  certainty: 'unease',
  confidence: 'low',
  tlp: 'amber',
  providerNamed: false,
  isConsultation: false,
  observables: '',
  attackSource: '',
  technique: '',
  objective: '',
};

const optional = (s: string) => (s.trim() ? s.trim() : undefined);

/** 情報提供・相談の新規作成: any member, at any certainty; anonymous unless the provider agrees to be named. */
export function ReportNewPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [v, setV] = useState<Values>(blank);
  const [touched, setTouched] = useState(false);
  const set = (patch: Partial<Values>) => setV((old) => ({ ...old, ...patch }));

  const create = useMutation({
    mutationFn: sharingApi.createReport,
    onSuccess: async (report) => {
      notifications.show({ color: 'teal', message: t('report.created') });
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
      await navigate(`/reports/${report.id}`);
    },
  });

  const local = {
    title: v.title.trim() ? undefined : t('common.required'),
    description: v.description.trim() ? undefined : t('common.required'),
  };
  const server = fieldErrors(create.error);
  const observableError =
    create.error instanceof ApiError && create.error.code === 'invalid_observable' ? create.error.message : server.observables;
  const err = (field: keyof typeof local) => (touched ? local[field] : undefined) ?? server[field];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const observables = observablesFromText(v.observables);
    if (Object.values(local).some(Boolean) || observables === null) return;
    create.mutate({
      title: v.title.trim(),
      description: v.description.trim(),
      kind: v.kind,
      certainty: v.certainty,
      confidence: v.confidence,
      tlp: v.tlp,
      providerNamed: v.providerNamed,
      isConsultation: v.isConsultation,
      observables,
      attackSource: optional(v.attackSource),
      technique: optional(v.technique),
      objective: optional(v.objective),
    });
  };

  return (
    <Stack maw={900} data-testid="report-new">
      <Anchor component={Link} to="/reports" size="sm">
        ← {t('report.backToList')}
      </Anchor>
      <Title order={2}>{t('report.newTitle')}</Title>
      <Text size="sm" c="dimmed">
        {t('report.newLead')}
      </Text>
      <Card withBorder padding="lg" radius="md">
        <form onSubmit={submit} noValidate data-testid="report-form">
          <Stack>
            {!(create.error instanceof ApiError && create.error.code === 'invalid_observable') && <ErrorAlert error={create.error} testId="report-form-error" />}
            <TextInput
              label={t('report.title')}
              value={v.title}
              onChange={(e) => set({ title: e.currentTarget.value })}
              error={err('title')}
              maxLength={200}
              required
              data-testid="report-title"
            />
            <Textarea
              label={t('report.description')}
              description={t('report.descriptionHelp')}
              value={v.description}
              onChange={(e) => set({ description: e.currentTarget.value })}
              error={err('description')}
              autosize
              minRows={5}
              maxRows={20}
              maxLength={20000}
              required
              data-testid="report-description"
            />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <Select
                label={t('reportKind.label')}
                data={reportKindOptions(t)}
                value={v.kind}
                onChange={(x) => set({ kind: pick(reportKinds, x) ?? v.kind })}
                allowDeselect={false}
                required
                data-testid="report-kind"
              />
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('confidence.label')}
                </Text>
                <SegmentedControl
                  data={confidenceOptions(t)}
                  value={v.confidence}
                  onChange={(x) => set({ confidence: pick(confidences, x) ?? v.confidence })}
                  data-testid="report-confidence"
                />
              </Stack>
            </SimpleGrid>
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('certainty.label')}
              </Text>
              <SegmentedControl
                data={certaintyOptions(t)}
                value={v.certainty}
                onChange={(x) => set({ certainty: pick(certainties, x) ?? v.certainty })}
                fullWidth
                data-testid="report-certainty"
              />
              <Alert variant="light" color="yellow" p="xs">
                <Text size="xs">{t('certainty.help')}</Text>
              </Alert>
            </Stack>
            <TlpPicker value={v.tlp} onChange={(tlp) => set({ tlp })} warnRed testId="report-tlp" />
            <Checkbox
              label={t('report.providerNamed')}
              description={t('report.providerNamedHelp')}
              checked={v.providerNamed}
              onChange={(e) => set({ providerNamed: e.currentTarget.checked })}
              data-testid="report-provider-named"
            />
            <Checkbox
              label={t('report.consultation')}
              description={t('report.consultationHelp')}
              checked={v.isConsultation}
              onChange={(e) => set({ isConsultation: e.currentTarget.checked })}
              data-testid="report-consultation"
            />
            <ObservablesField
              label={t('observable.label')}
              value={v.observables}
              onChange={(observables) => set({ observables })}
              showErrors={touched}
              serverError={observableError}
              testId="report-observables"
            />
            <Fieldset legend={t('report.details')} variant="filled">
              <Stack gap="xs">
                <TextInput label={t('report.attackSource')} value={v.attackSource} onChange={(e) => set({ attackSource: e.currentTarget.value })} maxLength={1000} data-testid="report-attack-source" />
                <TextInput label={t('report.technique')} value={v.technique} onChange={(e) => set({ technique: e.currentTarget.value })} maxLength={1000} data-testid="report-technique" />
                <TextInput label={t('report.objective')} value={v.objective} onChange={(e) => set({ objective: e.currentTarget.value })} maxLength={1000} data-testid="report-objective" />
              </Stack>
            </Fieldset>
            <Text size="xs" c="dimmed">
              {t('report.attachmentsAfter')}
            </Text>
            <Group>
              <Button type="submit" loading={create.isPending} data-testid="report-submit">
                {t('report.submit')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
