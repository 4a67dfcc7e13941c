import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  sign,
} from 'node:crypto';
import { link, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DigestSigner } from '#shared/audit/ports.ts';

/** File of the local digest key, in the local secrets folder. */
export const LOCAL_DIGEST_KEY_FILE = 'audit-digest-key.pem';

/**
 * Local mode: signs the audit digests with an ECDSA P-256 key kept as `<dir>/audit-digest-key.pem`
 * (PKCS#8, mode 0600), created on first use the way the link key is (a temporary file hard-linked
 * into place, so two processes agree on one key). Same algorithm and signature format (DER) as
 * the KMS key on AWS. The key id is `local:` and the SHA-256 of the public key, so a digest names
 * the key that signed it.
 */
export class LocalDigestSigner implements DigestSigner {
  readonly algorithm = 'ECDSA_SHA_256' as const;
  private loaded: Promise<{ pem: string; keyId: string; spki: Uint8Array }> | undefined;

  constructor(private readonly dir: string) {}

  async keyId(): Promise<string> {
    return (await this.key()).keyId;
  }

  async sign(message: Uint8Array): Promise<Uint8Array> {
    const { pem } = await this.key();
    return new Uint8Array(sign('sha256', message, { key: pem, dsaEncoding: 'der' }));
  }

  async publicKey(keyId: string): Promise<Uint8Array> {
    const key = await this.key();
    if (keyId !== key.keyId) throw new Error(`Unknown digest key ${keyId} (this folder holds ${key.keyId})`);
    return key.spki;
  }

  private key(): Promise<{ pem: string; keyId: string; spki: Uint8Array }> {
    this.loaded ??= this.load().catch((error: unknown) => {
      this.loaded = undefined;
      throw error;
    });
    return this.loaded;
  }

  private async load(): Promise<{ pem: string; keyId: string; spki: Uint8Array }> {
    const path = join(this.dir, LOCAL_DIGEST_KEY_FILE);
    let pem = await readPem(path);
    if (!pem) {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const temp = join(
        this.dir,
        `.${LOCAL_DIGEST_KEY_FILE}.${process.pid}.${randomBytes(8).toString('hex')}.tmp`,
      );
      await writeFile(temp, privateKey.export({ format: 'pem', type: 'pkcs8' }), { mode: 0o600, flag: 'wx' });
      try {
        await link(temp, path);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      } finally {
        await rm(temp, { force: true });
      }
      pem = await readPem(path);
      if (!pem) throw new Error(`Digest key file ${path} vanished after it was created`);
    }
    const spki = new Uint8Array(
      createPublicKey(createPrivateKey(pem)).export({ format: 'der', type: 'spki' }),
    );
    const keyId = `local:${createHash('sha256').update(spki).digest('hex').slice(0, 32)}`;
    return { pem, keyId, spki };
  }
}

async function readPem(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
