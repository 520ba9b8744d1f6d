/**
 * Redis key layout of one decision store. Every key starts with the same prefix, which carries a
 * {hash tag}: on a Redis Cluster all of a store's keys land in one slot, so the commit script may
 * touch them together.
 */
export interface StoreKeys {
  readonly prefix: string;
  /** version, dseq, aseq, gate (gseq/gpart/gdone), config id. */
  readonly meta: string;
  readonly bills: string;
  /** Person-day records; field = personDayField(day, consigneeKey). */
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
  /** Pub/sub channel announcing each gate advance. */
  readonly gateChannel: string;
  members(consigneeKey: string, day: string): string;
  outcome(seq: number, part: number): string;
  /** Short lease of the worker computing part (seq, part), so two workers do not compute it both. */
  claim(seq: number, part: number): string;
}

const NAMESPACE = /^[A-Za-z0-9._-]{1,64}$/;

export function storeKeys(namespace: string): StoreKeys {
  if (!NAMESPACE.test(namespace))
    throw new Error(`store namespace "${namespace}": expected 1-64 chars of A-Z a-z 0-9 . _ -`);
  const prefix = `s321:{${namespace}}:`;
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
    gateChannel: `${prefix}gate`,
    members: (consigneeKey, day) => `${prefix}pdm:${memberSuffix(consigneeKey, day)}`,
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

/** Suffix of a person-day's member set (the commit script prepends `${prefix}pdm:`). */
export function memberSuffix(consigneeKey: string, day: string): string {
  return personDayField(consigneeKey, day);
}

/** Field of an interchange de-dup record: JSON keeps the three parts apart whatever they hold. */
export function interchangeField(sender: string, controlNumber: string, fingerprint: string): string {
  return JSON.stringify([sender, controlNumber, fingerprint]);
}
