/** Documents that leave the platform: countermeasure information as Markdown, text or JSON, with the recipient's mark. */
import { z } from 'zod';
import { Locale } from '../../core/model.js';
import { exportAdvisory, exportFormats } from '../../core/sharing/export.js';
import { IdParams, type App } from './types.js';

export function exportRoutes(app: App): void {
  const deps = app.deps;
  app.get(
    '/api/v1/advisories/:id/export',
    {
      schema: {
        tags: ['advisories'],
        summary: '対策情報の文書出力（受領組織の識別情報付き） / Export as a document, marked for the recipient',
        params: IdParams,
        querystring: z.object({ format: z.enum(exportFormats).default('md'), lang: Locale.optional() }),
        produces: ['text/markdown', 'text/plain', 'application/json'],
      },
    },
    async (req, reply) => {
      const doc = await exportAdvisory(deps, req.actor, req.params.id, { format: req.query.format, locale: req.query.lang ?? req.locale }, req.meta);
      return reply
        .header('content-type', doc.contentType)
        .header('content-disposition', `attachment; filename="${doc.filename}"`)
        .header('cache-control', 'no-store')
        .header('x-content-type-options', 'nosniff')
        // A Buffer goes out byte for byte: no serializer touches the document (nor its invisible mark).
        .send(Buffer.from(doc.body, 'utf8'));
    },
  );
}
