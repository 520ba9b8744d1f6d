/**
 * What replay and the queue workers tell the metrics (src/ports/metrics.ts) about what they read:
 * shipment events by mode, and every error issue by its code. One function for both modes, so the
 * counters mean the same in both.
 */
import type { Issue } from '../core/model/issue.js';
import type { PipelineMetrics } from '../ports/metrics.js';

export function countRead(
  metrics: PipelineMetrics,
  events: ReadonlyArray<{ mode: string }>,
  issues: readonly Issue[],
): void {
  const byMode = new Map<string, number>();
  for (const e of events) byMode.set(e.mode, (byMode.get(e.mode) ?? 0) + 1);
  for (const [mode, n] of byMode) metrics.shipmentsRead(n, mode);
  const codes = issues.filter((i) => i.severity === 'error').map((i) => i.code);
  if (codes.length > 0) metrics.rejected(codes);
}
