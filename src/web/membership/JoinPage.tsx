import {
  Alert,
  Anchor,
  Button,
  Card,
  Checkbox,
  CopyButton,
  Group,
  List,
  NumberInput,
  Paper,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  Text,
  TextInput,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, type Category, type Sector } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { currentLang } from '../i18n/index.js';
import { categoryOptions, sectorOptions } from '../labels.js';
import { codeField, membershipApi, pathErrors, type ApplicableClass, type ApplicationInput, type Contact, type RecruitmentPeriod } from './api.js';
import { applicableClasses } from './ui.js';

/** The private status link of an application (absolute, to bookmark or copy). */
export const statusLink = (token: string) => `${window.location.origin}/applications/status/${encodeURIComponent(token)}`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+\-() ]{6,24}$/;

const emptyContact = (): Contact => ({ name: '', department: '', email: '', phone: '' });

/** The open period, or why there is none (the next or the last one). */
export function PeriodNotice({ periods }: { periods: RecruitmentPeriod[] }) {
  const { t } = useTranslation();
  const open = periods.find((p) => p.open);
  if (open) {
    return (
      <Alert color="teal" variant="light" title={t('membership.join.openTitle', { number: open.number })} data-testid="join-open-period">
        <Stack gap={4}>
          <Text size="sm">
            {t('membership.join.openRange', { opens: formatJst(open.opensAt), closes: formatJst(open.closesAt) })}
          </Text>
          <Text size="lg" fw={700} data-testid="join-deadline">
            {t('membership.join.deadline', { closes: formatJst(open.closesAt) })}
          </Text>
          {open.decisionDate && <Text size="sm">{t('membership.join.decisionDate', { date: open.decisionDate })}</Text>}
        </Stack>
      </Alert>
    );
  }
  // Newest first: the nearest upcoming is the last upcoming in the list.
  const upcoming = periods.filter((p) => p.state === 'upcoming').at(-1);
  const last = periods.find((p) => p.state === 'closed');
  return (
    <Alert color="gray" variant="light" title={t('membership.join.closedTitle')} data-testid="join-closed">
      <Stack gap={4}>
        {upcoming && (
          <Text size="sm" data-testid="join-next-period">
            {t('membership.join.nextPeriod', { number: upcoming.number, opens: formatJst(upcoming.opensAt), closes: formatJst(upcoming.closesAt) })}
          </Text>
        )}
        {last && <Text size="sm">{t('membership.join.lastPeriod', { number: last.number, closes: formatJst(last.closesAt) })}</Text>}
        {!upcoming && !last && <Text size="sm">{t('membership.join.noPeriods')}</Text>}
      </Stack>
    </Alert>
  );
}

/** After sending: the private status link, shown once, prominently. */
function Sent({ token, number }: { token: string; number: number }) {
  const { t } = useTranslation();
  const link = statusLink(token);
  return (
    <Stack maw={860} data-testid="join-sent">
      <Title order={2}>{t('membership.join.sentTitle')}</Title>
      <Text>{t('membership.join.sentLead', { number })}</Text>
      <Paper withBorder p="lg" radius="md" bg="yellow.0" style={{ borderColor: 'var(--mantine-color-yellow-6)', borderWidth: 2 }}>
        <Stack gap="sm">
          <Text fw={700} size="lg">
            {t('membership.join.linkTitle')}
          </Text>
          <Text size="sm">{t('membership.join.linkWarning')}</Text>
          <Text ff="monospace" fw={700} style={{ wordBreak: 'break-all' }} data-testid="join-status-link">
            {link}
          </Text>
          <Group>
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : 'dark'} onClick={copy}>
                  {copied ? t('common.copied') : t('membership.join.copyLink')}
                </Button>
              )}
            </CopyButton>
            <Button component={Link} to={`/applications/status/${encodeURIComponent(token)}`} data-testid="join-open-status">
              {t('membership.join.openLink')}
            </Button>
          </Group>
          <List size="sm" spacing={4}>
            <List.Item>{t('membership.join.linkHint1')}</List.Item>
            <List.Item>{t('membership.join.linkHint2')}</List.Item>
          </List>
        </Stack>
      </Paper>
    </Stack>
  );
}

/** 構成員募集: the open recruitment period and the application form (加入申込書), without an account. */
export function JoinPage() {
  const { t } = useTranslation();
  const periods = useQuery({ queryKey: ['membership', 'periods'], queryFn: membershipApi.periods });
  const [nameJa, setNameJa] = useState('');
  const [nameEn, setNameEn] = useState('');
  const [category, setCategory] = useState<Category | null>(null);
  const [sector, setSector] = useState<Sector | null>(null);
  const [address, setAddress] = useState('');
  const [foreignCapital, setForeignCapital] = useState(false);
  const [share, setShare] = useState<number | string>('');
  const [requestedClass, setRequestedClass] = useState<ApplicableClass>('general');
  const [capabilities, setCapabilities] = useState('');
  const [commitment, setCommitment] = useState(false);
  const [contacts, setContacts] = useState<Contact[]>([emptyContact()]);
  const [reason, setReason] = useState('');
  const [rosterConsent, setRosterConsent] = useState(false);
  const [touched, setTouched] = useState(false);

  const send = useMutation({ mutationFn: membershipApi.apply });
  if (send.data) return <Sent token={send.data.accessToken} number={send.data.application.periodNumber} />;

  const req = (v: string) => (v.trim() ? undefined : t('common.required'));
  const local: Record<string, string | undefined> = {
    nameJa: req(nameJa),
    nameEn: req(nameEn),
    category: category ? undefined : t('common.required'),
    sector: category === 'critical_infrastructure' && !sector ? t('membership.join.sectorRequired') : undefined,
    foreignCapitalShare: foreignCapital && share === '' ? t('membership.join.shareRequired') : undefined,
    capabilities: requestedClass === 'type1' && !capabilities.trim() ? t('membership.join.capabilitiesRequired') : undefined,
    quickFeedbackCommitment: requestedClass === 'type2' && !commitment ? t('membership.join.commitmentRequired') : undefined,
    reason: req(reason),
  };
  contacts.forEach((c, i) => {
    local[`contacts.${i}.name`] = req(c.name);
    local[`contacts.${i}.email`] = !c.email.trim() ? t('common.required') : EMAIL.test(c.email.trim()) ? undefined : t('membership.join.emailInvalid');
    local[`contacts.${i}.phone`] = !c.phone.trim() ? t('common.required') : PHONE.test(c.phone.trim()) ? undefined : t('membership.join.phoneInvalid');
  });
  const server = pathErrors(send.error);
  if (send.error instanceof ApiError && codeField[send.error.code]) server[codeField[send.error.code] ?? ''] = send.error.message;
  const err = (k: string) => (touched ? local[k] : undefined) ?? server[k];
  // Messages that belong to no field of the form stay at the top.
  const fieldLevel = send.error instanceof ApiError && (send.error.code === 'invalid_input' || send.error.code in codeField);

  const setContact = (i: number, patch: Partial<Contact>) => setContacts((list) => list.map((c, j) => (j === i ? { ...c, ...patch } : c)));

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (Object.values(local).some(Boolean) || !category) return;
    const body: ApplicationInput = {
      nameJa: nameJa.trim(),
      nameEn: nameEn.trim(),
      category,
      sector: category === 'critical_infrastructure' ? sector : null,
      ...(address.trim() ? { address: address.trim() } : {}),
      foreignCapital,
      foreignCapitalShare: foreignCapital && share !== '' ? Number(share) : null,
      requestedClass,
      contacts: contacts.map((c) => ({ name: c.name.trim(), department: c.department.trim(), email: c.email.trim(), phone: c.phone.trim() })),
      reason: reason.trim(),
      ...(capabilities.trim() ? { capabilities: capabilities.trim() } : {}),
      quickFeedbackCommitment: commitment,
      rosterConsent,
      locale: currentLang(),
    };
    send.mutate(body);
  };

  const open = periods.data?.find((p) => p.open);

  return (
    <Stack maw={900} data-testid="join">
      <Title order={2}>{t('membership.join.title')}</Title>
      <Text>{t('membership.join.lead')}</Text>
      <ErrorAlert error={periods.error} />
      {periods.data && <PeriodNotice periods={periods.data} />}
      <Group gap="md">
        <Anchor component={Link} to="/roster" size="sm">
          {t('membership.roster.title')}
        </Anchor>
        <Anchor component={Link} to="/login" size="sm">
          {t('membership.join.toLogin')}
        </Anchor>
      </Group>
      {open && (
        <Card withBorder padding="lg" radius="md">
          <form onSubmit={submit} noValidate data-testid="join-form">
            <Stack>
              <Title order={3}>{t('membership.join.formTitle', { number: open.number })}</Title>
              {touched && Object.values(local).some(Boolean) && (
                <Alert color="red" variant="light" data-testid="join-incomplete">
                  {t('membership.join.incomplete')}
                </Alert>
              )}
              {send.error && !fieldLevel && <ErrorAlert error={send.error} testId="join-error" />}
              {send.error && fieldLevel && (
                <Alert color="red" variant="light" data-testid="join-error">
                  {send.error.message}
                </Alert>
              )}
              <Title order={4}>{t('membership.join.orgSection')}</Title>
              <SimpleGrid cols={{ base: 1, sm: 2 }}>
                <TextInput label={t('org.nameJa')} value={nameJa} onChange={(e) => setNameJa(e.currentTarget.value)} error={err('nameJa')} maxLength={200} required data-testid="join-name-ja" />
                <TextInput label={t('org.nameEn')} value={nameEn} onChange={(e) => setNameEn(e.currentTarget.value)} error={err('nameEn')} maxLength={200} required data-testid="join-name-en" />
                <Select
                  label={t('org.category')}
                  data={categoryOptions(t)}
                  value={category}
                  onChange={(v) => setCategory(v as Category | null)}
                  error={err('category')}
                  required
                  allowDeselect={false}
                  data-testid="join-category"
                />
                {category === 'critical_infrastructure' && (
                  <Select
                    label={t('org.sector')}
                    data={sectorOptions(t)}
                    value={sector}
                    onChange={(v) => setSector(v as Sector | null)}
                    error={err('sector')}
                    placeholder={t('org.sectorPlaceholder')}
                    required
                    data-testid="join-sector"
                  />
                )}
              </SimpleGrid>
              <TextInput label={t('membership.join.address')} value={address} onChange={(e) => setAddress(e.currentTarget.value)} error={err('address')} maxLength={300} data-testid="join-address" />
              <Group align="flex-start">
                <Switch
                  label={t('org.foreignCapital')}
                  description={t('membership.join.foreignCapitalHelp')}
                  checked={foreignCapital}
                  onChange={(e) => setForeignCapital(e.currentTarget.checked)}
                  data-testid="join-foreign-capital"
                />
                {foreignCapital && (
                  <NumberInput
                    label={t('membership.join.foreignCapitalShare')}
                    value={share}
                    onChange={setShare}
                    min={0}
                    max={100}
                    suffix="%"
                    error={err('foreignCapitalShare')}
                    required
                    w={200}
                    data-testid="join-foreign-share"
                  />
                )}
              </Group>

              <Title order={4}>{t('membership.join.classSection')}</Title>
              <Radio.Group value={requestedClass} onChange={(v) => setRequestedClass(v as ApplicableClass)} data-testid="join-class">
                <Stack gap="xs">
                  {applicableClasses.map((c) => (
                    <Radio key={c} value={c} label={t(`memberClass.${c}`)} description={t(`membership.classHelp.${c}`)} data-testid={`join-class-${c}`} />
                  ))}
                </Stack>
              </Radio.Group>
              {requestedClass === 'type1' && (
                <Textarea
                  label={t('membership.join.capabilities')}
                  description={t('membership.join.capabilitiesHelp')}
                  value={capabilities}
                  onChange={(e) => setCapabilities(e.currentTarget.value)}
                  error={err('capabilities')}
                  autosize
                  minRows={3}
                  maxLength={4000}
                  required
                  data-testid="join-capabilities"
                />
              )}
              {requestedClass === 'type2' && (
                <Checkbox
                  label={t('membership.join.commitment')}
                  checked={commitment}
                  onChange={(e) => setCommitment(e.currentTarget.checked)}
                  error={err('quickFeedbackCommitment')}
                  data-testid="join-commitment"
                />
              )}
              <Textarea
                label={t('membership.join.reason')}
                description={t('membership.join.reasonHelp')}
                value={reason}
                onChange={(e) => setReason(e.currentTarget.value)}
                error={err('reason')}
                autosize
                minRows={3}
                maxLength={4000}
                required
                data-testid="join-reason"
              />

              <Title order={4}>{t('membership.join.contactsSection')}</Title>
              <Text size="sm" c="dimmed">
                {t('membership.join.contactsHelp')}
              </Text>
              {contacts.map((c, i) => (
                <Paper key={i} withBorder p="sm" radius="sm" data-testid={`join-contact-${i}`}>
                  <Stack gap="xs">
                    <Group justify="space-between">
                      <Text size="sm" fw={600}>
                        {t('membership.join.contactN', { n: i + 1 })}
                      </Text>
                      {i > 0 && (
                        <Anchor component="button" type="button" size="sm" c="red" onClick={() => setContacts((l) => l.filter((_, j) => j !== i))}>
                          {t('membership.join.removeContact')}
                        </Anchor>
                      )}
                    </Group>
                    <SimpleGrid cols={{ base: 1, sm: 2 }}>
                      <TextInput label={t('membership.contact.name')} value={c.name} onChange={(e) => setContact(i, { name: e.currentTarget.value })} error={err(`contacts.${i}.name`)} maxLength={100} required data-testid="join-contact-name" />
                      <TextInput label={t('membership.contact.department')} value={c.department} onChange={(e) => setContact(i, { department: e.currentTarget.value })} error={err(`contacts.${i}.department`)} maxLength={200} data-testid="join-contact-department" />
                      <TextInput label={t('membership.contact.email')} type="email" value={c.email} onChange={(e) => setContact(i, { email: e.currentTarget.value })} error={err(`contacts.${i}.email`)} maxLength={254} required data-testid="join-contact-email" />
                      <TextInput label={t('membership.contact.phone')} type="tel" value={c.phone} onChange={(e) => setContact(i, { phone: e.currentTarget.value })} error={err(`contacts.${i}.phone`)} maxLength={24} required data-testid="join-contact-phone" />
                    </SimpleGrid>
                  </Stack>
                </Paper>
              ))}
              {contacts.length < 3 && (
                <Group>
                  <Button variant="light" size="xs" onClick={() => setContacts((l) => [...l, emptyContact()])} data-testid="join-add-contact">
                    {t('membership.join.addContact')}
                  </Button>
                </Group>
              )}
              <Checkbox
                label={t('membership.join.rosterConsent')}
                description={t('membership.join.rosterConsentHelp')}
                checked={rosterConsent}
                onChange={(e) => setRosterConsent(e.currentTarget.checked)}
                data-testid="join-roster-consent"
              />
              <Alert color="gray" variant="light">
                <Text size="xs">{t('membership.join.privacy')}</Text>
              </Alert>
              <Group>
                <Button type="submit" loading={send.isPending} data-testid="join-submit">
                  {t('membership.join.submit')}
                </Button>
              </Group>
            </Stack>
          </form>
        </Card>
      )}
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
