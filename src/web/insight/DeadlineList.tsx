import { Anchor, Badge, Group, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Deadline as DeadlineInfo } from '../requests/Deadline.js';
import type { Deadline } from './api.js';

/** Where an answer is given: the countermeasure item (feedback) or the information request. */
export const deadlinePath = (d: Deadline): string => (d.kind === 'feedback' ? `/advisories/${d.id}` : `/info-requests/${d.id}`);

/** Answers asked of the organisation, soonest deadline first, each with its time left and a link to answer. */
export function DeadlineList({ items, testId }: { items: Deadline[]; testId: string }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" data-testid={testId}>
      {items.map((d) => (
        <Group key={`${d.kind}:${d.id}`} justify="space-between" wrap="nowrap" align="flex-start" data-testid={`${testId}-item`} data-kind={d.kind}>
          <Stack gap={2}>
            <Group gap="xs">
              <Badge size="sm" variant="light" color={d.kind === 'feedback' ? 'violet' : 'orange'}>
                {t(`insight.deadline.${d.kind}`)}
              </Badge>
              {d.answered && (
                <Badge size="sm" variant="outline" color="teal">
                  {t('insight.deadline.answered')}
                </Badge>
              )}
            </Group>
            <Anchor component={Link} to={deadlinePath(d)} fw={500} data-testid={`${testId}-link`}>
              {d.title}
            </Anchor>
          </Stack>
          <DeadlineInfo deadline={d.deadline} size="xs" />
        </Group>
      ))}
      {items.length === 0 && (
        <Text size="sm" c="dimmed">
          {t('insight.deadline.none')}
        </Text>
      )}
    </Stack>
  );
}
