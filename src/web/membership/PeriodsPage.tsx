import { Badge, Button, Card, Group, Modal, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmModal } from '../components/ConfirmModal.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { membershipApi, pathErrors, type RecruitmentPeriod } from './api.js';
import { isoToJstInput, jstInputToIso } from './ui.js';

const stateColor = { upcoming: 'blue', open: 'teal', closed: 'gray' } as const;

function PeriodForm({ period, onDone }: { period: RecruitmentPeriod | null; onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [number, setNumber] = useState<number | string>('');
  const [opens, setOpens] = useState(isoToJstInput(period?.opensAt));
  const [closes, setCloses] = useState(isoToJstInput(period?.closesAt));
  const [decision, setDecision] = useState(period?.decisionDate ?? '');
  const save = useMutation({
    mutationFn: () => {
      const body = { opensAt: jstInputToIso(opens), closesAt: jstInputToIso(closes), decisionDate: decision || null };
      return period ? membershipApi.updatePeriod(period.number, body) : membershipApi.createPeriod({ ...body, ...(number !== '' ? { number: Number(number) } : {}) });
    },
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('common.saved') });
      await queryClient.invalidateQueries({ queryKey: ['membership', 'periods'] });
      onDone();
    },
  });
  const errs = pathErrors(save.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (opens && closes) save.mutate();
  };
  return (
    <form onSubmit={submit} noValidate data-testid="period-form">
      <Stack>
        {!period && (
          <NumberInput label={t('membership.periods.number')} description={t('membership.periods.numberHelp')} value={number} onChange={setNumber} min={1} max={10000} w={200} />
        )}
        <TextInput type="datetime-local" label={t('membership.periods.opensAt')} value={opens} onChange={(e) => setOpens(e.currentTarget.value)} error={errs.opensAt} required data-testid="period-opens" />
        <TextInput type="datetime-local" label={t('membership.periods.closesAt')} value={closes} onChange={(e) => setCloses(e.currentTarget.value)} error={errs.closesAt} required data-testid="period-closes" />
        <TextInput type="date" label={t('membership.periods.decisionDate')} value={decision} onChange={(e) => setDecision(e.currentTarget.value)} error={errs.decisionDate} data-testid="period-decision" />
        <Text size="xs" c="dimmed">
          {t('common.jstNote')}
        </Text>
        <ErrorAlert error={save.error} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onDone}>
            {t('common.cancel')}
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!opens || !closes} data-testid="period-save">
            {t('common.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** 募集期間: recruitment periods (第N期), entered in Japan time (secretariat administrators). */
export function PeriodsPage() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const periods = useQuery({ queryKey: ['membership', 'periods'], queryFn: membershipApi.periods });
  const [editing, setEditing] = useState<RecruitmentPeriod | 'new' | null>(null);
  const [deleting, setDeleting] = useState<RecruitmentPeriod | null>(null);
  const remove = useMutation({
    mutationFn: (n: number) => membershipApi.deletePeriod(n),
    onSuccess: async () => {
      setDeleting(null);
      await queryClient.invalidateQueries({ queryKey: ['membership', 'periods'] });
    },
  });
  return (
    <Stack maw={1100} data-testid="periods">
      <Group justify="space-between">
        <Stack gap={2}>
          <Title order={2}>{t('membership.periods.title')}</Title>
          <Text size="sm" c="dimmed">
            {t('membership.periods.lead')}
          </Text>
        </Stack>
        <Button onClick={() => setEditing('new')} data-testid="period-new">
          {t('membership.periods.new')}
        </Button>
      </Group>
      <ErrorAlert error={periods.error} />
      {periods.data && (
        <Card withBorder padding={0} radius="md">
          <Table.ScrollContainer minWidth={800}>
            <Table striped data-testid="periods-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('membership.period')}</Table.Th>
                  <Table.Th>{t('membership.periods.opensAt')}</Table.Th>
                  <Table.Th>{t('membership.periods.closesAt')}</Table.Th>
                  <Table.Th>{t('membership.periods.decisionDate')}</Table.Th>
                  <Table.Th>{t('membership.statusLabel')}</Table.Th>
                  <Table.Th>{t('common.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {periods.data.length === 0 && (
                  <Table.Tr>
                    <Table.Td colSpan={6}>{t('common.noData')}</Table.Td>
                  </Table.Tr>
                )}
                {periods.data.map((p) => (
                  <Table.Tr key={p.number} data-testid="period-row">
                    <Table.Td>{t('membership.periodLabel', { number: p.number })}</Table.Td>
                    <Table.Td>{formatJst(p.opensAt)}</Table.Td>
                    <Table.Td>{formatJst(p.closesAt)}</Table.Td>
                    <Table.Td>{p.decisionDate ?? t('common.none')}</Table.Td>
                    <Table.Td>
                      <Badge color={stateColor[p.state]} variant="light">
                        {t(`membership.periods.state.${p.state}`)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Group gap="xs">
                        <Button size="xs" variant="light" onClick={() => setEditing(p)}>
                          {t('common.edit')}
                        </Button>
                        <Button size="xs" variant="subtle" color="red" onClick={() => setDeleting(p)}>
                          {t('membership.periods.delete')}
                        </Button>
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </Card>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing === 'new' ? t('membership.periods.new') : editing ? t('membership.periods.editTitle', { number: editing.number }) : ''}
        centered
      >
        {editing !== null && <PeriodForm period={editing === 'new' ? null : editing} onDone={() => setEditing(null)} />}
      </Modal>
      <ConfirmModal
        opened={deleting !== null}
        title={t('membership.periods.deleteTitle')}
        message={deleting ? t('membership.periods.deleteConfirm', { number: deleting.number }) : ''}
        confirmLabel={t('membership.periods.delete')}
        loading={remove.isPending}
        error={remove.error}
        onConfirm={() => deleting && remove.mutate(deleting.number)}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
      />
    </Stack>
  );
}
