/**
 * X12 309 Customs Manifest (GS01 AQ) → declared / amended / deleted events, one per LX loop, in
 * manifest order. Element positions and code meanings come from the profile (formats.md table).
 */
import type { MessageHeader, MessageResult, X12InterchangeHeader } from '../model/reader.js';
import { type X12Segment, x12El } from '../model/segment.js';
import { airBill, type BillResult, surfaceBill } from './bill.js';
import {
  addDistinct,
  addPieces,
  addUnmapped,
  cleanHts,
  closeDeclaration,
  type DeclarationDraft,
  emptyParty,
  newDraft,
  type PartyDraft,
} from './declaration.js';
import { OutputCollector } from './output.js';
import { at, createScope, issueAt, type MessageScope, type Where } from './scope.js';
import type { MessageNormalizer, NormalizeContext, NormalizeOutput } from './types.js';
import { manifestIssues, newManifest, readM10, readP4, type X12Manifest, x12Label } from './x12-header.js';

interface BillPlaces {
  bill: string;
  issuer: string;
  master: string;
  where: Where;
}

class X12ManifestNormalizer implements MessageNormalizer<X12Segment> {
  private readonly out: OutputCollector;
  private readonly manifest: X12Manifest = newManifest();
  private draft: DeclarationDraft | undefined;
  private places: BillPlaces | undefined;
  /** The N1 loop being read (N2/N3/N4 attach to it); undefined outside an N1 loop. */
  private party: PartyDraft | undefined;
  private shipments = 0;

  constructor(
    private readonly scope: MessageScope,
    msg: MessageHeader,
  ) {
    this.out = new OutputCollector(scope);
    this.out.checkFunctionalId(msg, scope.profile.x12['309'].functionalId);
  }

  segment(seg: X12Segment): void {
    const p = this.scope.profile.x12['309'];
    if (seg.tag !== 'N2' && seg.tag !== 'N3' && seg.tag !== 'N4') this.party = undefined;
    switch (seg.tag) {
      case 'M10':
        readM10(this.scope, this.manifest, seg);
        return;
      case 'P4':
        this.close();
        readP4(this.scope, this.manifest, seg, true);
        return;
      case 'LX':
        this.close();
        this.draft = newDraft(at(seg));
        this.draft.kind = Object.hasOwn(p.actions, p.defaultAction)
          ? (p.actions[p.defaultAction] ?? 'declared')
          : 'declared';
        this.places = { bill: '', issuer: '', master: '', where: at(seg) };
        this.shipments++;
        return;
      default:
        break;
    }
    const draft = this.draft;
    if (draft === undefined) return; // header segments s321 does not use (V1, VID, R4, ...)
    switch (seg.tag) {
      case 'M13': {
        const code = x12El(seg, p.m13.action).trim() || p.defaultAction;
        const kind = Object.hasOwn(p.actions, code) ? p.actions[code] : undefined;
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
      case 'M11':
        this.places = {
          bill: x12El(seg, p.m11.bill),
          issuer: x12El(seg, p.m11.issuer),
          master: x12El(seg, p.m11.masterBill),
          where: at(seg, p.m11.bill),
        };
        return;
      case 'N9':
        this.readN9(draft, seg);
        return;
      case 'N1':
        this.readN1(draft, seg);
        return;
      case 'N2':
      case 'N3':
      case 'N4':
        this.readAddress(draft, seg);
        return;
      case 'N10':
        this.readN10(draft, seg);
        return;
      default:
        if (!p.ignoredSegments.includes(seg.tag)) addUnmapped(draft.unmapped, x12Label(seg));
    }
  }

  private readN9(draft: DeclarationDraft, seg: X12Segment): void {
    const p = this.scope.profile.x12['309'].n9;
    const qualifier = x12El(seg, p.qualifier).trim();
    const value = x12El(seg, p.value).trim();
    if (p.shipmentTypeQualifiers.includes(qualifier)) {
      const code = value.toUpperCase();
      const types = this.scope.profile.shipment.shipmentTypes;
      const type = Object.hasOwn(types, code) ? types[code] : undefined;
      if (type !== undefined) draft.shipmentTypes.push({ type, where: at(seg, p.value) });
      else if (this.scope.profile.shipment.express.includes(code)) draft.express = true;
      else addUnmapped(draft.unmapped, `N9*${qualifier}*${value}`);
    } else if (p.entryQualifiers.includes(qualifier) && value !== '') {
      draft.entryNumber = { value, where: at(seg, p.value) };
    } else {
      addUnmapped(draft.unmapped, `N9*${qualifier}`);
    }
  }

  private readN1(draft: DeclarationDraft, seg: X12Segment): void {
    const p = this.scope.profile.x12['309'].n1;
    const code = x12El(seg, p.role).trim();
    const roles = this.scope.profile.partyRoles.x12;
    const role = Object.hasOwn(roles, code) ? roles[code] : undefined;
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
  private readAddress(draft: DeclarationDraft, seg: X12Segment): void {
    const party = this.party;
    if (party === undefined) {
      addUnmapped(draft.unmapped, `${seg.tag} (outside an N1 loop)`);
      return;
    }
    const joined = [x12El(seg, 1), x12El(seg, 2)]
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .join(' ');
    if (seg.tag === 'N2') party.name = [party.name, joined].filter((s) => s !== '').join(' ');
    else if (seg.tag === 'N3') party.street = [party.street, joined].filter((s) => s !== '').join(' ');
    else {
      party.city = x12El(seg, 1).trim();
      party.state = x12El(seg, 2).trim();
      party.postal = x12El(seg, 3).trim();
      party.country = x12El(seg, 4).trim();
    }
  }

  private readN10(draft: DeclarationDraft, seg: X12Segment): void {
    const p = this.scope.profile.x12['309'].n10;
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
    this.out.add(
      closeDeclaration(
        this.scope,
        draft,
        {
          ...manifest,
          decimalMark: '.',
          valueLabel: `N10-${String(this.scope.profile.x12['309'].n10.value).padStart(2, '0')}`,
        },
        bill,
        places.where,
      ),
    );
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
