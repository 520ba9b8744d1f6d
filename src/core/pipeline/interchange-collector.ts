/**
 * The bridge from a streaming reader to shipment events: a ReaderSink that hands each message's
 * segments to its normalizer and gathers, per interchange, the events that may go on and every
 * issue. Events of a message are kept only when the message is sound (a 999 rejects that transaction
 * set alone); an error in the interchange envelope itself rejects all of it (TA1), as CBP would.
 */
import type { Issue } from '../model/issue.js';
import type {
  InterchangeHeader,
  InterchangeResult,
  MessageHeader,
  MessageResult,
  ReaderSink,
} from '../model/reader.js';
import type { ShipmentEvent } from '../model/shipment-event.js';
import { FingerprintBuilder } from './fingerprint.js';
import type {
  InterchangeOutcome,
  MessageNormalizerLike,
  MessageOutcome,
  NormalizerFactory,
} from './outcome.js';

export interface CollectorLimits {
  /** Most shipment events buffered for one interchange before it is rejected (memory bound). */
  maxEventsPerInterchange: number;
}

export const DEFAULT_COLLECTOR_LIMITS: CollectorLimits = { maxEventsPerInterchange: 500_000 };

export class InterchangeCollector<H extends InterchangeHeader, S> implements ReaderSink<H, S> {
  readonly fileIssues: Issue[] = [];
  private normalizer: MessageNormalizerLike<S> | undefined;
  private messages: MessageOutcome[] = [];
  private events: ShipmentEvent[] = [];
  private overflow = false;
  private messageSupported = false;

  constructor(
    private readonly file: string,
    private readonly factory: NormalizerFactory<H, S>,
    private readonly onInterchange: (outcome: InterchangeOutcome) => void,
    private readonly limits: CollectorLimits = DEFAULT_COLLECTOR_LIMITS,
  ) {}

  interchangeStart(_header: H): void {
    this.messages = [];
    this.events = [];
    this.overflow = false;
  }

  messageStart(interchange: H, message: MessageHeader): void {
    this.normalizer = this.factory(interchange, message);
    this.messageSupported = this.normalizer !== undefined;
  }

  segment(segment: S): void {
    this.normalizer?.segment(segment);
  }

  messageEnd(interchange: H, message: MessageHeader, result: MessageResult): void {
    const issues = [...result.issues];
    let rejected: MessageOutcome['rejected'] = [];
    let events = 0;
    if (this.normalizer !== undefined) {
      const out = this.normalizer.finish(result);
      issues.push(...out.issues);
      rejected = out.rejected;
      if (result.ok) {
        events = out.events.length;
        if (this.events.length + events > this.limits.maxEventsPerInterchange) this.overflow = true;
        else for (const e of out.events) this.events.push(e);
      }
    } else {
      issues.push({
        code: 'PIPELINE_UNSUPPORTED_MESSAGE',
        severity: 'error',
        message: `message type ${message.type || '(empty)'} is not processed by s321 (309, 350, CUSCAR, CUSRES are)`,
        file: this.file,
        interchangeControl: interchange.controlNumber,
        messageRef: message.reference,
        segmentIndex: message.segmentIndex,
        positionInMessage: 1,
        segmentTag: interchange.standard === 'x12' ? 'ST' : 'UNH',
        element: 1,
        byteOffset: message.byteOffset,
        ...(message.groupControl !== '' ? { groupControl: message.groupControl } : {}),
      });
    }
    this.normalizer = undefined;
    this.messages.push({
      header: message,
      ok: result.ok,
      supported: this.messageSupported,
      segmentCount: result.segmentCount,
      issues,
      events,
      rejected,
    });
  }

  interchangeEnd(header: H, result: InterchangeResult): void {
    const issues = [...result.issues];
    if (this.overflow) {
      issues.push({
        code: 'PIPELINE_INTERCHANGE_TOO_LARGE',
        severity: 'error',
        message: `interchange holds more than ${this.limits.maxEventsPerInterchange} shipments; split it into smaller interchanges`,
        file: this.file,
        interchangeControl: header.controlNumber,
        segmentIndex: header.segmentIndex,
        byteOffset: header.byteOffset,
      });
    }
    const envelopeOk = !result.issues.some((i) => i.severity === 'error');
    const ok = envelopeOk && !this.overflow;
    const fp = new FingerprintBuilder();
    fp.add(header.senderId.trim());
    fp.add(header.controlNumber);
    const events = ok ? this.events : [];
    for (const e of events) fp.addEvent(e);
    this.onInterchange({
      file: this.file,
      header,
      ok,
      issues,
      messages: this.messages,
      groupCount: result.groupCount,
      events,
      fingerprint: fp.digest(),
      byteLength: result.byteLength,
    });
    this.messages = [];
    this.events = [];
  }

  fileIssue(issue: Issue): void {
    this.fileIssues.push(issue);
  }
}
