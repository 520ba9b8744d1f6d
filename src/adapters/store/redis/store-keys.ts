/**
 * Redis key layout of the decision stores — the one module that names keys (the retention work
 * prunes by these names too). Every key of one store starts with the same prefix, which carries a
 * {hash tag}: on a Redis Cluster all of a store's keys land in one slot, so the commit script may
 * touch them together.
 *
 * A partitioned store (issue #15) is P such stores, partition i under `s321:{<namespace>#p<i>}:`
 * (its own slot, so partitions spread over a cluster's shards), and a router under
 * `s321:{<namespace>#route}:` (RouterKeys: the bill → partition index, the interchange de-dup
 * records, the routing gate and each input's routing). '#' is not allowed in a namespace, so no
 * plain store's keys can collide with a partition's.
 */
export interface StoreKeys {
  readonly prefix: string;
  /** version, dseq, aseq, gate (gseq/gpart/gdone), config id. */
  readonly meta: string;
  readonly bills: string;
  /** Person-day records and their members (person-day-value.ts); field = personDayField(consigneeKey, day). */
  readonly personDays: string;
  readonly interchanges: string;
  /** Decision JSON by decision id. */
  readonly decisions: string;
  /** Every decision id by seq. */
  readonly decisionLog: string;
  /** Decision ids not yet in an outbound file, by seq. */
  readonly pending: string;
  readonly audit: string;
  readonly control: string;
  readonly outboundFiles: string;
  readonly unwritten: string;
  readonly skipped: string;
  /**
   * Partitioned stores: a bill as it stood when it left this partition, by `<seq>:<event index>` of
   * the moving event; the partition it moves to reads it once this partition's gate passed it.
   */
  readonly handoff: string;
  /** Pub/sub channel announcing each gate advance. */
  readonly gateChannel: string;
  /**
   * Layout 2 (before `s321 queue migrate`): each person-day's member set was the sorted set
   * `<legacyMembers><personDayField>`; layout-migration.ts folds them into the person-day values.
   */
  readonly legacyMembers: string;
  outcome(seq: number, part: number): string;
  /** Short lease of the worker computing part (seq, part), so two workers do not compute it both. */
  claim(seq: number, part: number): string;
}

const NAMESPACE = /^[A-Za-z0-9._-]{1,64}$/;

export function storeKeys(namespace: string): StoreKeys {
  checkNamespace(namespace);
  return keysUnder(`s321:{${namespace}}:`);
}

/** Keys of partition `partition` of a partitioned store. */
export function partitionStoreKeys(namespace: string, partition: number): StoreKeys {
  checkNamespace(namespace);
  if (!Number.isSafeInteger(partition) || partition < 0) throw new Error(`bad partition ${partition}`);
  return keysUnder(`s321:{${namespace}#p${partition}}:`);
}

function checkNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace))
    throw new Error(`store namespace "${namespace}": expected 1-64 chars of A-Z a-z 0-9 . _ -`);
}

function keysUnder(prefix: string): StoreKeys {
  return {
    prefix,
    meta: `${prefix}meta`,
    bills: `${prefix}bills`,
    personDays: `${prefix}pd`,
    interchanges: `${prefix}ic`,
    decisions: `${prefix}dec`,
    decisionLog: `${prefix}declog`,
    pending: `${prefix}pending`,
    audit: `${prefix}audit`,
    control: `${prefix}ctl`,
    outboundFiles: `${prefix}obf`,
    unwritten: `${prefix}unwritten`,
    skipped: `${prefix}skipped`,
    handoff: `${prefix}handoff`,
    gateChannel: `${prefix}gate`,
    legacyMembers: `${prefix}pdm:`,
    outcome: (seq, part) => `${prefix}outcome:${seq}:${part}`,
    claim: (seq, part) => `${prefix}claim:${seq}:${part}`,
  };
}

/**
 * Field of a person-day in the person-day hash. The day is always 10 characters (YYYY-MM-DD), so
 * `day:consigneeKey` splits back unambiguously whatever the consignee key holds.
 */
export function personDayField(consigneeKey: string, day: string): string {
  return `${day}:${consigneeKey}`;
}

/** Field of an interchange de-dup record: JSON keeps the three parts apart whatever they hold. */
export function interchangeField(sender: string, controlNumber: string, fingerprint: string): string {
  return JSON.stringify([sender, controlNumber, fingerprint]);
}

/** Keys of a partitioned store's router (one slot). */
export interface RouterKeys {
  readonly prefix: string;
  /**
   * partitions (P, fixed at creation); the routing gate gseq/gpart/gdone (last routed input part);
   * rseq (routed parts so far: the partitions' sequence of the last one).
   */
  readonly meta: string;
  /** Bill key → owning partition. */
  readonly owners: string;
  /** Interchange de-dup records (field: interchangeField) → first file. */
  readonly interchanges: string;
  /** The routing of input part (seq, part) (kept so a redelivery gets the same partition parts). */
  route(seq: number, part: number): string;
  /** Short lease of the worker routing part (seq, part). */
  claim(seq: number, part: number): string;
  /** Inputs an operator skipped (`s321 queue skip`): seq → reason. */
  readonly skipped: string;
}

export function routerKeys(namespace: string): RouterKeys {
  checkNamespace(namespace);
  const prefix = `s321:{${namespace}#route}:`;
  return {
    prefix,
    meta: `${prefix}meta`,
    owners: `${prefix}owners`,
    interchanges: `${prefix}ic`,
    route: (seq, part) => `${prefix}route:${seq}:${part}`,
    skipped: `${prefix}skipped`,
    claim: (seq, part) => `${prefix}claim:${seq}:${part}`,
  };
}

/** Field of a moving event's handoff record: its arrival sequence and index in the input. */
export function handoffField(seq: number, index: number): string {
  return `${seq}:${index}`;
}
