/** What the registry holds for each code (registry.ts merges the tables that each area declares). */
export type Stage =
  | 'config'
  | 'intake'
  | 'tokenize'
  | 'envelope'
  | 'normalize'
  | 'aggregate'
  | 'generate'
  | 'adapter';

export interface CodeSpec {
  stage: Stage;
  severity: 'error' | 'warning';
  /**
   * true when retrying the same input later may succeed (adapter faults); input problems are not.
   * Queue workers decide retries by it (src/app/queue/dead-lettering.ts).
   */
  retryable: boolean;
  /** Which acknowledgment the code drives, e.g. 'TA1:022', '999:IK5=R', 'CONTRL:UCI=7'. */
  ack?: string;
  summary: string;
}

export type CodeTable = Readonly<Record<string, CodeSpec>>;

/** Helper so each area's code table is type-checked against CodeSpec while keeping literal keys. */
export function defineCodes<const T extends Record<string, CodeSpec>>(codes: T): T {
  return codes;
}
