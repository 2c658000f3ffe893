import { Badge, Group, Stack, Text, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { observableTypeLabel } from './labels.js';
import { parseObservables } from './observables.js';

/**
 * Observables one per line, the type recognised as the user types. Lines that cannot be read are
 * named below the field; the server's `invalid_observable` message is shown there too.
 */
export function ObservablesField(props: {
  label: string;
  value: string;
  onChange: (text: string) => void;
  serverError?: string | undefined;
  showErrors: boolean;
  testId: string;
}) {
  const { t } = useTranslation();
  const lines = parseObservables(props.value);
  const bad = lines.filter((l) => !l.observable);
  const good = lines.filter((l) => l.observable);
  const localError = props.showErrors && bad.length > 0 ? bad.map((l) => t('observable.unrecognised', { line: l.line, value: l.raw })).join('\n') : undefined;
  const error = localError ?? props.serverError;
  return (
    <Stack gap={4}>
      <Textarea
        label={props.label}
        description={t('observable.help')}
        placeholder={t('observable.placeholder')}
        value={props.value}
        onChange={(e) => props.onChange(e.currentTarget.value)}
        autosize
        minRows={3}
        maxRows={12}
        styles={{ input: { fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace' }, error: { whiteSpace: 'pre-line' } }}
        error={error}
        data-testid={props.testId}
      />
      {good.length > 0 && (
        <Group gap={6} data-testid={`${props.testId}-detected`}>
          <Text size="xs" c="dimmed">
            {t('observable.detected', { n: good.length })}
          </Text>
          {good.slice(0, 30).map((l) => (
            <Badge key={l.line} size="sm" variant="light" color="indigo" style={{ textTransform: 'none' }} title={l.observable?.value}>
              {l.observable ? observableTypeLabel(t, l.observable.type) : ''}
            </Badge>
          ))}
        </Group>
      )}
    </Stack>
  );
}

/** The lines as the API takes them, or null when any line could not be read. */
export function observablesFromText(text: string) {
  const lines = parseObservables(text);
  if (lines.some((l) => !l.observable)) return null;
  return lines.flatMap((l) => (l.observable ? [l.observable] : []));
}
