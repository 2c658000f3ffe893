import { Alert, Checkbox, Stack, Textarea } from '@mantine/core';
import { useTranslation } from 'react-i18next';

/**
 * The task-force rule in the UI: a foreign-capital organisation in Type 1 or Type 2 needs the committee's special
 * approval (長年にわたり高度の信頼関係等を有するもの). Shown only when it applies; the core enforces it anyway.
 */
export function SpecialApprovalField({
  needed,
  granted,
  onGranted,
  reason,
  onReason,
  error,
}: {
  needed: boolean;
  granted: boolean;
  onGranted: (v: boolean) => void;
  reason: string;
  onReason: (v: string) => void;
  error?: string | undefined;
}) {
  const { t } = useTranslation();
  if (!needed) return null;
  return (
    <Stack gap="xs">
      <Alert color={granted ? 'yellow' : 'red'} variant="light" title={t('membership.special.warningTitle')} data-testid="special-warning">
        {t('membership.special.warning')}
      </Alert>
      <Checkbox label={t('membership.special.grant')} checked={granted} onChange={(e) => onGranted(e.currentTarget.checked)} data-testid="special-grant" />
      {granted && (
        <Textarea
          label={t('membership.special.reason')}
          description={t('membership.special.reasonHelp')}
          value={reason}
          onChange={(e) => onReason(e.currentTarget.value)}
          error={error}
          autosize
          minRows={2}
          maxLength={2000}
          required
          data-testid="special-reason"
        />
      )}
    </Stack>
  );
}
