import { Alert, Anchor, Button, Card, CopyButton, Group, List, Paper, Progress, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError, fieldErrors } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { currentLang } from '../i18n/index.js';
import { requestsApi, type ConsultationInput } from '../requests/api.js';
import { progressShare, solvePow, type PowProgress } from '../requests/pow.js';
import { ObservablesField, observablesFromText } from '../sharing/ObservablesField.js';

/** The private link of a consultation (absolute, to bookmark or copy). */
export const privateLink = (token: string) => `${window.location.origin}/consultations/private/${encodeURIComponent(token)}`;

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

type Phase = { step: 'form' } | { step: 'working'; progress: PowProgress | null } | { step: 'sending' };

/** After sending: the private link, shown once, prominently. */
function Sent({ token }: { token: string }) {
  const { t } = useTranslation();
  const link = privateLink(token);
  return (
    <Stack maw={860} data-testid="consult-sent">
      <Title order={2}>{t('consult.sentTitle')}</Title>
      <Text>{t('consult.sentLead')}</Text>
      <Paper withBorder p="lg" radius="md" bg="yellow.0" style={{ borderColor: 'var(--mantine-color-yellow-6)', borderWidth: 2 }}>
        <Stack gap="sm">
          <Text fw={700} size="lg">
            {t('consult.linkTitle')}
          </Text>
          <Text size="sm">{t('consult.linkWarning')}</Text>
          <Text ff="monospace" fw={700} size="md" style={{ wordBreak: 'break-all' }} data-testid="consult-private-link">
            {link}
          </Text>
          <Group>
            <CopyButton value={link}>
              {({ copied, copy }) => (
                <Button variant={copied ? 'filled' : 'light'} color={copied ? 'teal' : 'dark'} onClick={copy} data-testid="consult-copy-link">
                  {copied ? t('common.copied') : t('consult.copyLink')}
                </Button>
              )}
            </CopyButton>
            <Button component={Link} to={`/consultations/private/${encodeURIComponent(token)}`} data-testid="consult-open-link">
              {t('consult.openLink')}
            </Button>
          </Group>
          <List size="sm" spacing={4}>
            <List.Item>{t('consult.linkHint1')}</List.Item>
            <List.Item>{t('consult.linkHint2')}</List.Item>
            <List.Item>{t('consult.linkHint3')}</List.Item>
          </List>
        </Stack>
      </Paper>
    </Stack>
  );
}

/**
 * 構成員でない方からの相談・情報提供: the public form, without an account. On sending, the browser first solves the
 * server's proof-of-work challenge (in a Web Worker), then sends; the answer is the private link.
 */
export function ConsultPage() {
  const { t } = useTranslation();
  const [name, setName] = useState('');
  const [organization, setOrganization] = useState('');
  const [email, setEmail] = useState('');
  const [body, setBody] = useState('');
  const [observables, setObservables] = useState('');
  const [touched, setTouched] = useState(false);
  const [phase, setPhase] = useState<Phase>({ step: 'form' });
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  const send = useMutation({
    mutationFn: async (input: Omit<ConsultationInput, 'challenge' | 'nonce'>) => {
      const controller = new AbortController();
      abort.current = controller;
      setPhase({ step: 'working', progress: null });
      try {
        const challenge = await requestsApi.challenge();
        const nonce = await solvePow(challenge.challenge, challenge.difficulty, (progress) => setPhase({ step: 'working', progress }), controller.signal);
        setPhase({ step: 'sending' });
        return await requestsApi.submitConsultation({ ...input, challenge: challenge.challenge, nonce });
      } finally {
        abort.current = null;
      }
    },
    onSettled: (_data, error) => {
      if (error) setPhase({ step: 'form' });
    },
  });

  if (send.data) return <Sent token={send.data.token} />;

  const local = {
    name: name.trim() ? undefined : t('common.required'),
    email: !email.trim() ? t('common.required') : EMAIL.test(email.trim()) ? undefined : t('consult.emailInvalid'),
    body: body.trim() ? undefined : t('common.required'),
  };
  const server = fieldErrors(send.error);
  const err = (k: keyof typeof local) => (touched ? local[k] : undefined) ?? server[k];
  const observableError = send.error instanceof ApiError && send.error.code === 'invalid_observable' ? send.error.message : server.observables;
  const busy = phase.step !== 'form';

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    const list = observablesFromText(observables);
    if (Object.values(local).some(Boolean) || list === null) return;
    send.mutate({
      name: name.trim(),
      ...(organization.trim() ? { organization: organization.trim() } : {}),
      email: email.trim(),
      body: body.trim(),
      locale: currentLang(),
      observables: list,
    });
  };

  const share = phase.step === 'working' && phase.progress ? progressShare(phase.progress) : 0;

  return (
    <Stack maw={860} data-testid="consult">
      <Title order={2}>{t('consult.title')}</Title>
      <Text>{t('consult.lead')}</Text>
      <Alert color="blue" variant="light" title={t('consult.howTitle')}>
        <List size="sm" spacing={4}>
          <List.Item>{t('consult.how1')}</List.Item>
          <List.Item>{t('consult.how2')}</List.Item>
          <List.Item>{t('consult.how3')}</List.Item>
          <List.Item>{t('consult.how4')}</List.Item>
        </List>
      </Alert>
      <Card withBorder padding="lg" radius="md">
        <form onSubmit={submit} noValidate data-testid="consult-form">
          <Stack>
            {!observableError && <ErrorAlert error={send.error instanceof DOMException ? null : send.error} testId="consult-error" />}
            <Group grow align="flex-start">
              <TextInput
                label={t('consult.name')}
                value={name}
                onChange={(e) => setName(e.currentTarget.value)}
                error={err('name')}
                maxLength={100}
                autoComplete="name"
                required
                disabled={busy}
                data-testid="consult-name"
              />
              <TextInput
                label={t('consult.organization')}
                value={organization}
                onChange={(e) => setOrganization(e.currentTarget.value)}
                maxLength={200}
                autoComplete="organization"
                disabled={busy}
                data-testid="consult-organization"
              />
            </Group>
            <TextInput
              label={t('consult.email')}
              description={t('consult.emailHelp')}
              type="email"
              value={email}
              onChange={(e) => setEmail(e.currentTarget.value)}
              error={err('email')}
              maxLength={254}
              autoComplete="email"
              required
              disabled={busy}
              data-testid="consult-email"
            />
            <Textarea
              label={t('consult.body')}
              description={t('consult.bodyHelp')}
              value={body}
              onChange={(e) => setBody(e.currentTarget.value)}
              error={err('body')}
              autosize
              minRows={6}
              maxRows={20}
              maxLength={20000}
              required
              disabled={busy}
              data-testid="consult-body"
            />
            <ObservablesField
              label={t('consult.observables')}
              value={observables}
              onChange={setObservables}
              showErrors={touched}
              serverError={observableError}
              testId="consult-observables"
            />
            <Alert color="gray" variant="light">
              <Text size="xs">{t('consult.privacy')}</Text>
            </Alert>
            {phase.step === 'working' && (
              <Stack gap={4} data-testid="consult-pow">
                <Text size="sm">{t('consult.computing')}</Text>
                <Progress value={Math.round(share * 100)} animated size="lg" aria-label={t('consult.computing')} />
                <Text size="xs" c="dimmed">
                  {t('consult.computingHelp')}
                </Text>
              </Stack>
            )}
            {phase.step === 'sending' && <Text size="sm">{t('consult.sending')}</Text>}
            <Group>
              <Button type="submit" loading={busy} data-testid="consult-submit">
                {t('consult.submit')}
              </Button>
              {phase.step === 'working' && (
                <Anchor component="button" type="button" size="sm" onClick={() => abort.current?.abort()}>
                  {t('common.cancel')}
                </Anchor>
              )}
            </Group>
          </Stack>
        </form>
      </Card>
    </Stack>
  );
}
