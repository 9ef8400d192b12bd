// The grid package's public surface: read a DSS feeder, build the network, solve, and the analyses on top.
// Import from here unless a module is needed on its own.
export { readDss, readBusCoords, type DssResolver, type SourceRef } from './dss-reader';
export { buildModel, loadDssModel } from './build-model';
export type * from './feeder-model';
export { buildNetwork, type Network } from './network';
export { createSolver, type PowerFlowSolver, type SolveInput, type SolverOptions } from './solver';
export type { PowerFlowResult, BranchFlow } from './pf-result';
export type { FaultSpec, SlackSpec } from './ybus';
export { voltageSensitivity, marginalLossFactor, type VoltageSensitivity } from './sensitivity';
export { estimateState, type PmuMeasurement, type ScadaMeasurement, type EstimatorOptions, type NodeEstimate, type StateEstimate } from './estimator';
export * from './ieee-published';
