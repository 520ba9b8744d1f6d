/**
 * The real-server helpers themselves: a missing binary fails with instructions (never a skip), and
 * the servers listen on 127.0.0.1 only, without persistence.
 */
import { connect } from 'node:net';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { findBinary, MissingTestBinaryError } from '../../support/binaries.js';
import { startRedisServer } from '../../support/redis-server.js';
import { startSftpServer } from '../../support/sftp-server.js';

/** Resolves 'open' or the connect error code. 127.0.0.2 is loopback too, but not the bound address. */
function probe(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('timeout');
    }, 3_000);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve('open');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code ?? 'error');
    });
  });
}

/** The first line a server sends (SSH servers identify themselves first). */
function banner(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error('no banner within 3 s'));
    }, 3_000);
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      const end = text.indexOf('\r\n');
      if (end >= 0) {
        clearTimeout(timer);
        socket.destroy();
        resolve(text.slice(0, end));
      }
    });
    socket.once('error', reject);
  });
}

describe('test server helpers', () => {
  it('a missing server binary is a failure that says how to install it', () => {
    expect(() => findBinary('frobnicator', 's321-no-such-binary-7f3a')).toThrow(MissingTestBinaryError);
    expect(() => findBinary('frobnicator', 's321-no-such-binary-7f3a')).toThrow(
      /scripts\/install-test-deps\.sh/,
    );
  });

  it('redis-server: 127.0.0.1 only, protected mode, no persistence, stops cleanly', async () => {
    const server = await startRedisServer();
    const client = new Redis(server.url);
    try {
      expect(await client.ping()).toBe('PONG');
      expect(await client.config('GET', 'bind')).toEqual(['bind', '127.0.0.1']);
      expect(await client.config('GET', 'protected-mode')).toEqual(['protected-mode', 'yes']);
      expect(await client.config('GET', 'save')).toEqual(['save', '']);
      expect(await client.config('GET', 'appendonly')).toEqual(['appendonly', 'no']);
      expect(await probe('127.0.0.2', server.port)).toBe('ECONNREFUSED');
    } finally {
      client.disconnect();
      await server.stop();
    }
    expect(await probe('127.0.0.1', server.port)).toBe('ECONNREFUSED');
  });

  it('sshd: 127.0.0.1 only, real OpenSSH banner, stops cleanly', async () => {
    const server = await startSftpServer();
    try {
      expect(await banner(server.port)).toMatch(/^SSH-2\.0-OpenSSH_/);
      expect(await probe('127.0.0.2', server.port)).toBe('ECONNREFUSED');
      expect(server.output()).toMatch(/Server listening on 127\.0\.0\.1 port \d+/);
      expect(server.hostKeyFingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    } finally {
      await server.stop();
    }
    expect(await probe('127.0.0.1', server.port)).toBe('ECONNREFUSED');
  });
});
