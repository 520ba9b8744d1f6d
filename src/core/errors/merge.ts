import type { CodeTable } from './spec.js';

type UnionToIntersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void
  ? I
  : never;

/** The tables merged into one type (each table keeps its literal keys). */
export type MergedTables<T extends Record<string, CodeTable>> = UnionToIntersection<T[keyof T]>;

/**
 * Merges the areas' code tables (by table name) into one, refusing a code declared twice: an object
 * spread would let the later table silently replace the earlier one's stage, severity, retryability
 * and meaning.
 */
export function mergeCodeTables<const T extends Record<string, CodeTable>>(tables: T): MergedTables<T> {
  const merged: Record<string, CodeTable[string]> = {};
  const owner = new Map<string, string>();
  for (const [tableName, table] of Object.entries(tables)) {
    for (const [code, spec] of Object.entries(table)) {
      const first = owner.get(code);
      if (first !== undefined)
        throw new Error(`error code ${code} is declared twice: in ${first} and in ${tableName}`);
      owner.set(code, tableName);
      merged[code] = spec;
    }
  }
  return merged as MergedTables<T>;
}
