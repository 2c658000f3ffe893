import { Alert, Button, Card, Group, SegmentedControl, Select, SimpleGrid, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiError, fieldErrors } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import type { Certainty, Confidence, ReportKind, Tlp } from '../sharing/api.js';
import { certainties, certaintyOptions, confidenceOptions, confidences, pick, reportKindOptions, reportKinds } from '../sharing/labels.js';
import { ObservablesField, observablesFromText } from '../sharing/ObservablesField.js';
import { observablesText } from '../sharing/observables.js';
import { TlpPicker } from '../sharing/TlpPicker.js';
import { requestsApi, type ConsultationDetail } from './api.js';

/**
 * 情報提供（報告）への変換: the consultation becomes a report of the converting user's organisation at the Type 1
 * group stage. Title and text are the Type 1 user's own: the server refuses any that identify the consulter.
 */
export function ConvertForm({ consultation, onCancel }: { consultation: ConsultationDetail; onCancel: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState(consultation.body);
  const [kind, setKind] = useState<ReportKind>('suspicious_activity');
  const [certainty, setCertainty] = useState<Certainty>('unease');
  const [confidence, setConfidence] = useState<Confidence>('low');
  const [tlp, setTlp] = useState<Tlp>('amber');
  const [observables, setObservables] = useState(observablesText(consultation.observables));
  const [touched, setTouched] = useState(false);
  const convert = useMutation({
    mutationFn: () =>
      requestsApi.convert(consultation.id, {
        title: title.trim(),
        description: description.trim(),
        kind,
        certainty,
        confidence,
        tlp,
        observables: observablesFromText(observables) ?? [],
      }),
    onSuccess: async ({ reportId }) => {
      notifications.show({ color: 'teal', message: t('consultation.convertDone') });
      await queryClient.invalidateQueries({ queryKey: ['consultations'] });
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
      await navigate(`/reports/${reportId}`);
    },
  });
  const local = { title: title.trim() ? undefined : t('common.required'), description: description.trim() ? undefined : t('common.required') };
  const server = fieldErrors(convert.error);
  const err = (k: keyof typeof local) => (touched ? local[k] : undefined) ?? server[k];
  const observableError = convert.error instanceof ApiError && convert.error.code === 'invalid_observable' ? convert.error.message : server.observables;
  const identifying =
    convert.error instanceof ApiError && convert.error.code === 'text_identifies_consulter' && Array.isArray(convert.error.details)
      ? (convert.error.details as unknown[]).filter((x): x is string => typeof x === 'string')
      : [];
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (local.title || local.description || observablesFromText(observables) === null) return;
    convert.mutate();
  };
  return (
    <Card withBorder padding="lg" radius="md">
      <form onSubmit={submit} noValidate data-testid="convert-form">
        <Stack>
          <Title order={3} size="h4">
            {t('consultation.convertTitle')}
          </Title>
          <Alert color="yellow" variant="light">
            <Text size="sm">{t('consultation.convertLead')}</Text>
          </Alert>
          {!observableError && <ErrorAlert error={convert.error} testId="convert-error" />}
          {identifying.length > 0 && (
            <Text size="sm" c="red" data-testid="convert-identifying">
              {t('consultation.identifyingWords', { words: identifying.join('、') })}
            </Text>
          )}
          <TextInput label={t('report.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={err('title')} maxLength={200} required data-testid="convert-title" />
          <Textarea
            label={t('report.description')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={err('description')}
            autosize
            minRows={5}
            maxLength={20000}
            required
            data-testid="convert-description"
          />
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select label={t('reportKind.label')} data={reportKindOptions(t)} value={kind} onChange={(x) => setKind(pick(reportKinds, x) ?? kind)} allowDeselect={false} data-testid="convert-kind" />
            <Stack gap={4}>
              <Text size="sm" fw={500}>
                {t('confidence.label')}
              </Text>
              <SegmentedControl data={confidenceOptions(t)} value={confidence} onChange={(x) => setConfidence(pick(confidences, x) ?? confidence)} />
            </Stack>
          </SimpleGrid>
          <Stack gap={4}>
            <Text size="sm" fw={500}>
              {t('certainty.label')}
            </Text>
            <SegmentedControl data={certaintyOptions(t)} value={certainty} onChange={(x) => setCertainty(pick(certainties, x) ?? certainty)} fullWidth />
          </Stack>
          <TlpPicker value={tlp} onChange={setTlp} warnRed testId="convert-tlp" />
          <ObservablesField label={t('observable.label')} value={observables} onChange={setObservables} showErrors={touched} serverError={observableError} testId="convert-observables" />
          <Group>
            <Button type="submit" loading={convert.isPending} data-testid="convert-submit">
              {t('consultation.convertSubmit')}
            </Button>
            <Button variant="default" onClick={onCancel}>
              {t('common.cancel')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
