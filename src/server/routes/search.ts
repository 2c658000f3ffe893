/** Full-text search and observable look-up (src/core/search). */
import { lookupObservables } from '../../core/search/lookup.js';
import { LookupAnswer, LookupInput, SearchPage, SearchQuery } from '../../core/search/model.js';
import { search } from '../../core/search/search.js';
import { errors, type App } from './types.js';

export function searchRoutes(app: App): void {
  const deps = app.deps;
  const tags = ['search'];

  app.get(
    '/api/v1/search',
    {
      schema: {
        tags,
        summary: '全文検索 / Full-text search',
        description:
          'Reports, countermeasure information (kind `advisory`, latest version), comments, consultations and rulebooks the caller may see. ' +
          'Every word must appear as a substring (Japanese needs no spaces); ranked by occurrences, title hits first; keyset-paged by `cursor`.',
        querystring: SearchQuery,
        response: { 200: SearchPage, ...errors },
      },
    },
    (req) => search(deps, req.actor, req.query, req.locale),
  );

  app.post(
    '/api/v1/observables/lookup',
    {
      schema: {
        tags,
        summary: '観測値の照会 / Observable look-up',
        description: 'One value per line (IP addresses, domains, URLs, e-mail addresses, hashes, CVEs; defanged forms accepted).',
        body: LookupInput,
        response: { 200: LookupAnswer, ...errors },
      },
    },
    (req) => lookupObservables(deps, req.actor, req.body),
  );
}
