/**
 * Issue 18, "Done when": every event kind of the audit log's catalogue (shared/audit/events.ts)
 * appears once for the action that causes it, driven through the real handlers on the emulators:
 * a unit's page, presign and upload through the public API and the emulated bucket (on-upload,
 * the verifier), the committee's JSON API, the exporter, the daily planner and the `baocao`
 * executable. Each record names its actor (the member, the unit by its id, or the system part),
 * its target and its outcome; nothing records a link's token or a file's bytes; the chain
 * verifies at the end. (test/integration/audit-events.test.ts covers the committee's routes and
 * the page "Nhật ký" in more detail.)
 */
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuditDeps, createAuditRecords } from '#functions/wiring/create-audit-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { runLocalPlanner } from '#local/invoke-planner.ts';
import { createS3Client } from '#shared/adapters/aws-clients.ts';
import { AUDIT_EVENT_KINDS } from '#shared/audit/events.ts';
import type { AuditRecord } from '#shared/audit/record.ts';
import { verifyAuditChain } from '#shared/audit/verify.ts';
import { addDays, localDate, startOfLocalDay } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { exposeToCli, runCli } from '#test/support/cli.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { requestSignInLink, signIn } from '#test/support/sign-in.ts';
import { eventually } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const OFFICE = 'vanphong@demo.baocao.example';
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');
const UUID = /^[0-9a-f-]{36}$/;
const HASH = /^[0-9a-f]{64}$/;

interface Grant {
  url: string;
  fields: Record<string, string>;
  uploadId: string;
}

describe('every audit event kind is recorded once, for the action that causes it (emulators)', () => {
  let stack: TestStack;
  let session: { cookie: string; csrf: string };
  let cliEnv: Record<string, string>;
  let year: number;
  let deadline: string;
  let base: string;
  /** The units' link tokens (never to be found in a record). */
  const tokens: Record<string, string> = {};
  let firstUpload = '';

  const api = (path: string, init: { method?: string; body?: unknown } = {}) =>
    fetch(`${stack.appUrl}${path}`, {
      method: init.method ?? 'GET',
      redirect: 'manual',
      headers: { Cookie: session.cookie, 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf },
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    });

  /** A unit's browser asking for a presigned POST. */
  const presign = (unitId: string, body: unknown) =>
    fetch(`${stack.appUrl}/u/${tokens[unitId]}/uploads`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });

  /** A unit's browser posting a file to the (emulated) bucket with a grant. */
  async function postFile(grant: Grant, bytes: Buffer, type = 'application/pdf'): Promise<void> {
    const form = new FormData();
    for (const [k, v] of Object.entries(grant.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'bao-cao.pdf');
    const res = await fetch(grant.url, { method: 'POST', body: form });
    expect(res.status).toBeLessThan(300);
  }

  async function records(): Promise<AuditRecord[]> {
    const out: AuditRecord[] = [];
    for await (const page of createAuditRecords(stack.runtime).store.pages('committee')) {
      out.push(...page.map((p) => p.record));
    }
    return out;
  }

  /** Runs `action` and returns the records appended meanwhile. */
  async function appendedBy(action: () => Promise<unknown>): Promise<AuditRecord[]> {
    const before = (await records()).length;
    await action();
    return (await records()).slice(before);
  }

  /** The records of `kind` about `ref`, once at least one is there (asynchronous steps). */
  const recordsOf = (kind: string, ref: string) =>
    eventually(async () => {
      const found = (await records()).filter((r) => r.kind === kind && r.target.ref === ref);
      return found.length > 0 ? found : undefined;
    });

  const eightOn = (day: string) =>
    new Date(startOfLocalDay(day, stack.config.TIME_ZONE).getTime() + 8 * 3_600_000);
  const unit = (id: string) => ({ type: 'unit', id });
  const cli = { type: 'system', id: 'cli' };

  beforeAll(async () => {
    stack = await startTestStack();
    const today = localDate(new Date(), stack.config.TIME_ZONE);
    deadline = addDays(today, 7);
    year = Number(today.slice(0, 4));
    await importUnits(
      stack.deps,
      'id,name,email\ncb-a,Chi bộ A,a@example.org\ncb-b,Chi bộ B,b@example.org\ncb-c,Chi bộ C,c@example.org\n',
    );
    await importPlan(stack.deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await openPeriod(stack.deps, { planId: PLAN, year, deadline });
    for (const id of ['cb-a', 'cb-b', 'cb-c']) {
      tokens[id] = (await linkFor(createUploadDeps(stack.runtime), PLAN, year, id)).token;
    }
    session = await signIn(stack, OFFICE);
    cliEnv = await exposeToCli(stack);
    base = `/api/plans/${PLAN}/periods/${year}`;
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('link.issued: once per period when the planner queues the links', async () => {
    const run = await appendedBy(() =>
      runLocalPlanner(stack.runtime, eightOn(localDate(new Date(), stack.config.TIME_ZONE))),
    );
    expect(run.filter((r) => r.kind === 'link.issued')).toMatchObject([
      { actor: { type: 'system', id: 'planner' }, target: { planId: PLAN, year }, details: { units: 3 } },
    ]);
  });

  it('link.opened: once per load of a valid link’s page; its status polls and bad links record nothing', async () => {
    // Act
    const appended = await appendedBy(async () => {
      expect((await fetch(`${stack.appUrl}/u/${tokens['cb-a']}`)).status).toBe(200);
      expect((await fetch(`${stack.appUrl}/u/${tokens['cb-a']}/status`)).status).toBe(200);
      expect((await fetch(`${stack.appUrl}/u/khong-phai-lien-ket`)).status).toBe(404);
    });
    // Assess
    expect(appended).toMatchObject([
      {
        kind: 'link.opened',
        actor: unit('cb-a'),
        target: { planId: PLAN, year, unitId: 'cb-a' },
        outcome: 'ok',
      },
    ]);
    expect(appended[0]!.requestId).toMatch(UUID);
    expect(appended[0]!.ipHash).toMatch(HASH);
  });

  it('upload.granted, upload.recorded and signature.checked: once each for a PDF a unit uploads', async () => {
    // Act: the presign through the public API, the file to the bucket, on-upload, the verifier.
    let grant: Grant | undefined;
    const granted = await appendedBy(async () => {
      const res = await presign('cb-a', {
        fileName: 'Báo cáo.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        fileCount: 1,
      });
      expect(res.status).toBe(201);
      grant = (await res.json()) as Grant;
    });
    firstUpload = grant!.uploadId;
    await postFile(grant!, PDF);
    const recorded = await recordsOf('upload.recorded', firstUpload);
    // Its signature check, and its malware scan (a file is handed out once cleared).
    await stack.signatureQueue.drain();
    await stack.scanQueue.drain();
    const checked = await recordsOf('signature.checked', firstUpload);

    // Assess
    expect(granted).toMatchObject([
      {
        kind: 'upload.granted',
        actor: unit('cb-a'),
        target: { planId: PLAN, year, unitId: 'cb-a', ref: firstUpload },
        outcome: 'ok',
        details: { version: 1, size: PDF.length, contentType: 'application/pdf' },
      },
    ]);
    expect(granted[0]!.requestId).toMatch(UUID);
    expect(granted[0]!.ipHash).toMatch(HASH);
    expect(recorded).toMatchObject([
      {
        actor: unit('cb-a'),
        target: { planId: PLAN, year, unitId: 'cb-a', ref: firstUpload },
        outcome: 'ok',
        details: {
          fileName: 'Báo cáo.pdf',
          version: 1,
          size: PDF.length,
          sha256: createHash('sha256').update(PDF).digest('hex'),
          onTime: true,
        },
      },
    ]);
    expect(checked).toMatchObject([
      {
        actor: { type: 'system', id: 'verifier' },
        target: { planId: PLAN, year, unitId: 'cb-a', ref: firstUpload },
        details: { version: 1, indication: 'unsigned', saved: true },
      },
    ]);
  });

  it('upload.replace-refused: once for a repeat of the version that counts (409), with nothing granted', async () => {
    const appended = await appendedBy(async () => {
      const res = await presign('cb-a', {
        fileName: 'Báo cáo.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        fileCount: 1,
        files: [
          {
            fileName: 'Báo cáo.pdf',
            size: PDF.length,
            sha256: createHash('sha256').update(PDF).digest('hex'),
          },
        ],
      });
      expect(res.status).toBe(409);
    });
    expect(appended).toMatchObject([
      {
        kind: 'upload.replace-refused',
        actor: unit('cb-a'),
        target: { planId: PLAN, year, unitId: 'cb-a' },
        outcome: 'refused',
        details: { reason: 'already-received', version: 1 },
      },
    ]);
    expect(appended[0]!.requestId).toMatch(UUID);
  });

  it('upload.replace-refused: once for other bytes posted again with a used grant (a replay)', async () => {
    // Prepare: a grant used once
    const res = await presign('cb-b', {
      fileName: 'bao-cao.pdf',
      contentType: 'application/pdf',
      size: PDF.length,
      fileCount: 1,
    });
    const grant = (await res.json()) as Grant;
    await postFile(grant, PDF);
    await recordsOf('upload.recorded', grant.uploadId);
    await stack.signatureQueue.drain();
    await recordsOf('signature.checked', grant.uploadId);
    // Act: the same form again, with other bytes of the same size
    const other = Buffer.from(PDF);
    other[other.length - 2] = 0x20;
    await postFile(grant, other);
    // Assess
    const refused = await recordsOf('upload.replace-refused', grant.uploadId);
    expect(refused).toMatchObject([
      {
        actor: unit('cb-b'),
        target: { planId: PLAN, year, unitId: 'cb-b', ref: grant.uploadId },
        outcome: 'refused',
        details: { reason: 'replayed-grant', version: 1 },
      },
    ]);
    expect(
      (await records()).filter((r) => r.kind === 'upload.recorded' && r.target.ref === grant.uploadId),
    ).toHaveLength(1);
  });

  it('upload.recorded (refused): once for a file that fails its check', async () => {
    const res = await presign('cb-c', {
      fileName: 'khong-phai-pdf.pdf',
      contentType: 'application/pdf',
      size: 11,
      fileCount: 1,
    });
    const grant = (await res.json()) as Grant;
    await postFile(grant, Buffer.from('hello world'));
    const recorded = await recordsOf('upload.recorded', grant.uploadId);
    expect(recorded).toMatchObject([
      {
        actor: unit('cb-c'),
        target: { unitId: 'cb-c', ref: grant.uploadId },
        outcome: 'refused',
        details: { fileName: 'khong-phai-pdf.pdf', version: 1 },
      },
    ]);
    expect(String(recorded[0]!.details?.reason)).not.toBe('');
  });

  it('upload.quarantined: once for an object under uploads/ that nobody authorised', async () => {
    const nonce = randomUUID().replaceAll('-', '');
    await createS3Client(stack.config).send(
      new PutObjectCommand({
        Bucket: stack.config.REPORTS_BUCKET,
        Key: `uploads/${PLAN}/${year}/cb-c/9-${nonce}`,
        Body: PDF,
      }),
    );
    const quarantined = await recordsOf('upload.quarantined', `9-${nonce}`);
    expect(quarantined).toMatchObject([
      {
        actor: { type: 'system', id: 'on-upload' },
        target: { planId: PLAN, year, unitId: 'cb-c', ref: `9-${nonce}` },
        outcome: 'refused',
        details: { reason: 'unauthorised' },
      },
    ]);
  });

  it.each([
    [
      'member.changed',
      () =>
        api('/api/members', { method: 'POST', body: { email: 'bithu@demo.baocao.example', role: 'viewer' } }),
      { memberEmail: 'bithu@demo.baocao.example' },
    ],
    [
      'unit.changed',
      () =>
        api('/api/units', { method: 'POST', body: { id: 'cb-d', name: 'Chi bộ D', email: 'd@example.org' } }),
      { unitId: 'cb-d' },
    ],
    [
      'plan.changed',
      () => api(`/api/plans/${PLAN}/recipients`, { method: 'POST', body: { unitIds: null, confirm: true } }),
      { planId: PLAN },
    ],
    ['link.resent', () => api(`${base}/units/cb-a/resend`, { method: 'POST' }), { unitId: 'cb-a' }],
    ['link.revoked', () => api(`${base}/units/cb-c/revoke`, { method: 'POST' }), { unitId: 'cb-c' }],
    [
      'deadline.extended',
      () => api(`${base}/units/cb-b/extension`, { method: 'POST', body: { until: addDays(deadline, 5) } }),
      { unitId: 'cb-b' },
    ],
    ['download.file', () => api(`${base}/units/cb-a/files/${firstUpload}`), { unitId: 'cb-a' }],
  ] as const)('%s: once, by the member, from the committee’s API', async (kind, act, target) => {
    const appended = await appendedBy(async () => {
      expect((await act()).status).toBeLessThan(400);
    });
    // A unit added to the open period gets its link (the use case's own e-mail, not a record).
    expect(appended.filter((r) => r.kind !== 'link.issued').map((r) => r.kind)).toEqual([kind]);
    const record = appended.find((r) => r.kind === kind)!;
    expect(record).toMatchObject({ actor: { type: 'member', id: OFFICE }, outcome: 'ok' });
    expect(record.target).toMatchObject(target);
    expect(record.requestId).toMatch(UUID);
  });

  it('export.started, export.built and download.export: once each', async () => {
    let exportId = '';
    const started = await appendedBy(async () => {
      const res = await api(`${base}/exports`, { method: 'POST' });
      expect(res.status).toBe(202);
      exportId = ((await res.json()) as { export: { exportId: string } }).export.exportId;
    });
    const built = await appendedBy(() => stack.exportRunner.drain());
    const downloaded = await appendedBy(async () => {
      expect((await api(`${base}/exports/${exportId}`)).status).toBe(303);
    });
    expect(started.map((r) => [r.kind, r.actor.id])).toEqual([['export.started', OFFICE]]);
    expect(built.map((r) => [r.kind, r.actor, r.target.ref])).toEqual([
      ['export.built', { type: 'system', id: 'exporter' }, exportId],
    ]);
    expect(downloaded.map((r) => [r.kind, r.target.ref])).toEqual([['download.export', exportId]]);
  });

  it('sign-in: once when a member confirms an e-mailed link', async () => {
    const appended = await appendedBy(async () => {
      const link = await requestSignInLink(stack, OFFICE);
      const res = await fetch(link, {
        method: 'POST',
        redirect: 'manual',
        headers: { Origin: stack.appUrl },
      });
      expect(res.status).toBe(303);
    });
    expect(appended.filter((r) => r.kind === 'sign-in')).toMatchObject([
      { actor: { type: 'member', id: OFFICE }, details: { action: 'sign-in' } },
    ]);
  });

  it('session.committee-chosen: once when a member chooses the committee to work for', async () => {
    const appended = await appendedBy(async () => {
      // A deployment of one: its one committee is the person's only choice.
      const res = await api('/api/committees/select', {
        method: 'POST',
        body: { committeeId: stack.config.COMMITTEE_ID },
      });
      expect(res.status).toBe(200);
      const next = (await res.json()) as { csrf: string };
      session = { cookie: res.headers.getSetCookie()[0]!.split(';')[0]!, csrf: next.csrf };
    });
    expect(appended).toMatchObject([
      {
        kind: 'session.committee-chosen',
        actor: { type: 'member', id: OFFICE },
        outcome: 'ok',
        details: { role: 'admin' },
      },
    ]);
  });

  // The real `baocao` executable, one process per command (each test its own time budget).
  const cliRun = async (args: string[]) => {
    const r = await runCli(args, cliEnv);
    expect(r.code, r.stderr).toBe(0);
  };

  it('the CLI: a refused command records nothing', async () => {
    const appended = await appendedBy(async () => {
      const r = await runCli(['member', 'add', 'khong-phai-dia-chi', '--role', 'viewer'], cliEnv);
      expect(r.code).toBe(1);
    });
    expect(appended).toEqual([]);
  });

  it('the CLI: member.changed once, by the system part "cli"', async () => {
    const appended = await appendedBy(() =>
      cliRun(['member', 'add', 'phobithu@demo.baocao.example', '--role', 'viewer']),
    );
    expect(appended).toMatchObject([
      {
        kind: 'member.changed',
        actor: cli,
        target: { memberEmail: 'phobithu@demo.baocao.example' },
        details: { action: 'add', role: 'viewer' },
      },
    ]);
  });

  it('the CLI: link.issued once when it prints a unit’s link', async () => {
    const appended = await appendedBy(() => cliRun(['link', PLAN, String(year), 'cb-c']));
    expect(appended).toMatchObject([
      {
        kind: 'link.issued',
        actor: cli,
        target: { planId: PLAN, year, unitId: 'cb-c' },
        details: { action: 'print' },
      },
    ]);
  });

  it('the CLI: deadline.extended once', async () => {
    const appended = await appendedBy(() =>
      cliRun(['period', 'extend', PLAN, String(year), 'cb-c', '--until', addDays(deadline, 5)]),
    );
    expect(appended).toMatchObject([
      { kind: 'deadline.extended', actor: cli, target: { planId: PLAN, year, unitId: 'cb-c' } },
    ]);
  });

  it('the CLI: signature.checked once per file it checks again', async () => {
    const appended = await appendedBy(() => cliRun(['signatures', 'recheck', PLAN, String(year)]));
    // The latest PDF of each unit: cb-a's and cb-b's (cb-c's file was refused).
    expect(appended.map((r) => [r.kind, r.actor, r.target.unitId]).sort()).toEqual([
      ['signature.checked', cli, 'cb-a'],
      ['signature.checked', cli, 'cb-b'],
    ]);
  });

  it('digest.sent and reminder.sent: once per period and run of the planner (where they are decided)', async () => {
    const afterDeadline = await appendedBy(() =>
      runLocalPlanner(stack.runtime, eightOn(addDays(deadline, 1))),
    );
    const dayBeforeExtended = await appendedBy(() =>
      runLocalPlanner(stack.runtime, eightOn(addDays(deadline, 4))),
    );
    expect(afterDeadline.filter((r) => r.kind === 'digest.sent')).toMatchObject([
      { actor: { type: 'system', id: 'planner' }, target: { planId: PLAN, year } },
    ]);
    expect(dayBeforeExtended.filter((r) => r.kind === 'reminder.sent')).toMatchObject([
      { actor: { type: 'system', id: 'planner' }, target: { planId: PLAN, year } },
    ]);
  });

  it('upload.replace-refused: once for a presign after the period closed', async () => {
    await stack.deps.plans.closePeriod(PLAN, year, new Date().toISOString());
    const appended = await appendedBy(async () => {
      const res = await presign('cb-a', {
        fileName: 'muon.pdf',
        contentType: 'application/pdf',
        size: PDF.length,
        fileCount: 1,
      });
      expect(res.status).toBe(403);
      // The closed link's page: no record of an opening.
      expect((await fetch(`${stack.appUrl}/u/${tokens['cb-a']}`)).status).toBe(403);
    });
    expect(appended).toMatchObject([
      {
        kind: 'upload.replace-refused',
        actor: unit('cb-a'),
        target: { planId: PLAN, year, unitId: 'cb-a' },
        outcome: 'refused',
        details: { reason: 'period-closed' },
      },
    ]);
  });

  it('has recorded every kind of the catalogue, no token and no file bytes, in a chain that verifies', async () => {
    // Exports the planner requested finish first (their records are appended meanwhile).
    await stack.exportRunner.drain();
    const all = await records();
    expect(new Set(all.map((r) => r.kind))).toEqual(new Set(AUDIT_EVENT_KINDS));
    const text = JSON.stringify(all);
    for (const token of Object.values(tokens)) expect(text).not.toContain(token);
    expect(text).not.toContain('%PDF');
    const report = await verifyAuditChain(createAuditDeps(stack.runtime));
    expect(report.chainProblem).toBeUndefined();
    expect(report.records).toBe(all.length);
  });
});
