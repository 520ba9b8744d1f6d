/**
 * A truck X12 309 interchange in CBP's layout built from a list of bills (for report tests): one consignee per bill,
 * one N10 line with its value. SE counts and control numbers are computed, so the file is valid.
 */
export interface ManifestBill {
  scn: string;
  name: string;
  street: string;
  city: string;
  state: string;
  postal: string;
  value: string;
  /** N103/N104: id qualifier and id. */
  id?: [string, string];
}

export function truck309(icn: number, day: string, bills: readonly ManifestBill[]): string {
  const yymmdd = day.replace(/-/g, '').slice(2);
  const ccyymmdd = day.replace(/-/g, '');
  const ctl = String(icn).padStart(9, '0');
  const body = ['ST*309*0001', 'M10*ACME*J*US**TRUCK 7*TRIP0610', `P4*0901*${ccyymmdd}***0800`];
  bills.forEach((b, i) => {
    body.push(
      `LX*${i + 1}`,
      // CBP's truck 309: the Section 321 bill type (13) in M11-09, the consignee in N1*CN.
      `M11*${b.scn}*0901*******13`,
      b.id === undefined ? `N1*CN*${b.name}` : `N1*CN*${b.name}*${b.id[0]}*${b.id[1]}`,
      `N3*${b.street}`,
      `N4*${b.city}*${b.state}*${b.postal}*US`,
      `N10*1*GOODS**HS*6109100010*${b.value}*****VN`,
    );
  });
  body.push(`SE*${body.length + 1}*0001`);
  return [
    `ISA*00*          *00*          *ZZ*ACMETRUCK      *ZZ*S321           *${yymmdd}*0800*U*00401*${ctl}*0*T*>`,
    `GS*AQ*ACMETRUCK*S321*${ccyymmdd}*0800*${icn}*X*004010`,
    ...body,
    `GE*1*${icn}`,
    `IEA*1*${ctl}`,
  ]
    .map((s) => `${s}~\n`)
    .join('');
}
