/**
 * The command line of a throw-away redis-server for tests and the bench: loopback only (protected
 * mode on), the given port and folder, logging to stdout, no RDB snapshots; no AOF, or (`aof`) an
 * AOF fsync'd on every write, as production runs it (docs/queue-mode.md).
 */
export function loopbackRedisArgs(port: number, dir: string, persistence: 'none' | 'aof' = 'none'): string[] {
  return [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--protected-mode',
    'yes',
    '--save',
    '',
    '--appendonly',
    ...(persistence === 'aof' ? ['yes', '--appendfsync', 'always'] : ['no']),
    '--dir',
    dir,
    '--daemonize',
    'no',
    '--logfile',
    '',
  ];
}
