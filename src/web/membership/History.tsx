import { Text, Timeline } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatJst } from '../format.js';
import type { ApplicationEvent } from './api.js';

const eventColor: Record<ApplicationEvent['kind'], string> = {
  submitted: 'blue',
  returned: 'orange',
  answered: 'blue',
  checked: 'cyan',
  approved: 'teal',
  rejected: 'red',
  withdrawn: 'gray',
};

/** The history of an application, oldest first: who did what, with questions, answers and reasons. */
export function ApplicationHistory({ events, showActor = false }: { events: (Omit<ApplicationEvent, 'actorLabel' | 'detail'> & { actorLabel?: string | undefined })[]; showActor?: boolean }) {
  const { t } = useTranslation();
  return (
    <Timeline active={events.length - 1} bulletSize={16} lineWidth={2} data-testid="application-history">
      {events.map((e) => (
        <Timeline.Item key={e.id} color={eventColor[e.kind]} title={t(`membership.event.${e.kind}`)} data-testid="history-item" data-kind={e.kind}>
          <Text size="xs" c="dimmed">
            {formatJst(e.at)} · {t(`membership.eventRole.${e.role}`)}
            {showActor && e.actorLabel && e.role !== 'applicant' ? ` (${e.actorLabel})` : ''}
          </Text>
          {e.message && (
            <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap' }} data-testid="history-message">
              {e.message}
            </Text>
          )}
        </Timeline.Item>
      ))}
    </Timeline>
  );
}
