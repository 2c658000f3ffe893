import { Alert, Anchor, Card, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { requestsApi, type RequestState } from '../requests/api.js';
import { MyRequestBadge, RequestStatusBadge } from '../requests/badges.js';
import { Deadline } from '../requests/Deadline.js';
import { requestStates } from '../requests/labels.js';

/** 情報提供依頼 (member organisations): the requests addressed to the organisation, outstanding ones first by default. */
export function InfoRequestsPage() {
  const { t } = useTranslation();
  const pager = useCursorStack();
  const [state, setState] = useState<RequestState>('outstanding');
  const list = useQuery({
    queryKey: ['info-requests', 'mine', state, pager.cursor],
    queryFn: () => requestsApi.myRequests({ state, cursor: pager.cursor }),
    placeholderData: keepPreviousData,
  });
  return (
    <Stack maw={1000} data-testid="info-requests">
      <Stack gap={2}>
        <Title order={2}>{t('infoRequest.listTitle')}</Title>
        <Text size="sm" c="dimmed">
          {t('infoRequest.listLead')}
        </Text>
      </Stack>
      <SegmentedControl
        w="fit-content"
        value={state}
        onChange={(x) => {
          setState(requestStates.find((s) => s === x) ?? 'outstanding');
          pager.reset();
        }}
        data={requestStates.map((s) => ({ value: s, label: t(`infoRequest.state.${s}`) }))}
        data-testid="info-request-filter"
      />
      <ErrorAlert error={list.error} />
      {list.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {list.data?.items.length === 0 && (
        <Alert color="teal" variant="light" data-testid="info-requests-empty">
          {state === 'outstanding' ? t('infoRequest.noOutstanding') : t('common.noData')}
        </Alert>
      )}
      {list.data?.items.map((x) => (
        <Card key={x.id} withBorder padding="md" radius="md" data-testid="info-request-card" data-outstanding={x.outstanding}>
          <Stack gap={6}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Stack gap={2}>
                <Text size="xs" c="dimmed">
                  {t('infoRequest.campaign')}: {x.campaignTitle}
                </Text>
                <Anchor component={Link} to={`/info-requests/${x.id}`} fw={700} data-testid="info-request-link">
                  {x.title}
                </Anchor>
              </Stack>
              <Group gap={6} wrap="nowrap">
                {x.status === 'closed' && <RequestStatusBadge status={x.status} />}
                <MyRequestBadge request={x} />
              </Group>
            </Group>
            <Deadline deadline={x.deadline} closed={x.status === 'closed' || x.myAnswer !== null} />
            <Text size="sm" lineClamp={2} c="dimmed">
              {x.body}
            </Text>
            {x.myAnswer && (
              <Text size="xs" c="dimmed">
                {t('infoRequest.answeredOn', { at: formatJst(x.myAnswer.answeredAt) })}
              </Text>
            )}
          </Stack>
        </Card>
      ))}
      <CursorPager pager={pager} next={list.data?.next} testId="info-request-pager" />
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
