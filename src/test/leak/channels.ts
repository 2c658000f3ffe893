/**
 * Every channel through which shared information leaves kyogikai, as one table. Each entry says how to ask as a
 * principal and what the answers revealed (`seen`), and lists what it must show when the policy allows it
 * (`covered`): the leak test checks `seen` against the policy (no leak) and `covered` against `seen` (nothing
 * withheld that the policy grants).
 *
 * Most answers are searched for canaries (see council.ts), whatever their format: JSON, Markdown, a file download.
 * A new channel is one more entry: TAXII (objects, manifest, versions, object by id) and the MISP feed ask with the
 * principal's token and search the bundle or event; search and dashboards likewise; SSE, inbox, webhooks and e-mail
 * subscribe or look at what was delivered to the principal and search that. The council and the oracle stay as they
 * are, unless the channel carries something new (then: a canary on it, and its question in oracle.ts).
 */
import type { LightMyRequestResponse } from 'fastify';
import { canaryPattern, type Council, type LeakWorld, type Principal, type Ref, type RefKind } from './council.js';
import { gate } from './oracle.js';

export interface Observation {
  /** What the answers revealed. */
  seen: Ref[];
  /** What the channel must show where the policy allows it. */
  covered: Ref[];
  /** Every HTTP status answered: none may be a 5xx, and refused credentials must get 401. */
  statuses: number[];
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

/** A route answered at all (200) only when the policy lets the caller take `ref`'s action. */
function gated(name: string, url: string, ref: Ref): Channel {
  return each(name, () => [ref], () => url, () => [ref], () => [ref]);
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
];
