// Settles the disputed numbers of a raw rule set into plain numbers, recording each choice and its provenance,
// and keeps the registry of rule sets by id so other standards (e.g. EN 50549-1 at 50 Hz) plug in as data.
import { AppError } from '../../errors';
import { IEEE1547_2018 } from './ieee1547-2018';
import type { Category, CategoryRules, Disputed, Maybe, RawRuleSet, RuleSet } from './types';

const registry = new Map<string, RawRuleSet>([[IEEE1547_2018.id, IEEE1547_2018]]);

/** Adds a rule set (data only); later resolve() calls can name it. */
export function registerRuleSet(raw: RawRuleSet): void {
  registry.set(raw.id, raw);
}

export function ruleSetIds(): string[] {
  return [...registry.keys()];
}

export function getRawRuleSet(id: string): RawRuleSet {
  const raw = registry.get(id);
  if (!raw) throw new AppError('INVALID_ARGUMENT', `unknown rule set "${id}" (known: ${ruleSetIds().join(', ')})`, { setting: 'rules', value: id });
  return raw;
}

function isDisputed<T>(x: Maybe<T>): x is Disputed<T> {
  return typeof x === 'object' && x !== null && (x as { disputed?: unknown }).disputed === true;
}

/** Collects the ids of every dispute in a raw rule set, with their alternatives. */
export function listDisputes(raw: RawRuleSet): Array<Disputed<unknown>> {
  const out = new Map<string, Disputed<unknown>>();
  const visit = (x: unknown): void => {
    if (isDisputed(x)) {
      if (!out.has(x.id)) out.set(x.id, x);
    } else if (Array.isArray(x)) x.forEach(visit);
    else if (typeof x === 'object' && x !== null) Object.values(x).forEach(visit);
  };
  visit(raw);
  return [...out.values()];
}

/**
 * Resolves a raw rule set. `choices` maps a dispute id to an alternative's key ("S3"); absent ids keep the default.
 * Unknown ids or keys are refused so a typo in settings cannot silently fall back to the default.
 */
export function resolveRuleSet(rawOrId: RawRuleSet | string, choices: Record<string, string> = {}): RuleSet {
  const raw = typeof rawOrId === 'string' ? getRawRuleSet(rawOrId) : rawOrId;
  const disputes = listDisputes(raw);
  for (const [id, key] of Object.entries(choices)) {
    const d = disputes.find((x) => x.id === id);
    if (!d) throw new AppError('INVALID_ARGUMENT', `rule set ${raw.id} has no disputed number "${id}"`, { setting: `disputes.${id}`, known: disputes.map((x) => x.id) });
    if (key !== 'default' && !d.alternatives.some((a) => a.key === key)) {
      throw new AppError('INVALID_ARGUMENT', `dispute "${id}" has no alternative "${key}"`, { setting: `disputes.${id}`, allowed: ['default', ...d.alternatives.map((a) => a.key)] });
    }
  }
  const pick = <T>(x: Maybe<T>): T => {
    if (!isDisputed(x)) return x;
    const key = choices[x.id];
    const alt = key && key !== 'default' ? x.alternatives.find((a) => a.key === key) : undefined;
    return alt ? alt.value : x.value;
  };
  const categories: Partial<Record<Category, CategoryRules>> = {};
  for (const [cat, c] of Object.entries(raw.categories) as Array<[Category, NonNullable<RawRuleSet['categories'][Category]>]>) {
    categories[cat] = {
      voltage: c.voltage.map((g) => ({ ...g, lo: pick(g.lo), hi: pick(g.hi), minTime: pick(g.minTime) })),
      frequency: c.frequency.map((g) => ({ ...g, lo: pick(g.lo), hi: pick(g.hi), minTime: pick(g.minTime) })),
      trips: c.trips.map((t) => ({ ...t, pickupRange: [pick(t.pickupRange[0]), pick(t.pickupRange[1])], clearingRange: [pick(t.clearingRange[0]), pick(t.clearingRange[1])] })),
      rocofLimitHzPerS: pick(c.rocofLimitHzPerS),
    };
  }
  return {
    id: raw.id,
    title: raw.title,
    f0: raw.f0,
    rocofWindowS: pick(raw.rocofWindowS),
    categories,
    sync: raw.sync,
    choices: disputes.map((d) => {
      const key = choices[d.id] ?? 'default';
      const alt = d.alternatives.find((a) => a.key === key);
      return { id: d.id, chosen: key, value: alt ? alt.value : d.value, provenance: alt ? alt.provenance : d.provenance, alternatives: d.alternatives };
    }),
  };
}

export function categoryRules(rules: RuleSet, category: Category): CategoryRules {
  const c = rules.categories[category];
  if (!c) throw new AppError('INVALID_ARGUMENT', `rule set ${rules.id} has no Category ${category}`, { setting: 'category', value: category });
  return c;
}
