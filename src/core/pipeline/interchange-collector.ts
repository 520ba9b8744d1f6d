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
import { type EventHold, ObjectEventHold } from './event-hold.js';
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

/**
 * Segments between two drains of a message's normalizer: events leave the normalizer for the hold
 * while the message is still open (a bench 309 message holds thousands of shipments), at the cost of
 * one small output object per drain.
 */
const DRAIN_SEGMENTS = 64;

type NormalizeOut = ReturnType<MessageNormalizerLike<unknown>['finish']>;

export class InterchangeCollector<H extends InterchangeHeader, S> implements ReaderSink<H, S> {
  readonly fileIssues: Issue[] = [];
  private normalizer: MessageNormalizerLike<S> | undefined;
  private messages: MessageOutcome[] = [];
  private overflow = false;
  private messageSupported = false;
  /** Events of the interchange's sound messages so far. */
  private counted = 0;
  /** The open message: its events so far, drained rejections and issues, segments since a drain. */
  private messageOpen = false;
  private messageEvents = 0;
  private messageRejected: MessageOutcome['rejected'] = [];
  private messageIssues: Issue[] = [];
  private sinceDrain = 0;
  /** The message's events would pass the limit: they are no longer handed to the hold. */
  private messageOver = false;
  /**
   * The fingerprint fed as events come (the sender, the control number, then each counted event in
   * order: the same value as feeding them all at the end), and its state before the open message.
   */
  private fp = new FingerprintBuilder();
  private fpBeforeMessage: [number, number] = this.fp.mark();

  constructor(
    private readonly file: string,
    private readonly factory: NormalizerFactory<H, S>,
    private readonly onInterchange: (outcome: InterchangeOutcome) => void,
    private readonly limits: CollectorLimits = DEFAULT_COLLECTOR_LIMITS,
    private readonly hold: EventHold = new ObjectEventHold(),
  ) {}

  interchangeStart(header: H): void {
    this.hold.discard();
    this.messages = [];
    this.overflow = false;
    this.counted = 0;
    this.messageOpen = false;
    this.fp = fingerprintStart(header);
  }

  messageStart(interchange: H, message: MessageHeader): void {
    if (this.messageOpen) this.dropMessage();
    this.normalizer = this.factory(interchange, message);
    this.messageSupported = this.normalizer !== undefined;
    this.messageOpen = true;
    this.messageEvents = 0;
    this.messageRejected = [];
    this.messageIssues = [];
    this.sinceDrain = 0;
    this.messageOver = false;
    this.fpBeforeMessage = this.fp.mark();
  }

  segment(segment: S): void {
    const n = this.normalizer;
    if (n === undefined) return;
    n.segment(segment);
    if (n.drain !== undefined && ++this.sinceDrain === DRAIN_SEGMENTS) {
      this.sinceDrain = 0;
      this.take(n.drain());
    }
  }

  messageEnd(interchange: H, message: MessageHeader, result: MessageResult): void {
    const issues = [...result.issues];
    let rejected: MessageOutcome['rejected'] = [];
    let events = 0;
    if (this.normalizer !== undefined) {
      this.take(this.normalizer.finish(result));
      issues.push(...this.messageIssues);
      rejected = this.messageRejected;
      if (result.ok) {
        events = this.messageEvents;
        if (this.counted + events > this.limits.maxEventsPerInterchange) this.overflow = true;
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
    if (result.ok && !this.overflow) {
      this.hold.endMessage(true);
      this.counted += events;
    } else this.dropMessage();
    this.normalizer = undefined;
    this.messageOpen = false;
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
    if (this.messageOpen) this.dropMessage();
    this.messageOpen = false;
    this.normalizer = undefined;
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
    const events = this.hold.endInterchange(ok);
    // A rejected interchange's fingerprint holds its sender and control number alone.
    const fingerprint = ok ? this.fp.digest() : fingerprintStart(header).digest();
    this.onInterchange({
      file: this.file,
      header,
      ok,
      issues,
      messages: this.messages,
      groupCount: result.groupCount,
      events,
      fingerprint,
      byteLength: result.byteLength,
    });
    this.messages = [];
    this.counted = 0;
  }

  fileIssue(issue: Issue): void {
    this.fileIssues.push(issue);
  }

  /** What the open message's normalizer handed over: its events go to the hold while they may count. */
  private take(out: NormalizeOut): void {
    for (const r of out.rejected) this.messageRejected.push(r);
    for (const i of out.issues) this.messageIssues.push(i);
    const n = out.events.length;
    if (n === 0) return;
    this.messageEvents += n;
    if (this.overflow || this.messageOver) return;
    // Past the limit the message's events can never count: the message is rejected at its end, or
    // it is sound and the interchange overflows.
    if (this.counted + this.messageEvents > this.limits.maxEventsPerInterchange) {
      this.messageOver = true;
      return;
    }
    for (const e of out.events) this.fp.addEvent(e);
    this.hold.add(out.events);
    // Emptied once handed over (the normalizer made it for this call): were it in the old
    // generation, it would keep its events alive until the next mark-compact (event-hold.ts).
    out.events.length = 0;
  }

  /** The open message's events do not count: out of the hold and out of the fingerprint. */
  private dropMessage(): void {
    this.hold.endMessage(false);
    this.fp.restore(this.fpBeforeMessage);
  }
}

function fingerprintStart(header: InterchangeHeader): FingerprintBuilder {
  const fp = new FingerprintBuilder();
  fp.add(header.senderId.trim());
  fp.add(header.controlNumber);
  return fp;
}
