import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  createKeyProvider,
  deriveLinkKey,
  LocalFileKeyProvider,
  SecretsManagerKeyProvider,
} from '#shared/adapters/keys.ts';
import { ConfigError } from '#shared/config.ts';

describe('LocalFileKeyProvider', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'baocao-keys-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('creates a 32-byte key readable by its owner only, and reads the same key afterwards', async () => {
    // Act
    const key = await new LocalFileKeyProvider(join(dir, 'secrets')).linkKey();
    const again = await new LocalFileKeyProvider(join(dir, 'secrets')).linkKey();
    // Assess
    expect(key).toHaveLength(32);
    expect(again).toEqual(key);
    const info = await stat(join(dir, 'secrets', 'link-key'));
    expect(info.mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, 'secrets'))).mode & 0o077).toBe(0);
  });

  it('agrees on one key when many providers start at once, and leaves no temporary file', async () => {
    // Act
    const keys = await Promise.all(Array.from({ length: 20 }, () => new LocalFileKeyProvider(dir).linkKey()));
    // Assess
    for (const key of keys) expect(key).toEqual(keys[0]);
    expect(new Uint8Array(await readFile(join(dir, 'link-key')))).toEqual(keys[0]);
    const { readdir } = await import('node:fs/promises');
    expect(await readdir(dir)).toEqual(['link-key']);
  });

  it('never replaces an existing key, and refuses a damaged one', async () => {
    await writeFile(join(dir, 'link-key'), Buffer.alloc(32, 9));
    expect(await new LocalFileKeyProvider(dir).linkKey()).toEqual(new Uint8Array(32).fill(9));
    await writeFile(join(dir, 'link-key'), 'short');
    await expect(new LocalFileKeyProvider(dir).linkKey()).rejects.toThrow(/holds 5 bytes, expected 32/);
  });
});

describe('createKeyProvider', () => {
  it('uses Secrets Manager on AWS, the local folder otherwise, and says what is missing', () => {
    expect(
      createKeyProvider({
        LINK_KEY_SECRET_ARN: 'arn:aws:secretsmanager:ap-southeast-1:123456789012:secret:link-AbCdEf',
        BAOCAO_SECRETS_DIR: '/tmp/x',
        AWS_REGION: 'ap-southeast-1',
      }),
    ).toBeInstanceOf(SecretsManagerKeyProvider);
    expect(
      createKeyProvider({ LINK_KEY_SECRET_ARN: undefined, BAOCAO_SECRETS_DIR: '/tmp/x', AWS_REGION: 'x' }),
    ).toBeInstanceOf(LocalFileKeyProvider);
    expect(() =>
      createKeyProvider({ LINK_KEY_SECRET_ARN: undefined, BAOCAO_SECRETS_DIR: undefined, AWS_REGION: 'x' }),
    ).toThrow(ConfigError);
    expect(() =>
      createKeyProvider({ LINK_KEY_SECRET_ARN: undefined, BAOCAO_SECRETS_DIR: undefined, AWS_REGION: 'x' }),
    ).toThrow(/LINK_KEY_SECRET_ARN or BAOCAO_SECRETS_DIR/);
  });
});

describe('SecretsManagerKeyProvider', () => {
  it('reads the secret once and derives a 32-byte key from it', async () => {
    // Prepare
    let calls = 0;
    const secrets = {
      getSecretValue: async () => {
        calls++;
        return { SecretString: 'Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab' };
      },
    };
    const provider = new SecretsManagerKeyProvider('arn:secret', secrets);
    // Act
    const [a, b] = await Promise.all([provider.linkKey(), provider.linkKey()]);
    const c = await provider.linkKey();
    // Assess
    expect(calls).toBe(1);
    expect(a).toHaveLength(32);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(a).toEqual(
      deriveLinkKey(Buffer.from('Abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZab')),
    );
  });

  it('refuses an empty secret and tries again on the next call', async () => {
    let calls = 0;
    const secrets = { getSecretValue: async () => ({ SecretString: calls++ === 0 ? '' : 'x'.repeat(64) }) };
    const provider = new SecretsManagerKeyProvider('arn:secret', secrets);
    await expect(provider.linkKey()).rejects.toThrow(/empty or too short/);
    await expect(provider.linkKey()).resolves.toHaveLength(32);
  });
});
