// Public surface of the OPC UA ingestion service: what the core, the CLI and the simulator wiring import.
// Everything else in this folder is private to the service.
export { OpcuaService, loadMapping, type OpcuaServiceEvents, type OpcuaServiceOptions } from './service';
export { BAD_NO_COMMUNICATION, type ConnectionHealth } from './connection';
export type { ConnectionState, ConnectionGap, FailReason } from './connection-state';
export type { MappingIssue } from './mapping-resolve';
export { parseMapping, parseMappingText, type Mapping } from './mapping-schema';
export type { PendingTrust } from './pki';
export { probeServer, type ProbeOptions, type ProbeResult } from './probe';
export { parseOpcuaSettings, DEFAULT_RATES, type OpcuaSettings, type OpcuaSettingsInput, type ConnectionSettings } from './settings';
export { SignalCatalogue } from './signal-catalogue';
export type { SignalHealth } from './stream-health';
export type { RateSubscriptionInfo } from './subscriptions';
