import { Alert, Anchor, Group, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatJst } from '../format.js';
import { useSession } from '../session.js';
import { requestsApi } from './api.js';
import { req } from './can.js';

/** How often the banner asks whether large-scale attack mode is in force. */
const POLL_MS = 60_000;

/**
 * 大規模サイバー攻撃時: a banner across every page while a campaign is active, for everyone who may see campaigns;
 * member organisations also see how many requests to them are still unanswered.
 */
export function CampaignBanner() {
  const { t } = useTranslation();
  const session = useSession();
  const visible = !!session && req.readCampaigns(session);
  const receives = !!session && req.receiveRequests(session);
  const active = useQuery({
    queryKey: ['campaigns', 'active-banner'],
    queryFn: () => requestsApi.listCampaigns({ status: 'active', limit: 5 }),
    enabled: visible,
    refetchInterval: POLL_MS,
    retry: false,
  });
  const outstanding = useQuery({
    queryKey: ['info-requests', 'mine', 'outstanding', 'banner'],
    queryFn: () => requestsApi.myRequests({ state: 'outstanding', limit: 50 }),
    enabled: receives && (active.data?.items.length ?? 0) > 0,
    refetchInterval: POLL_MS,
    retry: false,
  });
  const campaigns = active.data?.items ?? [];
  const first = campaigns[0];
  if (!session || !visible || !first) return null;
  const n = outstanding.data ? outstanding.data.items.length : 0;
  const manage = req.requestStatus(session);
  return (
    <Alert color="red" variant="filled" radius="md" mb="md" data-testid="campaign-banner" role="status">
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Text fw={700} data-testid="campaign-banner-title">
            {t('campaign.banner', { title: first.title })}
          </Text>
          {campaigns.length > 1 && <Text size="sm">{t('campaign.bannerMore', { n: campaigns.length - 1 })}</Text>}
        </Group>
        <Text size="sm">{t('campaign.bannerSince', { at: formatJst(first.declaredAt) })}</Text>
        <Group gap="md">
          {receives && n > 0 && (
            <Text size="sm" fw={700} data-testid="campaign-banner-outstanding">
              {t('campaign.bannerOutstanding', { n: n >= 50 ? '50+' : n })}
            </Text>
          )}
          {receives && (
            <Anchor component={Link} to="/info-requests" c="white" underline="always" size="sm" data-testid="campaign-banner-requests">
              {t('campaign.bannerOpenRequests')}
            </Anchor>
          )}
          {manage && (
            <Anchor component={Link} to={`/campaigns/${first.id}`} c="white" underline="always" size="sm">
              {t('campaign.bannerManage')}
            </Anchor>
          )}
        </Group>
      </Stack>
    </Alert>
  );
}
