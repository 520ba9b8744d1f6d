/** Public surface of the deterministic traffic generator (see traffic.ts). */
export type { EventCounts, GroundTruth, MessageType } from './ground-truth.js';
export {
  generateTraffic,
  type Traffic,
  type TrafficFile,
  type TrafficOptions,
  type WriteResult,
  writeTraffic,
} from './traffic.js';
