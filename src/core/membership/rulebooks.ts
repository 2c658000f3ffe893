/**
 * Rulebooks: versions of the council rules (協議会規約), the task-force rules (24条タスクフォース規則) and the
 * confidentiality pledge (守秘義務の誓約), in Markdown with an effective date. Reading them is public; every user
 * accepts the versions in force that apply to them before the rules gate in the policy lets them further.
 */
import type { Actor } from '../actor.js';
import { audit, iso, newId, type Deps, type RequestMeta } from '../context.js';
import { Conflict, Invalid, NotFound, Unauthenticated } from '../errors.js';
import { authorize } from '../policy.js';
import type { MyRulebooks, Rulebook, RulebookCreate, RulebookKind, RulebookSummary } from './model.js';
import type { RulebookHead, RulebookRecord } from './ports.js';
import { currentRulebooksFor, rulebookApplies } from './rules.js';
import { toUtc } from './time.js';

export const defaultRulebookTitles: Record<RulebookKind, { ja: string; en: string }> = {
  council_rules: { ja: '協議会規約', en: 'Council Rules' },
  taskforce_rules: { ja: '24条タスクフォース規則', en: 'Article 24 Task Force Rules' },
  confidentiality_pledge: { ja: '守秘義務の誓約', en: 'Confidentiality Pledge' },
};

const summary = ({ createdBy: _by, ...h }: RulebookHead): RulebookSummary => h;

export async function createRulebook(deps: Deps, actor: Actor, input: RulebookCreate, meta: RequestMeta): Promise<Rulebook> {
  authorize(actor, 'rulebook.manage');
  return deps.store.tx(async (r) => {
    const record: RulebookRecord = {
      id: newId(),
      kind: input.kind,
      version: (await r.rulebooks.maxVersion(input.kind)) + 1,
      titleJa: input.titleJa || defaultRulebookTitles[input.kind].ja,
      titleEn: input.titleEn || defaultRulebookTitles[input.kind].en,
      bodyMd: input.bodyMd,
      effectiveAt: toUtc(input.effectiveAt),
      createdAt: iso(deps.now()),
      createdBy: actor.kind === 'user' ? actor.login : actor.kind,
    };
    await r.rulebooks.insert(record);
    await audit(r, deps, actor, meta, 'rulebook.create', { type: 'rulebook', id: record.id }, {
      kind: record.kind,
      version: record.version,
      effectiveAt: record.effectiveAt,
    });
    const { createdBy: _by, ...view } = record;
    return view;
  });
}

/** Public: the versions in force now (one per kind) and every version, newest first. */
export async function listRulebooks(
  deps: Deps,
  kind?: RulebookKind,
): Promise<{ current: RulebookSummary[]; items: RulebookSummary[] }> {
  const r = deps.store.read;
  const current = await currentRulebooksFor(r, { memberClass: 'type1', designated: true }, iso(deps.now()));
  const items = await r.rulebooks.list(kind);
  return { current: current.filter((b) => !kind || b.kind === kind).map(summary), items: items.map(summary) };
}

/** Public: one version with its text. */
export async function getRulebook(deps: Deps, id: string): Promise<Rulebook> {
  const book = await deps.store.read.rulebooks.byId(id);
  if (!book) throw new NotFound('not_found');
  const { createdBy: _by, ...view } = book;
  return view;
}

/** The rulebooks in force that apply to the user, and which of them they have accepted. */
export async function myRulebooks(deps: Deps, actor: Actor): Promise<MyRulebooks> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'self.read', { userId });
  if (actor.kind !== 'user') throw new Unauthenticated('unauthenticated');
  const r = deps.store.read;
  const books = await currentRulebooksFor(r, actor, iso(deps.now()));
  const accepted = new Map((await r.rulebooks.acceptances(actor.userId, books.map((b) => b.id))).map((a) => [a.rulebookId, a.acceptedAt]));
  const items = books.map((b) => ({ ...summary(b), accepted: accepted.has(b.id), acceptedAt: accepted.get(b.id) ?? null }));
  return { allAccepted: items.every((i) => i.accepted), items };
}

/** Accept versions in force that apply to the user (audited). Accepting an older or a non-applicable one is refused. */
export async function acceptRulebooks(deps: Deps, actor: Actor, ids: string[], meta: RequestMeta): Promise<MyRulebooks> {
  const userId = actor.kind === 'user' ? actor.userId : undefined;
  authorize(actor, 'rulebook.accept', { userId });
  if (actor.kind !== 'user') throw new Unauthenticated('unauthenticated');
  await deps.store.tx(async (r) => {
    const now = iso(deps.now());
    const current = await currentRulebooksFor(r, actor, now);
    for (const id of new Set(ids)) {
      const book = await r.rulebooks.byId(id);
      if (!book) throw new NotFound('not_found');
      if (!rulebookApplies(book.kind, actor)) throw new Invalid('rulebook_not_applicable');
      if (!current.some((c) => c.id === id)) throw new Conflict('rulebook_not_current');
      const before = await r.rulebooks.acceptances(actor.userId, [id]);
      if (before.length) continue;
      await r.rulebooks.accept(actor.userId, id, now);
      await audit(r, deps, actor, meta, 'rulebook.accept', { type: 'rulebook', id }, { kind: book.kind, version: book.version });
    }
  });
  return myRulebooks(deps, actor);
}
