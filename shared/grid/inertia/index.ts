// Public surface of RoCoF and inertia: sliding RoCoF, df/dt fits, the event-based estimate and the streaming monitor.
// Import from here rather than from the individual files.
export { SlidingSlope } from './rocof';
export { fitSlope, fitSlopeAt, type SlopeFit } from './fit';
export { estimateInertia, kineticEnergy, type InertiaInput, type InertiaResult, type PmuSeries } from './estimate';
export { InertiaMonitor, type InertiaInputRole, type InertiaMonitorConfig, type InertiaReport } from './monitor';
