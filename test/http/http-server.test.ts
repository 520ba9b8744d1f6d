/**
 * The HTTP shell over real HTTP (listen on 127.0.0.1:0, real fetch): the bind rules (loopback
 * without a token; anything else refused without one), bearer auth in constant time, the token never
 * in the log, body limits, graceful close.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createHttpServer,
  type HttpServer,
  type HttpServerOptions,
  isLoopbackHost,
  resolveHttpToken,
} from '../../src/adapters/http/http-server.js';
import { ConfigError } from '../../src/config/config-error.js';
import { createLogger } from '../../src/config/logger.js';

const TOKEN = 'test-token-0123456789abcdef';
const servers: HttpServer[] = [];

afterEach(async () => {
  for (const s of servers.splice(0)) await s.close();
});

function logSink(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, stream };
}

async function start(options: HttpServerOptions = {}): Promise<{ url: string; server: HttpServer }> {
  const server = createHttpServer({ port: 0, logger: createLogger({ level: 'silent' }), ...options });
  server.app.post('/echo', async (request) => ({ got: request.body }));
  server.app.get('/slow', async () => {
    await new Promise((r) => setTimeout(r, 300));
    return { done: true };
  });
  server.app.get('/healthz', async () => ({ ok: true }));
  servers.push(server);
  const { url } = await server.listen();
  return { url, server };
}

describe('HTTP shell: bind rules', () => {
  it('loopback names are told from the rest', () => {
    for (const h of ['127.0.0.1', '127.1.2.3', '::1', '[::1]', 'localhost', 'LOCALHOST'])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.1', '192.168.1.10', 'example.com', '128.0.0.1'])
      expect(isLoopbackHost(h), h).toBe(false);
  });

  it('binds 127.0.0.1 by default and serves without a token there', async () => {
    const { url, server } = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ a: 1 }),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ got: { a: 1 } });
  });

  it('refuses to start on a non-loopback address without a token (a config error naming it)', () => {
    for (const host of ['0.0.0.0', '::', '10.1.2.3']) {
      let err: unknown;
      try {
        createHttpServer({ host, port: 0 });
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(ConfigError);
      expect((err as ConfigError).code).toBe('CONFIG_INVALID');
      expect((err as Error).message).toContain('http.token');
      expect((err as Error).message).toContain(`binding ${host} (not loopback) needs a bearer token`);
    }
    // With a token the same host is accepted (not bound here: tests bind 127.0.0.1 only).
    expect(() => createHttpServer({ host: '0.0.0.0', port: 0, token: TOKEN })).not.toThrow();
  });

  it('refuses a short or blank token', () => {
    expect(() => createHttpServer({ port: 0, token: 'short' })).toThrow(/at least 16 characters/);
    expect(() => createHttpServer({ port: 0, token: 'has space in the middle' })).toThrow(/whitespace/);
  });
});

describe('HTTP shell: bearer auth', () => {
  it('no token or a wrong one: 401 with WWW-Authenticate; the right one: 200', async () => {
    const { url } = await start({ token: TOKEN });
    const noToken = await fetch(`${url}/echo`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toBe('Bearer realm="s321"');
    expect(await noToken.json()).toEqual({
      error: 'unauthorized',
      message: 'a valid bearer token is required',
    });
    for (const auth of [
      `Bearer ${TOKEN}x`,
      `Bearer ${TOKEN.slice(0, -1)}`,
      `Basic ${TOKEN}`,
      TOKEN,
      'Bearer ',
    ]) {
      const res = await fetch(`${url}/healthz`, { headers: { authorization: auth } });
      expect(res.status, auth).toBe(401);
    }
    const ok = await fetch(`${url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(ok.status).toBe(200);
    const lower = await fetch(`${url}/healthz`, { headers: { authorization: `bearer ${TOKEN}` } });
    expect(lower.status).toBe(200);
  });

  it('openPaths are served without the token, nothing else is', async () => {
    const { url } = await start({ token: TOKEN, openPaths: ['/healthz'] });
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
    expect((await fetch(`${url}/healthz?x=1`)).status).toBe(200);
    expect((await fetch(`${url}/slow`)).status).toBe(401);
  });

  it('the token never reaches the log', async () => {
    const sink = logSink();
    const { url } = await start({
      token: TOKEN,
      logger: createLogger({ level: 'trace', destination: sink.stream }),
    });
    await fetch(`${url}/healthz`, { headers: { authorization: `Bearer ${TOKEN}` } });
    await fetch(`${url}/healthz`, { headers: { authorization: `Bearer wrong-${TOKEN}` } });
    const log = sink.lines.join('');
    expect(log).toContain('/healthz'); // requests are logged…
    expect(log).not.toContain(TOKEN.slice(4)); // …their token is not
  });

  it('resolveHttpToken: a token file (trimmed), else $S321_API_TOKEN, else none; an empty or missing file refused', async () => {
    const dir = mkdtempSync(join(tmpdir(), 's321-token-'));
    writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
    writeFileSync(join(dir, 'empty'), '\n');
    expect(await resolveHttpToken({ tokenFile: join(dir, 'token'), env: { S321_API_TOKEN: 'other' } })).toBe(
      TOKEN,
    );
    expect(await resolveHttpToken({ env: { S321_API_TOKEN: ` ${TOKEN} ` } })).toBe(TOKEN);
    expect(await resolveHttpToken({ env: {} })).toBeUndefined();
    await expect(resolveHttpToken({ tokenFile: join(dir, 'empty') })).rejects.toThrow(/is empty/);
    await expect(resolveHttpToken({ tokenFile: join(dir, 'missing') })).rejects.toThrow(/ENOENT/);
  });
});

describe('HTTP shell: limits and close', () => {
  it('a body over the limit is refused with 413; bad JSON with 400', async () => {
    const { url } = await start({ bodyLimitBytes: 1024 });
    const big = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(2000) }),
    });
    expect(big.status).toBe(413);
    expect(((await big.json()) as { error: string }).error).toBe('FST_ERR_CTP_BODY_TOO_LARGE');
    const bad = await fetch(`${url}/echo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"a":',
    });
    expect(bad.status).toBe(400);
    const missing = await fetch(`${url}/nowhere`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'not-found', message: 'no route GET /nowhere' });
  });

  it('close() lets a request in flight finish, then the port is released', async () => {
    const { url, server } = await start();
    const inFlight = fetch(`${url}/slow`).then(async (r) => ({ status: r.status, body: await r.json() }));
    await new Promise((r) => setTimeout(r, 50));
    await server.close();
    expect(await inFlight).toEqual({ status: 200, body: { done: true } });
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
  });
});
