/**
 * The KMS digest signer as KMS's JSON protocol sees it: a local HTTP server stands in for KMS
 * (Sign with MessageType RAW, GetPublicKey), signing with its own P-256 key the way KMS signs
 * with ECDSA_SHA_256. Digests signed through it verify with the public key it hands out; a wrong
 * key id is refused with KMS's error code; throttling is retried.
 */
import { generateKeyPairSync, sign } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KmsDigestSigner, KmsRequestError } from '#shared/adapters/kms-digest-signer.ts';
import { ChainedAuditLog } from '#shared/audit/append.ts';
import { writeDailyDigests } from '#shared/audit/digest.ts';
import { verifyAuditChain } from '#shared/audit/verify.ts';
import { MemoryAuditStore, MemoryDigestStore } from '../../support/memory/audit-store.ts';
import { ManualClock } from '../../support/memory/clock.ts';

const KEY_ARN = 'arn:aws:kms:ap-southeast-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('KmsDigestSigner against a KMS stand-in', () => {
  let server: Server;
  let endpoint: string;
  const calls: { target: string; body: Record<string, string>; authorization: string }[] = [];
  let throttleNext = 0;

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let text = '';
      for await (const chunk of req) text += chunk;
      const body = JSON.parse(text) as Record<string, string>;
      const target = String(req.headers['x-amz-target']);
      calls.push({ target, body, authorization: String(req.headers.authorization) });
      const answer = (status: number, json: unknown) => {
        res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        res.end(JSON.stringify(json));
      };
      if (throttleNext > 0) {
        throttleNext--;
        return answer(400, { __type: 'ThrottlingException', message: 'Rate exceeded' });
      }
      if (body.KeyId !== KEY_ARN && body.KeyId !== 'alias/baocao-audit') {
        return answer(400, { __type: 'NotFoundException', message: 'Key not found' });
      }
      if (target === 'TrentService.GetPublicKey') {
        return answer(200, {
          KeyId: KEY_ARN,
          PublicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
        });
      }
      // MessageType RAW: KMS hashes the message with SHA-256 and signs (DER).
      const signature = sign('sha256', Buffer.from(body.Message!, 'base64'), {
        key: privateKey,
        dsaEncoding: 'der',
      });
      return answer(200, {
        KeyId: KEY_ARN,
        Signature: signature.toString('base64'),
        SigningAlgorithm: 'ECDSA_SHA_256',
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const signer = (keyId = 'alias/baocao-audit') =>
    new KmsDigestSigner(
      keyId,
      {
        region: 'ap-southeast-1',
        credentials: async () => ({ accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' }),
        endpoint,
      },
      async () => {},
    );

  it('signs digests that verify with the key it names, through signed requests', async () => {
    // Prepare
    const clock = new ManualClock('2026-12-01T02:00:00.000Z');
    const store = new MemoryAuditStore();
    await new ChainedAuditLog(store, clock).append({
      kind: 'unit.changed',
      actor: { type: 'member', id: 'a@so.vn' },
    });
    clock.set('2026-12-03T02:00:00.000Z');
    const deps = {
      store,
      digests: new MemoryDigestStore(),
      signer: signer(),
      clock,
      timeZone: 'Asia/Ho_Chi_Minh',
    };
    // Act
    const written = await writeDailyDigests(deps);
    const report = await verifyAuditChain(deps);
    // Assess
    expect(written).toEqual(['2026-12-01', '2026-12-02']);
    expect(report).toMatchObject({ ok: true, digests: 2, digestProblems: [] });
    const signs = calls.filter((c) => c.target === 'TrentService.Sign');
    expect(signs[0]?.body).toMatchObject({
      KeyId: KEY_ARN,
      MessageType: 'RAW',
      SigningAlgorithm: 'ECDSA_SHA_256',
    });
    expect(signs[0]?.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/ap-southeast-1\/kms\/aws4_request/,
    );
  });

  it('retries throttling, and names KMS’s error for an unknown key', async () => {
    throttleNext = 1;
    await expect(signer().publicKey(KEY_ARN)).resolves.toBeInstanceOf(Uint8Array);
    const error = await signer('alias/khac')
      .keyId()
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KmsRequestError);
    expect(error).toMatchObject({ status: 400, code: 'NotFoundException' });
  });
});
