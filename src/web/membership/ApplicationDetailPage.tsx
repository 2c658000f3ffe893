import { Alert, Anchor, Badge, Button, Card, Code, CopyButton, Group, Modal, Radio, SimpleGrid, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { formatJst } from '../format.js';
import { can, useSignedIn } from '../session.js';
import { membershipApi, type ApplicableClass, type ApplicationDetail, type ApprovalResult } from './api.js';
import { member } from './can.js';
import { ApplicationHistory } from './History.js';
import { SpecialApprovalField } from './SpecialApprovalField.js';
import { ApplicationStatusBadge, Fact, applicableClasses } from './ui.js';

const UNDECIDED = ['submitted', 'returned', 'checked'];

/** The one-time password link to hand to the new administrator (the applicant can also get one via the status link). */
function Approved({ result }: { result: ApprovalResult }) {
  const { t } = useTranslation();
  const link = `${window.location.origin}/password-setup/${encodeURIComponent(result.passwordSetupToken)}`;
  return (
    <Alert color="orange" variant="light" title={t('common.showOnceTitle')} data-testid="approval-result">
      <Stack gap="xs">
        <Text size="sm">{t('membership.review.approvedLead', { login: result.administrator.login })}</Text>
        <Group gap="xs" wrap="nowrap">
          <Code block style={{ flex: 1, wordBreak: 'break-all', whiteSpace: 'pre-wrap' }} data-testid="approval-password-link">
            {link}
          </Code>
          <CopyButton value={link}>
            {({ copied, copy }) => (
              <Button size="xs" variant="light" color={copied ? 'teal' : 'blue'} onClick={copy}>
                {copied ? t('common.copied') : t('common.copy')}
              </Button>
            )}
          </CopyButton>
        </Group>
        <Text size="xs">{t('membership.review.approvedExpires', { at: formatJst(result.passwordSetupExpiresAt) })}</Text>
      </Stack>
    </Alert>
  );
}

function Decide({ app, onApproved }: { app: ApplicationDetail; onApproved: (r: ApprovalResult) => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [cls, setCls] = useState<ApplicableClass>(app.requestedClass);
  const [reason, setReason] = useState('');
  const [granted, setGranted] = useState(false);
  const [specialReason, setSpecialReason] = useState('');
  const [rejecting, setRejecting] = useState(false);
  const [rejectReason, setRejectReason] = useState('');
  const needsSpecial = app.foreignCapital && cls !== 'general';
  const refresh = (d: ApplicationDetail) => {
    queryClient.setQueryData(['membership', 'application', app.id], d);
    void queryClient.invalidateQueries({ queryKey: ['membership', 'applications'] });
  };
  const approve = useMutation({
    mutationFn: () =>
      membershipApi.approveApplication(app.id, {
        memberClass: cls,
        ...(reason.trim() ? { reason: reason.trim() } : {}),
        ...(needsSpecial && granted ? { specialApproval: { reason: specialReason.trim() } } : {}),
      }),
    onSuccess: (r) => {
      onApproved(r);
      refresh(r.application);
      notifications.show({ color: 'teal', message: t('membership.review.approved') });
    },
  });
  const reject = useMutation({
    mutationFn: () => membershipApi.rejectApplication(app.id, rejectReason.trim()),
    onSuccess: (d) => {
      setRejecting(false);
      refresh(d);
      notifications.show({ color: 'teal', message: t('membership.review.rejected') });
    },
  });
  const blocked = needsSpecial && (!granted || !specialReason.trim());

  return (
    <Card withBorder padding="lg" radius="md" data-testid="decide">
      <Stack>
        <Title order={3}>{t('membership.review.decideTitle')}</Title>
        {app.status !== 'checked' ? (
          <Text size="sm" c="dimmed">
            {t('membership.review.notChecked')}
          </Text>
        ) : (
          <>
            <Radio.Group label={t('membership.review.class')} description={t('membership.review.classHelp')} value={cls} onChange={(v) => setCls(v as ApplicableClass)}>
              <Group mt="xs">
                {applicableClasses.map((c) => (
                  <Radio
                    key={c}
                    value={c}
                    label={`${t(`memberClass.${c}`)}${c === app.requestedClass ? ` ${t('membership.review.requestedMark')}` : ''}`}
                    data-testid={`decide-class-${c}`}
                  />
                ))}
              </Group>
            </Radio.Group>
            <SpecialApprovalField needed={needsSpecial} granted={granted} onGranted={setGranted} reason={specialReason} onReason={setSpecialReason} />
            <Textarea label={t('membership.review.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} autosize minRows={2} maxLength={2000} data-testid="decide-reason" />
            <ErrorAlert error={approve.error} testId="decide-error" />
            <Group>
              <Button color="teal" onClick={() => approve.mutate()} loading={approve.isPending} disabled={blocked} data-testid="decide-approve">
                {t('membership.review.approve')}
              </Button>
            </Group>
          </>
        )}
        <Group>
          <Button variant="light" color="red" onClick={() => setRejecting(true)} data-testid="decide-reject">
            {t('membership.review.reject')}
          </Button>
        </Group>
      </Stack>
      <Modal opened={rejecting} onClose={() => setRejecting(false)} title={t('membership.review.rejectTitle')} centered>
        <Stack>
          <Textarea label={t('membership.review.rejectReason')} value={rejectReason} onChange={(e) => setRejectReason(e.currentTarget.value)} autosize minRows={3} maxLength={2000} required data-testid="reject-reason" />
          <ErrorAlert error={reject.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </Button>
            <Button color="red" onClick={() => reject.mutate()} loading={reject.isPending} disabled={!rejectReason.trim()} data-testid="reject-confirm">
              {t('membership.review.reject')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Card>
  );
}

function Review({ app }: { app: ApplicationDetail }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [note, setNote] = useState('');
  const [question, setQuestion] = useState('');
  const refresh = (d: ApplicationDetail) => {
    queryClient.setQueryData(['membership', 'application', app.id], d);
    void queryClient.invalidateQueries({ queryKey: ['membership', 'applications'] });
  };
  const check = useMutation({
    mutationFn: () => membershipApi.checkApplication(app.id, note.trim() || undefined),
    onSuccess: (d) => {
      setNote('');
      refresh(d);
      notifications.show({ color: 'teal', message: t('membership.review.checked') });
    },
  });
  const ret = useMutation({
    mutationFn: () => membershipApi.returnApplication(app.id, question.trim()),
    onSuccess: (d) => {
      setQuestion('');
      refresh(d);
      notifications.show({ color: 'teal', message: t('membership.review.returned') });
    },
  });
  if (app.status === 'returned') {
    return (
      <Alert color="orange" variant="light" data-testid="review-awaiting">
        {t('membership.review.awaitingAnswer')}
      </Alert>
    );
  }
  return (
    <Card withBorder padding="lg" radius="md" data-testid="review">
      <Stack>
        <Title order={3}>{t('membership.review.title')}</Title>
        {app.status === 'submitted' && (
          <Stack gap="xs">
            <Textarea label={t('membership.review.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} autosize minRows={2} maxLength={2000} data-testid="review-note" />
            <ErrorAlert error={check.error} />
            <Group>
              <Button onClick={() => check.mutate()} loading={check.isPending} data-testid="review-check">
                {t('membership.review.check')}
              </Button>
            </Group>
          </Stack>
        )}
        <Stack gap="xs">
          <Textarea
            label={t('membership.review.question')}
            description={t('membership.review.questionHelp')}
            value={question}
            onChange={(e) => setQuestion(e.currentTarget.value)}
            autosize
            minRows={2}
            maxLength={4000}
            data-testid="review-question"
          />
          <ErrorAlert error={ret.error} />
          <Group>
            <Button variant="light" color="orange" onClick={() => ret.mutate()} loading={ret.isPending} disabled={!question.trim()} data-testid="review-return">
              {t('membership.review.return')}
            </Button>
          </Group>
        </Stack>
      </Stack>
    </Card>
  );
}

/** One application: its fields, its history, and the secretariat's and the committee's actions. */
export function ApplicationDetailPage() {
  const { t } = useTranslation();
  const session = useSignedIn();
  const { id = '' } = useParams();
  const app = useQuery({ queryKey: ['membership', 'application', id], queryFn: () => membershipApi.application(id), retry: false });
  const [approval, setApproval] = useState<ApprovalResult | null>(null);

  if (app.error instanceof ApiError && app.error.status === 404) return <Problem kind="notFound" />;
  const a = app.data;
  return (
    <Stack maw={1100} data-testid="application-detail">
      <Anchor component={Link} to="/membership/applications" size="sm">
        ← {t('membership.applications.title')}
      </Anchor>
      <ErrorAlert error={app.error} />
      {app.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {a && (
        <>
          <Group justify="space-between">
            <Title order={2} data-testid="application-name">
              {a.nameJa}
            </Title>
            <ApplicationStatusBadge status={a.status} testId="application-status" />
          </Group>
          {approval && <Approved result={approval} />}
          {a.orgId && can.manageOrganizations(session) && (
            <Anchor component={Link} to={`/organizations/${a.orgId}`} size="sm" data-testid="application-org-link">
              {t('membership.review.toOrganization')}
            </Anchor>
          )}
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <SimpleGrid cols={{ base: 1, sm: 3 }}>
                <Fact label={t('org.nameEn')}>{a.nameEn}</Fact>
                <Fact label={t('membership.period')}>{t('membership.periodLabel', { number: a.periodNumber })}</Fact>
                <Fact label={t('membership.submittedAt')}>{formatJst(a.createdAt)}</Fact>
                <Fact label={t('org.category')}>{t(`category.${a.category}`)}</Fact>
                <Fact label={t('org.sector')}>{a.sector ? t(`sector.${a.sector}`) : t('common.none')}</Fact>
                <Fact label={t('membership.join.address')}>{a.address ?? t('common.none')}</Fact>
                <Fact label={t('org.foreignCapital')} testId="application-foreign">
                  {a.foreignCapital ? t('membership.review.foreignYes', { share: a.foreignCapitalShare ?? '—' }) : t('common.no')}
                </Fact>
                <Fact label={t('membership.requestedClass')}>
                  <Badge variant="light">{t(`memberClass.${a.requestedClass}`)}</Badge>
                </Fact>
                {a.decidedClass && <Fact label={t('membership.decidedClass')}>{t(`memberClass.${a.decidedClass}`)}</Fact>}
                <Fact label={t('membership.join.rosterConsentShort')}>{a.rosterConsent ? t('common.yes') : t('common.no')}</Fact>
                {a.requestedClass === 'type2' && <Fact label={t('membership.join.commitmentShort')}>{a.quickFeedbackCommitment ? t('common.yes') : t('common.no')}</Fact>}
              </SimpleGrid>
              <Fact label={t('membership.join.reason')}>{a.reason}</Fact>
              {a.capabilities && <Fact label={t('membership.join.capabilities')}>{a.capabilities}</Fact>}
              {a.decisionReason && <Fact label={t('membership.decisionReason')}>{a.decisionReason}</Fact>}
              <Table.ScrollContainer minWidth={600}>
                <Table withTableBorder>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th>{t('membership.contact.name')}</Table.Th>
                      <Table.Th>{t('membership.contact.department')}</Table.Th>
                      <Table.Th>{t('membership.contact.email')}</Table.Th>
                      <Table.Th>{t('membership.contact.phone')}</Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {a.contacts.map((c, i) => (
                      <Table.Tr key={i}>
                        <Table.Td>
                          {c.name}
                          {i === 0 && (
                            <Badge ml={6} size="xs" variant="outline">
                              {t('membership.contact.first')}
                            </Badge>
                          )}
                        </Table.Td>
                        <Table.Td>{c.department || t('common.none')}</Table.Td>
                        <Table.Td>{c.email}</Table.Td>
                        <Table.Td>{c.phone}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </Table.ScrollContainer>
            </Stack>
          </Card>
          {UNDECIDED.includes(a.status) && member.review(session) && <Review app={a} />}
          {UNDECIDED.includes(a.status) && member.decide(session) && <Decide app={a} onApproved={setApproval} />}
          <Card withBorder padding="lg" radius="md">
            <Stack>
              <Title order={3}>{t('membership.history')}</Title>
              <ApplicationHistory events={a.history} showActor />
            </Stack>
          </Card>
        </>
      )}
    </Stack>
  );
}
