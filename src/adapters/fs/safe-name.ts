/**
 * Output file names derived from input names: one path component, printable ASCII only, no leading
 * dot, bounded length. Folders in a relative input name become `__` so quarantine stays flat.
 */
export function safeOutputName(name: string): string {
  const flat = name
    .replace(/[\\/]+/g, '__')
    .replace(/[^A-Za-z0-9._-]/g, '_')
    .replace(/^\.+/, '_');
  const bounded = flat.length > 180 ? `${flat.slice(0, 120)}_${flat.length}_${flat.slice(-40)}` : flat;
  return bounded === '' ? '_' : bounded;
}
