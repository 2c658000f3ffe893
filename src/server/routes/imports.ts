/** Imports from other tools: a MISP event or a STIX 2.1 bundle becomes a report in the Type 1 group's queue. */
import { z } from 'zod';
import { Invalid } from '../../core/errors.js';
import { importMispEvent } from '../../core/interop/misp.js';
import { importStixBundle } from '../../core/interop/stix.js';
import { errors, type App } from './types.js';

const ImportSummary = z.object({
  imported: z.number().int(),
  rejected: z.array(z.object({ index: z.number().int(), id: z.string().optional(), reason: z.string() })),
  reportId: z.string().nullable(),
});

/** MISP events and STIX bundles are larger than the forms of the JSON API. */
const IMPORT_BODY_LIMIT = 10 * 1024 * 1024;

export function importRoutes(app: App): void {
  const deps = app.deps;

  app.post(
    '/api/v1/imports/misp',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: 'MISP イベントを情報提供として取り込む / Import a MISP event as a report',
        description: 'Body: one MISP event as MISP exports it ({"Event": {…}}). Attributes that cannot become observables are listed in `rejected`.',
        body: z.unknown(),
        response: { 201: ImportSummary, ...errors, 413: errors[400] },
      },
    },
    async (req, reply) => reply.code(201).send(await importMispEvent(deps, req.actor, req.body, req.meta)),
  );

  app.post(
    '/api/v1/imports/stix',
    {
      bodyLimit: IMPORT_BODY_LIMIT,
      schema: {
        tags: ['imports'],
        summary: 'STIX 2.1 バンドルを情報提供として取り込む / Import a STIX 2.1 bundle as a report',
        description: 'Body: a STIX 2.1 bundle. Objects that are not valid STIX 2.1 are listed in `rejected`; when none is valid, nothing is stored (400, the summary in `details`).',
        body: z.unknown(),
        response: { 201: ImportSummary, ...errors, 413: errors[400] },
      },
    },
    async (req, reply) => {
      const summary = await importStixBundle(deps, req.actor, req.body, req.meta);
      if (!summary.reportId) throw new Invalid('import_nothing_imported', {}, summary);
      return reply.code(201).send(summary);
    },
  );
}
