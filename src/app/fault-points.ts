/**
 * Named points in a run where tests stop it the way a crash would (kill -9) or hold it (to start a
 * second run beside it): `S321_FAULT=<point>:kill[:<n>]` kills the process at the n-th time it
 * passes `<point>` (default the first), `S321_FAULT=<point>:pause:<ms>` sleeps there. Unset — the
 * only case in production — a point costs one comparison. Only the built CLI's tests set it.
 */
interface Fault {
  point: string;
  action: 'kill' | 'pause';
  arg: number;
}

const parsed = parse(process.env.S321_FAULT);
let hits = 0;

function parse(spec: string | undefined): Fault | undefined {
  if (spec === undefined || spec === '') return undefined;
  const [point, action, arg] = spec.split(':');
  if (point === undefined || (action !== 'kill' && action !== 'pause')) return undefined;
  const n = Number(arg ?? (action === 'kill' ? 1 : 0));
  return { point, action, arg: Number.isFinite(n) ? n : 1 };
}

export function faultPoint(point: string): void {
  if (parsed === undefined || parsed.point !== point) return;
  if (parsed.action === 'pause') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, parsed.arg);
    return;
  }
  hits += 1;
  if (hits >= parsed.arg) process.kill(process.pid, 'SIGKILL');
}
