// Public surface of event detection: the incremental detector, its reorder stage and the event types.
// Import from here rather than from the individual files.
export * from './types';
export { RideThroughDetector, type DetectorConfig } from './detector';
export { ReorderBuffer, type SampleSink } from '../sampling/reorder';
