/**
 * Where the link-signing key lives: Secrets Manager on AWS, a file in the local data folder in
 * local mode. Never in the repository, never in logs, never in an error message.
 */

import { hkdfSync, randomBytes } from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type Config, ConfigError } from '#shared/config.ts';
import type { KeyProvider } from '#shared/ports.ts';
import { awsCredentials } from './aws-signing.ts';
import { type SecretReader, SignedSecretsManager } from './secrets-manager.ts';

/** `load` once, sharing the pending promise; forgotten when it fails, so the next call retries. */
function cachedUntilFailure<T>(load: () => Promise<T>): () => Promise<T> {
  let cached: Promise<T> | undefined;
  return () => {
    cached ??= load().catch((error: unknown) => {
      cached = undefined;
      throw error;
    });
    return cached;
  };
}

const KEY_BYTES = 32;
const KEY_FILE = 'link-key';
/** HKDF info of the link key; other keys (the session key) use their own. */
const LINK_KEY_INFO = 'upload-link-key/v1';

/**
 * Local mode: `<dir>/link-key`, 32 random bytes created (mode 0600, folder 0700) on first use.
 * Two processes starting together (the stack and the CLI) agree on one key: each writes its own
 * temporary file and hard-links it into place, which fails for all but the first; everyone then
 * reads the file that won. Nothing ever overwrites an existing key.
 */
export class LocalFileKeyProvider implements KeyProvider {
  constructor(
    private readonly dir: string,
    private readonly fileName: string = KEY_FILE,
  ) {}

  /** Loaded once per process; a failed load is retried on the next call. */
  readonly linkKey = cachedUntilFailure(() => this.load());

  private async load(): Promise<Uint8Array> {
    const path = join(this.dir, this.fileName);
    const existing = await readKeyFile(path);
    if (existing) return existing;
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    const temp = join(this.dir, `.${this.fileName}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`);
    await writeFile(temp, randomBytes(KEY_BYTES), { mode: 0o600, flag: 'wx' });
    try {
      await link(temp, path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    } finally {
      await rm(temp, { force: true });
    }
    const key = await readKeyFile(path);
    if (!key) throw new Error(`Link key file ${path} vanished after it was created`);
    return key;
  }
}

async function readKeyFile(path: string): Promise<Uint8Array | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  if (bytes.length !== KEY_BYTES) {
    throw new Error(
      `Link key file ${path} holds ${bytes.length} bytes, expected ${KEY_BYTES}: restore it from a backup, or delete it to generate a new key (every link issued so far then stops working)`,
    );
  }
  return new Uint8Array(bytes);
}

/**
 * AWS: a Secrets Manager secret, read once per process. The secret is a generated password (64
 * letters and digits, about 380 bits); the 32-byte key is derived from it with HKDF-SHA256, so
 * any secret string of enough entropy works and the raw secret is never used as a key directly.
 */
export class SecretsManagerKeyProvider implements KeyProvider {
  constructor(
    private readonly secretArn: string,
    private readonly secrets: SecretReader,
    private readonly info: string = LINK_KEY_INFO,
  ) {}

  /** Loaded once per process; a failed load is retried on the next call. */
  readonly linkKey = cachedUntilFailure(() => this.load());

  private async load(): Promise<Uint8Array> {
    const out = await this.secrets.getSecretValue(this.secretArn);
    const material = out.SecretString
      ? Buffer.from(out.SecretString, 'utf8')
      : out.SecretBinary
        ? Buffer.from(out.SecretBinary)
        : undefined;
    if (!material || material.length < 16) {
      throw new Error(
        'The link key secret is empty or too short (need at least 16 bytes of secret material)',
      );
    }
    return deriveLinkKey(material, this.info);
  }
}

/** HKDF-SHA256 of secret material into the 32-byte link key. */
export function deriveLinkKey(material: Uint8Array, info: string = LINK_KEY_INFO): Uint8Array {
  return new Uint8Array(hkdfSync('sha256', material, 'baocao', info, KEY_BYTES));
}

/**
 * The key provider this configuration asks for: `LINK_KEY_SECRET_ARN` → Secrets Manager;
 * otherwise `BAOCAO_SECRETS_DIR` → a file there.
 * @throws ConfigError when neither is set.
 */
export function createKeyProvider(
  config: Pick<Config, 'LINK_KEY_SECRET_ARN' | 'BAOCAO_SECRETS_DIR' | 'AWS_REGION'>,
): KeyProvider {
  if (config.LINK_KEY_SECRET_ARN) {
    return new SecretsManagerKeyProvider(config.LINK_KEY_SECRET_ARN, secretsManager(config));
  }
  if (config.BAOCAO_SECRETS_DIR) return new LocalFileKeyProvider(config.BAOCAO_SECRETS_DIR);
  throw new ConfigError([
    'LINK_KEY_SECRET_ARN or BAOCAO_SECRETS_DIR: one is required to sign upload links (Secrets Manager ARN on AWS, a local folder in local mode)',
  ]);
}

/**
 * The committee session key (cookies and CSRF tokens), kept apart from the link key so that
 * neither can be used for the other: `SESSION_KEY_SECRET_ARN` on AWS, `<BAOCAO_SECRETS_DIR>/session-key`
 * locally. Returned as a KeyProvider whose `linkKey()` yields the session key.
 */
export function createSessionKeyProvider(
  config: Pick<Config, 'SESSION_KEY_SECRET_ARN' | 'BAOCAO_SECRETS_DIR' | 'AWS_REGION'>,
): KeyProvider {
  if (config.SESSION_KEY_SECRET_ARN) {
    return new SecretsManagerKeyProvider(
      config.SESSION_KEY_SECRET_ARN,
      secretsManager(config),
      'session-key/v1',
    );
  }
  if (config.BAOCAO_SECRETS_DIR) return new LocalFileKeyProvider(config.BAOCAO_SECRETS_DIR, 'session-key');
  throw new ConfigError([
    'SESSION_KEY_SECRET_ARN or BAOCAO_SECRETS_DIR: one is required for committee sessions (Secrets Manager ARN on AWS, a local folder in local mode)',
  ]);
}

/** Secrets Manager in the configuration's region, as whom the SDK's credential chain says. */
function secretsManager(config: Pick<Config, 'AWS_REGION'>): SecretReader {
  return new SignedSecretsManager({ region: config.AWS_REGION, credentials: awsCredentials() });
}
