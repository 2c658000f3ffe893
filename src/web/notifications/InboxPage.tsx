import { Alert, Anchor, Badge, Button, Card, Group, Stack, Switch, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { inboxKeys, notificationsApi, type InboxItem } from './api.js';

/** 受信箱: the signed-in user's notices, newest first, a page more at a time (keyset). Opening one marks it read. */
export function InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const list = useInfiniteQuery({
    queryKey: inboxKeys.list(unreadOnly),
    queryFn: ({ pageParam }) => notificationsApi.inbox({ cursor: pageParam, unreadOnly }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next,
  });
  const unread = useQuery({ queryKey: inboxKeys.unread, queryFn: notificationsApi.unreadCount });

  // The server answers the count left: the bell takes it as is, the lists are asked again.
  const afterRead = async ({ count }: { count: number }) => {
    queryClient.setQueryData(inboxKeys.unread, { count });
    await queryClient.invalidateQueries({ queryKey: inboxKeys.lists });
  };
  const markRead = useMutation({ mutationFn: notificationsApi.markRead, onSuccess: afterRead });
  const markAll = useMutation({
    mutationFn: notificationsApi.markAllRead,
    onSuccess: async (answer) => {
      notifications.show({ color: 'teal', message: t('notifications.inbox.allRead') });
      await afterRead(answer);
    },
  });

  const open = (item: InboxItem) => (e: MouseEvent) => {
    e.preventDefault();
    if (!item.readAt) markRead.mutate(item.id);
    void navigate(item.link);
  };

  const items = list.data?.pages.flatMap((p) => p.items) ?? [];
  return (
    <Stack maw={1000} data-testid="inbox">
      <Stack gap={2}>
        <Title order={2}>{t('notifications.inbox.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('notifications.inbox.lead')}
        </Text>
      </Stack>
      <Group justify="space-between">
        <Switch
          label={t('notifications.inbox.unreadOnly')}
          checked={unreadOnly}
          onChange={(e) => setUnreadOnly(e.currentTarget.checked)}
          data-testid="inbox-unread-only"
        />
        <Button
          variant="default"
          size="xs"
          disabled={!unread.data?.count}
          loading={markAll.isPending}
          onClick={() => markAll.mutate()}
          data-testid="inbox-read-all"
        >
          {t('notifications.inbox.markAllRead')}
        </Button>
      </Group>
      <ErrorAlert error={list.error ?? markRead.error ?? markAll.error} />
      {list.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {list.isSuccess && items.length === 0 && (
        <Alert color="teal" variant="light" data-testid="inbox-empty">
          {unreadOnly ? t('notifications.inbox.emptyUnread') : t('notifications.inbox.empty')}
        </Alert>
      )}
      {items.map((item) => (
        <Card
          key={item.id}
          withBorder
          padding="sm"
          radius="md"
          bg={item.readAt ? undefined : 'var(--mantine-color-indigo-light)'}
          data-testid="inbox-item"
          data-read={item.readAt ? 'true' : 'false'}
        >
          <Group justify="space-between" wrap="nowrap" align="flex-start">
            <Stack gap={4}>
              <Group gap="xs" wrap="nowrap">
                {!item.readAt && (
                  <Badge size="sm" color="indigo" data-testid="inbox-item-unread">
                    {t('notifications.inbox.unread')}
                  </Badge>
                )}
                <Anchor href={item.link} onClick={open(item)} fw={item.readAt ? 400 : 700} data-testid="inbox-item-link">
                  {item.title}
                </Anchor>
              </Group>
              {item.body && (
                <Text size="sm" c="dimmed">
                  {item.body}
                </Text>
              )}
              <Text size="xs" c="dimmed" data-testid="inbox-item-at">
                {formatJst(item.createdAt)}
              </Text>
            </Stack>
            {!item.readAt && (
              <Button
                variant="subtle"
                size="compact-xs"
                loading={markRead.isPending && markRead.variables === item.id}
                onClick={() => markRead.mutate(item.id)}
                data-testid="inbox-item-mark-read"
              >
                {t('notifications.inbox.markRead')}
              </Button>
            )}
          </Group>
        </Card>
      ))}
      {list.hasNextPage && (
        <Group justify="center">
          <Button variant="default" size="xs" loading={list.isFetchingNextPage} onClick={() => void list.fetchNextPage()} data-testid="inbox-more">
            {t('common.loadMore')}
          </Button>
        </Group>
      )}
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
