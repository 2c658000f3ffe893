import { Alert, Button, Group, MultiSelect, SegmentedControl, Stack, Text, TextInput, Textarea } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, fieldErrors } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { sectorOptions, sectors as sectorList } from '../labels.js';
import type { AdvisoryContent, Confidence, Tlp } from './api.js';
import { confidenceOptions, confidences, pick } from './labels.js';
import { ObservablesField, observablesFromText } from './ObservablesField.js';
import { observablesText } from './observables.js';
import { TlpPicker } from './TlpPicker.js';

export interface AdvisoryFormValues {
  title: string;
  summary: string;
  threat: string;
  actions: string;
  /** One product per line. */
  affectedProducts: string;
  sectors: string[];
  /** One indicator per line. */
  indicators: string;
  confidence: Confidence;
  tlp: Tlp;
  note: string;
}

export const blankAdvisory: AdvisoryFormValues = {
  title: '',
  summary: '',
  threat: '',
  actions: '',
  affectedProducts: '',
  sectors: [],
  indicators: '',
  confidence: 'medium',
  tlp: 'amber',
  note: '',
};

/** The form's values for an existing version. */
export function advisoryValues(content: AdvisoryContent, tlp: Tlp): AdvisoryFormValues {
  return {
    title: content.title,
    summary: content.summary,
    threat: content.threat,
    actions: content.actions,
    affectedProducts: content.affectedProducts.join('\n'),
    sectors: [...content.sectors],
    indicators: observablesText(content.indicators),
    confidence: content.confidence,
    tlp,
    note: '',
  };
}

export type AdvisorySubmit = AdvisoryContent & { tlp: Tlp; note?: string };

/** 対策情報の作成・改訂: the content of one version, its TLP and (when revising) a note. */
export function AdvisoryForm(props: {
  initial: AdvisoryFormValues;
  revising: boolean;
  /** Public items may only be TLP:CLEAR. */
  allowedTlps?: readonly Tlp[];
  submitLabel: string;
  submitting: boolean;
  error: unknown;
  onSubmit: (values: AdvisorySubmit) => void;
}) {
  const { t } = useTranslation();
  const [v, setV] = useState<AdvisoryFormValues>(props.initial);
  const [touched, setTouched] = useState(false);
  const set = (patch: Partial<AdvisoryFormValues>) => setV((old) => ({ ...old, ...patch }));

  const required = (s: string) => (s.trim() ? undefined : t('common.required'));
  const local = { title: required(v.title), summary: required(v.summary), threat: required(v.threat), actions: required(v.actions) };
  const server = fieldErrors(props.error);
  const err = (f: keyof typeof local) => (touched ? local[f] : undefined) ?? server[f];
  const invalidIndicator = props.error instanceof ApiError && props.error.code === 'invalid_observable';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const indicators = observablesFromText(v.indicators);
    if (Object.values(local).some(Boolean) || indicators === null) return;
    props.onSubmit({
      title: v.title.trim(),
      summary: v.summary.trim(),
      threat: v.threat.trim(),
      actions: v.actions.trim(),
      affectedProducts: v.affectedProducts
        .split(/\r?\n/)
        .map((p) => p.trim())
        .filter(Boolean),
      sectors: v.sectors,
      indicators,
      confidence: v.confidence,
      tlp: v.tlp,
      ...(props.revising && v.note.trim() ? { note: v.note.trim() } : {}),
    });
  };

  return (
    <form onSubmit={submit} noValidate data-testid="advisory-form">
      <Stack>
        {!invalidIndicator && <ErrorAlert error={props.error} testId="advisory-form-error" />}
        <TextInput label={t('advisory.title')} value={v.title} onChange={(e) => set({ title: e.currentTarget.value })} error={err('title')} maxLength={200} required data-testid="advisory-title" />
        <Textarea
          label={t('advisory.summary')}
          value={v.summary}
          onChange={(e) => set({ summary: e.currentTarget.value })}
          error={err('summary')}
          autosize
          minRows={2}
          maxRows={8}
          maxLength={5000}
          required
          data-testid="advisory-summary"
        />
        <Textarea
          label={t('advisory.threat')}
          value={v.threat}
          onChange={(e) => set({ threat: e.currentTarget.value })}
          error={err('threat')}
          autosize
          minRows={4}
          maxRows={16}
          maxLength={20000}
          required
          data-testid="advisory-threat"
        />
        <Textarea
          label={t('advisory.actions')}
          value={v.actions}
          onChange={(e) => set({ actions: e.currentTarget.value })}
          error={err('actions')}
          autosize
          minRows={4}
          maxRows={16}
          maxLength={20000}
          required
          data-testid="advisory-actions"
        />
        <Textarea
          label={t('advisory.affectedProducts')}
          description={t('advisory.affectedProductsHelp')}
          value={v.affectedProducts}
          onChange={(e) => set({ affectedProducts: e.currentTarget.value })}
          error={server.affectedProducts}
          autosize
          minRows={2}
          maxRows={10}
          data-testid="advisory-products"
        />
        <MultiSelect
          label={t('advisory.sectors')}
          placeholder={v.sectors.length ? undefined : t('advisory.sectorsPlaceholder')}
          data={sectorOptions(t)}
          value={v.sectors}
          onChange={(sectors) => set({ sectors: sectors.filter((s) => pick(sectorList, s)) })}
          searchable
          clearable
          error={server.sectors}
          data-testid="advisory-sectors"
        />
        <ObservablesField
          label={t('advisory.indicators')}
          value={v.indicators}
          onChange={(indicators) => set({ indicators })}
          showErrors={touched}
          serverError={invalidIndicator && props.error instanceof Error ? props.error.message : server.indicators}
          testId="advisory-indicators"
        />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('confidence.label')}
          </Text>
          <SegmentedControl
            data={confidenceOptions(t)}
            value={v.confidence}
            onChange={(x) => set({ confidence: pick(confidences, x) ?? v.confidence })}
            w={300}
            data-testid="advisory-confidence"
          />
        </Stack>
        <TlpPicker value={v.tlp} onChange={(tlp) => set({ tlp })} allowed={props.allowedTlps} testId="advisory-tlp" />
        {props.allowedTlps && props.allowedTlps.length === 1 && (
          <Alert variant="light" color="gray" p="xs">
            <Text size="xs">{t('advisory.publicClearOnly')}</Text>
          </Alert>
        )}
        {props.revising && (
          <TextInput
            label={t('advisory.note')}
            description={t('advisory.noteHelp')}
            value={v.note}
            onChange={(e) => set({ note: e.currentTarget.value })}
            maxLength={1000}
            data-testid="advisory-note"
          />
        )}
        <Group>
          <Button type="submit" loading={props.submitting} data-testid="advisory-submit">
            {props.submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
