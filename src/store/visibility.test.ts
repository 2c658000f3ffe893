/**
 * The access policy's two answers agree: `canRead` for one item and the SQL that `readFilter` becomes
 * for lists, for every class × stage × TLP × owner × named recipient, on both databases. A few
 * independent expectations pin the rules themselves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, system, type Actor, type UserActor } from '../core/actor.js';
import { iso, newId } from '../core/context.js';
import type { MemberClass } from '../core/model.js';
import { canRead, readFilter, type ItemFacts } from '../core/policy.js';
import { stages, tlps, type Stage, type Tlp } from '../core/sharing/model.js';
import type { Repos } from '../core/ports.js';
import { bootstrap } from '../core/usecases/bootstrap.js';
import { createTestStore, dialects, testDeps, type TestStore } from '../test/stores.js';

interface Profile {
  name: string;
  memberClass?: MemberClass;
  designated?: boolean;
  isSecretariat?: boolean;
  totp?: boolean;
  suspended?: boolean;
  rulesAccepted?: boolean;
  foreignCapital?: boolean;
  specialApproval?: boolean;
}

const profiles: Profile[] = [];
for (const memberClass of ['none', 'general', 'type2', 'type1'] as const) {
  for (const totp of [true, false]) profiles.push({ name: `${memberClass}${totp ? '+totp' : ''}`, memberClass, totp });
}
profiles.push(
  { name: 'designated+totp', memberClass: 'type1', designated: true, totp: true },
  { name: 'designated', memberClass: 'type1', designated: true, totp: false },
  { name: 'secretariat+totp', memberClass: 'none', isSecretariat: true, totp: true },
  { name: 'secretariat', memberClass: 'none', isSecretariat: true, totp: false },
  { name: 'type1 suspended', memberClass: 'type1', totp: true, suspended: true },
  { name: 'type2 rules not accepted', memberClass: 'type2', totp: true, rulesAccepted: false },
  { name: 'type2 foreign capital', memberClass: 'type2', totp: true, foreignCapital: true },
  { name: 'type2 foreign capital, special approval', memberClass: 'type2', totp: true, foreignCapital: true, specialApproval: true },
  { name: 'type1 foreign capital', memberClass: 'type1', totp: true, foreignCapital: true },
);

describe.each(dialects)('need to know on %s', (dialect) => {
  let t: TestStore;
  const own = newId();
  const other = newId();
  const me = newId();
  const items: (ItemFacts & { id: string })[] = [];

  function actor(p: Profile): UserActor {
    return {
      kind: 'user',
      userId: me,
      orgId: own,
      login: 'me',
      displayName: 'me',
      role: 'analyst',
      locale: 'ja',
      isSecretariat: p.isSecretariat ?? false,
      memberClass: p.memberClass ?? 'general',
      designated: p.designated ?? false,
      foreignCapital: p.foreignCapital ?? false,
      specialApproval: p.specialApproval ?? false,
      suspended: p.suspended ?? false,
      isCommittee: false,
      rulesAccepted: p.rulesAccepted ?? true,
      totpEnabled: p.totp ?? false,
      via: 'session',
      readOnly: false,
    };
  }

  beforeAll(async () => {
    t = await createTestStore(dialect);
    const deps = testDeps(t.store);
    await bootstrap(deps, 'correct horse battery staple');
    const secretariat = await t.store.read.organizations.secretariat();
    const admin = await t.store.read.users.byLogin('admin');
    const now = iso(new Date());
    await t.store.tx(async (r: Repos) => {
      for (const id of [own, other]) {
        const base = secretariat as NonNullable<typeof secretariat>;
        await r.organizations.insert({ ...base, id, isSecretariat: false, memberClass: 'type1', nameJa: id, nameEn: id });
      }
      await r.users.insert({ ...(admin as NonNullable<typeof admin>), id: me, orgId: own, login: 'me' });
      for (const stage of stages) {
        for (const tlp of tlps) {
          for (const owner of [own, other]) {
            for (const named of [false, true]) {
              const id = newId();
              const facts = { id, stage, tlp, ownerOrgId: owner, recipientUserIds: named ? [me] : [] };
              items.push(facts);
              await r.sharing.advisories.insert({
                id,
                orgId: owner,
                userId: me,
                stage,
                tlp,
                version: 1,
                title: `${stage} ${tlp}`,
                sourceReportId: null,
                feedbackDeadline: null,
                releasedAt: null,
                createdAt: now,
                updatedAt: now,
              });
              await r.sharing.recipients.set(id, facts.recipientUserIds);
            }
          }
        }
      }
    });
  });
  afterAll(() => t.cleanup());

  async function listed(a: Actor): Promise<Set<string>> {
    const rows = await t.store.read.sharing.advisories.list({
      filter: readFilter(a),
      userId: a.kind === 'user' ? a.userId : undefined,
      limit: 10_000,
    });
    return new Set(rows.map((r) => r.id));
  }

  const cases: [string, Actor][] = [
    ['anonymous', anonymous],
    ['system', system('test')],
    ...profiles.map((p): [string, Actor] => [p.name, actor(p)]),
  ];

  it.each(cases)('list and item answers agree for %s', async (_, a) => {
    const expected = new Set(items.filter((i) => canRead(a, i)).map((i) => i.id));
    expect(await listed(a)).toEqual(expected);
  });

  /** Independent statements of the rules, so agreement cannot hide a wrong rule. */
  const sees = (a: Actor, stage: Stage, tlp: Tlp, owner: 'own' | 'other', named = false) =>
    canRead(a, { stage, tlp, ownerOrgId: owner === 'own' ? own : other, recipientUserIds: named ? [me] : [] });

  it('follows the rules of the council', () => {
    const p = (name: string) => actor(profiles.find((x) => x.name === name) as Profile);
    // Anyone sees public TLP:CLEAR, nobody outside sees anything else.
    expect(sees(anonymous, 'public', 'clear', 'other')).toBe(true);
    expect(sees(anonymous, 'public', 'green', 'other')).toBe(false);
    expect(sees(anonymous, 'members', 'clear', 'other')).toBe(false);
    // General members: all-members stage, never task-force stages, never drafts of others.
    expect(sees(p('general+totp'), 'members', 'amber', 'other')).toBe(true);
    expect(sees(p('general+totp'), 'type2', 'green', 'other')).toBe(false);
    expect(sees(p('general+totp'), 'draft', 'green', 'other')).toBe(false);
    // Type 2: early release, with a second factor only.
    expect(sees(p('type2+totp'), 'type2', 'amber', 'other')).toBe(true);
    expect(sees(p('type2'), 'type2', 'amber', 'other')).toBe(false);
    expect(sees(p('type2+totp'), 'type1', 'amber', 'other')).toBe(false);
    // Type 1 group sees its stage; the designated corporation also sees drafts.
    expect(sees(p('type1+totp'), 'type1', 'amber+strict', 'other')).toBe(true);
    expect(sees(p('type1+totp'), 'draft', 'amber', 'other')).toBe(false);
    expect(sees(p('designated+totp'), 'draft', 'amber', 'other')).toBe(true);
    // TLP:RED: named people only, within their audience; the writing organisation always.
    expect(sees(p('type1+totp'), 'type1', 'red', 'other')).toBe(false);
    expect(sees(p('type1+totp'), 'type1', 'red', 'other', true)).toBe(true);
    expect(sees(p('general+totp'), 'type1', 'red', 'other', true)).toBe(false);
    expect(sees(p('type1+totp'), 'draft', 'red', 'own')).toBe(true);
    // Foreign capital without special approval is not in the task force.
    expect(sees(p('type2 foreign capital'), 'type2', 'green', 'other')).toBe(false);
    expect(sees(p('type2 foreign capital'), 'members', 'green', 'other')).toBe(true);
    expect(sees(p('type2 foreign capital, special approval'), 'type2', 'green', 'other')).toBe(true);
    expect(sees(p('type1 foreign capital'), 'type1', 'green', 'other')).toBe(false);
    // Suspended, or rules not accepted: public only — not even its own items.
    expect(sees(p('type1 suspended'), 'members', 'green', 'other')).toBe(false);
    expect(sees(p('type1 suspended'), 'draft', 'green', 'own')).toBe(false);
    expect(sees(p('type2 rules not accepted'), 'members', 'clear', 'other')).toBe(false);
    expect(sees(p('type2 rules not accepted'), 'public', 'clear', 'other')).toBe(true);
    // The secretariat sees every released stage with a second factor, but not other organisations' drafts.
    expect(sees(p('secretariat+totp'), 'type1', 'amber', 'other')).toBe(true);
    expect(sees(p('secretariat+totp'), 'draft', 'amber', 'other')).toBe(false);
    expect(sees(p('secretariat'), 'type1', 'amber', 'other')).toBe(false);
  });
});
