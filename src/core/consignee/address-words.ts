/**
 * Data tables for consignee matching (rules.md §3). Abbreviations follow USPS Publication 28 (street
 * suffixes, secondary unit designators, directionals) so both spellings of one address meet on the
 * same key. Multi-word entries are matched before single words.
 */

/** Whole-word replacements applied to street and city (after upper-casing and punctuation removal). */
export const ADDRESS_WORDS: Readonly<Record<string, string>> = {
  // street suffixes
  STREET: 'ST',
  STR: 'ST',
  AVENUE: 'AVE',
  AV: 'AVE',
  AVN: 'AVE',
  ROAD: 'RD',
  BOULEVARD: 'BLVD',
  BOUL: 'BLVD',
  DRIVE: 'DR',
  DRV: 'DR',
  LANE: 'LN',
  COURT: 'CT',
  PLACE: 'PL',
  TERRACE: 'TER',
  PARKWAY: 'PKWY',
  HIGHWAY: 'HWY',
  EXPRESSWAY: 'EXPY',
  FREEWAY: 'FWY',
  CIRCLE: 'CIR',
  SQUARE: 'SQ',
  TRAIL: 'TRL',
  TURNPIKE: 'TPKE',
  PLAZA: 'PLZ',
  ROUTE: 'RTE',
  CROSSING: 'XING',
  HEIGHTS: 'HTS',
  CENTER: 'CTR',
  CENTRE: 'CTR',
  MOUNT: 'MT',
  MOUNTAIN: 'MTN',
  FORT: 'FT',
  POINT: 'PT',
  // secondary unit designators
  APARTMENT: 'APT',
  SUITE: 'STE',
  BUILDING: 'BLDG',
  FLOOR: 'FL',
  ROOM: 'RM',
  DEPARTMENT: 'DEPT',
  // directionals
  NORTH: 'N',
  SOUTH: 'S',
  EAST: 'E',
  WEST: 'W',
  NORTHEAST: 'NE',
  NORTHWEST: 'NW',
  SOUTHEAST: 'SE',
  SOUTHWEST: 'SW',
  // post office boxes (see also ADDRESS_PHRASES)
  POB: 'PO BOX',
};

/** Multi-word forms, matched on word boundaries before ADDRESS_WORDS. */
export const ADDRESS_PHRASES: ReadonlyArray<readonly [string, string]> = [
  ['POST OFFICE BOX', 'PO BOX'],
  ['P O BOX', 'PO BOX'],
  ['NORTH EAST', 'NE'],
  ['NORTH WEST', 'NW'],
  ['SOUTH EAST', 'SE'],
  ['SOUTH WEST', 'SW'],
];

/** Country names and alpha-3 codes seen in place of ISO 3166 alpha-2 (kept small: the common ones). */
export const COUNTRY_ALIASES: Readonly<Record<string, string>> = {
  USA: 'US',
  'UNITED STATES': 'US',
  'UNITED STATES OF AMERICA': 'US',
  CAN: 'CA',
  CANADA: 'CA',
  MEX: 'MX',
  MEXICO: 'MX',
  CHN: 'CN',
  CHINA: 'CN',
};

/** US state names to USPS codes (a state spelled out and abbreviated is the same state). */
export const US_STATES: Readonly<Record<string, string>> = {
  ALABAMA: 'AL',
  ALASKA: 'AK',
  ARIZONA: 'AZ',
  ARKANSAS: 'AR',
  CALIFORNIA: 'CA',
  COLORADO: 'CO',
  CONNECTICUT: 'CT',
  DELAWARE: 'DE',
  'DISTRICT OF COLUMBIA': 'DC',
  FLORIDA: 'FL',
  GEORGIA: 'GA',
  HAWAII: 'HI',
  IDAHO: 'ID',
  ILLINOIS: 'IL',
  INDIANA: 'IN',
  IOWA: 'IA',
  KANSAS: 'KS',
  KENTUCKY: 'KY',
  LOUISIANA: 'LA',
  MAINE: 'ME',
  MARYLAND: 'MD',
  MASSACHUSETTS: 'MA',
  MICHIGAN: 'MI',
  MINNESOTA: 'MN',
  MISSISSIPPI: 'MS',
  MISSOURI: 'MO',
  MONTANA: 'MT',
  NEBRASKA: 'NE',
  NEVADA: 'NV',
  'NEW HAMPSHIRE': 'NH',
  'NEW JERSEY': 'NJ',
  'NEW MEXICO': 'NM',
  'NEW YORK': 'NY',
  'NORTH CAROLINA': 'NC',
  'NORTH DAKOTA': 'ND',
  OHIO: 'OH',
  OKLAHOMA: 'OK',
  OREGON: 'OR',
  PENNSYLVANIA: 'PA',
  'PUERTO RICO': 'PR',
  'RHODE ISLAND': 'RI',
  'SOUTH CAROLINA': 'SC',
  'SOUTH DAKOTA': 'SD',
  TENNESSEE: 'TN',
  TEXAS: 'TX',
  UTAH: 'UT',
  VERMONT: 'VT',
  VIRGINIA: 'VA',
  WASHINGTON: 'WA',
  'WEST VIRGINIA': 'WV',
  WISCONSIN: 'WI',
  WYOMING: 'WY',
};

/**
 * Letters that Unicode decomposition does not split into base letter + mark (Ø is not O + stroke).
 * Folded by hand so "SØREN" and "SOREN" meet.
 */
export const LETTER_FOLDS: Readonly<Record<string, string>> = {
  Ø: 'O',
  ø: 'o',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  Ð: 'D',
  ð: 'd',
  Þ: 'TH',
  þ: 'th',
  Æ: 'AE',
  æ: 'ae',
  Œ: 'OE',
  œ: 'oe',
  ß: 'SS',
  ı: 'i',
  Ħ: 'H',
  ħ: 'h',
};
