// Public surface of the rule sets: data, resolution of disputes, per-DER settings and region lookup.
// Import from here rather than from the individual files.
export * from './types';
export { IEEE1547_2018 } from './ieee1547-2018';
export { categoryRules, getRawRuleSet, listDisputes, registerRuleSet, resolveRuleSet, ruleSetIds } from './resolve';
export { derSettings, syncLimitFor, type DerSettings, type DerSettingsInput, type EffectiveTrip } from './settings';
export { bandsOf, continuousBand, inRegion, minTimeS, regionIndex, regionOf, type Bands } from './classify';
