/**
 * `baocao trust add | list | remove` and `baocao signatures recheck` against a running local stack
 * (the real executable): a CA certificate made at run time added from PEM, DER and .p7b files,
 * listed with its version, removed by a fingerprint prefix; bad input refused in one Vietnamese
 * line with nothing changed; a period's PDFs re-checked in Vietnamese.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { makeCa, toDer } from '#test/support/signatures/test-pki.ts';

describe('baocao trust and baocao signatures', () => {
  let stack: TestStack;
  let env: Record<string, string>;
  let dir: string;

  beforeAll(async () => {
    stack = await startTestStack();
    env = await exposeToCli(stack);
    dir = await mkdtemp(join(tmpdir(), 'baocao-trust-'));
  });
  afterAll(async () => {
    await stack.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('adds a root from a PEM file, lists it with a new version and removes it by its fingerprint', async () => {
    // Prepare
    const ca = makeCa('Baocao CLI Test Root');
    const pem = join(dir, 'root.pem');
    await writeFile(pem, ca.pem);
    // Act
    const added = await runCli(['trust', 'add', pem, '--json'], env);
    const again = await runCli(['trust', 'add', pem], env);
    const listed = await runCli(['trust', 'list', '--json'], env);
    const human = await runCli(['trust', 'list'], env);
    const id = (listed.json() as { anchors: { id: string }[] }).anchors[0]!.id;
    const removed = await runCli(['trust', 'remove', id.slice(0, 10)], env);
    const empty = await runCli(['trust', 'list', '--json'], env);
    // Assess
    expect(added.code).toBe(0);
    expect(added.json()).toMatchObject({
      added: [
        { subject: 'Baocao CLI Test Root, Baocao Test PKI', id: expect.stringMatching(/^[0-9a-f]{64}$/) },
      ],
      present: [],
      version: '1',
    });
    expect(again.stdout).toContain('Đã có sẵn: Baocao CLI Test Root');
    expect(listed.json()).toMatchObject({ version: '1', anchors: [{ id }] });
    expect(human.stdout).toMatch(
      /^1 chứng thư tin cậy \(phiên bản 1\):\n {2}[0-9a-f]{16} {2}Baocao CLI Test Root/,
    );
    expect(removed.stdout).toBe(
      `Đã bỏ khỏi danh sách tin cậy: Baocao CLI Test Root, Baocao Test PKI (mã ${id.slice(0, 16)}).\n`,
    );
    expect(empty.json()).toEqual({ version: '2', anchors: [] });
  }, 120_000);

  it('reads DER certificates and PKCS#7 bundles (.p7b)', async () => {
    // Prepare
    const one = makeCa('Baocao DER Root');
    const two = makeCa('Baocao P7B Root');
    const der = join(dir, 'root.cer');
    await writeFile(der, toDer(one.cert));
    const bag = forge.pkcs7.createSignedData();
    bag.addCertificate(two.cert);
    const p7b = join(dir, 'bundle.p7b');
    await writeFile(p7b, Buffer.from(forge.asn1.toDer(bag.toAsn1()).getBytes(), 'binary'));
    // Act
    const fromDer = await runCli(['trust', 'add', der, '--json'], env);
    const fromP7b = await runCli(['trust', 'add', p7b, '--json'], env);
    // Assess
    expect(fromDer.json()).toMatchObject({ added: [{ subject: 'Baocao DER Root, Baocao Test PKI' }] });
    expect(fromP7b.json()).toMatchObject({ added: [{ subject: 'Baocao P7B Root, Baocao Test PKI' }] });
  }, 60_000);

  it('refuses a file that holds no certificate, and an unknown or too short fingerprint, changing nothing', async () => {
    // Prepare
    const junk = join(dir, 'junk.crt');
    await writeFile(junk, Buffer.from('=HYPERLINK("x")\u0000\u00ff binary junk'));
    const before = (await runCli(['trust', 'list', '--json'], env)).json();
    // Act
    const bad = await runCli(['trust', 'add', junk], env);
    const missing = await runCli(['trust', 'add', join(dir, 'nope.pem')], env);
    const short = await runCli(['trust', 'remove', 'abc'], env);
    const unknown = await runCli(['trust', 'remove', 'ffffffffffff'], env);
    // Assess
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('Không đọc được chứng thư số trong tệp junk.crt');
    expect(missing.stderr).toContain('không có tệp này');
    expect(short.stderr).toContain('ít nhất 8 chữ số hex');
    expect(unknown.stderr).toContain('Không có chứng thư nào mang mã ffffffffffff');
    expect((await runCli(['trust', 'list', '--json'], env)).json()).toEqual(before);
  }, 120_000);

  it('re-checks a period in Vietnamese, and refuses an unknown plan or a bad year', async () => {
    // Act
    const noPlan = await runCli(['signatures', 'recheck', 'khong-co', '2026'], env);
    const badYear = await runCli(['signatures', 'recheck', 'khong-co', '20x6'], env);
    // Assess
    expect(noPlan.code).not.toBe(0);
    expect(badYear.stderr).toContain('Năm phải gồm 4 chữ số');
  }, 60_000);
});
