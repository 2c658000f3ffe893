import { Alert, Button, Group, Modal, SegmentedControl, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { fieldErrors } from '../api.js';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { requestsApi, type CampaignStatus } from '../requests/api.js';
import { CampaignStatusBadge } from '../requests/badges.js';
import { req } from '../requests/can.js';

function DeclareModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const [touched, setTouched] = useState(false);
  const declare = useMutation({
    mutationFn: requestsApi.declareCampaign,
    onSuccess: async (c) => {
      notifications.show({ color: 'red', message: t('campaign.declared') });
      await queryClient.invalidateQueries({ queryKey: ['campaigns'] });
      onClose();
      await navigate(`/campaigns/${c.id}`);
    },
  });
  const server = fieldErrors(declare.error);
  const local = { title: title.trim() ? undefined : t('common.required'), description: description.trim() ? undefined : t('common.required') };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (local.title || local.description) return;
    declare.mutate({ title: title.trim(), description: description.trim() });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={t('campaign.declareTitle')} size="lg" centered>
      <form onSubmit={submit} noValidate data-testid="campaign-declare-form">
        <Stack>
          <Alert color="red" variant="light">
            <Text size="sm">{t('campaign.declareLead')}</Text>
          </Alert>
          <ErrorAlert error={declare.error} testId="campaign-declare-error" />
          <TextInput
            label={t('campaign.titleLabel')}
            placeholder={t('campaign.titlePlaceholder')}
            value={title}
            onChange={(e) => setTitle(e.currentTarget.value)}
            error={(touched ? local.title : undefined) ?? server.title}
            maxLength={200}
            required
            data-testid="campaign-title"
          />
          <Textarea
            label={t('campaign.description')}
            description={t('campaign.descriptionHelp')}
            value={description}
            onChange={(e) => setDescription(e.currentTarget.value)}
            error={(touched ? local.description : undefined) ?? server.description}
            autosize
            minRows={4}
            maxLength={20000}
            required
            data-testid="campaign-description"
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" color="red" loading={declare.isPending} data-testid="campaign-declare-submit">
              {t('campaign.declare')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

type Filter = CampaignStatus | 'all';

/** 大規模サイバー攻撃時 (secretariat, designated corporation): campaigns, newest first; the secretariat declares. */
export function CampaignsPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const navigate = useNavigate();
  const pager = useCursorStack();
  const [filter, setFilter] = useState<Filter>('all');
  const [declaring, setDeclaring] = useState(false);
  const status = filter === 'all' ? undefined : filter;
  const list = useQuery({
    queryKey: ['campaigns', 'list', status, pager.cursor],
    queryFn: () => requestsApi.listCampaigns({ status, cursor: pager.cursor }),
    placeholderData: keepPreviousData,
  });

  return (
    <Stack data-testid="campaigns">
      <Group justify="space-between" align="flex-start">
        <Stack gap={2} maw={760}>
          <Title order={2}>{t('campaign.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('campaign.lead')}
          </Text>
        </Stack>
        {req.manageCampaigns(session) && (
          <Button color="red" onClick={() => setDeclaring(true)} data-testid="campaign-declare">
            {t('campaign.declare')}
          </Button>
        )}
      </Group>
      <SegmentedControl
        w="fit-content"
        value={filter}
        onChange={(x) => {
          setFilter(x === 'active' || x === 'ended' ? x : 'all');
          pager.reset();
        }}
        data={[
          { value: 'all', label: t('campaign.all') },
          { value: 'active', label: t('campaign.status.active') },
          { value: 'ended', label: t('campaign.status.ended') },
        ]}
        aria-label={t('campaign.statusLabel')}
        data-testid="campaign-filter"
      />
      <ErrorAlert error={list.error} />
      {list.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {list.data && (
        <Table.ScrollContainer minWidth={760}>
          <Table striped highlightOnHover data-testid="campaign-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('campaign.statusLabel')}</Table.Th>
                <Table.Th>{t('campaign.titleLabel')}</Table.Th>
                <Table.Th ta="right">{t('campaign.openRequests')}</Table.Th>
                <Table.Th>{t('campaign.declaredAt')}</Table.Th>
                <Table.Th>{t('campaign.endedAt')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={5}>{t('campaign.none')}</Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((c) => (
                <Table.Tr key={c.id} style={{ cursor: 'pointer' }} onClick={() => void navigate(`/campaigns/${c.id}`)} data-testid="campaign-row">
                  <Table.Td>
                    <CampaignStatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>
                    <Text component={Link} to={`/campaigns/${c.id}`} size="sm" c="blue" onClick={(e) => e.stopPropagation()} data-testid="campaign-link">
                      {c.title}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right">{c.openRequests}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(c.declaredAt)}</Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(c.endedAt)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={list.data?.next} testId="campaign-pager" />
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
      {declaring && <DeclareModal opened onClose={() => setDeclaring(false)} />}
    </Stack>
  );
}
