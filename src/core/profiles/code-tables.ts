/**
 * The code tables of a resolved profile as Maps and Sets, built once per profile object.
 *
 * Why: the normalizers look codes up for nearly every segment (party roles, shipment types, M13
 * actions, modes). A lookup on a plain object with a freshly read string key (`Object.hasOwn(t, k)
 * ? t[k] : undefined`) makes V8 find the key's interned copy first; a Map lookup does not, and the
 * "own key only" rule is built in. Same answers: a Map of Object.entries(t) holds exactly the own
 * enumerable keys. A profile is configuration: it is not changed after it is loaded.
 */
import type { InboundProfileBody, PartyRole } from './inbound-profile.js';

type Body = InboundProfileBody;

export interface CodeTables {
  x12Roles: ReadonlyMap<string, PartyRole>;
  edifactRoles: ReadonlyMap<string, PartyRole>;
  /** Dialect markers (N9*ZZ / GIS values). */
  shipmentTypes: ReadonlyMap<string, Body['shipment']['markers'][string]>;
  entryTypes: ReadonlyMap<string, Body['shipment']['entryTypes'][string]>;
  /** M11-09 bill type → shipment type, per mode. */
  billTypes: ReadonlyMap<string, ReadonlyMap<string, Body['shipment']['entryTypes'][string]>>;
  cniActions: ReadonlyMap<string, Body['edifact']['CUSCAR']['cniActions'][string]>;
  declarationTypes: ReadonlyMap<string, Body['edifact']['CUSCAR']['declarationTypes'][string]>;
  x12Actions: ReadonlyMap<string, Body['x12']['309']['actions'][string]>;
  cuscarFunctions: ReadonlyMap<string, Body['edifact']['CUSCAR']['messageFunctions'][string]>;
  x12Modes: ReadonlyMap<string, Body['modes']['x12'][string]>;
  edifactModes: ReadonlyMap<string, Body['modes']['edifact'][string]>;
  /** CUSCAR RFF qualifiers that name a bill (bill, air master, air house). */
  cuscarBillRefs: ReadonlySet<string>;
  x12IgnoredSegments: ReadonlySet<string>;
  cuscarIgnoredSegments: ReadonlySet<string>;
}

function mapOf<V>(table: Readonly<Record<string, V>>): Map<string, V> {
  return new Map(Object.entries(table));
}

const built = new WeakMap<Body, CodeTables>();

export function codeTables(profile: Body): CodeTables {
  const hit = built.get(profile);
  if (hit !== undefined) return hit;
  const cuscar = profile.edifact.CUSCAR;
  const tables: CodeTables = {
    x12Roles: mapOf(profile.partyRoles.x12),
    edifactRoles: mapOf(profile.partyRoles.edifact),
    shipmentTypes: mapOf(profile.shipment.markers),
    entryTypes: mapOf(profile.shipment.entryTypes),
    billTypes: new Map(
      Object.entries(profile.shipment.billTypes).map(([mode, table]) => [mode, mapOf(table ?? {})]),
    ),
    cniActions: mapOf(cuscar.cniActions),
    declarationTypes: mapOf(cuscar.declarationTypes),
    x12Actions: mapOf(profile.x12['309'].actions),
    cuscarFunctions: mapOf(cuscar.messageFunctions),
    x12Modes: mapOf(profile.modes.x12),
    edifactModes: mapOf(profile.modes.edifact),
    cuscarBillRefs: new Set([
      ...cuscar.billQualifiers,
      ...cuscar.airMasterQualifiers,
      ...cuscar.airHouseQualifiers,
    ]),
    x12IgnoredSegments: new Set(profile.x12['309'].ignoredSegments),
    cuscarIgnoredSegments: new Set(cuscar.ignoredSegments),
  };
  built.set(profile, tables);
  return tables;
}
