// One subscription per rate class (PMU ~100 ms publishing, SCADA 1 s). Items are created in chunks no larger than
// the server's MaxMonitoredItemsPerCall, halved again on BadTooManyMonitoredItems/Operations; revised values kept.
import {
  AttributeIds, DataChangeFilter, DataChangeTrigger, DeadbandType, MonitoringMode, TimestampsToReturn,
  type ClientSession, type ClientSessionRawSubscriptionService, type ClientSubscription, type DataChangeNotification, type MonitoredItemCreateRequestOptions, type NodeId,
} from 'node-opcua';
import { AppError } from '../../../shared/errors';
import { queueSizeFor, type RateClass, type RateClassSettings } from './settings';

export interface ItemRequest {
  handle: number; // clientHandle = the connection's slot for this signal
  nodeId: NodeId;
  node: string;
}
export interface ItemResult {
  handle: number;
  node: string;
  status: string; // StatusCode name of the create result
  revisedSamplingIntervalMs: number;
  revisedQueueSize: number;
}
export interface RateSubscriptionInfo {
  rate: RateClass;
  subscriptionId: number;
  requestedPublishingIntervalMs: number;
  revisedPublishingIntervalMs: number;
  requestedSamplingIntervalMs: number;
  requestedQueueSize: number;
  createCalls: number; // CreateMonitoredItems calls it took
  chunkSize: number; // the chunk size that finally worked
  items: ItemResult[];
}

/** MaxMonitoredItemsPerCall (i=11714); 0 or unreadable means "no stated limit". */
export async function readMaxMonitoredItemsPerCall(session: ClientSession): Promise<number> {
  const dv = await session.read({ nodeId: 'i=11714', attributeId: AttributeIds.Value });
  return dv.statusCode.isGood() && typeof dv.value.value === 'number' ? dv.value.value : 0;
}

export async function createRateSubscription(
  session: ClientSession, rate: RateClass, s: RateClassSettings, items: ItemRequest[], maxPerCall: number,
  onData: (n: DataChangeNotification) => void,
): Promise<{ subscription: ClientSubscription; info: RateSubscriptionInfo }> {
  const keepAlive = Math.max(3, Math.ceil(2000 / s.publishingIntervalMs));
  const sub = await session.createSubscription2({
    requestedPublishingInterval: s.publishingIntervalMs,
    requestedMaxKeepAliveCount: keepAlive,
    requestedLifetimeCount: keepAlive * 10,
    maxNotificationsPerPublish: 0,
    publishingEnabled: true,
    priority: rate === 'pmu' ? 200 : 100,
  });
  // We create items with raw CreateMonitoredItems and read notifications in bulk: node-opcua's per-item objects
  // cost an event emission per value, too slow at 100k values/s. Replacing the instance's dispatcher keeps the
  // subscription's publish loop, keep-alive and lifetime handling while the values go straight to `onData`.
  (sub as unknown as { __on_publish_response_DataChangeNotification: (n: DataChangeNotification) => void }).__on_publish_response_DataChangeNotification = onData;

  const queueSize = queueSizeFor(s);
  const filter = rate === 'pmu' ? new DataChangeFilter({ trigger: DataChangeTrigger.StatusValueTimestamp, deadbandType: DeadbandType.None }) : null;
  const requests: MonitoredItemCreateRequestOptions[] = items.map((it) => ({
    itemToMonitor: { nodeId: it.nodeId, attributeId: AttributeIds.Value },
    monitoringMode: MonitoringMode.Reporting,
    requestedParameters: { clientHandle: it.handle, samplingInterval: s.samplingIntervalMs, queueSize, discardOldest: true, filter },
  }));
  const info: RateSubscriptionInfo = {
    rate, subscriptionId: sub.subscriptionId, requestedPublishingIntervalMs: s.publishingIntervalMs, revisedPublishingIntervalMs: sub.publishingInterval,
    requestedSamplingIntervalMs: s.samplingIntervalMs, requestedQueueSize: queueSize, createCalls: 0, chunkSize: maxPerCall > 0 ? maxPerCall : 1000, items: [],
  };
  let i = 0;
  while (i < requests.length) {
    const chunk = requests.slice(i, i + info.chunkSize);
    try {
      info.createCalls++;
      const resp = await (session as unknown as ClientSessionRawSubscriptionService).createMonitoredItems({ subscriptionId: sub.subscriptionId, timestampsToReturn: TimestampsToReturn.Both, itemsToCreate: chunk });
      const results = resp.results ?? [];
      const tooMany = results.some((r) => r.statusCode.name === 'BadTooManyMonitoredItems' || r.statusCode.name === 'BadTooManyOperations');
      if (tooMany && info.chunkSize > 1 && results.every((r) => !r.statusCode.isGood())) throw new Error(results[0].statusCode.name);
      results.forEach((r, k) => info.items.push({
        handle: items[i + k].handle, node: items[i + k].node, status: r.statusCode.name,
        revisedSamplingIntervalMs: r.revisedSamplingInterval, revisedQueueSize: r.revisedQueueSize,
      }));
      i += chunk.length;
    } catch (e) {
      const m = /BadTooManyMonitoredItems|BadTooManyOperations/.exec(String((e as Error).message));
      if (!m || info.chunkSize <= 1) throw e;
      info.chunkSize = Math.max(1, Math.floor(info.chunkSize / 2)); // the server's stated limit was not its real one
    }
  }
  if (info.items.length !== items.length) throw new AppError('INTERNAL', `subscription ${rate}: ${info.items.length} results for ${items.length} items`);
  return { subscription: sub, info };
}
