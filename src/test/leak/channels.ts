/**
 * Every channel through which shared information leaves kyogikai, as one table. Each entry says how to ask as a
 * principal and what the answers revealed (`seen`), and lists what it must show when the policy allows it
 * (`covered`): the leak test checks `seen` against the policy (no leak) and `covered` against `seen` (nothing
 * withheld that the policy grants).
 *
 * Most answers are searched for canaries (see council.ts), whatever their format: JSON, Markdown, a file download.
 * A new channel is one more entry. TAXII and the MISP feed are checked against what may be read (`allowed`) and
 * against what the audience's feed must carry (`feedShows`); manifests, version lists and hash lists carry ids only,
 * mapped back to items through the objects published in the council. Counts (search, look-up) must agree with the
 * items listed, and figures without text (home, dashboards) must not name a hidden item's id. The delivery channels
 * are searched the same way, canaries and ids alike: the inbox and the live stream (replayed from the first event)
 * as each principal; e-mail as what each user's mailbox got (the user's full token stands for it, and `anonymous`
 * for people outside the council); webhooks as what each organisation's receiver got, checked against what the
 * organisation may read as its registrant (`allowedToOrganization`). Mail and webhook calls about a TLP:AMBER,
 * AMBER+STRICT or RED item must carry no canary at all, only a link. What a delivery channel must carry is what is
 * certainly told (`toldOfRelease`, and each report to the Type 1 group's analysts).
 * The council and the oracle stay as they are, unless the channel carries something new (then: a canary on it, and
 * its question in oracle.ts).
 */
import type { LightMyRequestResponse } from 'fastify';
import { audienceCollectionId, audiences, type Audience } from '../../core/interop/collections.js';
import { itemIdOfEvent, mispEventUuid } from '../../core/interop/misp.js';
import { anonymous } from '../../core/actor.js';
import { newId } from '../../core/context.js';
import { emit } from '../../core/notifications/emit.js';
import type { Tlp } from '../../core/sharing/model.js';
import { openStream, waitFor, type StreamClient } from '../notifications.js';
import { canaryPattern, refKey, type Council, type LeakWorld, type Principal, type Ref, type RefKind } from './council.js';
import { feedShows, gate, toldOfRelease } from './oracle.js';

export interface Observation {
  /** What the answers revealed. */
  seen: Ref[];
  /** What the channel must show where the policy allows it. */
  covered: Ref[];
  /** Every HTTP status answered: none may be a 5xx, and refused credentials must get 401. */
  statuses: number[];
  /** What the channel found wrong in an answer's own figures (a count that disagrees with the items listed). */
  problems?: string[];
  /** What an organisation's webhook got: checked against what the organisation may read (`allowedToOrganization`). */
  asOrganization?: string;
}

export interface Channel {
  name: string;
  /** One observation per question asked (a whole paged list is one question). */
  ask(world: LeakWorld, principal: Principal): Promise<Observation[]>;
}

/** Every canary in an answer. */
export function revealed(body: string): Ref[] {
  return [...body.matchAll(canaryPattern)].map((m) => ({ kind: m[1] as RefKind, id: m[2] as string }));
}

const get = (w: LeakWorld, p: Principal, url: string): Promise<LightMyRequestResponse> =>
  w.app.inject({ method: 'GET', url, headers: p.headers });

const json = <T>(res: LightMyRequestResponse): T => res.json<T>();

/**
 * Items an answer names by bare id (a count, a link, a row of a dashboard): counts and summaries carry no canary
 * text, but a hidden item's id must not appear either. Consultations count as the question to members.
 */
function mentioned(body: string, c: Council): Ref[] {
  const named: [RefKind, readonly { id: string }[]][] = [
    ['report', c.reports],
    ['advisory', c.advisories],
    ['comment', c.comments],
    ['feedback', c.feedback],
    ['question', c.consultations],
    ['memberanswer', c.memberAnswers],
    ['campaign', c.campaigns],
    ['request', c.requests],
    ['requestanswer', c.requestAnswers],
  ];
  return named.flatMap(([kind, items]) => items.filter((x) => body.includes(x.id)).map((x) => ({ kind, id: x.id })));
}

const refs = (kind: RefKind, items: readonly { id: string }[]): Ref[] => items.map((x) => ({ kind, id: x.id }));

const actorOrg = (p: Principal): string | undefined => (p.actor !== 'refused' && p.actor.kind === 'user' ? p.actor.orgId : undefined);

/** A keyset-paged list, read page by page to the end in the council's page size. */
function list(name: string, path: string, covered: (c: Council, p: Principal) => Ref[] = () => []): Channel {
  return {
    name,
    async ask(w, p) {
      const seen: Ref[] = [];
      const statuses: number[] = [];
      const sep = path.includes('?') ? '&' : '?';
      let cursor: string | null = null;
      do {
        const res = await get(w, p, `${path}${sep}limit=${w.council.pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        statuses.push(res.statusCode);
        seen.push(...revealed(res.body));
        cursor = res.statusCode === 200 ? json<{ next: string | null }>(res).next : null;
      } while (cursor);
      return [{ seen, covered: covered(w.council, p), statuses }];
    },
  };
}

/** One request per target: what it revealed, and what `structure` reads from a successful (200) answer. */
function each<T>(
  name: string,
  targets: (c: Council, p: Principal) => readonly T[],
  url: (t: T, p: Principal, i: number) => string,
  covered: (t: T, c: Council, p: Principal) => Ref[],
  structure: (res: LightMyRequestResponse, t: T, c: Council) => Ref[] = () => [],
): Channel {
  return {
    name,
    async ask(w, p) {
      const out: Observation[] = [];
      for (const [i, t] of targets(w.council, p).entries()) {
        const res = await get(w, p, url(t, p, i));
        const seen = revealed(res.body);
        if (res.statusCode === 200) seen.push(...structure(res, t, w.council));
        out.push({ seen, covered: covered(t, w.council, p), statuses: [res.statusCode] });
      }
      return out;
    },
  };
}

/** A TAXII envelope or manifest read page by page (`next`) to the end, for each audience collection. */
function taxiiPaged(name: string, resource: 'objects' | 'manifest', read: (body: string, c: Council, collection: string) => Ref[]): Channel {
  return {
    name,
    async ask(w, p) {
      const out: Observation[] = [];
      for (const audience of audiences) {
        const collection = audienceCollectionId(audience);
        const seen: Ref[] = [];
        const statuses: number[] = [];
        let next: string | undefined;
        do {
          const res = await get(w, p, `/taxii2/council/collections/${collection}/${resource}/?limit=${w.council.pageSize}${next ? `&next=${encodeURIComponent(next)}` : ''}`);
          statuses.push(res.statusCode);
          seen.push(...read(res.body, w.council, collection));
          next = res.statusCode === 200 ? json<{ next?: string }>(res).next : undefined;
        } while (next);
        out.push({ seen, covered: feedItems(w.council, p, audience, true), statuses });
      }
      return out;
    },
  };
}

/** The reports and advisories an audience's feed must carry to the principal (the oracle's `feedShows`). */
const feedItems = (c: Council, p: Principal, audience: Audience, withReports: boolean): Ref[] =>
  [...refs('report', c.reports), ...refs('advisory', c.advisories)].filter((r) => feedShows(p, audience, r, c, withReports));

/** What the published objects with these ids in this collection reveal (manifests and version lists carry ids only). */
const stixRefs = (c: Council, collection: string, ids: readonly string[]): Ref[] =>
  c.stix.filter((o) => o.collection === collection && ids.includes(o.stixId)).flatMap((o) => o.refs);

/** One published object per item and collection: the first that carries the item's canary. */
function stixTargets(c: Council): { audience: Audience; stixId: string; refs: Ref[] }[] {
  const taken = new Set<string>();
  return c.stix.flatMap((o) => {
    const audience = audiences.find((a) => audienceCollectionId(a) === o.collection);
    const first = o.refs[0];
    if (!audience || !first || taken.has(`${o.collection}:${refKey(first)}`)) return [];
    taken.add(`${o.collection}:${refKey(first)}`);
    return [{ audience, stixId: o.stixId, refs: o.refs }];
  });
}

/** Whether every figure of `counts` equals the number of items of that kind listed. */
function countProblems(counts: Record<string, number> | undefined, items: readonly { kind: string }[]): string[] {
  if (!counts) return ['no counts on the first page'];
  return Object.entries(counts).flatMap(([kind, n]) => {
    const listed = items.filter((i) => i.kind === kind).length;
    return n === listed ? [] : [`counts ${n} ${kind} but lists ${listed}`];
  });
}

const searchKindRef: Record<string, RefKind | undefined> = { report: 'report', advisory: 'advisory', comment: 'comment', consultation: 'question' };

/** A route answered at all (200) only when the policy lets the caller take `ref`'s action. */
function gated(name: string, url: string, ref: Ref): Channel {
  return each(name, () => [ref], () => url, () => [ref], () => [ref]);
}

/**
 * What a delivery channel must carry: each release of countermeasure information to its new audience, and each report
 * to the Type 1 group's analysts who may comment on it — never to its author. `leaving`: by mail or webhook, where
 * only TLP:CLEAR and GREEN items are named.
 */
function told(c: Council, p: Principal, { leaving, asOrganization }: { leaving: boolean; asOrganization: boolean }): Ref[] {
  const userId = p.actor !== 'refused' && p.actor.kind === 'user' ? p.actor.userId : undefined;
  const named = (x: { tlp: Tlp }) => !leaving || x.tlp === 'clear' || x.tlp === 'green';
  return [
    ...c.advisories.filter((a) => named(a) && toldOfRelease(p, a.id, c, asOrganization)).map((a): Ref => ({ kind: 'advisory', id: a.id })),
    ...c.reports.filter((x) => named(x) && userId !== undefined && x.userId !== userId).map((x): Ref => ({ kind: 'report', id: x.id, given: gate('report.comment') })),
  ];
}

const linkOnly: readonly (Tlp | null)[] = ['amber', 'amber+strict', 'red'];

/** A mail or webhook call about an item of a TLP that allows only a link must carry no canary at all. */
function contentLeft(what: string, text: string, tlps: readonly (Tlp | null)[]): string[] {
  const strict = [...new Set(tlps.filter((t) => linkOnly.includes(t)))];
  const canaries = [...text.matchAll(canaryPattern)].map((m) => m[0]);
  return strict.length && canaries.length ? [`${what} about a TLP:${strict.join('/').toUpperCase()} item carries ${[...new Set(canaries)].join(' ')}`] : [];
}

/** The TLP of each item a mail links to, and of the label that heads its subject. */
function mailTlps(subject: string, text: string, c: Council): (Tlp | null)[] {
  const items = [...c.reports, ...c.advisories];
  const linked = [...text.matchAll(/\/(?:advisories|reports)\/([0-9a-f-]{36})/g)].map((m) => items.find((x) => x.id === m[1])?.tlp ?? null);
  const label = /^\[TLP:([A-Z+]+)\]/.exec(subject)?.[1]?.toLowerCase() as Tlp | undefined;
  return [...linked, ...(label ? [label] : [])];
}

/** Every principal's live stream, opened side by side on the first question and read to the end of its replay. */
const streams = new WeakMap<LeakWorld, Promise<Map<Principal, Observation>>>();

async function readStreams(w: LeakWorld): Promise<Map<Principal, Observation>> {
  const clients = await Promise.all(w.council.principals.map((p) => openStream(`${w.base}/api/v1/stream`, { ...p.headers, 'last-event-id': '0' })));
  try {
    const open = clients.filter((s) => s.status === 200);
    await waitFor(() => w.app.notifications.hub.size === open.length, 'every stream subscribed', 15_000, 2);
    // A notice to everyone, recorded once every stream is open: where it arrives, the replay before it is complete
    // (the hub sends what came in during a replay after it, in order).
    const marker = String(await w.deps.store.tx((r) => emit(r, w.deps, { type: 'consultation.received', subject: { type: 'consultation', id: newId() }, audience: {} })));
    w.app.notifications.hub.poke();
    await waitFor(() => open.every((s) => s.messages.some((m) => m.id === marker)), `notice ${marker} on every stream`, 15_000, 2);
    return new Map(
      w.council.principals.map((p, i) => {
        const s = clients[i] as StreamClient;
        const body = s.status === 200 ? s.messages.map((m) => m.data).join('\n') : s.raw();
        return [p, { seen: [...revealed(body), ...mentioned(body, w.council)], covered: told(w.council, p, { leaving: false, asOrganization: false }), statuses: [s.status] }];
      }),
    );
  } finally {
    for (const s of clients) s.close();
  }
}

interface ReportDetail {
  report: { provider: unknown };
  comments: { author: { orgNameEn: string } }[];
}

const exportFormats = ['md', 'txt', 'json'] as const;

export const channels: Channel[] = [
  // ---------------------------------------------------------------- reports
  list('reports: list', '/api/v1/reports', (c) => refs('report', c.reports)),
  list('reports: list of consultations', '/api/v1/reports?consultations=true'),
  each(
    'reports: detail',
    (c) => c.reports,
    (r) => `/api/v1/reports/${r.id}`,
    (r, c) => {
      const report: Ref = { kind: 'report', id: r.id };
      const linked = c.links.filter((l) => l.from === r.id).map((l): Ref => ({ kind: 'report', id: l.to, given: report }));
      return [report, { kind: 'provider', id: r.id }, ...refs('comment', c.comments.filter((x) => x.reportId === r.id)), ...refs('attachment', c.attachments.filter((a) => a.reportId === r.id)), ...linked];
    },
    (res, r, c) => {
      // The provider is named in `provider`, or by its organisation's name on its own replies.
      const body = json<ReportDetail>(res);
      const providerName = c.orgs.find((o) => o.id === r.orgId)?.nameEn;
      const named = body.report.provider !== null || body.comments.some((x) => x.author.orgNameEn === providerName);
      return named ? [{ kind: 'provider', id: r.id }] : [];
    },
  ),
  each(
    'attachments: download',
    (c) => c.attachments,
    (a) => `/api/v1/attachments/${a.id}`,
    (a) => [{ kind: 'attachment', id: a.id }],
  ),

  // ---------------------------------------------------------------- countermeasure information
  list('advisories: list', '/api/v1/advisories', (c) => refs('advisory', c.advisories)),
  list('advisories: list by stage (members)', '/api/v1/advisories?stage=members'),
  each(
    'advisories: detail',
    (c) => c.advisories,
    (a) => `/api/v1/advisories/${a.id}`,
    (a, c, p) => [{ kind: 'advisory', id: a.id }, { kind: 'author', id: a.id }, ...refs('feedback', c.feedback.filter((f) => f.advisoryId === a.id && f.orgId === actorOrg(p)))],
    (res, a) => (json<{ author: unknown }>(res).author !== null ? [{ kind: 'author', id: a.id }] : []),
  ),
  each(
    'advisories: export',
    (c) => c.advisories,
    (a, _p, i) => `/api/v1/advisories/${a.id}/export?format=${exportFormats[i % exportFormats.length] as string}`,
    (a) => [{ kind: 'advisory', id: a.id }],
  ),
  each(
    'advisories: diff of versions',
    (c) => c.advisories.filter((a) => a.version === 2),
    (a) => `/api/v1/advisories/${a.id}/diff?from=1&to=2`,
    (a) => [{ kind: 'advisory', id: a.id }],
  ),
  each(
    'advisories: feedback tally',
    (c) => c.advisories,
    (a) => `/api/v1/advisories/${a.id}/feedback`,
    (a, c) => {
      const tally: Ref = { kind: 'tally', id: a.id };
      return [tally, ...refs('feedback', c.feedback.filter((f) => f.advisoryId === a.id)).map((r) => ({ ...r, given: tally }))];
    },
    (_res, a) => [{ kind: 'tally', id: a.id }],
  ),
  each(
    'advisories: personal-data check before release',
    (c) => c.advisories,
    (a) => `/api/v1/advisories/${a.id}/release-check`,
    (a) => [{ kind: 'releasecheck', id: a.id }],
    (_res, a) => [{ kind: 'releasecheck', id: a.id }],
  ),

  // ---------------------------------------------------------------- consultations
  list('consultations: list (Type 1 group)', '/api/v1/consultations', (c) => refs('consultation', c.consultations)),
  each(
    'consultations: detail',
    (c) => c.consultations,
    (x) => `/api/v1/consultations/${x.id}`,
    (x, c) => {
      const consultation: Ref = { kind: 'consultation', id: x.id };
      const inside = [...(x.widenedStage ? [{ kind: 'question' as const, id: x.id }] : []), ...refs('memberanswer', c.memberAnswers.filter((m) => m.consultationId === x.id))];
      return [consultation, ...inside.map((r) => ({ ...r, given: consultation }))];
    },
  ),
  list('consultations: questions to members', '/api/v1/consultations/questions', (c) => refs('question', c.consultations.filter((x) => x.widenedStage))),
  each(
    'consultations: question detail',
    (c) => c.consultations,
    (x) => `/api/v1/consultations/questions/${x.id}`,
    (x, c, p) => [...(x.widenedStage ? [{ kind: 'question' as const, id: x.id }] : []), ...refs('memberanswer', c.memberAnswers.filter((m) => m.consultationId === x.id && m.orgId === actorOrg(p)))],
  ),

  // ---------------------------------------------------------------- large-scale attack mode and information requests
  list('campaigns: list', '/api/v1/campaigns', (c) => refs('campaign', c.campaigns)),
  each('campaigns: detail', (c) => c.campaigns, (x) => `/api/v1/campaigns/${x.id}`, (x) => [{ kind: 'campaign', id: x.id }]),
  list('info requests: overview', '/api/v1/info-requests'),
  list('info requests: addressed to my organisation', '/api/v1/info-requests/mine?state=all', (c, p) =>
    refs('request', c.requests.filter((x) => x.recipients.includes(actorOrg(p) ?? ''))),
  ),
  each(
    'info requests: detail',
    (c) => c.requests,
    (x) => `/api/v1/info-requests/${x.id}`,
    (x, c, p) => [{ kind: 'request', id: x.id }, ...refs('requestanswer', c.requestAnswers.filter((a) => a.requestId === x.id && a.orgId === actorOrg(p)))],
  ),
  each(
    'info requests: who answered',
    (c) => c.requests,
    (x) => `/api/v1/info-requests/${x.id}/status`,
    // request.status has no target: the request id only tells the answers apart.
    (x, c) => {
      const status = gate('request.status', x.id);
      return [status, ...refs('requestanswer', c.requestAnswers.filter((a) => a.requestId === x.id)).map((r) => ({ ...r, given: status }))];
    },
    (_res, x) => [gate('request.status', x.id)],
  ),

  // ---------------------------------------------------------------- give and take
  each('ledger: an organisation', (c) => c.orgs, (o) => `/api/v1/ledger/orgs/${o.id}`, (o) => [gate('ledger.read', o.id)], (_res, o) => [gate('ledger.read', o.id)]),
  each(
    'ledger: my organisation',
    (_c, p) => (actorOrg(p) ? [actorOrg(p) as string] : ['-']),
    () => '/api/v1/ledger/mine',
    (orgId) => (orgId === '-' ? [] : [gate('ledger.read', orgId)]),
    (_res, orgId) => [gate('ledger.read', orgId)],
  ),
  gated('ledger: ranking', '/api/v1/ledger/ranking', gate('ledger.ranking')),

  // ---------------------------------------------------------------- organisations, people, the audit log
  gated('organisations: list', '/api/v1/organizations', gate('organization.list')),
  each('organisations: detail', (c) => c.orgs, (o) => `/api/v1/organizations/${o.id}`, (o) => [gate('organization.read', o.id)], (_res, o) => [gate('organization.read', o.id)]),
  each('organisations: users', (c) => c.orgs, (o) => `/api/v1/organizations/${o.id}/users`, (o) => [gate('user.list', o.id)], (_res, o) => [gate('user.list', o.id)]),
  gated('audit log', '/api/v1/audit', gate('audit.read')),

  // ---------------------------------------------------------------- TAXII 2.1 (objects published by the release use cases)
  {
    name: 'TAXII: collections listing',
    async ask(w, p) {
      const res = await get(w, p, '/taxii2/council/collections/');
      const listed = res.statusCode === 200 ? (json<{ collections?: { id: string }[] }>(res).collections ?? []).map((x) => x.id) : [];
      const seen = audiences.filter((a) => listed.includes(audienceCollectionId(a))).map((a): Ref => ({ kind: 'collection', id: a }));
      // Every user is listed the audiences the policy gives it; nobody signed in gets the 401 of TAXII instead.
      const covered = actorOrg(p) ? audiences.map((a): Ref => ({ kind: 'collection', id: a })) : [];
      return [{ seen: [...seen, ...revealed(res.body)], covered, statuses: [res.statusCode] }];
    },
  },
  taxiiPaged('TAXII: objects', 'objects', (body) => revealed(body)),
  taxiiPaged('TAXII: manifest', 'manifest', (body, c, collection) => {
    const ids = [...body.matchAll(/"id":"([a-z0-9-]+--[0-9a-f-]{36})"/g)].map((m) => m[1] as string);
    return [...revealed(body), ...stixRefs(c, collection, ids)];
  }),
  each(
    'TAXII: object by id',
    stixTargets,
    (t) => `/taxii2/council/collections/${audienceCollectionId(t.audience)}/objects/${t.stixId}/`,
    (t, c, p) => t.refs.filter((r) => feedShows(p, t.audience, r, c, true)),
  ),
  each(
    'TAXII: versions of an object',
    stixTargets,
    (t) => `/taxii2/council/collections/${audienceCollectionId(t.audience)}/objects/${t.stixId}/versions/`,
    (t, c, p) => t.refs.filter((r) => feedShows(p, t.audience, r, c, true)),
    (res, t) => ((json<{ versions?: string[] }>(res).versions ?? []).length ? t.refs : []),
  ),

  // ---------------------------------------------------------------- MISP feed (events of countermeasure information)
  each(
    'MISP feed: manifest.json',
    () => audiences,
    (a) => `/misp/feeds/${a}/manifest.json`,
    (a, c, p) => feedItems(c, p, a, false),
    (res) => Object.keys(json<Record<string, unknown>>(res)).flatMap((uuid): Ref[] => { const id = itemIdOfEvent(uuid); return id ? [{ kind: 'advisory', id }] : []; }),
  ),
  each(
    'MISP feed: hashes.csv',
    () => audiences,
    (a) => `/misp/feeds/${a}/hashes.csv`,
    // Only indicators are hashed, and not every advisory has one: what must be there is checked on the manifest.
    () => [],
    (res) => res.body.split('\n').flatMap((line): Ref[] => { const id = itemIdOfEvent(line.split(',')[1]?.trim() ?? ''); return id ? [{ kind: 'advisory', id }] : []; }),
  ),
  each(
    'MISP feed: event',
    // Each advisory asked of one audience's feed in turn, to keep the number of requests down.
    (c) => c.advisories.map((a, i) => ({ id: a.id, audience: audiences[i % audiences.length] as Audience })),
    (t) => `/misp/feeds/${t.audience}/${mispEventUuid(t.id)}.json`,
    (t, c, p) => feedItems(c, p, t.audience, false).filter((r) => r.id === t.id),
    (_res, t) => [{ kind: 'advisory', id: t.id }],
  ),

  // ---------------------------------------------------------------- search (every canary holds the word LEAK)
  {
    name: 'search: full text, with counts per kind',
    async ask(w, p) {
      const seen: Ref[] = [];
      const statuses: number[] = [];
      const items: { id: string; kind: string }[] = [];
      let counts: Record<string, number> | undefined;
      let cursor: string | null = null;
      do {
        const res = await get(w, p, `/api/v1/search?q=LEAK&limit=${Math.min(w.council.pageSize, 100)}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        statuses.push(res.statusCode);
        seen.push(...revealed(res.body), ...mentioned(res.body, w.council));
        if (res.statusCode !== 200) break;
        const page = json<{ items: { id: string; kind: string }[]; next: string | null; counts?: Record<string, number> }>(res);
        counts ??= page.counts;
        items.push(...page.items);
        cursor = page.next;
        if (items.length > 1000) {
          statuses.push(-1);
          break;
        }
      } while (cursor);
      if (statuses.includes(-1)) return [{ seen, covered: [], statuses: [], problems: [`paging does not end: ${JSON.stringify(items.slice(0, 8))}`] }];
      for (const i of items) {
        const kind = searchKindRef[i.kind];
        if (kind) seen.push({ kind, id: i.id });
      }
      const covered = [...refs('report', w.council.reports), ...refs('advisory', w.council.advisories)];
      return [{ seen, covered, statuses, problems: statuses.every((s) => s === 200) ? countProblems(counts, items) : [] }];
    },
  },
  {
    name: 'search: observable look-up',
    async ask(w, p) {
      const values = ['203.0.113.7', 'evil.example.com', 'a'.repeat(64)].join('\n');
      const res = await w.app.inject({ method: 'POST', url: '/api/v1/observables/lookup', headers: p.headers, payload: { values } });
      const seen = [...revealed(res.body), ...mentioned(res.body, w.council)];
      const problems: string[] = [];
      if (res.statusCode === 200) {
        for (const r of json<{ results: { input: string; total: number; items: { kind: 'report' | 'advisory'; id: string }[] }[] }>(res).results) {
          seen.push(...r.items.map((i): Ref => ({ kind: i.kind, id: i.id })));
          // Every holder fits in one answer here: the total counts no item it does not list.
          if (r.total !== r.items.length) problems.push(`look-up of ${r.input} totals ${r.total} but lists ${r.items.length}`);
        }
      }
      return [{ seen, covered: [], statuses: [res.statusCode], problems }];
    },
  },

  // ---------------------------------------------------------------- delivery: the inbox, the live stream, e-mail, webhooks
  {
    name: 'notifications: inbox',
    async ask(w, p) {
      const seen: Ref[] = [];
      const statuses: number[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(w, p, `/api/v1/inbox?limit=${w.council.pageSize}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
        statuses.push(res.statusCode);
        seen.push(...revealed(res.body), ...mentioned(res.body, w.council));
        cursor = res.statusCode === 200 ? json<{ next: string | null }>(res).next : null;
      } while (cursor);
      return [{ seen, covered: told(w.council, p, { leaving: false, asOrganization: false }), statuses }];
    },
  },
  {
    name: 'notifications: live stream, replayed from the first event',
    async ask(w, p) {
      let all = streams.get(w);
      if (!all) streams.set(w, (all = readStreams(w)));
      return [(await all).get(p) as Observation];
    },
  },
  {
    name: 'notifications: e-mail',
    async ask(w, p) {
      // A user's mailbox, asked once per user; nobody signed in at all stands for people outside the council.
      const user = p.primaryOf;
      const outsider = p.actor === anonymous && !Object.keys(p.headers).length;
      if (!user && !outsider) return [];
      const addresses = new Set(w.council.users.map((u) => u.email));
      const mails = w.smtp.mails.filter((m) => (user ? m.to.includes(user.email) : m.to.some((to) => !addresses.has(to))));
      const text = mails.map((m) => `${m.subject}\n${m.text}`).join('\n');
      const problems = mails.flatMap((m) => contentLeft(`mail "${m.subject}"`, `${m.subject}\n${m.text}`, mailTlps(m.subject, m.text, w.council)));
      const covered = user?.emailPreference === 'immediate' ? told(w.council, p, { leaving: true, asOrganization: false }) : [];
      return [{ seen: [...revealed(text), ...mentioned(text, w.council)], covered, statuses: [], problems }];
    },
  },
  {
    name: 'notifications: webhooks',
    async ask(w, p) {
      // Each webhook acts with its registrant's rights: the registrant's full token stands for the organisation.
      return w.council.webhooks
        .filter((h) => h.createdBy === p.primaryOf?.id)
        .map((h): Observation => {
          const calls = w.hooks.requests.filter((x) => x.url === h.path);
          const text = calls.map((x) => x.body).join('\n');
          const problems = calls.flatMap((x) => contentLeft(`webhook call ${x.headers['kyogikai-delivery'] as string}`, x.body, [(JSON.parse(x.body) as { tlp?: Tlp | null }).tlp ?? null]));
          return { seen: [...revealed(text), ...mentioned(text, w.council)], covered: told(w.council, p, { leaving: true, asOrganization: true }), statuses: [], problems, asOrganization: h.orgId };
        });
    },
  },

  // ---------------------------------------------------------------- home page and dashboards: figures and links, no text
  ...['/api/v1/home', '/api/v1/dashboards/type1', '/api/v1/dashboards/council', '/api/v1/dashboards/organization'].map(
    (url): Channel => ({
      name: `insight: ${url}`,
      async ask(w, p) {
        const res = await get(w, p, url);
        return [{ seen: [...revealed(res.body), ...mentioned(res.body, w.council)], covered: [], statuses: [res.statusCode] }];
      },
    }),
  ),
];
