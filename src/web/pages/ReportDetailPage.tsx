import {
  Anchor,
  Badge,
  Button,
  Card,
  FileInput,
  Grid,
  Group,
  Paper,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  Tooltip,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams } from 'react-router';
import { ApiError } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { Problem } from '../components/Problem.js';
import { formatJst } from '../format.js';
import { orgName } from '../labels.js';
import { useSignedIn } from '../session.js';
import { sharingApi, type CommentKind, type ReportDetail } from '../sharing/api.js';
import { CertaintyBadge, StatusBadge } from '../sharing/badges.js';
import { share } from '../sharing/can.js';
import { commentKindColor, commentKinds, observableTypeLabel, pick, reportStatusOptions, reportStatuses } from '../sharing/labels.js';
import { TlpBadge } from '../sharing/TlpBadge.js';

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <Stack gap={2}>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" fw={500} data-testid={testId} component="div">
        {children}
      </Text>
    </Stack>
  );
}

const formatSize = (n: number) => (n < 1024 ? `${n} B` : n < 1024 * 1024 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 / 1024).toFixed(1)} MB`);

function Observables({ detail }: { detail: ReportDetail }) {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('report.observables')}
        </Title>
        {detail.observables.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('observable.none')}
          </Text>
        ) : (
          <Table.ScrollContainer minWidth={600}>
            <Table data-testid="report-observables-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th w={110}>{t('observable.type')}</Table.Th>
                  <Table.Th>{t('observable.value')}</Table.Th>
                  <Table.Th>{t('observable.alsoIn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {detail.observables.map((o) => (
                  <Table.Tr key={`${o.type}:${o.value}`} data-testid="observable-row">
                    <Table.Td>
                      <Badge variant="light" color="indigo" style={{ textTransform: 'none' }}>
                        {observableTypeLabel(t, o.type)}
                      </Badge>
                    </Table.Td>
                    <Table.Td>
                      <Text size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                        {o.value}
                      </Text>
                    </Table.Td>
                    <Table.Td>
                      <Stack gap={2}>
                        {(o.alsoIn ?? []).map((x) => (
                          <Anchor
                            key={`${x.kind}:${x.id}`}
                            component={Link}
                            to={x.kind === 'report' ? `/reports/${x.id}` : `/advisories/${x.id}`}
                            size="sm"
                            data-testid="also-in-link"
                          >
                            {x.kind === 'report' ? t('observable.alsoInReport') : t('observable.alsoInAdvisory')}: {x.title}
                          </Anchor>
                        ))}
                        {!o.alsoIn?.length && t('common.none')}
                      </Stack>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}

function Attachments({ id, detail, canUpload }: { id: string; detail: ReportDetail; canUpload: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const upload = useMutation({
    mutationFn: (f: File) => sharingApi.uploadAttachment(id, f),
    onSuccess: async () => {
      setFile(null);
      notifications.show({ color: 'teal', message: t('report.uploaded') });
      await queryClient.invalidateQueries({ queryKey: ['report', id] });
    },
  });
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('report.attachments')}
        </Title>
        {detail.attachments.length === 0 ? (
          <Text size="sm" c="dimmed">
            {t('report.noAttachments')}
          </Text>
        ) : (
          <Stack gap={4} data-testid="attachment-list">
            {detail.attachments.map((a) => (
              <Group key={a.id} gap="xs" wrap="nowrap">
                <Anchor href={sharingApi.attachmentUrl(a.id)} download={a.filename} size="sm" data-testid="attachment-link">
                  {a.filename}
                </Anchor>
                <Text size="xs" c="dimmed">
                  {formatSize(a.size)} · {formatJst(a.createdAt)}
                </Text>
                <Tooltip label={`SHA-256 ${a.sha256}`}>
                  <Text size="xs" c="dimmed" ff="monospace">
                    {a.sha256.slice(0, 12)}…
                  </Text>
                </Tooltip>
              </Group>
            ))}
          </Stack>
        )}
        {canUpload && (
          <Group align="flex-end" gap="xs">
            <FileInput
              label={t('report.file')}
              value={file}
              onChange={setFile}
              clearable
              w={300}
              data-testid="attachment-input"
            />
            <Button variant="light" disabled={!file} loading={upload.isPending} onClick={() => file && upload.mutate(file)} data-testid="attachment-upload">
              {t('report.upload')}
            </Button>
          </Group>
        )}
        <ErrorAlert error={upload.error} testId="attachment-error" />
      </Stack>
    </Card>
  );
}

function Thread({ id, detail, analyst, canReply }: { id: string; detail: ReportDetail; analyst: boolean; canReply: boolean }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const [body, setBody] = useState('');
  const [kind, setKind] = useState<CommentKind>(analyst ? 'comment' : 'reply');
  const post = useMutation({
    mutationFn: () => sharingApi.addComment(id, { body: body.trim(), kind: analyst ? kind : 'reply' }),
    onSuccess: async () => {
      setBody('');
      notifications.show({ color: 'teal', message: t('report.posted') });
      await queryClient.invalidateQueries({ queryKey: ['report', id] });
      await queryClient.invalidateQueries({ queryKey: ['reports'] });
    },
  });
  const kindLabel = (k: CommentKind) => (k === 'reply' && analyst ? t('report.replyToProvider') : t(`commentKind.${k}`));
  return (
    <Card withBorder padding="lg" radius="md">
      <Stack gap="sm">
        <Title order={3} size="h4">
          {t('report.thread')}
        </Title>
        <Text size="xs" c="dimmed">
          {analyst ? t('report.threadHelpAnalyst') : t('report.threadHelpProvider')}
        </Text>
        {detail.comments.length === 0 && (
          <Text size="sm" c="dimmed">
            {t('report.noComments')}
          </Text>
        )}
        <Stack gap="xs" data-testid="comment-list">
          {detail.comments.map((c) => (
            <Paper key={c.id} withBorder p="sm" radius="sm" data-testid="comment" data-kind={c.kind}>
              <Group justify="space-between" gap="xs" mb={4}>
                <Group gap="xs">
                  <Badge size="sm" color={commentKindColor[c.kind]} variant="light">
                    {kindLabel(c.kind)}
                  </Badge>
                  <Text size="sm" fw={500}>
                    {orgName({ nameJa: c.author.orgNameJa, nameEn: c.author.orgNameEn }, i18n.language)}
                    {c.author.displayName ? ` · ${c.author.displayName}` : ''}
                  </Text>
                </Group>
                <Text size="xs" c="dimmed">
                  {formatJst(c.createdAt)}
                </Text>
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="comment-body">
                {c.body}
              </Text>
            </Paper>
          ))}
        </Stack>
        {canReply && (
          <Stack gap="xs">
            {analyst && (
              <Stack gap={4}>
                <Text size="sm" fw={500}>
                  {t('report.commentKind')}
                </Text>
                <SegmentedControl
                  value={kind}
                  onChange={(x) => setKind(pick(commentKinds, x) ?? 'comment')}
                  data={commentKinds.map((k) => ({ value: k, label: kindLabel(k) }))}
                  data-testid="comment-kind"
                />
              </Stack>
            )}
            <Textarea
              label={t('report.commentBody')}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              autosize
              minRows={3}
              maxLength={20000}
              data-testid="comment-input"
            />
            <ErrorAlert error={post.error} testId="comment-error" />
            <Group>
              <Button onClick={() => post.mutate()} disabled={!body.trim()} loading={post.isPending} data-testid="comment-submit">
                {t('report.post')}
              </Button>
            </Group>
          </Stack>
        )}
      </Stack>
    </Card>
  );
}

/** The Type 1 group's tools: corroborate, status, links, and a countermeasure draft from the report. */
function AnalysisPanel({ id, detail }: { id: string; detail: ReportDetail }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [linkTo, setLinkTo] = useState<string | null>(null);
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ['report', id] });
    await queryClient.invalidateQueries({ queryKey: ['reports'] });
  };
  const corroborate = useMutation({
    mutationFn: () => sharingApi.corroborate(id),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('report.corroborationAdded') });
      await refresh();
    },
  });
  const status = useMutation({
    mutationFn: (s: (typeof reportStatuses)[number]) => sharingApi.setReportStatus(id, s),
    onSuccess: async () => {
      notifications.show({ color: 'teal', message: t('report.statusChanged') });
      await refresh();
    },
  });
  const link = useMutation({
    mutationFn: (other: string) => sharingApi.linkReport(id, other),
    onSuccess: async () => {
      setLinkTo(null);
      notifications.show({ color: 'teal', message: t('report.linked') });
      await refresh();
    },
  });
  const candidates = useQuery({ queryKey: ['reports', 'link-candidates'], queryFn: () => sharingApi.listReports({ limit: 100 }) });
  const linked = new Set(detail.links.map((l) => l.id));
  const options = (candidates.data?.items ?? []).filter((r) => r.id !== id && !linked.has(r.id)).map((r) => ({ value: r.id, label: r.title }));
  const c = detail.corroborations;

  return (
    <Card withBorder padding="lg" radius="md" data-testid="analysis-panel">
      <Stack gap="md">
        <Title order={3} size="h4">
          {t('report.analysis')}
        </Title>
        <Stack gap={4}>
          <Tooltip label={t('report.corroborateHelp')} multiline w={260}>
            <Button
              variant={c.mine ? 'light' : 'filled'}
              color="orange"
              disabled={c.mine}
              loading={corroborate.isPending}
              onClick={() => corroborate.mutate()}
              data-testid="corroborate"
            >
              {c.mine ? t('report.corroborated') : t('report.corroborate')}（{c.count}）
            </Button>
          </Tooltip>
          <Text size="xs" c="dimmed" data-testid="corroboration-count">
            {t('report.corroborationCount', { n: c.count })}
          </Text>
          {c.orgs.map((o) => (
            <Text key={`${o.nameJa}${o.at}`} size="xs">
              {orgName(o, i18n.language)} · {formatJst(o.at)}
            </Text>
          ))}
          <ErrorAlert error={corroborate.error} />
        </Stack>
        <Select
          label={t('reportStatus.label')}
          data={reportStatusOptions(t)}
          value={detail.report.status}
          onChange={(x) => {
            const s = pick(reportStatuses, x);
            if (s && s !== detail.report.status) status.mutate(s);
          }}
          allowDeselect={false}
          disabled={status.isPending}
          data-testid="report-status-select"
        />
        <ErrorAlert error={status.error} />
        <Stack gap={4}>
          <Text size="sm" fw={500}>
            {t('report.links')}
          </Text>
          {detail.links.length === 0 && (
            <Text size="xs" c="dimmed">
              {t('report.noLinks')}
            </Text>
          )}
          {detail.links.map((l) => (
            <Anchor key={l.id} component={Link} to={`/reports/${l.id}`} size="sm" data-testid="report-linked">
              {l.title}
            </Anchor>
          ))}
          <Group gap="xs" align="flex-end" wrap="nowrap">
            <Select
              placeholder={t('report.linkPlaceholder')}
              aria-label={t('report.linkTo')}
              data={options}
              value={linkTo}
              onChange={setLinkTo}
              searchable
              clearable
              style={{ flex: 1 }}
              data-testid="link-select"
            />
            <Button variant="light" disabled={!linkTo} loading={link.isPending} onClick={() => linkTo && link.mutate(linkTo)} data-testid="link-submit">
              {t('report.link')}
            </Button>
          </Group>
          <ErrorAlert error={link.error} />
        </Stack>
        <Stack gap={4}>
          <Button color="grape" onClick={() => void navigate(`/advisories/new?fromReport=${encodeURIComponent(id)}`)} data-testid="create-advisory">
            {t('report.createAdvisory')}
          </Button>
          <Text size="xs" c="dimmed">
            {t('report.createAdvisoryHelp')}
          </Text>
        </Stack>
      </Stack>
    </Card>
  );
}

/** One report: its facts, observables with correlations, attachments, the thread and the analysis tools. */
export function ReportDetailPage() {
  const { t, i18n } = useTranslation();
  const session = useSignedIn();
  const { id = '' } = useParams();
  const query = useQuery({ queryKey: ['report', id], queryFn: () => sharingApi.getReport(id), retry: false });

  if (query.error instanceof ApiError && query.error.status === 404) return <Problem kind="notFound" />;
  const detail = query.data;
  const analyst = share.analyse(session);
  const r = detail?.report;
  const canReply = r ? share.reply(session, r.own) : false;

  return (
    <Stack data-testid="report-detail">
      <Anchor component={Link} to="/reports" size="sm">
        ← {t('report.backToList')}
      </Anchor>
      <ErrorAlert error={query.error} />
      {query.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {detail && r && (
        <>
          <Group gap="sm" align="center">
            <TlpBadge tlp={r.tlp} size="lg" />
            <Title order={2} data-testid="report-heading">
              {r.title}
            </Title>
          </Group>
          <Grid>
            <Grid.Col span={{ base: 12, lg: analyst ? 8 : 12 }}>
              <Stack>
                <Card withBorder padding="lg" radius="md">
                  <Stack>
                    <Group gap="xs">
                      <Badge variant="light">{t(`reportKind.${r.kind}`)}</Badge>
                      <CertaintyBadge certainty={r.certainty} />
                      <StatusBadge status={r.status} />
                      {r.isConsultation && (
                        <Badge color="cyan" variant="light">
                          {t('report.consultationBadge')}
                        </Badge>
                      )}
                      {r.isOriginal && (
                        <Badge color="grape" variant="light">
                          {t('report.originalBadge')}
                        </Badge>
                      )}
                    </Group>
                    <SimpleGrid cols={{ base: 1, sm: 3 }}>
                      <Fact label={t('report.provider')} testId="report-provider">
                        {r.provider ? orgName(r.provider, i18n.language) : t('report.anonymous')}
                        <Text size="xs" c="dimmed">
                          {r.providerNamed ? t('report.namedNote') : t('report.anonymousNote')}
                        </Text>
                      </Fact>
                      <Fact label={t('confidence.label')}>{t(`confidence.${r.confidence}`)}</Fact>
                      <Fact label={t('report.createdAt')} testId="report-created">
                        {formatJst(r.createdAt)}
                      </Fact>
                    </SimpleGrid>
                    <Stack gap={2}>
                      <Text size="xs" c="dimmed">
                        {t('report.description')}
                      </Text>
                      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="report-description-text">
                        {r.description}
                      </Text>
                    </Stack>
                    {(r.attackSource || r.technique || r.objective) && (
                      <SimpleGrid cols={{ base: 1, sm: 3 }}>
                        <Fact label={t('report.attackSource')}>{r.attackSource ?? t('common.none')}</Fact>
                        <Fact label={t('report.technique')}>{r.technique ?? t('common.none')}</Fact>
                        <Fact label={t('report.objective')}>{r.objective ?? t('common.none')}</Fact>
                      </SimpleGrid>
                    )}
                  </Stack>
                </Card>
                <Observables detail={detail} />
                <Attachments id={id} detail={detail} canUpload={canReply} />
                {(analyst || canReply || detail.comments.length > 0) && <Thread id={id} detail={detail} analyst={analyst} canReply={canReply} />}
              </Stack>
            </Grid.Col>
            {analyst && (
              <Grid.Col span={{ base: 12, lg: 4 }}>
                <AnalysisPanel id={id} detail={detail} />
              </Grid.Col>
            )}
          </Grid>
          <Text size="xs" c="dimmed">
            {t('common.jstNote')}
          </Text>
        </>
      )}
    </Stack>
  );
}
