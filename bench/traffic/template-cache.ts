/**
 * Rendered-once segment groups. Much of a shipment is the same bytes for the same entity and
 * partner layout (a shipper's N1/N4, a goods line's description and HTS, `N9*ZZ*S321`); rendering
 * them once per (layout, kind, entity) and copying the bytes afterwards roughly halves the work per
 * shipment, which keeps the generator well ahead of the parsers it feeds.
 */
import type { ByteWriter } from './byte-writer.js';

const ENTITIES = 256;
const KINDS = 16;
const LAYOUTS = 64;

export class TemplateCache {
  private readonly bytes: (Uint8Array | undefined)[] = new Array(LAYOUTS * KINDS * ENTITIES).fill(undefined);
  private readonly segments = new Int32Array(LAYOUTS * KINDS * ENTITIES);

  /**
   * Writes template (layout, kind, entity): copied when cached, else rendered by `render` (which
   * returns how many segments it ended) and cached. Returns the number of segments written.
   */
  write(
    w: ByteWriter,
    layout: number,
    kind: number,
    entity: number,
    render: (kind: number, entity: number) => number,
  ): number {
    const index = (layout * KINDS + kind) * ENTITIES + entity;
    const hit = this.bytes[index];
    if (hit !== undefined) {
      w.short(hit);
      return this.segments[index] as number;
    }
    const start = w.pos;
    const segs = render(kind, entity);
    this.bytes[index] = w.buf.slice(start, w.pos);
    this.segments[index] = segs;
    return segs;
  }
}
