/**
 * UN/EDIFACT CUSCAR → declared / amended / deleted events, one per CNI consignment group, read as
 * CBP's ACE truck CUSCAR is written (docs/conformance.md): header segments (BGM, TDT, NAD+CA, LOC+60,
 * DTM+132) come before the first CNI; each CNI's action (23 add, 24 change, 22 cancel) sets its
 * consignment's kind over the message function; the Section 321 marker is the DOC+929 declaration
 * type (13 / 35; 86 = ET86) after CNI; RFF+AAM is the shipment control number. What has no place in
 * the event is named per shipment in `unmapped`.
 */
import type { Issue } from '../model/issue.js';
import type { EdifactInterchangeHeader, MessageHeader, MessageResult } from '../model/reader.js';
import { type EdifactSegment, edi } from '../model/segment.js';
import type { EventKind, Mode } from '../model/shipment-event.js';
import type { InboundProfileBody } from '../profiles/inbound-profile.js';
import { airBill, type BillResult, prefixedBill } from './bill.js';
import {
  addDistinct,
  addUnmapped,
  cleanHts,
  closeDeclaration,
  type DeclarationDraft,
  type DeclarationHeader,
  newDraft,
  resetDraft,
} from './declaration.js';
import { edifactLabel, joined, partyFromNad, readDtm, readTdtMode } from './edifact-common.js';
import { OutputCollector } from './output.js';
import { ownString } from './own-string.js';
import { at, createScope, issueAt, type MessageScope, type Where } from './scope.js';
import { tagCode } from './tag-code.js';
import type { MessageNormalizer, NormalizeContext, NormalizeOutput } from './types.js';

const RFF = tagCode('RFF');
const GIS = tagCode('GIS');
const NAD = tagCode('NAD');
const MOA = tagCode('MOA');
const LOC = tagCode('LOC');
const PIA = tagCode('PIA');
const GIN = tagCode('GIN');
const FTX = tagCode('FTX');
const DTM = tagCode('DTM');
const DOC = tagCode('DOC');

/**
 * The message header as read so far, handed to closeDeclaration for every consignment. All fields
 * are always present (undefined when not sent): `delete` would make it a slow dictionary-mode object.
 */
interface CuscarHeader extends DeclarationHeader {
  carrierIssue: Issue | undefined;
  mode: Mode | undefined;
  modeIssue: Issue | undefined;
  kind: EventKind | undefined;
  kindIssue: Issue | undefined;
  port: string | undefined;
  conveyanceRef: string | undefined;
  eda: { date: string; time?: string } | undefined;
  edaIssue: Issue | undefined;
}

/** RFF references of one consignment by qualifier (first one of each qualifier wins). */
type References = Map<string, { value: string; where: Where }>;

class CuscarNormalizer implements MessageNormalizer<EdifactSegment> {
  private readonly out: OutputCollector;
  private readonly header: CuscarHeader;
  /** The CUSCAR part of the sender's profile, resolved once per message. */
  private readonly p: InboundProfileBody['edifact']['CUSCAR'];
  /** The consignment being read (undefined before the first CNI); it is `spare`, reset (resetDraft). */
  private draft: DeclarationDraft | undefined;
  private readonly spare: DeclarationDraft = newDraft({ index: 0, byteOffset: 0, tag: '' });
  private refs: References = new Map();
  private shipments = 0;

  constructor(
    private readonly scope: MessageScope,
    decimalMark: string,
  ) {
    this.out = new OutputCollector(scope);
    const p = scope.profile.edifact.CUSCAR;
    this.p = p;
    this.header = {
      carrierScac: '',
      carrierIssue: undefined,
      mode: undefined,
      modeIssue: undefined,
      kind: Object.hasOwn(p.messageFunctions, p.defaultFunction)
        ? (p.messageFunctions[p.defaultFunction] ?? 'declared')
        : 'declared',
      kindIssue: undefined,
      port: undefined,
      conveyanceRef: undefined,
      eda: undefined,
      edaIssue: undefined,
      decimalMark,
      valueLabel: `MOA+${p.valueQualifiers[0] ?? ''}`,
    };
  }

  segment(seg: EdifactSegment): void {
    if (seg.tag === 'CNI') {
      this.close();
      const draft = resetDraft(this.spare, at(seg));
      this.readCniAction(draft, seg);
      this.draft = draft;
      this.refs = new Map();
      this.shipments++;
      return;
    }
    if (this.draft === undefined) this.readHeader(seg);
    else this.readConsignment(this.draft, seg);
  }

  private readHeader(seg: EdifactSegment): void {
    const p = this.p;
    const h = this.header;
    const q = edi(seg, 1, 1).trim();
    switch (seg.tag) {
      case 'BGM': {
        const code = edi(seg, p.bgmFunction[0], p.bgmFunction[1]).trim() || p.defaultFunction;
        const kind = this.scope.codes.cuscarFunctions.get(code);
        h.kind = undefined;
        h.kindIssue = undefined;
        if (kind !== undefined) h.kind = kind;
        else
          h.kindIssue = issueAt(
            this.scope,
            'NORMALIZE_UNKNOWN_ACTION',
            `BGM message function '${code}' is not in the profile`,
            at(seg, p.bgmFunction[0], p.bgmFunction[1]),
          );
        return;
      }
      case 'TDT': {
        if (h.mode !== undefined) return; // the first TDT naming a mode is the arriving conveyance
        const read = readTdtMode(this.scope, seg, p.tdtMode);
        if (read.mode !== undefined) {
          h.mode = read.mode;
          h.modeIssue = undefined;
        } else if (read.issue !== undefined && edi(seg, p.tdtMode[0], p.tdtMode[1]).trim() !== '') {
          h.modeIssue = read.issue;
        }
        const conveyance = edi(seg, 2, 1).trim();
        // ownString: every event of the message keeps these (own-string.ts).
        if (conveyance !== '') h.conveyanceRef = ownString(conveyance);
        return;
      }
      case 'NAD': {
        if (this.scope.codes.edifactRoles.get(q) === 'carrier')
          h.carrierScac = ownString(edi(seg, 2, 1).trim());
        return;
      }
      case 'LOC':
        if (p.portLocationQualifiers.includes(q)) h.port = ownString(edi(seg, 2, 1).trim());
        return;
      case 'DTM': {
        if (!p.edaDateQualifiers.includes(q)) return;
        const read = readDtm(this.scope, seg, 'estimated date of arrival');
        h.eda = undefined;
        h.edaIssue = undefined;
        if ('issue' in read) h.edaIssue = read.issue;
        else h.eda = read;
        return;
      }
      default:
    }
  }

  /** CNI C503 second component: the consignment's action (not a shipment type). */
  private readCniAction(draft: DeclarationDraft, seg: EdifactSegment): void {
    const [el, comp] = this.p.cniAction;
    const code = edi(seg, el, comp).trim();
    if (code === '') return; // the message function applies
    const kind = this.scope.codes.cniActions.get(code);
    if (kind !== undefined) draft.kind = kind;
    else
      draft.issues.push(
        issueAt(
          this.scope,
          'NORMALIZE_UNKNOWN_ACTION',
          `CNI action '${code}' is not in the profile`,
          at(seg, el, comp),
        ),
      );
  }

  /** DOC+929: the declaration (entry) type of the consignment and, when sent, its entry number. */
  private readDoc(draft: DeclarationDraft, seg: EdifactSegment, q: string): void {
    const p = this.p;
    if (!p.declarationDocuments.includes(q)) {
      addUnmapped(draft.unmapped, edifactLabel(seg));
      return;
    }
    const code = edi(seg, p.declarationType[0], p.declarationType[1]).trim();
    const type = this.scope.codes.declarationTypes.get(code);
    if (type === undefined) {
      addUnmapped(draft.unmapped, `DOC+${q}:::${code}`);
      return;
    }
    draft.shipmentTypes.push({ type, where: at(seg, p.declarationType[0], p.declarationType[1]) });
    const number = edi(seg, p.declarationNumber[0], p.declarationNumber[1]).trim();
    if (type === 'ET86' && number !== '')
      draft.entryNumber ??= { value: number, where: at(seg, p.declarationNumber[0], p.declarationNumber[1]) };
  }

  private readConsignment(draft: DeclarationDraft, seg: EdifactSegment): void {
    const p = this.p;
    const codes = this.scope.codes;
    const q = edi(seg, 1, 1).trim();
    switch (tagCode(seg.tag)) {
      case RFF: {
        const value = edi(seg, 1, 2).trim();
        const known = codes.cuscarBillRefs.has(q);
        if (p.entryQualifiers.includes(q) && value !== '')
          draft.entryNumber ??= { value, where: at(seg, 1, 2) };
        else if (known) {
          if (value !== '' && !this.refs.has(q)) this.refs.set(q, { value, where: at(seg, 1, 2) });
        } else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      }
      case DOC:
        this.readDoc(draft, seg, q);
        return;
      case GIS: {
        // Partner dialect markers (formats.md's GIS+S321): empty table by default.
        const code = q.toUpperCase();
        const type = codes.shipmentTypes.get(code);
        if (type !== undefined) draft.shipmentTypes.push({ type, where: at(seg, 1, 1) });
        else if (this.scope.profile.shipment.express.includes(code)) draft.express = true;
        else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      }
      case NAD: {
        const role = codes.edifactRoles.get(q);
        const party = partyFromNad(seg);
        if (role === 'ultimateConsignee') draft.ultimateConsignee ??= party;
        else if (role === 'consignee') draft.consignee ??= party;
        else if (role === 'broker') draft.broker ??= party;
        else if (role === undefined || role === 'other') addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      }
      case MOA:
        if (p.valueQualifiers.includes(q)) {
          draft.values.push({
            amount: edi(seg, 1, 2),
            amountAt: at(seg, 1, 2),
            currency: edi(seg, 1, 3),
            currencyAt: at(seg, 1, 3),
          });
        } else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      case LOC:
        if (p.originLocationQualifiers.includes(q)) addDistinct(draft.origins, edi(seg, 2, 1).toUpperCase());
        else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      case PIA: {
        let found = false;
        for (let el = 2; el <= seg.elements.length; el++) {
          if (p.htsItemTypes.includes(edi(seg, el, 2).trim()) && edi(seg, el, 1).trim() !== '') {
            addDistinct(draft.hts, cleanHts(edi(seg, el, 1)));
            found = true;
          }
        }
        if (!found) addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      }
      case GIN:
        if (p.htsItemTypes.includes(q)) {
          for (let el = 2; el <= seg.elements.length; el++) addDistinct(draft.hts, cleanHts(edi(seg, el, 1)));
        } else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      case FTX: {
        const text = p.descriptionTextQualifiers.includes(q) ? joined(seg, 4) : '';
        if (text !== '') draft.descriptions.push(text);
        else addUnmapped(draft.unmapped, edifactLabel(seg));
        return;
      }
      case DTM: {
        if (!p.edaDateQualifiers.includes(q)) {
          addUnmapped(draft.unmapped, edifactLabel(seg));
          return;
        }
        // A consignment-level EDA overrides the header's for this shipment only.
        const read = readDtm(this.scope, seg, 'estimated date of arrival');
        if ('issue' in read) draft.issues.push(read.issue);
        else draft.eda = read;
        return;
      }
      default:
        if (!codes.cuscarIgnoredSegments.has(seg.tag)) addUnmapped(draft.unmapped, edifactLabel(seg));
    }
  }

  /** The first reference sent among `qualifiers` (in preference order). */
  private firstRef(qualifiers: readonly string[]): { value: string; where: Where } | undefined {
    for (const q of qualifiers) {
      const ref = this.refs.get(q);
      if (ref !== undefined) return ref;
    }
    return undefined;
  }

  private billOf(draft: DeclarationDraft): { bill: BillResult; where: Where } {
    const p = this.p;
    const billRef = this.firstRef(p.billQualifiers);
    if (this.header.mode === 'air') {
      const master = this.firstRef(p.airMasterQualifiers) ?? billRef;
      const house = this.firstRef(p.airHouseQualifiers);
      return {
        bill: airBill(master?.value ?? '', house?.value ?? '', ''),
        where: master?.where ?? draft.start,
      };
    }
    return {
      bill: prefixedBill(billRef?.value ?? '', this.header.carrierScac, p.scacPrefix),
      where: billRef?.where ?? draft.start,
    };
  }

  private close(): void {
    const draft = this.draft;
    if (draft === undefined) return;
    this.draft = undefined;
    const h = this.header;
    const { bill, where } = this.billOf(draft);
    // The header is passed as is; only a consignment without carrier or mode gets a copy that
    // carries the issue at its own position.
    const missingCarrier = h.carrierScac === '';
    const missingMode = h.mode === undefined && h.modeIssue === undefined;
    let header: CuscarHeader = h;
    if (missingCarrier || missingMode) {
      header = { ...h };
      if (missingCarrier)
        header.carrierIssue = issueAt(
          this.scope,
          'NORMALIZE_MISSING_CARRIER',
          'no NAD+CA carrier SCAC before the consignment',
          draft.start,
        );
      if (missingMode)
        header.modeIssue = issueAt(
          this.scope,
          'NORMALIZE_UNKNOWN_MODE',
          'no TDT transport mode before the consignment',
          draft.start,
        );
    }
    this.out.add(closeDeclaration(this.scope, draft, header, bill, where));
  }

  drain(): NormalizeOutput {
    return this.out.drain();
  }

  finish(_result: MessageResult): NormalizeOutput {
    this.close();
    if (this.shipments === 0) this.out.noShipments('CNI');
    return this.out.drain();
  }
}

export function createCuscar(
  ic: EdifactInterchangeHeader,
  msg: MessageHeader,
  ctx: NormalizeContext,
): MessageNormalizer<EdifactSegment> {
  return new CuscarNormalizer(createScope(ic, msg, ctx), ic.delimiters.decimal || '.');
}
