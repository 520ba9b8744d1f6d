/**
 * X12 309 Customs Manifest (GS01 AQ) → declared / amended / deleted events, one per LX loop, in
 * manifest order. Element positions and code meanings come from the profile (docs/conformance.md):
 * the shipment type is the M11-09 bill type read with the manifest's mode (truck 13/35, rail 23),
 * or an entry type 86; dialect N9 markers only where a partner profile names them.
 */
import type { MessageHeader, MessageResult, X12InterchangeHeader } from '../model/reader.js';
import { type X12Segment, x12El } from '../model/segment.js';
import type { EventKind, Mode } from '../model/shipment-event.js';
import type { InboundProfileBody } from '../profiles/inbound-profile.js';
import { airBill, type BillResult, surfaceBill } from './bill.js';
import {
  addDistinct,
  addPieces,
  addUnmapped,
  cleanHts,
  closeDeclaration,
  type DeclarationDraft,
  type DeclarationHeader,
  emptyParty,
  joinTrimmed,
  joinWords,
  newDraft,
  type PartyDraft,
  resetDraft,
} from './declaration.js';
import { OutputCollector } from './output.js';
import { at, createScope, issueAt, type MessageScope, type Where } from './scope.js';
import { tagCode } from './tag-code.js';
import type { MessageNormalizer, NormalizeContext, NormalizeOutput } from './types.js';
import { manifestIssues, newManifest, readM10, readP4, type X12Manifest, x12Label } from './x12-header.js';

type X12_309Profile = InboundProfileBody['x12']['309'];

const M10 = tagCode('M10');
const P4 = tagCode('P4');
const LX = tagCode('LX');
const M13 = tagCode('M13');
const M11 = tagCode('M11');
const N9 = tagCode('N9');
const N1 = tagCode('N1');
const N2 = tagCode('N2');
const N3 = tagCode('N3');
const N4 = tagCode('N4');
const N10 = tagCode('N10');

interface BillPlaces {
  bill: string;
  issuer: string;
  master: string;
  where: Where;
  /** M11-09 bill of lading type code as sent ('' when absent). */
  billType: string;
  billTypeAt: Where;
}

class X12ManifestNormalizer implements MessageNormalizer<X12Segment> {
  private readonly out: OutputCollector;
  /** The 309 part of the sender's profile, resolved once per message. */
  private readonly p: X12_309Profile;
  /** Kind of a shipment without M13 (the profile's default action). */
  private readonly defaultKind: EventKind;
  private readonly manifest: X12Manifest = newManifest();
  /** Reused for every shipment: the manifest's current values plus the 309's constants. */
  private readonly header: DeclarationHeader;
  /** The shipment being read (undefined between shipments); it is `spare`, reset (resetDraft). */
  private draft: DeclarationDraft | undefined;
  private readonly spare: DeclarationDraft = newDraft({ index: 0, byteOffset: 0, tag: '' });
  private places: BillPlaces | undefined;
  /** The N1 loop being read (N2/N3/N4 attach to it); undefined outside an N1 loop. */
  private party: PartyDraft | undefined;
  private shipments = 0;

  constructor(
    private readonly scope: MessageScope,
    msg: MessageHeader,
  ) {
    this.out = new OutputCollector(scope);
    const p = scope.profile.x12['309'];
    this.p = p;
    this.defaultKind = Object.hasOwn(p.actions, p.defaultAction)
      ? (p.actions[p.defaultAction] ?? 'declared')
      : 'declared';
    this.header = {
      carrierScac: '',
      carrierIssue: undefined,
      mode: undefined,
      modeIssue: undefined,
      port: undefined,
      conveyanceRef: undefined,
      eda: undefined,
      edaIssue: undefined,
      decimalMark: '.',
      valueLabel: `N10-${String(p.n10.value).padStart(2, '0')}`,
    };
    this.out.checkFunctionalId(msg, p.functionalIds);
  }

  segment(seg: X12Segment): void {
    const p = this.p;
    const tag = tagCode(seg.tag);
    if (tag !== N2 && tag !== N3 && tag !== N4) this.party = undefined;
    switch (tag) {
      case M10:
        readM10(this.scope, this.manifest, seg);
        return;
      case P4:
        this.close();
        readP4(this.scope, this.manifest, seg, true);
        return;
      case LX: {
        this.close();
        // One Where for the three places (a Where is never changed once made).
        const where = at(seg);
        this.draft = resetDraft(this.spare, where);
        this.draft.kind = this.defaultKind;
        this.places = { bill: '', issuer: '', master: '', where, billType: '', billTypeAt: where };
        this.shipments++;
        return;
      }
      default:
        break;
    }
    const draft = this.draft;
    if (draft === undefined) return; // header segments s321 does not use (V1, VID, R4, ...)
    switch (tag) {
      case M13: {
        const code = x12El(seg, p.m13.action).trim() || p.defaultAction;
        const kind = this.scope.codes.x12Actions.get(code);
        if (kind === undefined)
          draft.issues.push(
            issueAt(
              this.scope,
              'NORMALIZE_UNKNOWN_ACTION',
              `M13 action '${code}' is not in the profile`,
              at(seg, p.m13.action),
            ),
          );
        else draft.kind = kind;
        return;
      }
      case M11:
        this.places = {
          bill: x12El(seg, p.m11.bill),
          issuer: x12El(seg, p.m11.issuer),
          master: x12El(seg, p.m11.masterBill),
          where: at(seg, p.m11.bill),
          billType: x12El(seg, p.m11.billType).trim(),
          billTypeAt: at(seg, p.m11.billType),
        };
        return;
      case N9:
        this.readN9(draft, seg);
        return;
      case N1:
        this.readN1(draft, seg);
        return;
      case N2:
      case N3:
      case N4:
        this.readAddress(draft, seg, tag);
        return;
      case N10:
        this.readN10(draft, seg);
        return;
      default:
        if (!this.scope.codes.x12IgnoredSegments.has(seg.tag)) addUnmapped(draft.unmapped, x12Label(seg));
    }
  }

  private readN9(draft: DeclarationDraft, seg: X12Segment): void {
    const p = this.p.n9;
    const qualifier = x12El(seg, p.qualifier).trim();
    const value = x12El(seg, p.value).trim();
    if (p.shipmentTypeQualifiers.includes(qualifier)) {
      // Partner dialect markers (N9*ZZ*S321): only when the partner's profile names the qualifier.
      const code = value.toUpperCase();
      const type = this.scope.codes.shipmentTypes.get(code);
      if (type !== undefined) draft.shipmentTypes.push({ type, where: at(seg, p.value) });
      else if (this.scope.profile.shipment.express.includes(code)) draft.express = true;
      else addUnmapped(draft.unmapped, `N9*${qualifier}*${value}`);
    } else if (p.entryQualifiers.includes(qualifier) && value !== '') {
      draft.entryNumber = { value, where: at(seg, p.value) };
    } else if (p.entryTypeQualifiers.includes(qualifier) && value !== '') {
      const type = this.scope.codes.entryTypes.get(value);
      if (type !== undefined) draft.shipmentTypes.push({ type, where: at(seg, p.value) });
      else addUnmapped(draft.unmapped, `N9*${qualifier}*${value}`);
    } else if (this.p.residue.billQualifiers.includes(qualifier)) {
      // The residue rail bill (CSMS 12-000064) is read; the bill key stays M11-01.
    } else {
      addUnmapped(draft.unmapped, `N9*${qualifier}`);
    }
  }

  private readN1(draft: DeclarationDraft, seg: X12Segment): void {
    const p = this.p.n1;
    const code = x12El(seg, p.role).trim();
    const role = this.scope.codes.x12Roles.get(code);
    const party = emptyParty(at(seg));
    party.name = x12El(seg, p.name).trim();
    party.idQualifier = x12El(seg, p.idQualifier).trim();
    party.id = x12El(seg, p.id).trim();
    this.party = party;
    if (role === 'ultimateConsignee') draft.ultimateConsignee ??= party;
    else if (role === 'consignee') draft.consignee ??= party;
    else if (role === 'broker') draft.broker ??= party;
    else if (role === undefined || role === 'other') addUnmapped(draft.unmapped, `N1*${code}`);
    // shipper / carrier: known roles the event has no place for.
  }

  /** N2 additional name, N3 street lines, N4 city/state/postal/country of the current N1. */
  private readAddress(draft: DeclarationDraft, seg: X12Segment, tag: number): void {
    const party = this.party;
    if (party === undefined) {
      addUnmapped(draft.unmapped, `${seg.tag} (outside an N1 loop)`);
      return;
    }
    if (tag === N2) party.name = joinWords(party.name, joinTrimmed(x12El(seg, 1), x12El(seg, 2)));
    else if (tag === N3) party.street = joinWords(party.street, joinTrimmed(x12El(seg, 1), x12El(seg, 2)));
    else {
      party.city = x12El(seg, 1).trim();
      party.state = x12El(seg, 2).trim();
      party.postal = x12El(seg, 3).trim();
      party.country = x12El(seg, 4).trim();
    }
  }

  private readN10(draft: DeclarationDraft, seg: X12Segment): void {
    const p = this.p.n10;
    addPieces(draft, this.scope, x12El(seg, p.quantity), at(seg, p.quantity));
    const description = x12El(seg, p.description).trim();
    if (description !== '') draft.descriptions.push(description);
    const hts = x12El(seg, p.hts).trim();
    if (hts !== '') {
      const qualifier = x12El(seg, p.htsQualifier).trim();
      if (p.htsQualifiers.includes(qualifier)) addDistinct(draft.hts, cleanHts(hts));
      else
        addUnmapped(
          draft.unmapped,
          `N10-${String(p.hts).padStart(2, '0')} commodity code with qualifier '${qualifier}'`,
        );
    }
    const amount = x12El(seg, p.value);
    if (amount.trim() !== '') {
      draft.values.push({
        amount,
        amountAt: at(seg, p.value),
        currency: x12El(seg, p.currency),
        currencyAt: at(seg, p.currency),
      });
    }
    addDistinct(draft.origins, x12El(seg, p.origin).toUpperCase());
  }

  private close(): void {
    const draft = this.draft;
    const places = this.places;
    if (draft === undefined || places === undefined) return;
    this.draft = undefined;
    this.places = undefined;
    this.party = undefined;
    const manifest = manifestIssues(this.scope, this.manifest, draft.start);
    const bill: BillResult =
      manifest.mode === 'air'
        ? airBill(
            places.master.trim() !== '' ? places.master : places.bill,
            places.master.trim() !== '' ? places.bill : '',
            places.issuer,
          )
        : surfaceBill(places.bill, places.issuer, manifest.carrierScac);
    this.applyBillType(draft, places, manifest.mode);
    const h = this.header;
    h.carrierScac = manifest.carrierScac;
    h.carrierIssue = manifest.carrierIssue;
    h.mode = manifest.mode;
    h.modeIssue = manifest.modeIssue;
    h.port = manifest.port;
    h.conveyanceRef = manifest.conveyanceRef;
    h.eda = manifest.eda;
    h.edaIssue = manifest.edaIssue;
    this.out.add(closeDeclaration(this.scope, draft, h, bill, places.where));
  }

  /**
   * The M11-09 bill type read with the manifest's mode: a Section 321 code of that mode makes the
   * shipment S321 (listed first, so an entry type 86 read from N9 still wins with its warning); a
   * residue bill type carries its value limit.
   */
  private applyBillType(draft: DeclarationDraft, places: BillPlaces, mode: Mode | undefined): void {
    const code = places.billType;
    if (code === '' || mode === undefined) return;
    const type = this.scope.codes.billTypes.get(mode)?.get(code);
    if (type !== undefined) draft.shipmentTypes.unshift({ type, where: places.billTypeAt });
    if (this.p.residue.billTypes.includes(code))
      draft.valueLimit = { maxCents: this.p.residue.maxValueCents, billType: code, where: places.billTypeAt };
  }

  drain(): NormalizeOutput {
    return this.out.drain();
  }

  finish(_result: MessageResult): NormalizeOutput {
    this.close();
    if (this.shipments === 0) this.out.noShipments('LX');
    return this.out.drain();
  }
}

export function createX12_309(
  ic: X12InterchangeHeader,
  msg: MessageHeader,
  ctx: NormalizeContext,
): MessageNormalizer<X12Segment> {
  return new X12ManifestNormalizer(createScope(ic, msg, ctx), msg);
}
