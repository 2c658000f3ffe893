import { Badge, Button, Card, Checkbox, Code, Group, NumberInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, fieldErrors, type ApiToken } from '../../api.js';
import { formatJst } from '../../format.js';
import { ConfirmModal } from '../ConfirmModal.js';
import { ErrorAlert } from '../ErrorAlert.js';
import { OneTimeSecret } from '../OneTimeSecret.js';

const tokensKey = ['me', 'tokens'] as const;

function TokenStatus({ token }: { token: ApiToken }) {
  const { t } = useTranslation();
  if (token.revokedAt) return <Badge color="gray">{t('tokens.statusRevoked')}</Badge>;
  if (new Date(token.expiresAt) <= new Date()) return <Badge color="orange">{t('tokens.statusExpired')}</Badge>;
  return <Badge color="teal">{t('tokens.statusActive')}</Badge>;
}

function CreateToken() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [days, setDays] = useState<number | string>(90);
  const [readOnly, setReadOnly] = useState(true);
  const [touched, setTouched] = useState(false);
  const mutation = useMutation({
    mutationFn: api.createToken,
    onSuccess: async () => {
      setName('');
      setTouched(false);
      await queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });
  const daysOk = typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 730;
  const server = fieldErrors(mutation.error);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTouched(true);
    if (!name.trim() || !daysOk) return;
    mutation.mutate({ name: name.trim(), expiresInDays: days, readOnly });
  };
  return (
    <Stack>
      <form onSubmit={submit} noValidate>
        <Group align="flex-start" gap="sm">
          <TextInput
            label={t('tokens.name')}
            placeholder={t('tokens.namePlaceholder')}
            value={name}
            onChange={(e) => setName(e.currentTarget.value)}
            error={(touched && !name.trim() ? t('common.required') : undefined) ?? server.name}
            maxLength={100}
            required
            data-testid="token-name"
          />
          <NumberInput
            label={t('tokens.expiresInDays')}
            value={days}
            onChange={setDays}
            min={1}
            max={730}
            allowDecimal={false}
            w={140}
            error={(!daysOk ? t('tokens.daysRange') : undefined) ?? server.expiresInDays}
          />
          <Checkbox
            mt={32}
            label={t('tokens.readOnly')}
            checked={readOnly}
            onChange={(e) => setReadOnly(e.currentTarget.checked)}
            title={t('tokens.readOnlyHelp')}
          />
          <Button mt={24} type="submit" loading={mutation.isPending} data-testid="token-create">
            {t('tokens.create')}
          </Button>
        </Group>
      </form>
      <ErrorAlert error={mutation.error} />
      {mutation.data && (
        <OneTimeSecret label={`${t('tokens.created')}: ${mutation.data.apiToken.name}`} value={mutation.data.token} testId="token-value" />
      )}
    </Stack>
  );
}

function TokenList() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const tokens = useQuery({ queryKey: tokensKey, queryFn: api.listTokens });
  const [revoking, setRevoking] = useState<ApiToken | null>(null);
  const revoke = useMutation({
    mutationFn: api.revokeToken,
    onSuccess: async () => {
      setRevoking(null);
      notifications.show({ color: 'teal', message: t('tokens.revoked') });
      await queryClient.invalidateQueries({ queryKey: tokensKey });
    },
  });

  if (tokens.error) return <ErrorAlert error={tokens.error} />;
  if (!tokens.data) return <Text size="sm">{t('common.loading')}</Text>;
  if (tokens.data.items.length === 0) return <Text size="sm" c="dimmed">{t('tokens.empty')}</Text>;
  return (
    <>
      <Table.ScrollContainer minWidth={900}>
        <Table striped data-testid="token-table">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>{t('tokens.name')}</Table.Th>
              <Table.Th>{t('tokens.prefix')}</Table.Th>
              <Table.Th>{t('tokens.access')}</Table.Th>
              <Table.Th>{t('tokens.createdAt')}</Table.Th>
              <Table.Th>{t('tokens.expiresAt')}</Table.Th>
              <Table.Th>{t('tokens.lastUsedAt')}</Table.Th>
              <Table.Th>{t('tokens.status')}</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {tokens.data.items.map((token) => (
              <Table.Tr key={token.id}>
                <Table.Td>{token.name}</Table.Td>
                <Table.Td>
                  <Code>{token.prefix}…</Code>
                </Table.Td>
                <Table.Td>{token.readOnly ? t('tokens.accessReadOnly') : t('tokens.accessReadWrite')}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(token.createdAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(token.expiresAt)}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatJst(token.lastUsedAt)}</Table.Td>
                <Table.Td>
                  <TokenStatus token={token} />
                </Table.Td>
                <Table.Td>
                  {!token.revokedAt && (
                    <Button size="compact-xs" color="red" variant="light" onClick={() => setRevoking(token)}>
                      {t('tokens.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <ConfirmModal
        opened={revoking !== null}
        title={t('tokens.revokeConfirmTitle')}
        message={t('tokens.revokeConfirm', { name: revoking?.name ?? '' })}
        confirmLabel={t('tokens.revoke')}
        loading={revoke.isPending}
        error={revoke.error}
        onConfirm={() => revoking && revoke.mutate(revoking.id)}
        onClose={() => {
          setRevoking(null);
          revoke.reset();
        }}
      />
    </>
  );
}

export function TokensSection() {
  const { t } = useTranslation();
  return (
    <Card withBorder padding="lg" radius="md" data-testid="tokens-section">
      <Stack>
        <Title order={3}>{t('tokens.section')}</Title>
        <Text size="sm" c="dimmed">
          {t('tokens.help')}
        </Text>
        <Text size="xs" c="dimmed">
          {t('tokens.usage')}
        </Text>
        <CreateToken />
        <TokenList />
      </Stack>
    </Card>
  );
}
