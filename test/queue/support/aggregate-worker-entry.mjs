// A separate aggregate worker process for the multi-process tests: the compiled composition root
// (workers/aggregate.js, as `s321 worker aggregate` starts it) with settings from the environment.
// Prints "ready" once started; SIGTERM closes it gracefully.
const build = process.env.S321_TEST_BUILD;
const settingsJson = process.env.S321_TEST_SETTINGS;
if (build === undefined || settingsJson === undefined) {
  process.stderr.write('S321_TEST_BUILD and S321_TEST_SETTINGS are required\n');
  process.exit(2);
}
const { startAggregateWorker } = await import(`${build}/workers/aggregate.js`);
const { workerSettings } = await import(`${build}/src/app/queue/worker-settings.js`);
const settings = workerSettings(JSON.parse(settingsJson));
const waitMs = Number(process.env.S321_TEST_WAIT_MS ?? '2000');
const running = await startAggregateWorker({ settings, waitMs });
process.stdout.write('ready\n');
process.once('SIGTERM', () => {
  running.close().then(
    () => {
      process.stdout.write(`stats ${JSON.stringify(running.stats())}\n`);
      process.exit(0);
    },
    () => process.exit(1),
  );
});
