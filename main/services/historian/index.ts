// The historian's public surface for the core and the settings service: the class, its settings schema and
// forecast, and the record/series types. Everything else in this folder is private to it.
export { Historian, type FlushResult, type HistorianOptions } from './historian';
export { forecastRetention, historianSettingsSchema, type HistorianSettings, type HistorianSettingsInput, type RetentionForecast, type TierRates } from './settings';
export type { WriterStats } from './protocol';
export type { EventWindow, PixelSeries, SeriesQuery } from './reader';
export type { SampleColumns } from './chunk-codec';
export type { AlarmFilter, AlarmRecord, EventFilter, HistEvent, JournalEntry, JournalFilter, Severity } from './records';
