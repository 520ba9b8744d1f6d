/** Calendar days of the generated traffic, pre-formatted for the envelopes and segments. */
export interface TrafficDay {
  /** 'YYYY-MM-DD' */
  iso: string;
  /** 'CCYYMMDD' */
  ccyymmdd: string;
  /** 'YYMMDD' (ISA09, UNB syntax 3) */
  yymmdd: string;
}

/** `count` consecutive days from `start` ('YYYY-MM-DD'); plain UTC arithmetic, no time zone involved. */
export function trafficDays(start: string, count: number): TrafficDay[] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(start);
  if (!m) throw new Error(`startDay must be YYYY-MM-DD, got ${start}`);
  const base = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const days: TrafficDay[] = [];
  for (let i = 0; i < Math.max(1, count); i++) {
    const iso = new Date(base + i * 86400000).toISOString().slice(0, 10);
    const ccyymmdd = iso.replaceAll('-', '');
    days.push({ iso, ccyymmdd, yymmdd: ccyymmdd.slice(2) });
  }
  return days;
}
