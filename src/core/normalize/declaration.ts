/**
 * The shipment being read (one LX / CNI loop) and its mapping to a declared / amended / deleted
 * event. Shared by the X12 309 and CUSCAR normalizers, which fill the draft from their segments.
 */
import { US_STATES } from '../consignee/address-words.js';
import { consigneeKey } from '../consignee/consignee-key.js';
import type { Issue } from '../model/issue.js';
import type { EventKind, Mode, Money, Party, ShipmentEvent, ShipmentType } from '../model/shipment-event.js';
import { toUsdCents } from '../money/convert.js';
import { addDecimal, type Decimal, formatDecimal, parseDecimal } from '../money/decimal.js';
import {
  addSmallDecimal,
  formatSmallDecimal,
  isCanonicalDecimalText,
  parseSmallDecimal,
  type SmallDecimal,
  smallToCents,
} from '../money/small-decimal.js';
import type { BillResult } from './bill.js';
import { buildEvent, type EventFields, eventFields } from './event-build.js';
import { originPrefix } from './event-id.js';
import { joinOwn, ownString } from './own-string.js';
import { issueAt, type MessageScope, scopeRate, type Where } from './scope.js';
import type { ShipmentRejection } from './types.js';

export interface PartyDraft {
  name: string;
  street: string;
  city: string;
  state: string;
  postal: string;
  country: string;
  idQualifier: string;
  id: string;
  where: Where;
}

export function emptyParty(where: Where): PartyDraft {
  return {
    name: '',
    street: '',
    city: '',
    state: '',
    postal: '',
    country: '',
    idQualifier: '',
    id: '',
    where,
  };
}

export interface ValueLine {
  amount: string;
  amountAt: Where;
  /** '' when not sent (the profile's default currency applies). */
  currency: string;
  currencyAt: Where;
}

/**
 * Every field is always present (undefined when not read), so that all drafts share one hidden
 * class: with optional fields added in whatever order the segments came, closeDeclaration's reads
 * saw dozens of shapes and every one of them went megamorphic (a generic lookup per field read).
 */
export interface DeclarationDraft {
  start: Where;
  /** Per-shipment action (X12 M13); CUSCAR takes the message function from the header. */
  kind: EventKind | undefined;
  eda: { date: string; time?: string } | undefined;
  shipmentTypes: Array<{ type: Exclude<ShipmentType, 'other'>; where: Where }>;
  express: boolean;
  entryNumber: { value: string; where: Where } | undefined;
  /**
   * A value ceiling the guide sets for this shipment's bill type (rail residue cargo: N10-06 required,
   * over $200 rejected by ACE, CSMS 12-000064); undefined for every other shipment.
   */
  valueLimit: { maxCents: number; billType: string; where: Where } | undefined;
  ultimateConsignee: PartyDraft | undefined;
  consignee: PartyDraft | undefined;
  broker: PartyDraft | undefined;
  values: ValueLine[];
  pieces: number | undefined;
  origins: string[];
  hts: string[];
  descriptions: string[];
  unmapped: string[];
  /** Problems found while reading the loop (bad per-shipment date, unknown action, ...). */
  issues: Issue[];
}

export function newDraft(start: Where): DeclarationDraft {
  return {
    start,
    kind: undefined,
    eda: undefined,
    shipmentTypes: [],
    express: false,
    entryNumber: undefined,
    valueLimit: undefined,
    ultimateConsignee: undefined,
    consignee: undefined,
    broker: undefined,
    values: [],
    pieces: undefined,
    origins: [],
    hts: [],
    descriptions: [],
    unmapped: [],
    issues: [],
  };
}

/** Empties a draft list and keeps its capacity (`length = 0` drops V8's backing store; pop keeps it). */
function clearList(list: unknown[]): void {
  while (list.length > 0) list.pop();
}

/**
 * `draft` emptied for the next shipment of the same message. A normalizer reads one shipment at a
 * time and closeDeclaration copies whatever an event or a rejection keeps (lists by slice, parties
 * into new objects), so one draft serves every shipment: a fresh one per shipment allocated ~0.9 KB
 * (the object, six lists, and a 17-slot backing store at the first push to each of the four lists
 * every shipment fills), which set how often the collector ran.
 */
export function resetDraft(draft: DeclarationDraft, start: Where): DeclarationDraft {
  draft.start = start;
  draft.kind = undefined;
  draft.eda = undefined;
  clearList(draft.shipmentTypes);
  draft.express = false;
  draft.entryNumber = undefined;
  draft.valueLimit = undefined;
  draft.ultimateConsignee = undefined;
  draft.consignee = undefined;
  draft.broker = undefined;
  clearList(draft.values);
  draft.pieces = undefined;
  clearList(draft.origins);
  clearList(draft.hts);
  clearList(draft.descriptions);
  clearList(draft.unmapped);
  clearList(draft.issues);
  return draft;
}

export function addUnmapped(list: string[], label: string): void {
  if (!list.includes(label)) list.push(label);
}

export function addDistinct(list: string[], value: string): void {
  const v = value.trim();
  if (v !== '' && !list.includes(v)) list.push(ownString(v));
}

/** Both texts trimmed, the non-empty ones joined by a space (N2/N3 element pairs, name lines). */
export function joinTrimmed(a: string, b: string): string {
  return joinWords(a.trim(), b.trim());
}

/** The non-empty ones of `a` and `b` joined by a space (no trimming). */
export function joinWords(a: string, b: string): string {
  if (a === '') return b;
  if (b === '') return a;
  return `${a} ${b}`;
}

function isDigits(text: string): boolean {
  if (text === '') return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

/** HTS as digits when it is written with dots or spaces ('8471.30.0100' → '8471300100'). */
export function cleanHts(value: string): string {
  const trimmed = value.trim();
  if (isDigits(trimmed)) return trimmed; // already plain digits (the usual case): no regex pass
  const compact = trimmed.replace(/[.\s]/g, '');
  return /^\d+$/.test(compact) ? compact : trimmed;
}

/** A quantity as whole pieces; a fractional or negative quantity is a warning, not a guess. */
export function readPieces(
  scope: MessageScope,
  raw: string,
  where: Where,
  issues: Issue[],
): number | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  if (text.length > 9 || !isDigits(text)) {
    issues.push(
      issueAt(scope, 'NORMALIZE_BAD_QUANTITY', `quantity '${raw}' is not a whole number of pieces`, where),
    );
    return undefined;
  }
  return Number(text);
}

/** Several goods lines add up their pieces. */
export function addPieces(draft: DeclarationDraft, scope: MessageScope, raw: string, where: Where): void {
  const pieces = readPieces(scope, raw, where, draft.issues);
  if (pieces !== undefined) draft.pieces = (draft.pieces ?? 0) + pieces;
}

const entryPatterns = new Map<string, RegExp>();

/** The profile's entry number pattern, compiled once (stateless: no g or y flag). */
function entryNumberPattern(scope: MessageScope): RegExp {
  const source = scope.profile.entryNumberPattern;
  let re = entryPatterns.get(source);
  if (re === undefined) {
    re = new RegExp(source);
    entryPatterns.set(source, re);
  }
  return re;
}

/** What the message header says, as the shipment closes. */
export interface DeclarationHeader {
  carrierScac: string;
  carrierIssue?: Issue | undefined;
  mode?: Mode | undefined;
  modeIssue?: Issue | undefined;
  /** Message-level kind (CUSCAR BGM); X12 uses the draft's. */
  kind?: EventKind | undefined;
  kindIssue?: Issue | undefined;
  port?: string | undefined;
  conveyanceRef?: string | undefined;
  eda?: { date: string; time?: string } | undefined;
  edaIssue?: Issue | undefined;
  decimalMark: string;
  /** How the value place is named in `unmapped` when no value was sent ('N10-06', 'MOA+40'). */
  valueLabel: string;
}

export type Closed = { event: ShipmentEvent; warnings: Issue[] } | { rejection: ShipmentRejection };

export function closeDeclaration(
  scope: MessageScope,
  draft: DeclarationDraft,
  header: DeclarationHeader,
  billResult: BillResult,
  billAt: Where,
): Closed {
  const errors: Issue[] = [];
  const warnings: Issue[] = [];
  for (const issue of draft.issues) (issue.severity === 'error' ? errors : warnings).push(issue);
  const unmapped = [...draft.unmapped];

  if (header.carrierIssue !== undefined) errors.push(header.carrierIssue);
  if (header.modeIssue !== undefined) errors.push(header.modeIssue);
  if (header.kindIssue !== undefined) errors.push(header.kindIssue);
  const kind: EventKind = draft.kind ?? header.kind ?? 'declared';

  pushBillIssues(scope, billResult, billAt, errors, warnings);

  const counted = kind === 'declared' || kind === 'amended';
  const eda = draft.eda ?? (header.edaIssue === undefined ? header.eda : undefined);
  if (draft.eda === undefined && header.edaIssue !== undefined) errors.push(header.edaIssue);
  else if (eda === undefined && counted) {
    errors.push(
      issueAt(scope, 'NORMALIZE_MISSING_EDA', 'no estimated date of arrival for the shipment', draft.start),
    );
  }

  let consignee: Party | undefined;
  let value: Money | undefined;
  if (counted) {
    consignee = chooseConsignee(scope, draft);
    if (consignee === undefined) {
      errors.push(
        issueAt(
          scope,
          'NORMALIZE_MISSING_CONSIGNEE',
          `${kind} shipment names no ultimate consignee or consignee with a name or id`,
          draft.start,
        ),
      );
    }
    if (draft.values.length === 0) addUnmapped(unmapped, `${header.valueLabel} (no value sent)`);
    else value = computeValue(scope, draft.values, header.decimalMark, eda?.date, errors);
    const limit = draft.valueLimit;
    if (limit !== undefined && draft.values.length === 0) {
      errors.push(
        issueAt(
          scope,
          'NORMALIZE_RESIDUE_VALUE',
          `bill type ${limit.billType} requires a customs value (${header.valueLabel})`,
          limit.where,
        ),
      );
    } else if (limit !== undefined && value !== undefined && value.usdCents > limit.maxCents) {
      errors.push(
        issueAt(
          scope,
          'NORMALIZE_RESIDUE_VALUE',
          `bill type ${limit.billType} value ${value.amount} ${value.currency} is over the ${limit.maxCents / 100} USD limit (ACE rejects it)`,
          draft.values[0]?.amountAt ?? limit.where,
        ),
      );
    }
  }

  const shipmentType = chooseShipmentType(scope, draft, warnings);
  if (shipmentType === 'S321' && consignee !== undefined && !isUsStateCode(consignee.state)) {
    // CSMS 64824427: ACE requires a valid U.S. state for a Section 321 consignee. s321 warns and
    // still counts: a notification that may be unneeded is safer than a total that misses a bill.
    warnings.push(
      issueAt(
        scope,
        'NORMALIZE_S321_CONSIGNEE_STATE',
        `Section 321 consignee '${consignee.name}' has no valid U.S. state code ('${consignee.state}')`,
        draft.start,
      ),
    );
  }
  const entryNumber =
    draft.entryNumber === undefined ? undefined : draft.entryNumber.value.replace(/[\s-]/g, '').toUpperCase();
  if (
    draft.entryNumber !== undefined &&
    entryNumber !== undefined &&
    !entryNumberPattern(scope).test(entryNumber)
  ) {
    warnings.push(
      issueAt(
        scope,
        'NORMALIZE_ENTRY_NUMBER_FORMAT',
        `entry number '${draft.entryNumber.value}' is not filer code + 8 digits`,
        draft.entryNumber.where,
      ),
    );
  }
  if (shipmentType === 'ET86' && entryNumber === undefined && counted) {
    warnings.push(
      issueAt(scope, 'NORMALIZE_ET86_WITHOUT_ENTRY', 'ET86 shipment without an entry number', draft.start),
    );
  }
  // The broker's filer code: the N1*CB / NAD+CB id, else the filer code that opens the entry number.
  const brokerId =
    nonEmpty(draft.broker?.id) ??
    (shipmentType === 'ET86' && entryNumber !== undefined ? entryNumber.slice(0, 3) : undefined);

  if (errors.length > 0 || !billResult.ok || header.mode === undefined) {
    const rejection: ShipmentRejection = {
      segmentIndex: draft.start.index,
      issues: [...errors, ...warnings],
    };
    const bill = billResult.ok ? billResult.bill.key : undefined;
    if (bill !== undefined) rejection.bill = bill;
    return { rejection };
  }

  const f = eventFields();
  f.kind = kind;
  f.bill = billResult.bill;
  f.mode = header.mode;
  f.shipmentType = shipmentType;
  // Express: a dialect's marker, or an air shipment of a carrier the operator lists as express.
  f.express =
    draft.express ||
    (header.mode === 'air' && scope.profile.shipment.expressCarriers.includes(header.carrierScac));
  f.entryNumber = entryNumber === undefined ? undefined : ownString(entryNumber);
  f.carrierScac = header.carrierScac;
  f.brokerId = brokerId === undefined ? undefined : ownString(brokerId);
  f.port = nonEmpty(header.port);
  f.conveyanceRef = nonEmpty(header.conveyanceRef);
  if (consignee !== undefined) {
    f.consignee = consignee;
    f.consigneeKey = consigneeKey(consignee);
  }
  f.value = value;
  f.pieces = draft.pieces;
  f.eda = eda?.date;
  f.edaTime = eda?.time;
  f.origin = draft.origins[0];
  // Exact-size copies: a list grown by push keeps ~17 slots, kept with the event for its lifetime.
  f.origins = draft.origins.slice();
  f.hts = draft.hts.slice();
  if (draft.descriptions.length > 0) f.description = joinOwn(draft.descriptions, '; ');
  f.unmapped = unmapped;
  f.source = sourceOf(scope, draft.start);
  return { event: finishEvent(scope, f, draft.start), warnings };
}

/** The event of `f` with its id (event-build.ts); the origin prefix is made once per message. */
export function finishEvent(scope: MessageScope, f: EventFields, start: Where): ShipmentEvent {
  scope.originPrefix ??= originPrefix(f.source);
  return buildEvent(f, scope.originPrefix, start.index - scope.messageIndex + 1);
}

/**
 * One object literal per variant (with or without `usage`): a property added after the literal
 * goes to a separate property array, one more object per event for the collector to copy.
 */
export function sourceOf(scope: MessageScope, start: Where): ShipmentEvent['source'] {
  if (scope.usage === undefined) {
    return {
      file: scope.file,
      standard: scope.standard,
      sender: scope.sender,
      interchangeControl: scope.interchangeControl,
      groupControl: scope.groupControl,
      messageRef: scope.messageRef,
      messageType: scope.messageType,
      segmentIndex: start.index,
      byteOffset: start.byteOffset,
    };
  }
  return {
    file: scope.file,
    standard: scope.standard,
    sender: scope.sender,
    interchangeControl: scope.interchangeControl,
    groupControl: scope.groupControl,
    messageRef: scope.messageRef,
    messageType: scope.messageType,
    segmentIndex: start.index,
    byteOffset: start.byteOffset,
    usage: scope.usage,
  };
}

export function nonEmpty(value: string | undefined): string | undefined {
  const v = value?.trim();
  return v === undefined || v === '' ? undefined : v;
}

const US_STATE_CODES: ReadonlySet<string> = new Set(Object.values(US_STATES));

/** A USPS state code (or a state spelled out), as CBP's Section 321 consignee check wants. */
function isUsStateCode(state: string): boolean {
  const text = state.trim().toUpperCase();
  return US_STATE_CODES.has(text) || Object.hasOwn(US_STATES, text);
}

function usable(party: PartyDraft | undefined): party is PartyDraft {
  return party !== undefined && (party.name.trim() !== '' || party.id.trim() !== '');
}

/**
 * The first role of the profile's `consigneeRoles` with a name or id: by default the manifest's
 * consignee (N1*CN / NAD+CN), which is what ACE aggregates on; an ultimate consignee (UC) only when
 * no usable CN is sent (docs/conformance.md, "Consignee").
 */
function chooseConsignee(scope: MessageScope, draft: DeclarationDraft): Party | undefined {
  let role: 'CN' | 'UC' | undefined;
  let p: PartyDraft | undefined;
  for (const wanted of scope.profile.consigneeRoles) {
    const candidate = wanted === 'consignee' ? draft.consignee : draft.ultimateConsignee;
    if (usable(candidate)) {
      role = wanted === 'consignee' ? 'CN' : 'UC';
      p = candidate;
      break;
    }
  }
  if (role === undefined || p === undefined) return undefined;
  // ownString: the event outlives the reader's text (own-string.ts). One literal per variant (see
  // sourceOf): the id fields, when sent, are in the object itself, not in a property array.
  const name = ownString(p.name.trim());
  const street = ownString(p.street.trim());
  const city = ownString(p.city.trim());
  const state = ownString(p.state.trim());
  const postal = ownString(p.postal.trim());
  const country = ownString(p.country.trim());
  const id = p.id.trim();
  if (id === '') return { role, name, street, city, state, postal, country };
  const idQualifier = ownString(p.idQualifier.trim());
  return { role, name, street, city, state, postal, country, idQualifier, id: ownString(id) };
}

function chooseShipmentType(scope: MessageScope, draft: DeclarationDraft, warnings: Issue[]): ShipmentType {
  const types = draft.shipmentTypes;
  let et86: Where | undefined;
  let s321 = false;
  for (const t of types) {
    if (t.type === 'ET86') et86 ??= t.where;
    else if (t.type === 'S321') s321 = true;
  }
  if (et86 !== undefined && s321) {
    const where = et86;
    warnings.push(
      issueAt(
        scope,
        'NORMALIZE_CONFLICTING_SHIPMENT_TYPE',
        'shipment marked both S321 and ET86; ET86 kept',
        where,
      ),
    );
    return 'ET86';
  }
  return draft.shipmentTypes[0]?.type ?? 'other';
}

/** Sums the value lines exactly (per currency), then converts once with the rate of the shipment's day. */
function computeValue(
  scope: MessageScope,
  lines: readonly ValueLine[],
  decimalMark: string,
  day: string | undefined,
  errors: Issue[],
): Money | undefined {
  return smallValue(scope, lines, decimalMark, day) ?? exactValue(scope, lines, decimalMark, day, errors);
}

function lineCurrency(scope: MessageScope, line: ValueLine): string {
  const trimmed = line.currency.trim();
  return trimmed === '' ? scope.profile.defaultCurrency : trimmed.toUpperCase();
}

const CURRENCY_CODE = /^[A-Z]{3}$/;

/**
 * computeValue without BigInt (money/small-decimal.ts) when every line is a plain amount of at most
 * 15 digits in one valid currency with a rate for the day: the usual shipment. Anything else
 * (including every error case) returns undefined and goes through exactValue, which reports it.
 */
function smallValue(
  scope: MessageScope,
  lines: readonly ValueLine[],
  decimalMark: string,
  day: string | undefined,
): Money | undefined {
  if (day === undefined) return undefined;
  let total: SmallDecimal | undefined;
  let currency: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] as ValueLine;
    const parsed = parseSmallDecimal(line.amount, decimalMark);
    if (parsed === undefined) return undefined;
    const cur = lineCurrency(scope, line);
    if (currency === undefined) {
      if (!CURRENCY_CODE.test(cur)) return undefined;
      currency = cur;
    } else if (cur !== currency) return undefined;
    total = total === undefined ? parsed : addSmallDecimal(total, parsed);
    if (total === undefined) return undefined;
  }
  if (total === undefined || currency === undefined) return undefined;
  const rate = scopeRate(scope, currency, day);
  if (rate === undefined) return undefined;
  const usdCents = smallToCents(total, rate);
  if (usdCents === undefined) return undefined;
  // One line sent in canonical form ('63.99'): the text is the formatted amount already.
  const only = lines.length === 1 ? (lines[0] as ValueLine).amount : '';
  const amount =
    decimalMark === '.' && isCanonicalDecimalText(only) ? ownString(only) : formatSmallDecimal(total);
  return { usdCents, amount, currency };
}

/** The BigInt path: exact at any size, and the one that names every problem. */
function exactValue(
  scope: MessageScope,
  lines: readonly ValueLine[],
  decimalMark: string,
  day: string | undefined,
  errors: Issue[],
): Money | undefined {
  let total: Decimal | undefined;
  let currency: string | undefined;
  let currencyAt: Where | undefined;
  let failed = false;
  for (const line of lines) {
    const parsed = parseDecimal(line.amount, decimalMark);
    if (!parsed.ok) {
      errors.push(
        issueAt(
          scope,
          parsed.reason === 'negative' ? 'NORMALIZE_NEGATIVE_AMOUNT' : 'NORMALIZE_MALFORMED_AMOUNT',
          parsed.detail,
          line.amountAt,
        ),
      );
      failed = true;
      continue;
    }
    const cur = lineCurrency(scope, line);
    if (!CURRENCY_CODE.test(cur)) {
      errors.push(
        issueAt(
          scope,
          'NORMALIZE_UNKNOWN_CURRENCY',
          `'${line.currency}' is not an ISO 4217 currency code`,
          line.currencyAt,
        ),
      );
      failed = true;
      continue;
    }
    if (currency !== undefined && cur !== currency) {
      errors.push(
        issueAt(
          scope,
          'NORMALIZE_MIXED_CURRENCIES',
          `value lines in ${currency} and ${cur}`,
          line.currencyAt,
        ),
      );
      failed = true;
      continue;
    }
    currency = cur;
    currencyAt ??= line.currencyAt;
    total = total === undefined ? parsed.value : addDecimal(total, parsed.value);
  }
  if (
    failed ||
    total === undefined ||
    currency === undefined ||
    currencyAt === undefined ||
    day === undefined
  )
    return undefined;
  const converted = toUsdCents(total, currency, day, scope.rates);
  if (!converted.ok) {
    const code =
      converted.reason === 'unknown-currency'
        ? 'NORMALIZE_UNKNOWN_CURRENCY'
        : converted.reason === 'no-rate-for-day'
          ? 'NORMALIZE_NO_RATE_FOR_DAY'
          : 'NORMALIZE_MALFORMED_AMOUNT';
    errors.push(issueAt(scope, code, converted.detail, currencyAt));
    return undefined;
  }
  return { usdCents: converted.usdCents, amount: formatDecimal(total), currency };
}

/** Issues of a shipment's bill (shared by declarations and status lines): errors reject, warnings go along. */
export function pushBillIssues(
  scope: MessageScope,
  billResult: BillResult,
  billAt: Where,
  errors: Issue[],
  warnings: Issue[],
): void {
  if (!billResult.ok) {
    const code =
      billResult.problem === 'missing-bill'
        ? 'NORMALIZE_MISSING_BILL'
        : billResult.problem === 'missing-issuer'
          ? 'NORMALIZE_MISSING_ISSUER'
          : 'NORMALIZE_BAD_AIR_WAYBILL';
    errors.push(issueAt(scope, code, billResult.detail, billAt));
  } else if (!billResult.checkDigitOk && scope.profile.air.checkDigit) {
    warnings.push(
      issueAt(
        scope,
        'NORMALIZE_AWB_CHECK_DIGIT',
        `air waybill serial of ${billResult.bill.key} fails the mod-7 check digit`,
        billAt,
      ),
    );
  }
}
