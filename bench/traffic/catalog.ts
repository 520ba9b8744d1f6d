/**
 * Static pools the generator draws from. All names, SCACs, IDs and companies are fictional; cities,
 * states, ZIP prefixes, CBP Schedule D port codes and HTS headings are real so the data looks like
 * what a carrier sends. Accented forms use latin-1 letters only (they are written as single bytes in
 * UNOC interchanges and folded to ASCII elsewhere).
 */
import type { Mode } from '../../src/core/model/shipment-event.js';

export type StandardName = 'x12' | 'edifact';

export interface Carrier {
  scac: string;
  mode: Mode;
  standard: StandardName;
  /** Relative volume within its mode and standard. */
  weight: number;
  /**
   * Express consignment operator (air): most of its shipments are express. No CBP manifest element
   * marks it, so the bytes do not say so (only a partner dialect would).
   */
  express: boolean;
  /** Schedule D ports it files for. */
  ports: readonly string[];
  /** Air: 3-digit airline prefix of its air waybills. */
  awbPrefix?: string;
}

const TRUCK_PORTS = ['2304', '2506', '0901', '3801', '3004', '2402', '0712', '2604'] as const;
const AIR_PORTS = ['4701', '2720', '3901', '5206', '1704', '4196', '2095', '3029'] as const;
/**
 * The airport of arrival of each air port above, as a site configures it for CAMIR (partner profile
 * `camir.airportByPort`): the bench's own assignment, so that air freight status notifications
 * (FSN) can be built; not a Schedule D reference.
 */
export const AIR_PORT_AIRPORTS: Readonly<Record<(typeof AIR_PORTS)[number], string>> = {
  '4701': 'JFK',
  '2720': 'LAX',
  '3901': 'ORD',
  '5206': 'MIA',
  '1704': 'ATL',
  '4196': 'SDF',
  '2095': 'MEM',
  '3029': 'ANC',
};
const OCEAN_PORTS = ['2704', '4601', '1001', '5301', '3002', '2709', '1601'] as const;
const RAIL_PORTS = ['3801', '2304', '3401', '0901', '3004'] as const;
const MAIL_PORTS = ['4701', '2720', '3901'] as const;

export const CARRIERS: readonly Carrier[] = [
  // truck
  { scac: 'NRTH', mode: 'truck', standard: 'x12', weight: 9, express: false, ports: TRUCK_PORTS },
  { scac: 'BRDX', mode: 'truck', standard: 'x12', weight: 6, express: false, ports: TRUCK_PORTS },
  { scac: 'LRDT', mode: 'truck', standard: 'x12', weight: 5, express: false, ports: TRUCK_PORTS },
  { scac: 'MXCF', mode: 'truck', standard: 'x12', weight: 3, express: false, ports: TRUCK_PORTS },
  { scac: 'CNDL', mode: 'truck', standard: 'x12', weight: 2, express: false, ports: TRUCK_PORTS },
  { scac: 'PTRX', mode: 'truck', standard: 'x12', weight: 1, express: false, ports: TRUCK_PORTS },
  { scac: 'GLTK', mode: 'truck', standard: 'edifact', weight: 5, express: false, ports: TRUCK_PORTS },
  { scac: 'ALPF', mode: 'truck', standard: 'edifact', weight: 3, express: false, ports: TRUCK_PORTS },
  { scac: 'VRTL', mode: 'truck', standard: 'edifact', weight: 1, express: false, ports: TRUCK_PORTS },
  // air (express operators dominate de minimis); codes of 2 characters, as IATA airline designators
  // are (CAMIR's cargo control location takes the airport plus a 2–3 character carrier code)
  {
    scac: 'XP',
    mode: 'air',
    standard: 'x12',
    weight: 10,
    express: true,
    ports: AIR_PORTS,
    awbPrefix: '417',
  },
  {
    scac: 'SW',
    mode: 'air',
    standard: 'x12',
    weight: 7,
    express: true,
    ports: AIR_PORTS,
    awbPrefix: '423',
  },
  {
    scac: 'JC',
    mode: 'air',
    standard: 'x12',
    weight: 3,
    express: false,
    ports: AIR_PORTS,
    awbPrefix: '176',
  },
  {
    scac: 'SK',
    mode: 'air',
    standard: 'x12',
    weight: 2,
    express: false,
    ports: AIR_PORTS,
    awbPrefix: '160',
  },
  {
    scac: 'PK',
    mode: 'air',
    standard: 'edifact',
    weight: 6,
    express: true,
    ports: AIR_PORTS,
    awbPrefix: '615',
  },
  {
    scac: 'AE',
    mode: 'air',
    standard: 'edifact',
    weight: 2,
    express: false,
    ports: AIR_PORTS,
    awbPrefix: '057',
  },
  // ocean
  { scac: 'OCNB', mode: 'ocean', standard: 'x12', weight: 4, express: false, ports: OCEAN_PORTS },
  { scac: 'PCFL', mode: 'ocean', standard: 'x12', weight: 2, express: false, ports: OCEAN_PORTS },
  { scac: 'TRNS', mode: 'ocean', standard: 'edifact', weight: 5, express: false, ports: OCEAN_PORTS },
  { scac: 'HRBR', mode: 'ocean', standard: 'edifact', weight: 2, express: false, ports: OCEAN_PORTS },
  // rail
  { scac: 'RLNX', mode: 'rail', standard: 'x12', weight: 3, express: false, ports: RAIL_PORTS },
  { scac: 'TRKR', mode: 'rail', standard: 'edifact', weight: 2, express: false, ports: RAIL_PORTS },
  // mail (postal; not counted by the rules, present in the traffic)
  { scac: 'PSTL', mode: 'mail', standard: 'x12', weight: 1, express: false, ports: MAIL_PORTS },
  { scac: 'INPO', mode: 'mail', standard: 'edifact', weight: 1, express: false, ports: MAIL_PORTS },
];

/** Share of shipments per mode. */
export const MODE_WEIGHTS: Readonly<Record<Mode, number>> = {
  truck: 0.36,
  air: 0.42,
  ocean: 0.11,
  rail: 0.07,
  mail: 0.04,
};

export const X12_MODE_CODE: Readonly<Record<Mode, string>> = {
  truck: 'J',
  air: 'A',
  ocean: 'O',
  rail: 'R',
  // X12 element 91 '7' Mail: not a CBP 309 mode (mail is not manifested in ACE); 'U' is private
  // parcel service, which s321 counts as truck. The traffic keeps some mail to prove it is not counted.
  mail: '7',
};
export const EDIFACT_MODE_CODE: Readonly<Record<Mode, string>> = {
  ocean: '1',
  rail: '2',
  truck: '3',
  air: '4',
  mail: '5',
};

/** A name with its latin-1 form (accents) and its ASCII fold. */
export interface Word {
  latin1: string;
  ascii: string;
}

function words(list: readonly string[]): Word[] {
  return list.map((w) => {
    const [latin1, ascii] = w.includes('|') ? (w.split('|') as [string, string]) : [w, w];
    return { latin1, ascii };
  });
}

export const FIRST_NAMES = words([
  'JAMES',
  'MARY',
  'ROBERT',
  'PATRICIA',
  'JOHN',
  'JENNIFER',
  'MICHAEL',
  'LINDA',
  'DAVID',
  'ELIZABETH',
  'WILLIAM',
  'BARBARA',
  'RICHARD',
  'SUSAN',
  'JOSEPH',
  'JESSICA',
  'THOMAS',
  'SARAH',
  'CHARLES',
  'KAREN',
  'CHRISTOPHER',
  'LISA',
  'DANIEL',
  'NANCY',
  'MATTHEW',
  'BETTY',
  'ANTHONY',
  'SANDRA',
  'MARK',
  'MARGARET',
  'DONALD',
  'ASHLEY',
  'STEVEN',
  'KIMBERLY',
  'ANDREW',
  'EMILY',
  'PAUL',
  'DONNA',
  'JOSHUA',
  'MICHELLE',
  'KENNETH',
  'CAROL',
  'KEVIN',
  'AMANDA',
  'BRIAN',
  'MELISSA',
  'TIMOTHY',
  'DEBORAH',
  'RONALD',
  'STEPHANIE',
  'JOSÉ|JOSE',
  'MARÍA|MARIA',
  'LUIS',
  'ANA',
  'CARLOS',
  'SOFÍA|SOFIA',
  'JÜRGEN|JURGEN',
  'RENÉE|RENEE',
  'WEI',
  'MIN',
  'HIROSHI',
  'YUKI',
  'PRIYA',
  'RAJ',
  'NGUYEN',
  'FATIMA',
  'OMAR',
  'CHLOÉ|CHLOE',
  'ZOË|ZOE',
  'KWAME',
  'AISHA',
  'IVAN',
  'OLGA',
  'SEAN',
  'NIAMH',
  'LIAM',
  'NOAH',
  'EMMA',
  'OLIVIA',
  'AVA',
  'MIA',
]);

export const LAST_NAMES = words([
  'SMITH',
  'JOHNSON',
  'WILLIAMS',
  'BROWN',
  'JONES',
  'GARCIA',
  'MILLER',
  'DAVIS',
  'RODRIGUEZ',
  'MARTINEZ',
  'HERNANDEZ',
  'LOPEZ',
  'GONZALEZ',
  'WILSON',
  'ANDERSON',
  'THOMAS',
  'TAYLOR',
  'MOORE',
  'JACKSON',
  'MARTIN',
  'LEE',
  'PEREZ',
  'THOMPSON',
  'WHITE',
  'HARRIS',
  'SANCHEZ',
  'CLARK',
  'RAMIREZ',
  'LEWIS',
  'ROBINSON',
  'WALKER',
  'YOUNG',
  'ALLEN',
  'KING',
  'WRIGHT',
  'SCOTT',
  'TORRES',
  'NGUYEN',
  'HILL',
  'FLORES',
  'GREEN',
  'ADAMS',
  'NELSON',
  'BAKER',
  'HALL',
  'RIVERA',
  'CAMPBELL',
  'MITCHELL',
  'CARTER',
  'ROBERTS',
  'CHEN',
  'WANG',
  "O'BRIEN",
  "O'CONNOR",
  "D'ANGELO",
  "O'NEILL",
  'MÜLLER|MULLER',
  'NÚÑEZ|NUNEZ',
  'PEÑA|PENA',
  'GÓMEZ|GOMEZ',
  'BJÖRK|BJORK',
  'LEFÈVRE|LEFEVRE',
  'KOWALSKI',
  'NOWAK',
  'PATEL',
  'SHAH',
  'KIM',
  'PARK',
  'CHOI',
  'TANAKA',
  'SATO',
  'OKAFOR',
  'MENSAH',
  'SILVA',
  'SANTOS',
  'COSTA',
  'ROSSI',
  'RUSSO',
  'SCHMIDT',
  'FISCHER',
  'WEBER',
  'SMITH-JONES',
  'VAN DER BERG',
  'DE LA CRUZ',
  'MACDONALD',
  'MCCARTHY',
  'ST. JOHN',
  'FITZGERALD',
]);

export interface Street {
  name: string;
  /** Abbreviated and spelled-out suffix (both normalize to the same consignee key). */
  short: string;
  long: string;
}

const SUFFIXES: readonly (readonly [string, string])[] = [
  ['ST', 'STREET'],
  ['AVE', 'AVENUE'],
  ['RD', 'ROAD'],
  ['DR', 'DRIVE'],
  ['LN', 'LANE'],
  ['BLVD', 'BOULEVARD'],
  ['CT', 'COURT'],
  ['PL', 'PLACE'],
  ['WAY', 'WAY'],
  ['PKWY', 'PARKWAY'],
];

const STREET_NAMES = [
  'MAIN',
  'OAK',
  'PINE',
  'MAPLE',
  'CEDAR',
  'ELM',
  'WASHINGTON',
  'LAKE',
  'HILL',
  'PARK',
  'SUNSET',
  'RIVER',
  'MEADOW',
  'FOREST',
  'CHURCH',
  'HIGHLAND',
  'LINCOLN',
  'JEFFERSON',
  'MADISON',
  'FRANKLIN',
  'WILLOW',
  'SPRING',
  'VALLEY',
  'RIDGE',
  'CHESTNUT',
  'WALNUT',
  'BIRCH',
  'ASPEN',
  'MILL',
  'COLLEGE',
  'UNION',
  'CENTER',
  'BROADWAY',
  'HARBOR',
  'BAY',
  'GROVE',
  'ORCHARD',
  'PLEASANT',
  'PROSPECT',
  'CHERRY',
  '1ST',
  '2ND',
  '3RD',
  '5TH',
  '10TH',
];

export const STREETS: readonly Street[] = STREET_NAMES.flatMap((name, i) => {
  const a = SUFFIXES[i % SUFFIXES.length] as readonly [string, string];
  const b = SUFFIXES[(i * 7 + 3) % SUFFIXES.length] as readonly [string, string];
  return [
    { name, short: a[0], long: a[1] },
    { name, short: b[0], long: b[1] },
  ];
});

export interface City {
  city: string;
  state: string;
  /** First 3 digits of its ZIP codes. */
  zip3: string;
}

export const CITIES: readonly City[] = [
  ['NEW YORK', 'NY', '100'],
  ['BROOKLYN', 'NY', '112'],
  ['LOS ANGELES', 'CA', '900'],
  ['CHICAGO', 'IL', '606'],
  ['HOUSTON', 'TX', '770'],
  ['PHOENIX', 'AZ', '850'],
  ['PHILADELPHIA', 'PA', '191'],
  ['SAN ANTONIO', 'TX', '782'],
  ['SAN DIEGO', 'CA', '921'],
  ['DALLAS', 'TX', '752'],
  ['SAN JOSE', 'CA', '951'],
  ['AUSTIN', 'TX', '787'],
  ['JACKSONVILLE', 'FL', '322'],
  ['COLUMBUS', 'OH', '432'],
  ['CHARLOTTE', 'NC', '282'],
  ['INDIANAPOLIS', 'IN', '462'],
  ['SEATTLE', 'WA', '981'],
  ['DENVER', 'CO', '802'],
  ['BOSTON', 'MA', '021'],
  ['NASHVILLE', 'TN', '372'],
  ['DETROIT', 'MI', '482'],
  ['PORTLAND', 'OR', '972'],
  ['LAS VEGAS', 'NV', '891'],
  ['MEMPHIS', 'TN', '381'],
  ['LOUISVILLE', 'KY', '402'],
  ['BALTIMORE', 'MD', '212'],
  ['MILWAUKEE', 'WI', '532'],
  ['ALBUQUERQUE', 'NM', '871'],
  ['TUCSON', 'AZ', '857'],
  ['FRESNO', 'CA', '937'],
  ['SACRAMENTO', 'CA', '958'],
  ['ATLANTA', 'GA', '303'],
  ['MIAMI', 'FL', '331'],
  ['OAKLAND', 'CA', '946'],
  ['MINNEAPOLIS', 'MN', '554'],
  ['TULSA', 'OK', '741'],
  ['CLEVELAND', 'OH', '441'],
  ['NEW ORLEANS', 'LA', '701'],
  ['TAMPA', 'FL', '336'],
  ['PITTSBURGH', 'PA', '152'],
  ['ST. LOUIS', 'MO', '631'],
  ['SALT LAKE CITY', 'UT', '841'],
  ['RALEIGH', 'NC', '276'],
  ['OMAHA', 'NE', '681'],
  ['HONOLULU', 'HI', '968'],
  ['ANCHORAGE', 'AK', '995'],
  ['BURLINGTON', 'VT', '054'],
  ['PORTLAND', 'ME', '041'],
  ['CHEYENNE', 'WY', '820'],
  ['BOISE', 'ID', '837'],
  ['DES MOINES', 'IA', '503'],
  ['LAREDO', 'TX', '780'],
  ['EL PASO', 'TX', '799'],
  ['BUFFALO', 'NY', '142'],
  ['SAN JUAN', 'PR', '009'],
  ['NEWARK', 'NJ', '071'],
].map(([city, state, zip3]) => ({ city, state, zip3 }) as City);

export interface Goods {
  description: string;
  /** 10-digit HTSUS statistical number. */
  hts: string;
  /** Median unit value, USD cents. */
  medianCents: number;
}

export const GOODS: readonly Goods[] = [
  ['T-SHIRTS COTTON KNIT', '6109100012', 1200],
  ['WOMENS DRESSES SYNTHETIC', '6204440000', 2500],
  ['SNEAKERS RUBBER SOLE', '6404110000', 4500],
  ['HANDBAG PU LEATHER', '4202220000', 3000],
  ['MOBILE PHONE CASE', '3926909985', 800],
  ['WIRELESS EARBUDS', '8518300000', 3500],
  ['SMARTPHONE', '8517130000', 18000],
  ['LAPTOP COMPUTER', '8471300100', 35000],
  ['USB CHARGING CABLE', '8544429000', 600],
  ['POWER BANK LITHIUM', '8507600020', 2500],
  ['LED STRIP LIGHTS', '9405420000', 1500],
  ['PHONE CHARGER+CABLE', '8504405000', 1200],
  ['TOY BUILDING BLOCKS', '9503000073', 2000],
  ['DOLL PLASTIC', '9503000090', 1500],
  ['COSMETICS LIPSTICK', '3304100000', 900],
  ['SKIN CARE CREAM', '3304990000', 1800],
  ['SUNGLASSES', '9004100000', 1400],
  ['WRISTWATCH QUARTZ', '9102110000', 6000],
  ['JEWELRY SILVER RING', '7113110000', 3500],
  ['KITCHEN KNIFE SET', '8211910000', 4000],
  ['YOGA MAT', '9506910030', 2200],
  ['BICYCLE PARTS', '8714990000', 3800],
  ['AUTO PARTS BRAKE PADS', '8708301090', 5000],
  ['PRINTER INK CARTRIDGE', '8443999000', 2800],
  ['BOOKS PRINTED', '4901990093', 1500],
  ['VITAMINS SUPPLEMENT', '2106909998', 2500],
  ['PET SUPPLIES COLLAR', '4201000000', 1100],
  ['HAIR DRYER', '8516310000', 3200],
  ['GAMING CONTROLLER', '9504500000', 4500],
  ['DRONE WITH CAMERA', '8806220000', 20000],
  ['SPORTS JERSEY', '6110303059', 4000],
  ['WINTER JACKET DOWN', '6201400000', 9000],
  ['BED SHEETS COTTON', '6302210000', 3500],
  ['CERAMIC MUG', '6912004400', 900],
  ['SMART WATCH', '8517620090', 12000],
  ['TABLET COMPUTER', '8471300100', 20000],
  ['CAMERA LENS', '9002110000', 20000],
  ['GUITAR STRINGS', '9209300000', 1000],
  ['PERFUME 100ML', '3303003000', 7000],
  ['HANDMADE RUG WOOL', '5701101600', 25000],
].map(([description, hts, medianCents]) => ({ description, hts, medianCents }) as Goods);

export interface Shipper {
  name: string;
  city: string;
  postal: string;
  country: string;
}

export const SHIPPERS: readonly Shipper[] = [
  ['SHENZHEN BRIGHTSTAR TRADING CO', 'SHENZHEN', '518000', 'CN'],
  ['YIWU HAPPY GOODS LTD', 'YIWU', '322000', 'CN'],
  ['GUANGZHOU FASHION HOUSE', 'GUANGZHOU', '510000', 'CN'],
  ['KOWLOON GADGET SUPPLY', 'KOWLOON', '999077', 'HK'],
  ['HONG KONG EXPRESS MALL', 'HONG KONG', '999077', 'HK'],
  ['HANOI CRAFT EXPORT', 'HANOI', '100000', 'VN'],
  ['TORONTO MAPLE GOODS', 'TORONTO', 'M5V 2T6', 'CA'],
  ['VANCOUVER OUTDOOR CO', 'VANCOUVER', 'V6B 1A1', 'CA'],
  ['MONTERREY MUEBLES SA', 'MONTERREY', '64000', 'MX'],
  ['TIJUANA PARTES SA DE CV', 'TIJUANA', '22000', 'MX'],
  ['LONDON BOOKSELLERS LTD', 'LONDON', 'EC1A 1BB', 'GB'],
  ['MANCHESTER KIT CO', 'MANCHESTER', 'M1 1AE', 'GB'],
  ['BERLIN AUDIO GMBH', 'BERLIN', '10115', 'DE'],
  ['PARIS BEAUTE SARL', 'PARIS', '75001', 'FR'],
  ['MILANO MODA SRL', 'MILANO', '20121', 'IT'],
  ['SEOUL COSMETIC CO', 'SEOUL', '04524', 'KR'],
  ['OSAKA HOBBY KK', 'OSAKA', '530-0001', 'JP'],
  ['TAIPEI TECH PARTS', 'TAIPEI', '100', 'TW'],
  ['BANGKOK SILK EXPORT', 'BANGKOK', '10200', 'TH'],
  ['DELHI HANDICRAFTS', 'NEW DELHI', '110001', 'IN'],
  ['ISTANBUL TEXTILE AS', 'ISTANBUL', '34000', 'TR'],
  ['AMSTERDAM BIKE BV', 'AMSTERDAM', '1012', 'NL'],
].map(([name, city, postal, country]) => ({ name, city, postal, country }) as Shipper);

/** Origin countries for goods lines and their weights (CN/HK kept to a minority on purpose). */
export const ORIGINS: readonly (readonly [string, number])[] = [
  ['CN', 0.12],
  ['HK', 0.03],
  ['VN', 0.08],
  ['CA', 0.14],
  ['MX', 0.14],
  ['GB', 0.07],
  ['DE', 0.06],
  ['FR', 0.04],
  ['IT', 0.04],
  ['KR', 0.06],
  ['JP', 0.05],
  ['TW', 0.05],
  ['TH', 0.03],
  ['IN', 0.05],
  ['TR', 0.02],
  ['NL', 0.02],
];

export interface Broker {
  name: string;
  /** 3-character ACE filer code (first part of the entry number). */
  filer: string;
}

export const BROKERS: readonly Broker[] = [
  ['BORDERLINE CUSTOMS BROKERS', 'B7K'],
  ['ATLAS TRADE SERVICES', 'A2T'],
  ['NORTHSTAR BROKERAGE INC', 'N4S'],
  ['PACIFIC ENTRY SERVICES', 'P9E'],
  ['GULF CUSTOMS HOUSE', 'G3H'],
  ['LIBERTY CLEARANCE LLC', 'L5C'],
  ['MIDWEST ENTRY CORP', 'M8W'],
  ['HARBORVIEW BROKERS', 'H6V'],
].map(([name, filer]) => ({ name, filer }) as Broker);

/** Foreign currencies (USD per unit) and their share of goods lines; the rest is USD. */
export const CURRENCIES: readonly (readonly [string, number, number])[] = [
  ['EUR', 1.08, 0.03],
  ['CAD', 0.73, 0.025],
  ['GBP', 1.27, 0.015],
  ['CNY', 0.138, 0.01],
];

/** Words for heavy importers' company names ("<A> <B> <SUFFIX>"). */
export const COMPANY_WORDS = [
  'ACME',
  'SUMMIT',
  'PIONEER',
  'BLUE RIVER',
  'IRONWOOD',
  'GOLDEN GATE',
  'LONE STAR',
  'EVERGREEN',
  'NORTHWIND',
  'CASCADE',
  'RED ROCK',
  'SILVER LINE',
  'PRAIRIE',
  'COASTAL',
  'KEYSTONE',
  'LIBERTY',
  'MERIDIAN',
  'TRIDENT',
] as const;
export const COMPANY_SUFFIXES = [
  'LLC',
  'INC',
  'CORP',
  'CO',
  'TRADING LLC',
  'IMPORTS INC',
  'ONLINE LLC',
] as const;

/** Status dispositions sent in 350 X4-07 besides the 19 arrival (1C is a release, not the arrival). */
export const OTHER_STATUS_CODES = ['1C', '1A', '2H', '4E', '95', '69'] as const;
/** Per-shipment CUSRES status codes (ERC) as real ACE truck CUSRES carry them. */
export const CUSRES_SHIPMENT_CODES = ['SN053', 'SN050', 'SN105'] as const;

/**
 * M11-09 bill of lading type per mode (docs/conformance.md): truck 13 / 35 (CSMS 64824427), rail
 * 23 residue (CSMS 12-000064), ocean and air 13 (the profile's unconfirmed default).
 */
export const BILL_TYPE: Readonly<Record<Mode, string>> = {
  truck: '13',
  air: '13',
  ocean: '13',
  rail: '23',
  mail: '13',
};
