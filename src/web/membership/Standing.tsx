import {
  Alert,
  Badge,
  Button,
  Card,
  Checkbox,
  Group,
  Modal,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Category, Organization, Sector } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { categoryOptions, memberClassColor, orgName, sectorOptions } from '../labels.js';
import { useSignedIn } from '../session.js';
import { membershipApi, pathErrors, type ApplicableClass, type ChangeFields, type MembershipView } from './api.js';
import { member } from './can.js';
import { ChangeList } from './RequestsPage.js';
import { RequestStatusBadge, StandingBadge, applicableClasses } from './ui.js';

type Sanction = 'suspend' | 'expel' | 'reinstate' | 'withdraw' | 'grant' | 'revoke';

const standingKey = (orgId: string) => ['membership', 'standing', orgId];

function useStanding(orgId: string) {
  return useQuery({ queryKey: standingKey(orgId), queryFn: () => membershipApi.membership(orgId) });
}

function SanctionModal({ orgId, what, onClose }: { orgId: string; what: Sanction; onClose: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const required = what !== 'reinstate' && what !== 'withdraw';
  const run = useMutation({
    mutationFn: () => {
      const r = reason.trim();
      if (what === 'grant') return membershipApi.grantSpecialApproval(orgId, { reason: r });
      if (what === 'revoke') return membershipApi.revokeSpecialApproval(orgId, r);
      return membershipApi.standing(orgId, what, r || undefined);
    },
    onSuccess: async (org) => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      queryClient.setQueryData(['organization', orgId], org);
      await queryClient.invalidateQueries({ queryKey: ['membership'] });
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
      onClose();
    },
  });
  return (
    <Modal opened onClose={onClose} title={t(`membership.standing.action.${what}`)} centered>
      <Stack>
        <Text size="sm">{t(`membership.standing.confirm.${what}`)}</Text>
        <Textarea
          label={required ? t('membership.requests.reasonRequired') : t('membership.requests.noteOptional')}
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          autosize
          minRows={3}
          maxLength={2000}
          required={required}
          data-testid="standing-reason"
        />
        <ErrorAlert error={run.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button
            color={what === 'reinstate' || what === 'grant' ? 'teal' : 'red'}
            loading={run.isPending}
            disabled={required && !reason.trim()}
            onClick={() => run.mutate()}
            data-testid="standing-confirm"
          >
            {t(`membership.standing.action.${what}`)}
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function StandingFacts({ view }: { view: MembershipView }) {
  const { t } = useTranslation();
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <StandingBadge status={view.status} testId="standing-status" />
        <Badge color={memberClassColor[view.memberClass]} variant="light">
          {t(`memberClass.${view.memberClass}`)}
        </Badge>
        {view.designated && <Badge color="grape" variant="outline">{t('org.designated')}</Badge>}
        {view.foreignCapital && <Badge color="orange" variant="outline">{t('org.foreignCapital')}</Badge>}
        {view.periodJoined !== null && <Text size="sm">{t('membership.standing.joined', { number: view.periodJoined })}</Text>}
      </Group>
      {view.statusReason && (
        <Text size="sm">
          {t('membership.standing.reason')}: {view.statusReason}
        </Text>
      )}
      {view.specialApproval ? (
        <Alert color="yellow" variant="light" title={t('membership.standing.specialTitle')}>
          <Text size="sm">{t('membership.standing.special', { at: formatJst(view.specialApproval.at), reason: view.specialApproval.reason })}</Text>
        </Alert>
      ) : (
        view.foreignCapital && (
          <Text size="sm" c="dimmed">
            {t('membership.standing.noSpecial')}
          </Text>
        )
      )}
    </Stack>
  );
}

function EventsTable({ view }: { view: MembershipView }) {
  const { t } = useTranslation();
  if (!view.events.length) return null;
  return (
    <Table.ScrollContainer minWidth={700}>
      <Table striped withTableBorder data-testid="standing-events">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('membership.standing.at')}</Table.Th>
            <Table.Th>{t('membership.standing.event')}</Table.Th>
            <Table.Th>{t('membership.standing.reason')}</Table.Th>
            <Table.Th>{t('membership.standing.by')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {view.events.map((e) => (
            <Table.Tr key={e.id}>
              <Table.Td>{formatJst(e.at)}</Table.Td>
              <Table.Td>
                {t(`membership.standing.kind.${e.kind}`)}
                {e.toClass && ` → ${t(`memberClass.${e.toClass}`)}`}
                {e.periodNumber !== null && ` (${t('membership.periodLabel', { number: e.periodNumber })})`}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'pre-wrap' }}>{e.reason ?? t('common.none')}</Table.Td>
              <Table.Td>{e.actorLabel}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** 構成員資格 on the organisation detail page: standing, sanctions and special approval (secretariat / committee). */
export function StandingPanel({ org }: { org: Organization }) {
  const { t } = useTranslation();
  const session = useSignedIn();
  const view = useStanding(org.id);
  const [what, setWhat] = useState<Sanction | null>(null);
  if (org.isSecretariat) return null;
  const v = view.data;
  const committee = member.decide(session);
  return (
    <Card withBorder padding="lg" radius="md" data-testid="standing-panel">
      <Stack>
        <Title order={3}>{t('membership.standing.title')}</Title>
        <ErrorAlert error={view.error} />
        {v && (
          <>
            <StandingFacts view={v} />
            <Group gap="xs">
              {committee && v.status === 'member' && (
                <Button size="xs" variant="light" color="orange" onClick={() => setWhat('suspend')} data-testid="standing-suspend">
                  {t('membership.standing.action.suspend')}
                </Button>
              )}
              {committee && v.status === 'suspended' && (
                <Button size="xs" variant="light" color="teal" onClick={() => setWhat('reinstate')} data-testid="standing-reinstate">
                  {t('membership.standing.action.reinstate')}
                </Button>
              )}
              {committee && (v.status === 'member' || v.status === 'suspended') && (
                <Button size="xs" variant="light" color="red" onClick={() => setWhat('expel')} data-testid="standing-expel">
                  {t('membership.standing.action.expel')}
                </Button>
              )}
              {committee && v.foreignCapital && !v.specialApproval && (
                <Button size="xs" variant="light" color="yellow" onClick={() => setWhat('grant')}>
                  {t('membership.standing.action.grant')}
                </Button>
              )}
              {committee && v.specialApproval && (
                <Button size="xs" variant="subtle" color="red" onClick={() => setWhat('revoke')}>
                  {t('membership.standing.action.revoke')}
                </Button>
              )}
              {member.manage(session) && (v.status === 'member' || v.status === 'suspended') && (
                <Button size="xs" variant="subtle" color="gray" onClick={() => setWhat('withdraw')}>
                  {t('membership.standing.action.withdraw')}
                </Button>
              )}
            </Group>
            {!committee && (
              <Text size="xs" c="dimmed">
                {t('membership.standing.committeeOnly')}
              </Text>
            )}
            <EventsTable view={v} />
          </>
        )}
      </Stack>
      {what && <SanctionModal orgId={org.id} what={what} onClose={() => setWhat(null)} />}
    </Card>
  );
}

/** 申込み事項変更届: only the fields that change are sent. */
function ChangeForm({ org, onDone }: { org: Organization; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [nameJa, setNameJa] = useState(org.nameJa);
  const [nameEn, setNameEn] = useState(org.nameEn);
  const [category, setCategory] = useState<Category>(org.category);
  const [sector, setSector] = useState<Sector | null>(org.sector);
  const [foreignCapital, setForeignCapital] = useState(org.foreignCapital);
  const [share, setShare] = useState(org.foreignCapitalShare === null ? '' : String(org.foreignCapitalShare));
  const [rosterConsent, setRosterConsent] = useState(org.rosterConsent);
  const first = org.contacts[0];
  const [contact, setContact] = useState({ name: first?.name ?? '', department: first?.department ?? '', email: first?.email ?? '', phone: first?.phone ?? '' });
  const [note, setNote] = useState('');
  const changes: ChangeFields = {};
  if (nameJa.trim() !== org.nameJa) changes.nameJa = nameJa.trim();
  if (nameEn.trim() !== org.nameEn) changes.nameEn = nameEn.trim();
  if (category !== org.category) changes.category = category;
  if ((category === 'critical_infrastructure' ? sector : null) !== org.sector) changes.sector = category === 'critical_infrastructure' ? sector : null;
  if (foreignCapital !== org.foreignCapital) changes.foreignCapital = foreignCapital;
  const shareValue = foreignCapital && share.trim() !== '' ? Number(share) : null;
  if (shareValue !== org.foreignCapitalShare) changes.foreignCapitalShare = shareValue;
  if (rosterConsent !== org.rosterConsent) changes.rosterConsent = rosterConsent;
  const contactChanged = !first || first.name !== contact.name || first.department !== contact.department || first.email !== contact.email || first.phone !== contact.phone;
  if (contactChanged && contact.name.trim()) changes.contacts = [{ ...contact }, ...org.contacts.slice(1)];
  const submit = useMutation({
    mutationFn: () => membershipApi.submitChange(org.id, { changes, ...(note.trim() ? { note: note.trim() } : {}) }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('membership.mine.changeSent') });
      await queryClient.invalidateQueries({ queryKey: ['membership'] });
      onDone();
    },
  });
  const errs = pathErrors(submit.error);
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        {t('membership.mine.changeHelp')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('org.nameJa')} value={nameJa} onChange={(e) => setNameJa(e.currentTarget.value)} error={errs['changes.nameJa']} maxLength={200} />
        <TextInput label={t('org.nameEn')} value={nameEn} onChange={(e) => setNameEn(e.currentTarget.value)} error={errs['changes.nameEn']} maxLength={200} />
        <Select label={t('org.category')} data={categoryOptions(t)} value={category} onChange={(v) => v && setCategory(v as Category)} allowDeselect={false} />
        {category === 'critical_infrastructure' && (
          <Select label={t('org.sector')} data={sectorOptions(t)} value={sector} onChange={(v) => setSector(v as Sector | null)} />
        )}
      </SimpleGrid>
      <Group>
        <Switch label={t('org.foreignCapital')} checked={foreignCapital} onChange={(e) => setForeignCapital(e.currentTarget.checked)} />
        {foreignCapital && (
          <TextInput label={t('membership.join.foreignCapitalShare')} value={share} onChange={(e) => setShare(e.currentTarget.value.replace(/[^\d.]/g, ''))} rightSection="%" w={160} error={errs['changes.foreignCapitalShare']} />
        )}
      </Group>
      <Checkbox label={t('membership.join.rosterConsent')} checked={rosterConsent} onChange={(e) => setRosterConsent(e.currentTarget.checked)} />
      <Text size="sm" fw={600}>
        {t('membership.mine.firstContact')}
      </Text>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput label={t('membership.contact.name')} value={contact.name} onChange={(e) => setContact({ ...contact, name: e.currentTarget.value })} error={errs['changes.contacts.0.name']} />
        <TextInput label={t('membership.contact.department')} value={contact.department} onChange={(e) => setContact({ ...contact, department: e.currentTarget.value })} />
        <TextInput label={t('membership.contact.email')} value={contact.email} onChange={(e) => setContact({ ...contact, email: e.currentTarget.value })} error={errs['changes.contacts.0.email']} />
        <TextInput label={t('membership.contact.phone')} value={contact.phone} onChange={(e) => setContact({ ...contact, phone: e.currentTarget.value })} error={errs['changes.contacts.0.phone']} />
      </SimpleGrid>
      <Textarea label={t('membership.mine.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={2000} />
      <ErrorAlert error={submit.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={Object.keys(changes).length === 0}>
          {t('membership.mine.changeSubmit')}
        </Button>
      </Group>
    </Stack>
  );
}

function ClassChangeForm({ org, onDone }: { org: Organization; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [cls, setCls] = useState<ApplicableClass>(org.memberClass === 'general' ? 'type2' : org.memberClass === 'type2' ? 'type1' : 'general');
  const [reason, setReason] = useState('');
  const [capabilities, setCapabilities] = useState('');
  const [commitment, setCommitment] = useState(false);
  const submit = useMutation({
    mutationFn: () =>
      membershipApi.requestClassChange(org.id, {
        requestedClass: cls,
        reason: reason.trim(),
        ...(capabilities.trim() ? { capabilities: capabilities.trim() } : {}),
        quickFeedbackCommitment: commitment,
      }),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('membership.mine.classSent') });
      await queryClient.invalidateQueries({ queryKey: ['membership'] });
      onDone();
    },
  });
  return (
    <Stack>
      <Radio.Group label={t('membership.requestedClass')} value={cls} onChange={(v) => setCls(v as ApplicableClass)}>
        <Stack gap="xs" mt="xs">
          {applicableClasses
            .filter((c) => c !== org.memberClass)
            .map((c) => (
              <Radio key={c} value={c} label={t(`memberClass.${c}`)} description={t(`membership.classHelp.${c}`)} />
            ))}
        </Stack>
      </Radio.Group>
      {org.foreignCapital && !org.specialApproval && cls !== 'general' && (
        <Alert color="orange" variant="light">
          {t('membership.special.warning')}
        </Alert>
      )}
      {cls === 'type1' && (
        <Textarea label={t('membership.join.capabilities')} description={t('membership.join.capabilitiesHelp')} value={capabilities} onChange={(e) => setCapabilities(e.currentTarget.value)} autosize minRows={3} maxLength={4000} required />
      )}
      {cls === 'type2' && <Checkbox label={t('membership.join.commitment')} checked={commitment} onChange={(e) => setCommitment(e.currentTarget.checked)} />}
      <Textarea label={t('membership.requests.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={3} maxLength={4000} required />
      <ErrorAlert error={submit.error} />
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          {t('common.cancel')}
        </Button>
        <Button onClick={() => submit.mutate()} loading={submit.isPending} disabled={!reason.trim()}>
          {t('membership.mine.classSubmit')}
        </Button>
      </Group>
    </Stack>
  );
}

/** 自組織の構成員資格: the organisation administrator's view of its standing, with 変更届, 区分変更 and 退会. */
export function MyMembershipPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const queryClient = useQueryClient();
  const org = session.organization;
  const view = useStanding(org.id);
  const [form, setForm] = useState<'change' | 'class' | null>(null);
  const [withdrawing, setWithdrawing] = useState(false);
  const [confirmText, setConfirmText] = useState('');
  const cancel = useMutation({
    mutationFn: (id: string) => membershipApi.cancelClassChange(id),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['membership'] }),
  });
  const withdraw = useMutation({
    mutationFn: () => membershipApi.standing(org.id, 'withdraw'),
    onSuccess: () => {
      setWithdrawing(false);
      // The organisation's accounts stop working: the next request ends the session.
      void queryClient.invalidateQueries();
    },
  });
  const v = view.data;
  const active = v?.status === 'member';
  const name = orgName(org, i18n.language);
  return (
    <Stack maw={1100} data-testid="my-membership">
      <Title order={2}>{t('membership.nav.mine')}</Title>
      <ErrorAlert error={view.error} />
      {v && (
        <>
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Title order={3}>{name}</Title>
              <StandingFacts view={v} />
              {active && (
                <Group>
                  <Button variant="light" onClick={() => setForm('change')} data-testid="mine-change">
                    {t('membership.mine.change')}
                  </Button>
                  <Button variant="light" onClick={() => setForm('class')} disabled={v.classChanges.some((c) => c.status === 'submitted') || v.designated} data-testid="mine-class">
                    {t('membership.mine.classChange')}
                  </Button>
                  <Button variant="subtle" color="red" onClick={() => setWithdrawing(true)} data-testid="mine-withdraw">
                    {t('membership.standing.action.withdraw')}
                  </Button>
                </Group>
              )}
            </Stack>
          </Card>
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Title order={3}>{t('membership.mine.requests')}</Title>
              {v.classChanges.length === 0 && v.changeNotifications.length === 0 && <Text size="sm">{t('common.noData')}</Text>}
              {v.classChanges.map((c) => (
                <Group key={c.id} justify="space-between" wrap="nowrap">
                  <Stack gap={2}>
                    <Text size="sm">
                      {t('membership.mine.classLine', { from: t(`memberClass.${c.fromClass}`), to: t(`memberClass.${c.requestedClass}`), at: formatJst(c.submittedAt) })}
                    </Text>
                    {c.decisionReason && <Text size="xs" c="dimmed">{t('membership.requests.comment', { text: c.decisionReason })}</Text>}
                  </Stack>
                  <Group gap="xs" wrap="nowrap">
                    <RequestStatusBadge status={c.status} />
                    {c.status === 'submitted' && (
                      <Button size="xs" variant="subtle" onClick={() => cancel.mutate(c.id)} loading={cancel.isPending}>
                        {t('membership.mine.cancel')}
                      </Button>
                    )}
                  </Group>
                </Group>
              ))}
              {v.changeNotifications.map((c) => (
                <Group key={c.id} justify="space-between" align="flex-start" wrap="nowrap">
                  <Stack gap={2}>
                    <Text size="sm">{t('membership.mine.changeLine', { at: formatJst(c.submittedAt) })}</Text>
                    <ChangeList changes={c.changes} />
                    {c.reviewComment && <Text size="xs" c="dimmed">{t('membership.requests.comment', { text: c.reviewComment })}</Text>}
                  </Stack>
                  <RequestStatusBadge status={c.status} />
                </Group>
              ))}
              <ErrorAlert error={cancel.error} />
            </Stack>
          </Card>
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Title order={3}>{t('membership.history')}</Title>
              <EventsTable view={v} />
            </Stack>
          </Card>
        </>
      )}
      <Modal opened={form !== null} onClose={() => setForm(null)} title={form === 'class' ? t('membership.mine.classChange') : t('membership.mine.change')} size="lg" centered>
        {form === 'change' && <ChangeForm org={org} onDone={() => setForm(null)} />}
        {form === 'class' && <ClassChangeForm org={org} onDone={() => setForm(null)} />}
      </Modal>
      <Modal opened={withdrawing} onClose={() => { setWithdrawing(false); setConfirmText(''); }} title={t('membership.mine.withdrawTitle')} centered>
        <Stack>
          <Text size="sm">{t('membership.mine.withdrawConfirm', { name })}</Text>
          <TextInput label={t('membership.mine.withdrawType', { name })} value={confirmText} onChange={(e) => setConfirmText(e.currentTarget.value)} data-testid="mine-withdraw-name" />
          <ErrorAlert error={withdraw.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => { setWithdrawing(false); setConfirmText(''); }}>
              {t('common.cancel')}
            </Button>
            <Button color="red" loading={withdraw.isPending} disabled={confirmText.trim() !== name} onClick={() => withdraw.mutate()} data-testid="mine-withdraw-confirm">
              {t('membership.standing.action.withdraw')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Stack>
  );
}
