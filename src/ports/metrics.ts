/**
 * What the application reports as it works, for operators' metrics: shipments read, decisions made
 * (by code and channel), rejections (by error code). The pure core knows nothing of it; the use
 * cases call it, an adapter (src/adapters/metrics, prom-client) counts. Counts are at-least-once in
 * queue mode: a redelivered job counts again what it redoes.
 */
export interface PipelineMetrics {
  /** Shipment events read from inputs (before aggregation), by transport mode when known. */
  shipmentsRead(count: number, mode?: string): void;
  /** Decisions made by the aggregation, one count per decision under its code and channel. */
  decisionsMade(decisions: ReadonlyArray<{ code: string; channel: string }>): void;
  /** Error issues of inputs (a shipment, message, interchange or file refused), by error code. */
  rejected(codes: readonly string[]): void;
}

/** Counts nothing: where no metrics are wanted. */
export const noMetrics: PipelineMetrics = {
  shipmentsRead: () => {},
  decisionsMade: () => {},
  rejected: () => {},
};
