/**
 * The static half of scripts/docker-check.sh: what can be checked of the deployment files without a
 * Docker daemon. Usage: node dist/scripts/docker-check.js [ROOT] (default: this project). Prints
 * one line per problem and exits 1 when there is any.
 *
 *  - Dockerfile: a Node 20 base in every stage, `npm ci` and `npm run build` run, every path a COPY
 *    or ADD takes from the build context exists there and is not excluded by .dockerignore, the
 *    last stage runs as a user other than root, and its ENTRYPOINT script is one the build makes.
 *  - docs/deploy/compose.yaml: parses (the `yaml` package), has Redis, serve, the three workers and api,
 *    its build context holds the Dockerfile, files it mounts exist, ports are published on loopback
 *    only, and every s321 command is a command of this CLI with options it knows (asked with
 *    `--help`); the mounted service config loads through the service config schema.
 *  - docs/deploy/*.service: [Unit], [Service] and [Install] sections, a non-root User, and an
 *    ExecStart that runs this CLI's command with options it knows (a template's %i for each kind).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import { parseConfig } from '../src/config/load-config.js';

export interface Problem {
  file: string;
  message: string;
}

const PROJECT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(PROJECT, 'dist', 'src', 'cli', 'main.js');
const WORKER_KINDS = ['ingest', 'aggregate', 'emit'];

const helpCache = new Map<string, { ok: boolean; text: string }>();
/** `s321 <words> --help`: whether the command exists, and its help text (its options). */
function help(words: readonly string[]): { ok: boolean; text: string } {
  const key = words.join(' ');
  const hit = helpCache.get(key);
  if (hit !== undefined) return hit;
  const r = spawnSync(process.execPath, [CLI, ...words, '--help'], { encoding: 'utf8', timeout: 30_000 });
  // commander prints the program's own help for an unknown word: the usage line must name the words.
  const usage = `Usage: s321 ${words.join(' ')}`;
  const got = { ok: r.status === 0 && (words.length === 0 || r.stdout.includes(usage)), text: r.stdout };
  helpCache.set(key, got);
  return got;
}

/**
 * Checks one s321 argument list (after the program name): the command words up to the first option
 * (`worker ingest`: the worker's kind is an argument, checked against the kinds) and every option.
 */
function checkCommand(file: string, args: readonly string[], problems: Problem[]): void {
  const words: string[] = [];
  for (const a of args) {
    if (a.startsWith('-')) break;
    words.push(a);
  }
  const command = words[0] === 'worker' ? ['worker'] : words;
  if (words[0] === 'worker' && !WORKER_KINDS.includes(words[1] ?? ''))
    problems.push({
      file,
      message: `worker kind "${words[1] ?? ''}" is not one of ${WORKER_KINDS.join(', ')}`,
    });
  const h = help(command);
  if (!h.ok) {
    problems.push({ file, message: `"s321 ${command.join(' ')}" is not a command of this CLI` });
    return;
  }
  for (const a of args.slice(words.length)) {
    if (!a.startsWith('--')) continue;
    const option = a.split('=', 1)[0] as string;
    if (!new RegExp(`(^|[ ,])${option}([ ,=<\\[]|$)`, 'm').test(h.text))
      problems.push({ file, message: `"s321 ${command.join(' ')}" has no option ${option}` });
  }
}

/** .dockerignore patterns (top-level names and simple globs); a path is excluded when it or a parent matches. */
function ignoredBy(root: string): (path: string) => boolean {
  const file = join(root, '.dockerignore');
  if (!existsSync(file)) return () => false;
  const patterns = readFileSync(file, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#') && !l.startsWith('!'))
    .map(
      (p) =>
        new RegExp(
          `^${p
            .replace(/^\.?\//, '')
            .replace(/[.+^${}()|[\]\\]/g, '\\$&')
            .replace(/\*/g, '[^/]*')}(/|$)`,
        ),
    );
  return (path) => {
    const p = normalize(path).replace(/^\.\/?/, '');
    return patterns.some((re) => re.test(p));
  };
}

function checkDockerfile(root: string, problems: Problem[]): void {
  const file = 'Dockerfile';
  const path = join(root, file);
  if (!existsSync(path)) {
    problems.push({ file, message: 'missing' });
    return;
  }
  // Continuation lines joined, comments dropped.
  const lines = readFileSync(path, 'utf8')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const ignored = ignoredBy(root);
  let stages = 0;
  let lastUser: string | undefined;
  let entrypoint: string[] | undefined;
  const runs: string[] = [];
  for (const line of lines) {
    const [instruction = '', ...rest] = line.split(/\s+/);
    const args = rest;
    switch (instruction.toUpperCase()) {
      case 'FROM':
        stages += 1;
        lastUser = undefined;
        if (!/^node:20([.-]|$)/.test(args[0] ?? ''))
          problems.push({ file, message: `FROM ${args[0]}: not a Node 20 image` });
        break;
      case 'RUN':
        runs.push(args.join(' '));
        break;
      case 'USER':
        lastUser = args[0];
        break;
      case 'ENTRYPOINT':
        try {
          entrypoint = JSON.parse(args.join(' ')) as string[];
        } catch {
          problems.push({ file, message: 'ENTRYPOINT is not in exec (JSON array) form' });
        }
        break;
      case 'COPY':
      case 'ADD': {
        if (args.some((a) => a.startsWith('--from='))) break;
        const sources = args.filter((a) => !a.startsWith('--')).slice(0, -1);
        for (const s of sources) {
          if (!existsSync(join(root, s)))
            problems.push({ file, message: `${instruction} ${s}: no such path in the build context` });
          else if (ignored(s))
            problems.push({ file, message: `${instruction} ${s}: excluded by .dockerignore` });
        }
        break;
      }
    }
  }
  if (stages === 0) problems.push({ file, message: 'no FROM' });
  if (!runs.some((r) => /\bnpm ci\b/.test(r))) problems.push({ file, message: 'no RUN npm ci' });
  if (!runs.some((r) => /\bnpm run build\b/.test(r)))
    problems.push({ file, message: 'no RUN npm run build' });
  if (lastUser === undefined || lastUser === 'root' || lastUser === '0' || lastUser.startsWith('0:'))
    problems.push({ file, message: 'the final stage runs as root (no USER, or USER root)' });
  const script = entrypoint?.find((a) => a.endsWith('.js'));
  if (script === undefined) problems.push({ file, message: 'ENTRYPOINT runs no script of the build' });
  else if (!/\/dist\/src\/cli\/main\.js$/.test(script) || !existsSync(CLI))
    problems.push({
      file,
      message: `ENTRYPOINT ${script}: not the CLI the build makes (dist/src/cli/main.js)`,
    });
}

function checkCompose(root: string, problems: Problem[]): void {
  const file = 'docs/deploy/compose.yaml';
  const path = join(root, file);
  if (!existsSync(path)) {
    problems.push({ file, message: 'missing' });
    return;
  }
  const doc = parseDocument(readFileSync(path, 'utf8'), { merge: true });
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      problems.push({ file, message: `does not parse: ${e.message.split('\n')[0]}` });
    return;
  }
  const compose = doc.toJS({ maxAliasCount: 100 }) as {
    services?: Record<
      string,
      {
        image?: string;
        build?: { context?: string; dockerfile?: string } | string;
        command?: string[] | string;
        ports?: Array<string | { host_ip?: string }>;
        volumes?: Array<string | { type?: string; source?: string }>;
      }
    >;
  };
  const services = compose.services ?? {};
  for (const name of ['redis', 'serve', 'worker-ingest', 'worker-aggregate', 'worker-emit', 'api'])
    if (services[name] === undefined) problems.push({ file, message: `no service "${name}"` });
  const here = dirname(path);
  for (const [name, svc] of Object.entries(services)) {
    const where = `${file} services.${name}`;
    if (svc.build !== undefined) {
      const ctx = typeof svc.build === 'string' ? svc.build : (svc.build.context ?? '.');
      const df = typeof svc.build === 'string' ? 'Dockerfile' : (svc.build.dockerfile ?? 'Dockerfile');
      if (!existsSync(join(here, ctx, df)))
        problems.push({ file: where, message: `build: no ${df} in ${ctx}` });
    }
    for (const v of svc.volumes ?? []) {
      const source = typeof v === 'string' ? v.split(':')[0] : v.source;
      if (source !== undefined && /^\.{1,2}\//.test(source) && !existsSync(join(here, source)))
        problems.push({ file: where, message: `mounts ${source}, which does not exist` });
      if (typeof source === 'string' && source.endsWith('.json') && existsSync(join(here, source))) {
        try {
          parseConfig(JSON.parse(readFileSync(join(here, source), 'utf8')), {
            baseDir: here,
            env: { S321_REDIS_PASSWORD: 'check-only' },
            source,
          });
        } catch (err) {
          problems.push({
            file: where,
            message: `${source} is not a valid service config: ${(err as Error).message}`,
          });
        }
      }
    }
    for (const p of svc.ports ?? []) {
      const text = typeof p === 'string' ? p : (p.host_ip ?? '');
      if (!/^127\.0\.0\.1:|^\[::1\]:/.test(typeof p === 'string' ? text : `${text}:`))
        problems.push({ file: where, message: `port ${JSON.stringify(p)} is published beyond loopback` });
    }
    const isS321 = svc.build !== undefined || (svc.image ?? '').startsWith('s321');
    if (isS321) {
      if (!Array.isArray(svc.command))
        problems.push({ file: where, message: 'command must be an exec-form list' });
      else checkCommand(where, svc.command, problems);
    }
  }
}

function checkUnits(root: string, problems: Problem[]): void {
  const dir = join(root, 'docs', 'deploy');
  const units = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.service')) : [];
  if (units.length === 0) problems.push({ file: 'docs/deploy', message: 'no systemd unit (*.service)' });
  for (const unit of units) {
    const file = `docs/deploy/${unit}`;
    const sections = new Map<string, Map<string, string>>();
    let current: Map<string, string> | undefined;
    for (const raw of readFileSync(join(dir, unit), 'utf8').split('\n')) {
      const line = raw.trim();
      if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
      const section = /^\[(.+)\]$/.exec(line);
      if (section !== null) {
        current = new Map();
        sections.set(section[1] as string, current);
        continue;
      }
      const kv = /^([A-Za-z]+)=(.*)$/.exec(line);
      if (kv === null || current === undefined) {
        problems.push({ file, message: `not a unit file line: ${line}` });
        continue;
      }
      current.set(kv[1] as string, kv[2] as string);
    }
    for (const s of ['Unit', 'Service', 'Install'])
      if (!sections.has(s)) problems.push({ file, message: `no [${s}] section` });
    const service = sections.get('Service') ?? new Map<string, string>();
    const user = service.get('User');
    if (user === undefined || user === 'root' || user === '0')
      problems.push({ file, message: 'runs as root (no User=)' });
    const exec = service.get('ExecStart');
    if (exec === undefined) {
      problems.push({ file, message: 'no ExecStart' });
      continue;
    }
    const words = exec.split(/\s+/);
    const script = words.findIndex((w) => w.endsWith('/dist/src/cli/main.js'));
    if (script < 0) {
      problems.push({
        file,
        message: `ExecStart does not run the s321 CLI (…/dist/src/cli/main.js): ${exec}`,
      });
      continue;
    }
    const args = words.slice(script + 1);
    const kinds = unit.includes('@') ? WORKER_KINDS : [''];
    for (const kind of kinds)
      checkCommand(
        file,
        args.map((a) => a.replaceAll('%i', kind)),
        problems,
      );
  }
}

export function checkDeployFiles(root: string): Problem[] {
  const problems: Problem[] = [];
  checkDockerfile(root, problems);
  checkCompose(root, problems);
  checkUnits(root, problems);
  return problems;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? PROJECT);
  const problems = checkDeployFiles(root);
  for (const p of problems) process.stdout.write(`docker-check: ${p.file}: ${p.message}\n`);
  if (problems.length === 0)
    process.stdout.write(
      'docker-check: Dockerfile, docs/deploy/compose.yaml and the systemd units check out\n',
    );
  process.exitCode = problems.length > 0 ? 1 : 0;
}
