/** Gathers a message's events, rejections and issues as shipments close. */
import type { Issue } from '../model/issue.js';
import type { MessageHeader } from '../model/reader.js';
import type { Closed } from './declaration.js';
import { issueAt, type MessageScope } from './scope.js';
import { emptyOutput, type NormalizeOutput } from './types.js';

export class OutputCollector {
  private out: NormalizeOutput = emptyOutput();

  constructor(private readonly scope: MessageScope) {}

  add(closed: Closed): void {
    if ('rejection' in closed) this.out.rejected.push(closed.rejection);
    else {
      this.out.events.push(closed.event);
      this.out.issues.push(...closed.warnings);
    }
  }

  issue(issue: Issue): void {
    this.out.issues.push(issue);
  }

  checkFunctionalId(msg: MessageHeader, expected: readonly string[]): void {
    if (msg.functionalId !== '' && !expected.includes(msg.functionalId)) {
      this.issue(
        issueAt(
          this.scope,
          'NORMALIZE_FUNCTIONAL_ID_MISMATCH',
          `${msg.type} in a functional group '${msg.functionalId}' (expected ${expected.map((f) => `'${f}'`).join(' or ')}); processed by its transaction set id`,
        ),
      );
    }
  }

  noShipments(loop: string): void {
    this.issue(
      issueAt(
        this.scope,
        'NORMALIZE_NO_SHIPMENTS',
        `${this.scope.messageType} ${this.scope.messageRef} holds no ${loop} shipment loop`,
      ),
    );
  }

  drain(): NormalizeOutput {
    const ready = this.out;
    this.out = emptyOutput();
    return ready;
  }
}
