/** SQL behind the confidentiality-mark ports. */
import type { Kysely, Selectable } from 'kysely';
import type { MarkRecord, MarkRepos, MarkedItemType } from '../core/sharing/marks-ports.js';
import type { MarksTable } from './marks-schema.js';
import type { Database } from './schema.js';

function toMark(r: Selectable<MarksTable>): MarkRecord {
  return {
    id: r.id,
    orgId: r.org_id,
    userId: r.user_id,
    itemType: r.item_type as MarkedItemType,
    itemId: r.item_id,
    version: r.version === null ? null : Number(r.version),
    tlp: r.tlp,
    format: r.format,
    createdAt: r.created_at,
  };
}

export function createMarkRepos(db: Kysely<Database>): MarkRepos {
  return {
    async insert(m) {
      await db
        .insertInto('marks')
        .values({
          id: m.id,
          org_id: m.orgId,
          user_id: m.userId,
          item_type: m.itemType,
          item_id: m.itemId,
          version: m.version,
          tlp: m.tlp,
          format: m.format,
          created_at: m.createdAt,
        })
        .execute();
    },
    async byId(id) {
      const r = await db.selectFrom('marks').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toMark(r);
    },
    async forItem(itemId) {
      const rows = await db.selectFrom('marks').selectAll().where('item_id', '=', itemId).orderBy('created_at', 'desc').orderBy('id').execute();
      return rows.map(toMark);
    },
  };
}
