/**
 * The layers' import graph (run by scripts/test.sh and test/architecture/layers.test.ts):
 *   core      pure domain logic: imports only core, zod and the versioned data under schemas/profiles/
 *   ports     interfaces the core's callers implement: import only core
 *   config    the service config's schema, loader and logger: no app, cli, adapters or workers
 *   adapters  SQLite, Redis, files, SFTP, queues: never app, cli or workers
 *   app       use cases wiring core to adapters: never cli or workers
 *   testkit   helpers for tests and the fuzzer: never imported by production code
 * Type-only imports count (tsPreCompilationDeps), and so do dynamic import() and require(). Node's
 * globals (Buffer, process, performance, crypto) are kept out of core by src/core/tsconfig.json.
 */
export default {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle makes load order matter and the layers meaningless.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import the checker cannot resolve is an import it cannot check.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'core-is-pure',
      severity: 'error',
      comment:
        'src/core does no I/O: no Node modules, no other layer, no npm packages but pure ones (zod; csv-stringify/sync, which only builds a string), and data files under schemas/ (profile tables, dialects, the Schedule D airport table).',
      from: { path: '^src/core/' },
      to: {
        pathNot: [
          '^src/core/',
          '(^|/)node_modules/zod/',
          '(^|/)node_modules/csv-stringify/lib/sync\\.js$',
          '^schemas/(profiles|profiles/dialects|airports)/[^/]+\\.json$',
        ],
      },
    },
    {
      name: 'ports-import-core-only',
      severity: 'error',
      from: { path: '^src/ports/' },
      to: { pathNot: ['^src/(core|ports)/'] },
    },
    {
      name: 'config-below-app',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^(src/(adapters|app|cli|ports|testkit)|workers)/' },
    },
    {
      name: 'adapters-below-app',
      severity: 'error',
      from: { path: '^src/adapters/' },
      to: { path: '^(src/(app|cli|testkit)|workers)/' },
    },
    {
      name: 'app-below-cli',
      severity: 'error',
      from: { path: '^src/app/' },
      to: { path: '^(src/(cli|testkit)|workers)/' },
    },
    {
      name: 'testkit-not-in-production',
      severity: 'error',
      from: { path: '^(src/(core|ports|config|adapters|app|cli)|workers)/' },
      to: { path: '^src/testkit/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default'],
    },
    // Node modules resolve to their bare names ('fs', 'node:fs'): 'core' type, matched by pathNot above.
    builtInModules: { add: [] },
  },
};
