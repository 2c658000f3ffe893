import { Anchor, Badge, Button, Group, Mark, Paper, SegmentedControl, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import type { DateValue } from '@mantine/dates';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { parseTerms } from '../../core/search/text.js';
import { ErrorAlert } from '../components/ErrorAlert.js';
import { formatJst } from '../format.js';
import { sectorOptions, sectors } from '../labels.js';
import { dayOf, PeriodInputs } from '../requests/LedgerView.js';
import { StageBadge } from '../sharing/badges.js';
import { pick, stageOptions, stages, tlps } from '../sharing/labels.js';
import { TlpBadge, tlpText } from '../sharing/TlpBadge.js';
import { searchApi, searchKinds, type SearchItem, type SearchParams } from './api.js';
import { highlightParts } from './highlight.js';

/** The server's own rule: at least one word of two characters. */
const searchable = (q: string) => parseTerms(q) !== null;

/** The query lives in the address (`/search?q=…&kind=…`): the header box links here, and back/forward work. */
function useSearchState() {
  const [params, setParams] = useSearchParams();
  const state: SearchParams = {
    q: params.get('q') ?? '',
    kind: pick(searchKinds, params.get('kind')),
    stage: pick(stages, params.get('stage')),
    tlp: pick(tlps, params.get('tlp')),
    sector: pick(sectors, params.get('sector')),
    from: params.get('from') ?? undefined,
    to: params.get('to') ?? undefined,
  };
  const update = (patch: Partial<SearchParams>) => {
    const next = { ...state, ...patch };
    setParams(Object.fromEntries(Object.entries(next).filter(([, v]) => v)) as Record<string, string>);
  };
  return [state, update] as const;
}

/** The snippet's hits as <mark>: built as React text, never inserted as HTML. */
export function Snippet({ snippet }: { snippet: string }) {
  return (
    <Text size="sm" c="dimmed" data-testid="search-snippet">
      {highlightParts(snippet).map((p, i) => (p.hit ? <Mark key={i}>{p.text}</Mark> : p.text))}
    </Text>
  );
}

function Hit({ item }: { item: SearchItem }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="sm" data-testid="search-result" data-kind={item.kind}>
      <Stack gap={4}>
        <Group gap="xs" wrap="wrap">
          <Badge variant="light" color="gray" data-testid="search-result-kind">
            {item.path.startsWith('/consultations/questions/') ? t('search.question') : t(`search.kind.${item.kind}`)}
          </Badge>
          {item.tlp && <TlpBadge tlp={item.tlp} size="sm" />}
          {item.stage && <StageBadge stage={item.stage} />}
          <Text size="xs" c="dimmed">
            {formatJst(item.createdAt)}
          </Text>
        </Group>
        <Anchor component={Link} to={item.path} fw={600} data-testid="search-result-link">
          {item.title}
        </Anchor>
        <Snippet snippet={item.snippet} />
      </Stack>
    </Paper>
  );
}

function SearchBox({ initial, onSearch }: { initial: string; onSearch: (q: string) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSearch(text.trim());
  };
  return (
    <form onSubmit={submit}>
      <Group align="flex-start" gap="sm">
        <TextInput
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          placeholder={t('search.placeholder')}
          aria-label={t('search.title')}
          error={text.trim() && !searchable(text) ? t('search.tooShort') : undefined}
          style={{ flex: 1, minWidth: 240 }}
          data-testid="search-input"
        />
        <Button type="submit" disabled={!searchable(text)} data-testid="search-submit">
          {t('search.submit')}
        </Button>
      </Group>
    </form>
  );
}

/** 検索: every kind of information the user may read, ranked, with the hits marked. */
export function SearchPage() {
  const { t } = useTranslation();
  const [state, update] = useSearchState();
  const ready = searchable(state.q);

  const results = useInfiniteQuery({
    queryKey: ['search', state],
    queryFn: ({ pageParam }) => searchApi.search({ ...state, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.next ?? undefined,
    enabled: ready,
  });
  const items = results.data?.pages.flatMap((p) => p.items) ?? [];
  const counts = results.data?.pages[0]?.counts;
  const total = counts ? Object.values(counts).reduce((a, b) => a + b, 0) : 0;

  const setPeriod = (key: 'from' | 'to') => (v: DateValue) => update({ [key]: dayOf(v) });

  return (
    <Stack data-testid="search">
      <Stack gap={2}>
        <Title order={2}>{t('search.title')}</Title>
        <Text size="sm" c="dimmed">
          {t('search.lead')}
        </Text>
      </Stack>
      {/* Keyed by the words in the address: the header box or back/forward give the box its text anew. */}
      <SearchBox key={state.q} initial={state.q} onSearch={(q) => update({ q })} />
      <Text size="xs" c="dimmed">
        {t('search.help')}
      </Text>
      <SegmentedControl
        value={state.kind ?? 'all'}
        onChange={(v) => update({ kind: pick(searchKinds, v) })}
        data={[
          { value: 'all', label: counts ? `${t('search.all')} (${total})` : t('search.all') },
          ...searchKinds.map((k) => ({ value: k, label: counts ? `${t(`search.kind.${k}`)} (${counts[k]})` : t(`search.kind.${k}`) })),
        ]}
        aria-label={t('search.kindLabel')}
        data-testid="search-kind"
        style={{ alignSelf: 'flex-start' }}
      />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <Select
          label={t('stage.label')}
          placeholder={t('search.anyStage')}
          data={stageOptions(t)}
          value={state.stage ?? null}
          onChange={(v) => update({ stage: pick(stages, v) })}
          clearable
          w={200}
          data-testid="search-stage"
        />
        <Select
          label="TLP"
          placeholder={t('search.anyTlp')}
          data={tlps.map((x) => ({ value: x, label: tlpText(x) }))}
          value={state.tlp ?? null}
          onChange={(v) => update({ tlp: pick(tlps, v) })}
          clearable
          w={180}
          data-testid="search-tlp"
        />
        <Select
          label={t('search.sector')}
          placeholder={t('search.anySector')}
          data={sectorOptions(t)}
          value={state.sector ?? null}
          onChange={(v) => update({ sector: pick(sectors, v) })}
          clearable
          searchable
          w={220}
          data-testid="search-sector"
        />
        <PeriodInputs from={state.from ?? null} to={state.to ?? null} onFrom={setPeriod('from')} onTo={setPeriod('to')} clearable testId="search-period" />
      </Group>
      <ErrorAlert error={results.error} />
      {ready && results.isPending && <Text size="sm">{t('common.loading')}</Text>}
      {results.data && (
        <Text size="sm" data-testid="search-count">
          {items.length === 0 ? t('search.noResults') : t('search.found', { count: state.kind ? (counts?.[state.kind] ?? items.length) : total })}
        </Text>
      )}
      <Stack gap="sm" data-testid="search-results">
        {items.map((item) => (
          <Hit key={`${item.kind}:${item.id}`} item={item} />
        ))}
      </Stack>
      {results.hasNextPage && (
        <Button variant="default" onClick={() => void results.fetchNextPage()} loading={results.isFetchingNextPage} style={{ alignSelf: 'center' }} data-testid="search-more">
          {t('common.loadMore')}
        </Button>
      )}
      <Text size="xs" c="dimmed">
        {t('common.jstNote')}
      </Text>
    </Stack>
  );
}
