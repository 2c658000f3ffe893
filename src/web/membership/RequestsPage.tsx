import { Badge, Button, Card, Group, List, Modal, Radio, Select, Stack, Table, Tabs, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CursorPager, useCursorStack } from '../components/CursorPager.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { useSignedIn } from '../session.js';
import { membershipApi, type ApplicableClass, type ChangeFields, type ChangeNotification, type ClassChangeRequest, type RequestStatus } from './api.js';
import { member } from './can.js';
import { SpecialApprovalField } from './SpecialApprovalField.js';
import { RequestStatusBadge, applicableClasses, requestStatuses } from './ui.js';

/** A change notification's changes as readable lines. */
export function ChangeList({ changes }: { changes: ChangeFields }) {
  const { t } = useTranslation();
  const lines: string[] = [];
  if (changes.nameJa !== undefined) lines.push(`${t('org.nameJa')}: ${changes.nameJa}`);
  if (changes.nameEn !== undefined) lines.push(`${t('org.nameEn')}: ${changes.nameEn}`);
  if (changes.category !== undefined) lines.push(`${t('org.category')}: ${t(`category.${changes.category}`)}`);
  if (changes.sector !== undefined) lines.push(`${t('org.sector')}: ${changes.sector ? t(`sector.${changes.sector}`) : t('common.none')}`);
  if (changes.foreignCapital !== undefined) lines.push(`${t('org.foreignCapital')}: ${changes.foreignCapital ? t('common.yes') : t('common.no')}`);
  if (changes.foreignCapitalShare !== undefined) lines.push(`${t('membership.join.foreignCapitalShare')}: ${changes.foreignCapitalShare ?? t('common.none')}%`);
  if (changes.rosterConsent !== undefined) lines.push(`${t('membership.join.rosterConsentShort')}: ${changes.rosterConsent ? t('common.yes') : t('common.no')}`);
  if (changes.contacts !== undefined) {
    for (const c of changes.contacts) lines.push(`${t('membership.contact.name')}: ${c.name} / ${c.department || '—'} / ${c.email} / ${c.phone}`);
  }
  return (
    <List size="sm" spacing={2}>
      {lines.map((l, i) => (
        <List.Item key={i}>{l}</List.Item>
      ))}
    </List>
  );
}

function ReasonModal(props: {
  opened: boolean;
  title: string;
  label: string;
  required: boolean;
  confirm: string;
  color?: string;
  loading: boolean;
  error: unknown;
  onConfirm: (reason: string) => void;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  return (
    <Modal opened={props.opened} onClose={props.onClose} title={props.title} centered>
      <Stack>
        <Textarea label={props.label} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={3} maxLength={2000} required={props.required} data-testid="reason-input" />
        <ErrorAlert error={props.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={props.onClose}>
            {t('common.cancel')}
          </Button>
          <Button color={props.color ?? 'red'} loading={props.loading} disabled={props.required && !reason.trim()} onClick={() => props.onConfirm(reason.trim())} data-testid="reason-confirm">
            {props.confirm}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function StatusFilter({ value, onChange }: { value: RequestStatus | ''; onChange: (v: RequestStatus | '') => void }) {
  const { t } = useTranslation();
  return (
    <Select
      label={t('membership.statusLabel')}
      data={[{ value: '', label: t('membership.all') }, ...requestStatuses.map((s) => ({ value: s, label: t(`membership.requestStatus.${s}`) }))]}
      value={value}
      onChange={(v) => onChange((v ?? '') as RequestStatus | '')}
      allowDeselect={false}
      w={200}
    />
  );
}

function ChangeNotifications() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<RequestStatus | ''>('submitted');
  const pager = useCursorStack();
  const list = useQuery({
    queryKey: ['membership', 'change-notifications', status, pager.cursor],
    queryFn: () => membershipApi.changeNotifications(status || undefined, pager.cursor),
    placeholderData: keepPreviousData,
  });
  const [target, setTarget] = useState<{ item: ChangeNotification; accept: boolean } | null>(null);
  const decide = useMutation({
    mutationFn: ({ item, accept, reason }: { item: ChangeNotification; accept: boolean; reason: string }) =>
      accept ? membershipApi.acceptChange(item.id, reason || undefined) : membershipApi.rejectChange(item.id, reason),
    onSuccess: async () => {
      setTarget(null);
      notifications.show({ color: 'teal', message: t('common.saved') });
      await queryClient.invalidateQueries({ queryKey: ['membership'] });
    },
  });
  return (
    <Stack>
      <StatusFilter value={status} onChange={(v) => { pager.reset(); setStatus(v); }} />
      <ErrorAlert error={list.error} />
      {list.data?.items.length === 0 && <Text size="sm">{t('common.noData')}</Text>}
      {list.data?.items.map((c) => (
        <Card key={c.id} withBorder padding="md" radius="md" data-testid="change-item">
          <Stack gap="xs">
            <Group justify="space-between">
              <Text fw={700}>{i18n.language === 'en' ? c.orgNameEn : c.orgNameJa}</Text>
              <RequestStatusBadge status={c.status} />
            </Group>
            <Text size="xs" c="dimmed">
              {t('membership.requests.submittedBy', { by: c.submittedBy, at: formatJst(c.submittedAt) })}
            </Text>
            <ChangeList changes={c.changes} />
            {c.note && <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{c.note}</Text>}
            {c.reviewComment && <Text size="sm" c="dimmed">{t('membership.requests.comment', { text: c.reviewComment })}</Text>}
            {c.status === 'submitted' && member.review(session) && (
              <Group>
                <Button size="xs" color="teal" onClick={() => setTarget({ item: c, accept: true })}>
                  {t('membership.requests.accept')}
                </Button>
                <Button size="xs" variant="light" color="red" onClick={() => setTarget({ item: c, accept: false })}>
                  {t('membership.requests.reject')}
                </Button>
              </Group>
            )}
          </Stack>
        </Card>
      ))}
      <CursorPager pager={pager} next={list.data?.next} />
      <ReasonModal
        key={target?.item.id ?? 'none'}
        opened={target !== null}
        title={target?.accept ? t('membership.requests.accept') : t('membership.requests.reject')}
        label={target?.accept ? t('membership.requests.noteOptional') : t('membership.requests.reasonRequired')}
        required={!target?.accept}
        color={target?.accept ? 'teal' : 'red'}
        confirm={target?.accept ? t('membership.requests.accept') : t('membership.requests.reject')}
        loading={decide.isPending}
        error={decide.error}
        onConfirm={(reason) => target && decide.mutate({ ...target, reason })}
        onClose={() => {
          setTarget(null);
          decide.reset();
        }}
      />
    </Stack>
  );
}

function ApproveClassModal({ item, onClose }: { item: ClassChangeRequest; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const standing = useQuery({ queryKey: ['membership', 'standing', item.orgId], queryFn: () => membershipApi.membership(item.orgId) });
  const [cls, setCls] = useState<ApplicableClass>(item.requestedClass);
  const [reason, setReason] = useState('');
  const [granted, setGranted] = useState(false);
  const [special, setSpecial] = useState('');
  const needs = !!standing.data?.foreignCapital && !standing.data.specialApproval && cls !== 'general';
  const approve = useMutation({
    mutationFn: () =>
      membershipApi.approveClassChange(item.id, {
        memberClass: cls,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(needs && granted ? { specialApproval: { reason: special.trim() } } : {}),
      }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      await queryClient.invalidateQueries({ queryKey: ['membership'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t('membership.requests.approveClass')} centered size="lg">
      <Stack>
        <Radio.Group label={t('membership.review.class')} value={cls} onChange={(v) => setCls(v as ApplicableClass)}>
          <Group mt="xs">
            {applicableClasses.map((c) => (
              <Radio key={c} value={c} label={t(`memberClass.${c}`)} />
            ))}
          </Group>
        </Radio.Group>
        <SpecialApprovalField needed={needs} granted={granted} onGranted={setGranted} reason={special} onReason={setSpecial} />
        <Textarea label={t('membership.review.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
        <ErrorAlert error={approve.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button color="teal" loading={approve.isPending} disabled={needs && (!granted || !special.trim())} onClick={() => approve.mutate()}>
            {t('membership.review.approve')}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function ClassChanges() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<RequestStatus | ''>('submitted');
  const pager = useCursorStack();
  const list = useQuery({
    queryKey: ['membership', 'class-changes', status, pager.cursor],
    queryFn: () => membershipApi.classChanges(status || undefined, pager.cursor),
    placeholderData: keepPreviousData,
  });
  const [approving, setApproving] = useState<ClassChangeRequest | null>(null);
  const [rejecting, setRejecting] = useState<ClassChangeRequest | null>(null);
  const reject = useMutation({
    mutationFn: ({ id, reason }: { id: string; reason: string }) => membershipApi.rejectClassChange(id, reason),
    onSuccess: async () => {
      setRejecting(null);
      await queryClient.invalidateQueries({ queryKey: ['membership'] });
    },
  });
  return (
    <Stack>
      <StatusFilter value={status} onChange={(v) => { pager.reset(); setStatus(v); }} />
      <ErrorAlert error={list.error} />
      {list.data && (
        <Table.ScrollContainer minWidth={900}>
          <Table striped data-testid="class-changes-table">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('membership.requests.org')}</Table.Th>
                <Table.Th>{t('membership.requests.change')}</Table.Th>
                <Table.Th>{t('membership.requests.reason')}</Table.Th>
                <Table.Th>{t('membership.statusLabel')}</Table.Th>
                <Table.Th>{t('membership.submittedAt')}</Table.Th>
                <Table.Th>{t('common.actions')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {list.data.items.length === 0 && (
                <Table.Tr>
                  <Table.Td colSpan={6}>{t('common.noData')}</Table.Td>
                </Table.Tr>
              )}
              {list.data.items.map((c) => (
                <Table.Tr key={c.id}>
                  <Table.Td>{i18n.language === 'en' ? c.orgNameEn : c.orgNameJa}</Table.Td>
                  <Table.Td>
                    <Group gap={4} wrap="nowrap">
                      <Badge variant="outline">{t(`memberClass.${c.fromClass}`)}</Badge>→<Badge variant="light">{t(`memberClass.${c.requestedClass}`)}</Badge>
                    </Group>
                    {c.decidedClass && c.decidedClass !== c.requestedClass && (
                      <Text size="xs">{t('membership.requests.decided', { cls: t(`memberClass.${c.decidedClass}`) })}</Text>
                    )}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'pre-wrap', maxWidth: 360 }}>
                    <Text size="sm">{c.reason}</Text>
                    {c.capabilities && <Text size="xs" c="dimmed">{c.capabilities}</Text>}
                    {c.requestedClass === 'type2' && <Text size="xs" c="dimmed">{t('membership.join.commitmentShort')}: {c.quickFeedbackCommitment ? t('common.yes') : t('common.no')}</Text>}
                    {c.decisionReason && <Text size="xs">{t('membership.requests.comment', { text: c.decisionReason })}</Text>}
                  </Table.Td>
                  <Table.Td>
                    <RequestStatusBadge status={c.status} />
                  </Table.Td>
                  <Table.Td>{formatJst(c.submittedAt)}</Table.Td>
                  <Table.Td>
                    {c.status === 'submitted' && member.decide(session) && (
                      <Group gap="xs" wrap="nowrap">
                        <Button size="xs" color="teal" onClick={() => setApproving(c)}>
                          {t('membership.review.approve')}
                        </Button>
                        <Button size="xs" variant="light" color="red" onClick={() => setRejecting(c)}>
                          {t('membership.review.reject')}
                        </Button>
                      </Group>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <CursorPager pager={pager} next={list.data?.next} />
      {approving && <ApproveClassModal item={approving} onClose={() => setApproving(null)} />}
      <ReasonModal
        key={rejecting?.id ?? 'none'}
        opened={rejecting !== null}
        title={t('membership.requests.rejectClass')}
        label={t('membership.requests.reasonRequired')}
        required
        confirm={t('membership.review.reject')}
        loading={reject.isPending}
        error={reject.error}
        onConfirm={(reason) => rejecting && reject.mutate({ id: rejecting.id, reason })}
        onClose={() => {
          setRejecting(null);
          reject.reset();
        }}
      />
    </Stack>
  );
}

/** 変更届・種別変更: change notifications (the secretariat reviews) and class change requests (the committee decides). */
export function RequestsPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={1200} data-testid="membership-requests">
      <Title order={2}>{t('membership.requests.title')}</Title>
      <Text size="sm" c="dimmed">
        {t('membership.requests.lead')}
      </Text>
      <Tabs defaultValue="changes" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="changes">{t('membership.requests.changesTab')}</Tabs.Tab>
          <Tabs.Tab value="classes">{t('membership.requests.classesTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="changes" pt="md">
          <ChangeNotifications />
        </Tabs.Panel>
        <Tabs.Panel value="classes" pt="md">
          <ClassChanges />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
