/**
 * Segment tags as small integers for the normalizers' dispatch. Why: tags come from the reader as
 * fresh strings, so each `case 'N1':` of a string switch compares characters; a shipment passes
 * ~10 segments through ~10 such tests. The code of a 2- or 3-character ASCII tag is its characters
 * packed in one integer (distinct tags, distinct codes); any other tag gets -1 (matches no case).
 */
export function tagCode(tag: string): number {
  const n = tag.length;
  if (n < 2 || n > 3) return -1;
  const a = tag.charCodeAt(0);
  const b = tag.charCodeAt(1);
  const c = n === 3 ? tag.charCodeAt(2) : 0;
  if ((a | b | c) > 0x7f || (n === 3 && c === 0)) return -1;
  return (a << 16) | (b << 8) | c;
}
