import { Alert, Badge, Button, Card, Center, Checkbox, Group, Loader, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { Session } from '../api.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { useSession } from '../session.js';
import { membershipApi, type MyRulebooks } from './api.js';
import { Markdown } from './Markdown.js';

export const myRulebooksKey = (userId: string) => ['membership', 'my-rulebooks', userId] as const;

function useMyRulebooks(session: Session | null) {
  return useQuery({
    queryKey: myRulebooksKey(session?.user.id ?? ''),
    queryFn: membershipApi.myRulebooks,
    enabled: !!session,
    staleTime: 60_000,
    retry: false,
  });
}

/** True while the signed-in user still has rulebooks to accept (the navigation is hidden meanwhile). */
export function useRulesPending(): boolean {
  const session = useSession();
  const mine = useMyRulebooks(session);
  return !!session && (mine.isPending || mine.data?.allAccepted === false);
}

/** 規約・守秘義務の確認: every rulebook in force that the user has not yet accepted, each to be ticked. */
function RulesScreen({ mine, session }: { mine: MyRulebooks; session: Session }) {
  const { t, i18n } = useTranslation();
  const queryClient = useQueryClient();
  const pending = mine.items.filter((i) => !i.accepted);
  const bodies = useQueries({
    queries: pending.map((b) => ({ queryKey: ['membership', 'rulebook', b.id], queryFn: () => membershipApi.rulebook(b.id), staleTime: Infinity })),
  });
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const accept = useMutation({
    mutationFn: () => membershipApi.acceptRulebooks(pending.map((b) => b.id)),
    onSuccess: async (next) => {
      queryClient.setQueryData(myRulebooksKey(session.user.id), next);
      // Whatever was refused before the acceptance may be asked again.
      await queryClient.invalidateQueries({ predicate: (q) => q.queryKey[0] !== 'session' && q.queryKey[1] !== 'my-rulebooks' });
    },
  });
  const allTicked = pending.every((b) => ticked[b.id]);
  const title = (b: { titleJa: string; titleEn: string }) => (i18n.language === 'en' ? b.titleEn || b.titleJa : b.titleJa || b.titleEn);

  return (
    <Stack maw={960} mx="auto" data-testid="rules-gate">
      <Title order={2}>{t('membership.rules.title')}</Title>
      <Alert color="blue" variant="light">
        <Text size="sm">{t('membership.rules.lead')}</Text>
      </Alert>
      {pending.map((b, i) => {
        const body = bodies[i];
        return (
          <Card key={b.id} withBorder padding="lg" radius="md" data-testid="rules-book" data-kind={b.kind}>
            <Stack>
              <Group justify="space-between">
                <Title order={3}>{title(b)}</Title>
                <Group gap="xs">
                  <Badge variant="light">{t('membership.rules.version', { version: b.version })}</Badge>
                  <Text size="xs" c="dimmed">
                    {t('membership.rules.effective', { at: formatJst(b.effectiveAt) })}
                  </Text>
                </Group>
              </Group>
              <ScrollArea.Autosize mah={360} type="auto" offsetScrollbars>
                {body?.data ? <Markdown source={body.data.bodyMd} testId="rules-body" /> : <Loader size="sm" />}
              </ScrollArea.Autosize>
              <ErrorAlert error={body?.error} />
              <Checkbox
                label={t(b.kind === 'confidentiality_pledge' ? 'membership.rules.pledgeCheck' : 'membership.rules.check', { title: title(b) })}
                checked={!!ticked[b.id]}
                onChange={(e) => {
                  const checked = e.currentTarget.checked;
                  setTicked((s) => ({ ...s, [b.id]: checked }));
                }}
                data-testid="rules-check"
              />
            </Stack>
          </Card>
        );
      })}
      <ErrorAlert error={accept.error} testId="rules-error" />
      <Group>
        <Button size="md" disabled={!allTicked} loading={accept.isPending} onClick={() => accept.mutate()} data-testid="rules-accept">
          {t('membership.rules.accept')}
        </Button>
        {!allTicked && (
          <Text size="sm" c="dimmed">
            {t('membership.rules.tickAll')}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/** Until the user has accepted the rulebooks in force, this screen replaces the signed-in app (the API refuses anyway). */
export function RulesGate({ session, children }: { session: Session; children: ReactNode }) {
  const mine = useMyRulebooks(session);
  if (mine.isPending) {
    return (
      <Center h="50vh">
        <Loader />
      </Center>
    );
  }
  if (mine.error) return <ErrorAlert error={mine.error} />;
  if (!mine.data.allAccepted) return <RulesScreen mine={mine.data} session={session} />;
  return children;
}
