import { AuditEntry, AuditQuery, page } from '../../core/model.js';
import { listAudit } from '../../core/usecases/audit-log.js';
import { errors, type App } from './types.js';

export function auditRoutes(app: App): void {
  app.get(
    '/api/v1/audit',
    {
      schema: {
        tags: ['audit'],
        summary: 'Audit log, newest first / 監査ログ',
        querystring: AuditQuery,
        response: { 200: page(AuditEntry), ...errors },
      },
    },
    (req) => listAudit(app.deps, req.actor, req.query),
  );
}
