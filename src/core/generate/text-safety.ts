/**
 * Character-level safety of outbound data values. Syntaxes without an escape (X12, CAMIR, ABI fixed
 * records) cannot carry their own separators, line breaks or control characters in data: such a
 * character is replaced and every replacement is reported so the caller can record it as an Issue.
 */

export type ReplacementKind = 'delimiter' | 'control' | 'repertoire' | 'case';

export interface Replacement {
  /** 0-based code-point index in the original value. */
  index: number;
  original: string;
  replacedBy: string;
  kind: ReplacementKind;
}

export interface SafeValue {
  value: string;
  replacements: Replacement[];
}

export interface SafetyRules {
  /** Characters that must not appear in data (delimiters, separators). */
  reserved: ReadonlySet<string>;
  /** Replacement for reserved, control and unrepresentable characters. */
  replacement: string;
  /**
   * Character repertoire of the output; returns the character itself when representable, another
   * string to convert it (e.g. upper case), or null when it cannot be represented at all.
   */
  repertoire?: (ch: string) => string | null;
}

/** C0 controls, DEL and C1 controls: never data in any of the outbound syntaxes. */
export function isControl(ch: string): boolean {
  const cp = ch.codePointAt(0) ?? 0;
  return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

export function makeSafe(value: string, rules: SafetyRules): SafeValue {
  let out = '';
  const replacements: Replacement[] = [];
  let index = 0;
  for (const ch of value) {
    if (rules.reserved.has(ch)) {
      out += rules.replacement;
      replacements.push({ index, original: ch, replacedBy: rules.replacement, kind: 'delimiter' });
    } else if (isControl(ch)) {
      out += rules.replacement;
      replacements.push({ index, original: ch, replacedBy: rules.replacement, kind: 'control' });
    } else if (rules.repertoire !== undefined) {
      const mapped = rules.repertoire(ch);
      if (mapped === ch) {
        out += ch;
      } else if (mapped === null) {
        out += rules.replacement;
        replacements.push({ index, original: ch, replacedBy: rules.replacement, kind: 'repertoire' });
      } else {
        out += mapped;
        replacements.push({ index, original: ch, replacedBy: mapped, kind: 'case' });
      }
    } else {
      out += ch;
    }
    index += 1;
  }
  return { value: out, replacements };
}

/** Human description of the replacements of one value, for Issue messages. */
export function describeReplacements(replacements: readonly Replacement[]): string {
  return replacements
    .map((r) => `${JSON.stringify(r.original)}@${r.index}→${JSON.stringify(r.replacedBy)}`)
    .join(', ');
}

/** Code-point length (what fixed-width fields and EDIFACT/X12 max lengths count). */
export function charLength(value: string): number {
  let n = 0;
  for (const _ of value) n += 1;
  return n;
}

/** First `max` code points of value. */
export function cutChars(value: string, max: number): string {
  let out = '';
  let n = 0;
  for (const ch of value) {
    if (n >= max) break;
    out += ch;
    n += 1;
  }
  return out;
}

/**
 * Printable-ASCII repertoire (X12 extended set, CAMIR, ABI): accented letters are folded to their
 * base letter, anything else outside 0x20–0x7E is unrepresentable. With `upper`, letters are also
 * upper-cased (Cargo-IMP and ABI records are upper case).
 */
export function asciiRepertoire(upper: boolean): (ch: string) => string | null {
  return (ch) => {
    const cp = ch.codePointAt(0) ?? 0;
    let out = ch;
    if (cp > 0x7e) {
      out = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      const c = out.codePointAt(0) ?? 0;
      if (out.length !== 1 || c < 0x20 || c > 0x7e) return null;
    }
    return upper ? out.toUpperCase() : out;
  };
}

/** Splits replacements into syntax-reserved ones and repertoire conversions. */
export function splitReplacements(replacements: readonly Replacement[]): {
  reserved: Replacement[];
  converted: Replacement[];
} {
  return {
    reserved: replacements.filter((r) => r.kind === 'delimiter' || r.kind === 'control'),
    converted: replacements.filter((r) => r.kind === 'repertoire' || r.kind === 'case'),
  };
}

/**
 * Why an identifier (bill, SCAC, entry number, port) cannot be written as it is under `rules`;
 * null when it can. Identifiers are never altered: a caller refuses the item instead.
 */
export function identifierProblem(value: string, rules: SafetyRules): string | null {
  const safe = makeSafe(value, rules);
  if (safe.replacements.length > 0)
    return `${JSON.stringify(value)} cannot be written unaltered (${describeReplacements(safe.replacements)})`;
  return null;
}
