import { Alert, Group, Radio, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Tlp } from './api.js';
import { pick, tlps } from './labels.js';
import { TlpBadge, tlpKey } from './TlpBadge.js';

/** Choose a TLP label, each with a one-line explanation of what recipients may do. */
export function TlpPicker(props: {
  value: Tlp;
  onChange: (tlp: Tlp) => void;
  allowed?: readonly Tlp[];
  error?: string | undefined;
  testId?: string;
  warnRed?: boolean;
}) {
  const { t } = useTranslation();
  const allowed = props.allowed ?? tlps;
  return (
    <Stack gap={4}>
      <Radio.Group
        label={t('tlp.label')}
        description={t('tlp.help')}
        value={props.value}
        onChange={(v) => {
          const tlp = pick(tlps, v);
          if (tlp) props.onChange(tlp);
        }}
        error={props.error}
        data-testid={props.testId ?? 'tlp-picker'}
      >
        <Stack gap={6} mt={6}>
          {tlps.map((tlp) => (
            <Radio
              key={tlp}
              value={tlp}
              disabled={!allowed.includes(tlp)}
              data-testid={`tlp-option-${tlp}`}
              label={
                <Group gap="xs" wrap="nowrap" align="center">
                  <TlpBadge tlp={tlp} size="sm" />
                  <Text size="sm">{t(`tlp.${tlpKey(tlp)}`)}</Text>
                </Group>
              }
            />
          ))}
        </Stack>
      </Radio.Group>
      {props.warnRed && props.value === 'red' && (
        <Alert color="red" variant="light" data-testid="tlp-red-warning">
          {t('tlp.redWarning')}
        </Alert>
      )}
    </Stack>
  );
}
