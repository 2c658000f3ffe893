/**
 * The header's inbox bell: the unread count, kept live by the notification stream (Server-Sent Events at
 * /api/v1/stream, the session cookie going along). Each notice refreshes the count and the inbox and shows a toast
 * whose title leads to the item. EventSource reconnects by itself and sends `Last-Event-ID`, so the server replays
 * what was missed while the connection was down.
 */
import { ActionIcon, Anchor, Indicator, Stack, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useEffectEvent, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { useSignedIn } from '../session.js';
import { inboxKeys, notificationsApi, type StreamNotice } from './api.js';

const STREAM_URL = '/api/v1/stream';

/**
 * The stream tells of an event as soon as it is committed; its inbox row is written by a fan-out job a moment later.
 * The count is asked again after these pauses until it has gone up.
 */
const FANOUT_WAITS_MS = [0, 300, 1_000, 3_000, 10_000];

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseNotice(data: unknown): StreamNotice | undefined {
  if (typeof data !== 'string') return undefined;
  try {
    const n = JSON.parse(data) as Partial<StreamNotice>;
    return typeof n.title === 'string' && typeof n.link === 'string' && typeof n.eventId === 'number' ? (n as StreamNotice) : undefined;
  } catch {
    return undefined;
  }
}

/** Listen to the stream while signed in (a new user, a new stream). */
function useLiveNotices(): void {
  const { t } = useTranslation();
  const userId = useSignedIn().user.id;
  const queryClient = useQueryClient();
  const navigate = useNavigate();

  const refreshWhenCounted = async () => {
    const before = queryClient.getQueryData<{ count: number }>(inboxKeys.unread)?.count ?? 0;
    for (const ms of FANOUT_WAITS_MS) {
      await sleep(ms);
      const { count } = await queryClient.fetchQuery({ queryKey: inboxKeys.unread, queryFn: notificationsApi.unreadCount, staleTime: 0 });
      if (count > before) break;
    }
    await queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
  };

  const onNotice = useEffectEvent((notice: StreamNotice) => {
    // A refresh that fails leaves the count as it was: the next notice, or the window regaining focus, asks again.
    void refreshWhenCounted().catch(() => {});
    const id = `notice-${notice.eventId}`;
    // Toasts render outside the router: the link navigates by hand rather than through <Link>.
    const open = (e: MouseEvent) => {
      e.preventDefault();
      notifications.hide(id);
      void navigate(notice.link);
    };
    notifications.show({
      id,
      title: t('notifications.toastTitle'),
      autoClose: 10_000,
      withBorder: true,
      closeButtonProps: { 'aria-label': t('common.close'), 'data-testid': 'notice-toast-close' },
      message: (
        <Stack gap={2} data-testid="notice-toast">
          <Anchor href={notice.link} onClick={open} size="sm" fw={600} data-testid="notice-toast-link">
            {notice.title}
          </Anchor>
          {notice.body && (
            <Text size="xs" c="dimmed" lineClamp={3}>
              {notice.body}
            </Text>
          )}
        </Stack>
      ),
    });
  });

  useEffect(() => {
    const source = new EventSource(STREAM_URL);
    source.addEventListener('notification', (e) => {
      const notice = parseNotice(e.data);
      if (notice) onNotice(notice);
    });
    return () => source.close();
  }, [userId]);
}

function BellIcon() {
  return (
    <svg width={20} height={20} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={2} strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d="M10 5a2 2 0 1 1 4 0a7 7 0 0 1 4 6v3a4 4 0 0 0 2 3h-16a4 4 0 0 0 2 -3v-3a7 7 0 0 1 4 -6" />
      <path d="M9 17v1a3 3 0 0 0 6 0v-1" />
    </svg>
  );
}

export function InboxBell() {
  const { t } = useTranslation();
  useLiveNotices();
  // Read elsewhere (another tab) changes nothing on the stream: ask again when the window comes back.
  const unread = useQuery({ queryKey: inboxKeys.unread, queryFn: notificationsApi.unreadCount, refetchOnWindowFocus: true });
  const count = unread.data?.count ?? 0;
  return (
    <Indicator label={count > 99 ? '99+' : count} size={18} color="red" offset={4} disabled={count === 0} data-testid="inbox-unread">
      <ActionIcon
        component={Link}
        to="/inbox"
        variant="default"
        size="lg"
        aria-label={t('notifications.bell', { count })}
        title={t('notifications.bell', { count })}
        data-testid="inbox-bell"
        data-count={count}
      >
        <BellIcon />
      </ActionIcon>
    </Indicator>
  );
}
