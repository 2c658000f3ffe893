import { Anchor, Badge, Button, Card, Group, Modal, Select, SimpleGrid, Stack, Table, Text, TextInput, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { jstDay } from '../requests/time.js';
import { useNow } from '../sharing/time.js';
import { membershipApi, pathErrors, rosterCsvUrl, type RulebookKind, type RulebookSummary } from './api.js';
import { councilSettingsKey, useCouncilSettings } from './council.js';
import { Markdown } from './Markdown.js';
import { jstInputToIso, isoToJstInput } from './ui.js';

/** 名簿公開: publish the roster as of a date (only consenting members); earlier rosters with CSV. */
export function RosterAdminPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [asOf, setAsOf] = useState(() => jstDay(Date.now()));
  const list = useQuery({ queryKey: ['membership', 'rosters'], queryFn: () => membershipApi.rosters() });
  const publish = useMutation({
    mutationFn: () => membershipApi.publishRoster(asOf),
    onSuccess: async (r) => {
      notifications.show({ color: 'teal', message: t('membership.rosterAdmin.published', { n: r.count }) });
      await queryClient.invalidateQueries({ queryKey: ['membership', 'rosters'] });
      await queryClient.invalidateQueries({ queryKey: ['membership', 'roster'] });
    },
  });
  return (
    <Stack maw={1000} data-testid="roster-admin">
      <Title order={2}>{t('membership.nav.roster')}</Title>
      <Text size="sm" c="dimmed">
        {t('membership.rosterAdmin.lead')}
      </Text>
      <Card withBorder padding="lg" radius="md">
        <Group align="flex-end">
          <TextInput type="date" label={t('membership.rosterAdmin.asOf')} value={asOf} onChange={(e) => setAsOf(e.currentTarget.value)} error={pathErrors(publish.error).asOf} data-testid="roster-as-of-input" />
          <Button onClick={() => publish.mutate()} loading={publish.isPending} disabled={!asOf} data-testid="roster-publish">
            {t('membership.rosterAdmin.publish')}
          </Button>
          <Anchor component={Link} to="/roster" size="sm">
            {t('membership.rosterAdmin.viewPublic')}
          </Anchor>
        </Group>
        <ErrorAlert error={publish.error} />
      </Card>
      <ErrorAlert error={list.error} />
      {list.data && (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('membership.rosterAdmin.asOf')}</Table.Th>
              <Table.Th>{t('membership.rosterAdmin.publishedAt')}</Table.Th>
              <Table.Th>{t('membership.rosterAdmin.count')}</Table.Th>
              <Table.Th>CSV</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={4}>{t('common.noData')}</Table.Td>
              </Table.Tr>
            )}
            {list.data.items.map((r) => (
              <Table.Tr key={r.id}>
                <Table.Td>{r.asOf}</Table.Td>
                <Table.Td>{formatJst(r.publishedAt)}</Table.Td>
                <Table.Td>{r.count}</Table.Td>
                <Table.Td>
                  <Anchor href={rosterCsvUrl(i18n.language, r.id)} size="sm">
                    {t('membership.rosterPage.csv')}
                  </Anchor>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
    </Stack>
  );
}

const kinds: readonly RulebookKind[] = ['council_rules', 'taskforce_rules', 'confidentiality_pledge'];

function RulebookViewer({ id, onClose }: { id: string; onClose: () => void }) {
  const book = useQuery({ queryKey: ['membership', 'rulebook', id], queryFn: () => membershipApi.rulebook(id), staleTime: Infinity });
  const { i18n } = useTranslation();
  return (
    <Modal opened onClose={onClose} size="xl" title={book.data ? (i18n.language === 'en' ? book.data.titleEn : book.data.titleJa) : ''}>
      <ErrorAlert error={book.error} />
      {book.data && <Markdown source={book.data.bodyMd} />}
    </Modal>
  );
}

/** 規約管理: upload a new version of a rulebook (Markdown, effective date in Japan time) and see every version. */
export function RulebooksAdminPage() {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: ['membership', 'rulebooks'], queryFn: () => membershipApi.rulebooks() });
  const [kind, setKind] = useState<RulebookKind>('council_rules');
  const [titleJa, setTitleJa] = useState('');
  const [titleEn, setTitleEn] = useState('');
  const [body, setBody] = useState('');
  const [effective, setEffective] = useState(() => isoToJstInput(new Date().toISOString()));
  const [preview, setPreview] = useState(false);
  const [viewing, setViewing] = useState<string | null>(null);
  const create = useMutation({
    mutationFn: () =>
      membershipApi.createRulebook({
        kind,
        ...(titleJa.trim() ? { titleJa: titleJa.trim() } : {}),
        ...(titleEn.trim() ? { titleEn: titleEn.trim() } : {}),
        bodyMd: body,
        effectiveAt: jstInputToIso(effective),
      }),
    onSuccess: async (b) => {
      notifications.show({ color: 'teal', message: t('membership.rulebooks.created', { version: b.version }) });
      setBody('');
      setTitleJa('');
      setTitleEn('');
      await queryClient.invalidateQueries({ queryKey: ['membership', 'rulebooks'] });
      // A version in force now must be accepted by the uploader too.
      await queryClient.invalidateQueries({ queryKey: ['membership', 'my-rulebooks'] });
    },
  });
  const errs = pathErrors(create.error);
  const now = useNow(60_000);
  const current = new Set(list.data?.current.map((b) => b.id));
  const title = (b: RulebookSummary) => (i18n.language === 'en' ? b.titleEn : b.titleJa);
  return (
    <Stack maw={1100} data-testid="rulebooks-admin">
      <Title order={2}>{t('membership.nav.rulebooks')}</Title>
      <Text size="sm" c="dimmed">
        {t('membership.rulebooks.lead')}
      </Text>
      <Card withBorder padding="lg" radius="md">
        <Stack>
          <Title order={3}>{t('membership.rulebooks.newVersion')}</Title>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <Select
              label={t('membership.rulebooks.kind')}
              data={kinds.map((k) => ({ value: k, label: t(`membership.rulebookKind.${k}`) }))}
              value={kind}
              onChange={(v) => v && setKind(v as RulebookKind)}
              allowDeselect={false}
            />
            <TextInput type="datetime-local" label={t('membership.rulebooks.effectiveAt')} description={t('common.jstNote')} value={effective} onChange={(e) => setEffective(e.currentTarget.value)} error={errs.effectiveAt} required />
            <TextInput label={t('membership.rulebooks.titleJa')} placeholder={t(`membership.rulebookKind.${kind}`)} value={titleJa} onChange={(e) => setTitleJa(e.currentTarget.value)} maxLength={200} />
            <TextInput label={t('membership.rulebooks.titleEn')} value={titleEn} onChange={(e) => setTitleEn(e.currentTarget.value)} maxLength={200} />
          </SimpleGrid>
          <Textarea
            label={t('membership.rulebooks.body')}
            description={t('membership.rulebooks.bodyHelp')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            error={errs.bodyMd}
            autosize
            minRows={8}
            maxRows={30}
            styles={{ input: { fontFamily: 'monospace' } }}
            required
          />
          {preview && body.trim() && (
            <Card withBorder padding="md">
              <Markdown source={body} />
            </Card>
          )}
          <ErrorAlert error={create.error} />
          <Group>
            <Button variant="default" onClick={() => setPreview((p) => !p)} disabled={!body.trim()}>
              {preview ? t('membership.rulebooks.hidePreview') : t('membership.rulebooks.preview')}
            </Button>
            <Button onClick={() => create.mutate()} loading={create.isPending} disabled={!body.trim() || !effective}>
              {t('membership.rulebooks.upload')}
            </Button>
          </Group>
        </Stack>
      </Card>
      <ErrorAlert error={list.error} />
      {list.data && (
        <Table striped withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('membership.rulebooks.kind')}</Table.Th>
              <Table.Th>{t('membership.rulebooks.title')}</Table.Th>
              <Table.Th>{t('membership.rulebooks.version')}</Table.Th>
              <Table.Th>{t('membership.rulebooks.effectiveAt')}</Table.Th>
              <Table.Th>{t('membership.statusLabel')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.length === 0 && (
              <Table.Tr>
                <Table.Td colSpan={5}>{t('common.noData')}</Table.Td>
              </Table.Tr>
            )}
            {list.data.items.map((b) => (
              <Table.Tr key={b.id}>
                <Table.Td>{t(`membership.rulebookKind.${b.kind}`)}</Table.Td>
                <Table.Td>
                  <Anchor component="button" size="sm" onClick={() => setViewing(b.id)}>
                    {title(b)}
                  </Anchor>
                </Table.Td>
                <Table.Td>{b.version}</Table.Td>
                <Table.Td>{formatJst(b.effectiveAt)}</Table.Td>
                <Table.Td>
                  {current.has(b.id) ? (
                    <Badge color="teal" variant="light">{t('membership.rulebooks.inForce')}</Badge>
                  ) : new Date(b.effectiveAt).getTime() > now ? (
                    <Badge color="blue" variant="light">{t('membership.rulebooks.upcoming')}</Badge>
                  ) : (
                    <Badge color="gray" variant="light">{t('membership.rulebooks.superseded')}</Badge>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {viewing && <RulebookViewer id={viewing} onClose={() => setViewing(null)} />}
    </Stack>
  );
}

/** 協議会設定: the council's and the secretariat's names in both languages (shown in the header). */
export function CouncilSettingsPage() {
  const { t } = useTranslation();
  const settings = useCouncilSettings();
  return (
    <Stack maw={800} data-testid="council-settings">
      <Title order={2}>{t('membership.nav.council')}</Title>
      <Text size="sm" c="dimmed">
        {t('membership.council.lead')}
      </Text>
      <ErrorAlert error={settings.error} />
      {settings.data && <CouncilForm key={JSON.stringify(settings.data)} initial={settings.data} />}
    </Stack>
  );
}

function CouncilForm({ initial }: { initial: { councilName: { ja: string; en: string }; secretariatName: { ja: string; en: string } } }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [v, setV] = useState(initial);
  const save = useMutation({
    mutationFn: () => membershipApi.updateCouncilSettings(v),
    onSuccess: (next) => {
      queryClient.setQueryData(councilSettingsKey, next);
      notifications.show({ color: 'teal', message: t('common.saved') });
    },
  });
  const errs = pathErrors(save.error);
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <TextInput label={t('membership.council.councilJa')} value={v.councilName.ja} onChange={(e) => setV({ ...v, councilName: { ...v.councilName, ja: e.currentTarget.value } })} error={errs['councilName.ja']} required maxLength={200} />
          <TextInput label={t('membership.council.councilEn')} value={v.councilName.en} onChange={(e) => setV({ ...v, councilName: { ...v.councilName, en: e.currentTarget.value } })} error={errs['councilName.en']} required maxLength={200} />
          <TextInput label={t('membership.council.secretariatJa')} value={v.secretariatName.ja} onChange={(e) => setV({ ...v, secretariatName: { ...v.secretariatName, ja: e.currentTarget.value } })} error={errs['secretariatName.ja']} required maxLength={200} />
          <TextInput label={t('membership.council.secretariatEn')} value={v.secretariatName.en} onChange={(e) => setV({ ...v, secretariatName: { ...v.secretariatName, en: e.currentTarget.value } })} error={errs['secretariatName.en']} required maxLength={200} />
        </SimpleGrid>
        <ErrorAlert error={save.error} />
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </Card>
  );
}
