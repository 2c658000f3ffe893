import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatJst } from '../format.js';
import { useNow } from '../sharing/time.js';
import { formatLeft } from './time.js';

/** A request's deadline in Japan time with the time left, or that it has passed (or the request is closed). */
export function Deadline({ deadline, closed = false, size = 'sm' }: { deadline: string; closed?: boolean; size?: 'xs' | 'sm' }) {
  const { t } = useTranslation();
  const now = useNow();
  const left = new Date(deadline).getTime() - now;
  return (
    <Group gap="xs" wrap="nowrap" data-testid="request-deadline-info">
      <Text size={size} fw={500} style={{ whiteSpace: 'nowrap' }}>
        {t('infoRequest.deadline')}: {formatJst(deadline)}
      </Text>
      {closed ? null : left > 0 ? (
        <Badge color={left < 6 * 3_600_000 ? 'orange' : 'blue'} variant="light" data-testid="request-time-left">
          {t('infoRequest.timeLeft', { time: formatLeft(t, left) })}
        </Badge>
      ) : (
        <Badge color="red" variant="light" data-testid="request-overdue">
          {t('infoRequest.overdue')}
        </Badge>
      )}
    </Group>
  );
}
