/**
 * A person_day_parties row (schema 4): the consignee as sent, and its folded name and address — the
 * blocking keys split-shipment detection groups a day's person-days by.
 */
import { addressKey, type ConsigneeIdentity, normalizeName } from '../../../core/consignee/index.js';

export interface PartyRow {
  pd: number;
  name: string;
  street: string;
  city: string;
  state: string;
  postal: string;
  country: string;
  id_qualifier: string | null;
  id: string | null;
  name_key: string;
  address_key: string;
}

/**
 * Values for (name, street, city, state, postal, country, id_qualifier, id, name_key, address_key).
 * A name-and-address key ('na|NAME|STREET|CITY|STATE|POSTAL|COUNTRY', consignee-key.ts) already holds
 * both folded keys: they are cut from it instead of folding the party again on the replay's hot path.
 */
export function partyRowValues(
  p: ConsigneeIdentity,
  consigneeKey: string,
): [string, string, string, string, string, string, string | null, string | null, string, string] {
  const folded = foldedKeys(p, consigneeKey);
  return [
    p.name,
    p.street,
    p.city,
    p.state,
    p.postal,
    p.country,
    p.idQualifier ?? null,
    p.id ?? null,
    folded[0],
    folded[1],
  ];
}

function foldedKeys(p: ConsigneeIdentity, consigneeKey: string): [name: string, address: string] {
  if (consigneeKey.startsWith('na|')) {
    const name = consigneeKey.indexOf('|', 3);
    // Folded text has no '|' (a separator), so the first '|' after the name ends it.
    if (name !== -1) return [consigneeKey.slice(3, name), consigneeKey.slice(name + 1)];
  }
  return [normalizeName(p.name), addressKey(p)];
}

export function partyOfRow(row: Omit<PartyRow, 'pd'>): ConsigneeIdentity {
  const party: ConsigneeIdentity = {
    name: row.name,
    street: row.street,
    city: row.city,
    state: row.state,
    postal: row.postal,
    country: row.country,
  };
  if (row.id_qualifier !== null) party.idQualifier = row.id_qualifier;
  if (row.id !== null) party.id = row.id;
  return party;
}

/** A party's columns as a LEFT JOIN reads them (`q.id AS id_value`): null or absent when no row. */
export type JoinedPartyColumns = Partial<Omit<PartyRow, 'pd' | 'id'>> & { id_value: string | null };

/** The consignee of a joined party row; undefined when the person-day has none (written before schema 4). */
export function partyOfJoinedRow(row: JoinedPartyColumns): ConsigneeIdentity | undefined {
  if (row.name === undefined || row.name === null) return undefined;
  return partyOfRow({
    name: row.name,
    street: row.street ?? '',
    city: row.city ?? '',
    state: row.state ?? '',
    postal: row.postal ?? '',
    country: row.country ?? '',
    id_qualifier: row.id_qualifier ?? null,
    id: row.id_value,
    name_key: row.name_key ?? '',
    address_key: row.address_key ?? '',
  });
}
