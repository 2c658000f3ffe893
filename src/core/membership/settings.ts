/** Names that change over time (the secretariat's did in 2025: NISC → 国家サイバー統括室): settings, not code. */
import type { Actor } from '../actor.js';
import { audit, type Deps, type RequestMeta } from '../context.js';
import { authorize } from '../policy.js';
import type { Repos } from '../ports.js';
import type { CouncilSettings } from './model.js';

const KEY = 'membership.names';

export const defaultCouncilSettings: CouncilSettings = {
  councilName: { ja: 'サイバーセキュリティ協議会', en: 'Cybersecurity Council' },
  secretariatName: { ja: '協議会事務局', en: 'Council Secretariat' },
};

async function read(r: Repos): Promise<CouncilSettings> {
  const stored = (await r.settings.get(KEY)) as Partial<CouncilSettings> | undefined;
  return { ...defaultCouncilSettings, ...(stored ?? {}) };
}

/** The names inside a transaction (the STIX identity of the council is written in one). */
export const councilSettingsIn = read;

/** Public: the council's and the secretariat's names in both languages. */
export function getCouncilSettings(deps: Deps): Promise<CouncilSettings> {
  return read(deps.store.read);
}

export async function updateCouncilSettings(
  deps: Deps,
  actor: Actor,
  input: Partial<CouncilSettings>,
  meta: RequestMeta,
): Promise<CouncilSettings> {
  authorize(actor, 'settings.manage');
  return deps.store.tx(async (r) => {
    const next = { ...(await read(r)), ...Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) };
    await r.settings.set(KEY, next);
    await audit(r, deps, actor, meta, 'settings.update', { type: 'settings', id: KEY }, next);
    return next;
  });
}
