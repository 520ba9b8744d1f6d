import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConfigError,
  createLogger,
  formatConfig,
  loadConfig,
  parseConfig,
  redactUrl,
} from '../../../src/config/index.js';

const FP = 'SHA256:ugD4xkOZXC/dO3btoOjqzSBjUemNuGX03TNA5kyPvU4';

function partner(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'acme',
    host: 'sftp.acme.example',
    username: 'broker',
    remoteDir: '/out',
    hostKeys: [FP],
    passwordEnv: 'ACME_PW',
    ...extra,
  };
}

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems.map(
      (p) => `${p.path}${p.env !== undefined ? `<${p.env}>` : ''}: ${p.message}`,
    );
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 's321-config-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('fills defaults: loopback Redis, UTC, limits, paths under dataDir resolved against the file', () => {
    const cfg = parseConfig({ dataDir: 'data' }, { baseDir: '/etc/s321' });
    expect(cfg.redis.url).toBe('redis://127.0.0.1:6379');
    expect(cfg.inbox.timeZone).toBe('UTC');
    expect(cfg.limits.maxFileBytes).toBe(50 * 1024 * 1024);
    expect(cfg.paths).toEqual({
      inbox: '/etc/s321/data/inbox',
      processing: '/etc/s321/data/processing',
      archive: '/etc/s321/data/archive',
      quarantine: '/etc/s321/data/quarantine',
      ledger: '/etc/s321/data/ledger.jsonl',
      state: '/etc/s321/data/state',
    });
    expect(cfg.sftp.partners).toEqual([]);
  });

  it('reads secrets from the environment and overrides from S321_* variables', () => {
    const cfg = parseConfig(
      {
        dataDir: '/srv/s321',
        sftp: { partners: [partner({ privateKeyPath: 'keys/acme', passphraseEnv: 'ACME_PP' })] },
      },
      {
        baseDir: '/etc/s321',
        env: {
          ACME_PW: 'pw-secret',
          ACME_PP: 'pp-secret',
          S321_REDIS_URL: 'redis://10.1.2.3:6380/2',
          S321_MAX_FILE_BYTES: '1000',
        },
      },
    );
    const p = cfg.sftp.partners[0];
    expect(p?.password).toBe('pw-secret');
    expect(p?.passphrase).toBe('pp-secret');
    expect(p?.privateKeyPath).toBe('/etc/s321/keys/acme');
    expect(p?.port).toBe(22);
    expect(p?.afterDownload).toBe('delete');
    expect(cfg.redis.url).toBe('redis://10.1.2.3:6380/2');
    expect(cfg.limits.maxFileBytes).toBe(1000);
    expect(cfg.origin.env.sort()).toEqual(['S321_MAX_FILE_BYTES', 'S321_REDIS_URL']);
  });

  it('reports every problem at once, with paths and the env variable, never the value', () => {
    const problems = problemsOf(() =>
      parseConfig(
        {
          dataDir: '/d',
          redis: { url: 'http://x' },
          inbox: { timeZone: 'Mars/Olympus' },
          limits: { maxFileBytes: 'lots' },
          sftp: {
            partners: [
              partner({ hostKeys: ['abc'] }),
              partner({ hostKeys: [] }),
              partner({ hostkeys: [FP] }),
            ],
          },
        },
        { baseDir: '/', env: { S321_LOG_LEVEL: 'loud' } },
      ),
    );
    const text = problems.join('\n');
    expect(text).toMatch(/^redis\.url: expected redis:\/\//m);
    expect(text).toMatch(/^inbox\.timeZone: expected an IANA time zone/m);
    expect(text).toMatch(/^limits\.maxFileBytes: .*expected number/m);
    expect(text).toMatch(/^sftp\.partners\.0\.hostKeys\.0: expected an OpenSSH SHA256 fingerprint/m);
    expect(text).toMatch(/^sftp\.partners\.1\.hostKeys: at least one host key/m);
    expect(text).toMatch(/^sftp\.partners\.2: unknown key\(s\): hostkeys/m);
    expect(text).toMatch(/^log\.level<S321_LOG_LEVEL>: /m);
    expect(text).not.toContain('Mars/Olympus');
  });

  it('requires the secret variables it names, and paths or a dataDir', () => {
    expect(
      problemsOf(() => parseConfig({ dataDir: '/d', sftp: { partners: [partner()] } }, { baseDir: '/' })),
    ).toEqual(['sftp.partners.0.passwordEnv: environment variable ACME_PW is not set']);
    expect(problemsOf(() => parseConfig({ paths: { inbox: '/in' } }, { baseDir: '/' }))).toHaveLength(5);
    expect(
      problemsOf(() =>
        parseConfig(
          {
            dataDir: '/d',
            sftp: { partners: [partner(), partner({ passwordEnv: undefined, password: 'x' })] },
          },
          { baseDir: '/', env: { ACME_PW: 'p' } },
        ),
      ),
    ).toEqual(['sftp.partners.1.id: duplicate partner id "acme"']);
  });

  it('loads a file via S321_CONFIG; a broken file names its position but not its text', async () => {
    const file = join(dir, 'ok.json');
    await writeFile(file, JSON.stringify({ dataDir: 'd', redis: { queueName: 'q1' } }));
    const cfg = await loadConfig({ env: { S321_CONFIG: file } });
    expect(cfg.paths.inbox).toBe(join(dir, 'd', 'inbox'));
    expect(cfg.redis.queueName).toBe('q1');
    expect(cfg.origin.file).toBe(file);

    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{\n  "dataDir": "d",\n  "password": hunter2\n}');
    const err = await loadConfig({ file: bad, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/not valid JSON at line 3 column \d+/);
    expect((err as Error).message).not.toContain('hunter2');

    const missing = await loadConfig({ file: join(dir, 'nope.json'), env: {} }).catch((e: unknown) => e);
    expect((missing as Error).message).toMatch(/cannot read the config file \(ENOENT\)/);
  });

  it('redacts secrets in printouts and in log lines', () => {
    const cfg = parseConfig(
      {
        dataDir: '/d',
        redis: { url: 'redis://app:r3dis-secret@127.0.0.1:6379' },
        sftp: { partners: [partner()] },
      },
      { baseDir: '/', env: { ACME_PW: 'sftp-secret' } },
    );
    const shown = formatConfig(cfg);
    expect(shown).not.toContain('sftp-secret');
    expect(shown).not.toContain('r3dis-secret');
    expect(shown).toContain('"password": "[REDACTED]"');
    expect(redactUrl('redis://app:r3dis-secret@h:1/0')).toBe('redis://app:[REDACTED]@h:1/0');
    expect(redactUrl('redis://127.0.0.1:6379')).toBe('redis://127.0.0.1:6379');

    const lines: string[] = [];
    const sink = new Writable({
      write(chunk: Buffer, _enc, cb) {
        lines.push(chunk.toString());
        cb();
      },
    });
    const log = createLogger({ destination: sink });
    log.info(
      { partner: cfg.sftp.partners[0], password: 'top', nested: { a: { passphrase: 'pp' } } },
      'connect',
    );
    const out = lines.join('');
    expect(out).toContain('"host":"sftp.acme.example"');
    expect(out).not.toContain('sftp-secret');
    expect(out).not.toContain('top"');
    expect(out).not.toContain('"pp"');
  });
});
