/**
 * A consignee as a person reads it, from its aggregation key and (when stored) the party as sent:
 * an id-keyed consignee shows qualifier and id ('id|24|105541071' → qualifier 24, id 105541071)
 * with the name when known; a name-and-address key shows its folded name and address.
 */
import type { ConsigneeIdentity } from '../consignee/consignee-key.js';

export interface ConsigneeLabel {
  /** Name as sent, else the folded name of an 'na|' key, else ''. */
  name: string;
  /** One-line address as sent (or folded from the key); '' when unknown. */
  address: string;
  idQualifier?: string;
  id?: string;
  /** One line: name, then `(qualifier Q id V)` when id-keyed, then the address. */
  text: string;
}

export function consigneeLabel(key: string, party?: ConsigneeIdentity): ConsigneeLabel {
  const parts = key.split('|');
  const idKeyed = parts[0] === 'id';
  const label: ConsigneeLabel = { name: '', address: '', text: '' };
  if (idKeyed) {
    label.idQualifier = parts[1] ?? '';
    label.id = parts.slice(2).join('|');
  }
  if (party !== undefined) {
    label.name = party.name.trim();
    label.address = joinAddress([
      party.street,
      party.city,
      `${party.state} ${party.postal}`.trim(),
      party.country,
    ]);
  } else if (parts[0] === 'na') {
    label.name = parts[1] ?? '';
    label.address = joinAddress([parts[2], parts[3], `${parts[4] ?? ''} ${parts[5] ?? ''}`.trim(), parts[6]]);
  }
  const id = idKeyed ? `qualifier ${label.idQualifier} id ${label.id}` : '';
  const head = label.name !== '' ? (id !== '' ? `${label.name} (${id})` : label.name) : id;
  label.text = label.address !== '' ? `${head}, ${label.address}` : head;
  return label;
}

function joinAddress(parts: ReadonlyArray<string | undefined>): string {
  return parts
    .map((p) => (p ?? '').trim())
    .filter((p) => p !== '')
    .join(', ');
}
