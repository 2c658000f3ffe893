/** Client of full-text search (/api/v1/search) and observable look-up (/api/v1/observables/lookup). */
import type { LookupAnswer, LookupResult, SearchItem, SearchKind, SearchPage, SearchQuery } from '../../core/search/model.js';
import { request } from '../api.js';

export type { LookupAnswer, LookupResult, SearchItem, SearchKind, SearchPage };

/** In the order the page shows them (a type-only import keeps zod out of the bundle). */
export const searchKinds = ['advisory', 'report', 'comment', 'consultation', 'rulebook'] as const satisfies readonly SearchKind[];

/** What the search page sends: everything but the words is optional. */
export type SearchParams = Partial<Omit<SearchQuery, 'q' | 'limit'>> & { q: string };

export const searchApi = {
  search: (p: SearchParams) => request<SearchPage>('GET', '/search', { query: { ...p, limit: 20 } }),
  lookup: (values: string) => request<LookupAnswer>('POST', '/observables/lookup', { body: { values } }),
};
