/**
 * Committees as tenants on the emulators (docs/tenancy.md): the registry adapter against its
 * contract, every store contract again through a committee's scoped client (so every request
 * shape the stores send is one the scoped client knows), and two committees with the same plan
 * id, unit id and year seeing nothing of each other in DynamoDB or S3.
 */

import { readFile } from 'node:fs/promises';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDeps } from '#functions/wiring/create-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createRuntime, type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { createDynamoDocumentClient, createS3Client } from '#shared/adapters/aws-clients.ts';
import { DynamoCommitteeRegistry } from '#shared/adapters/dynamodb/committee-registry.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoPlanStore } from '#shared/adapters/dynamodb/plan-store.ts';
import { DynamoRecordingStore } from '#shared/adapters/dynamodb/recording-store.ts';
import { scopeDocumentClient } from '#shared/adapters/dynamodb/scoped-client.ts';
import { DynamoSubmissionStore } from '#shared/adapters/dynamodb/submission-store.ts';
import { DynamoUploadStore } from '#shared/adapters/dynamodb/upload-store.ts';
import { DynamoVersionReader } from '#shared/adapters/dynamodb/version-reader.ts';
import { S3ReportObjects } from '#shared/adapters/s3/report-objects.ts';
import { reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import type { Plan } from '#shared/domain/plan.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { announcePeriod } from '#shared/periods/run-planner.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { addCommittee } from '#shared/tenancy/registry.ts';
import { importUnits } from '#shared/units/units.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails } from '#test/support/mail.ts';
import { pdfBytes } from '#test/support/sample-files.ts';
import { eventually } from '#test/support/uploads.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';

import { describeCommitteeRegistryContract } from '#test/support/memory/committee-registry-contract.ts';
import { describeStoreContracts } from '#test/support/memory/store-contracts.ts';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the committee registry on dynalite', () => {
  describeCommitteeRegistryContract(
    'dynalite',
    () => new DynamoCommitteeRegistry(createDynamoDocumentClient(stack.config), stack.config.PLANS_TABLE),
  );
});

describe('every store through a committee-scoped client', () => {
  describeStoreContracts('dynalite, scoped to C#contract#', () => {
    const client = scopeDocumentClient(createDynamoDocumentClient(stack.config), 'C#contract#');
    const { PLANS_TABLE: plans, SUBMISSIONS_TABLE: submissions } = stack.config;
    return {
      plans: new DynamoPlanStore(client, plans),
      submissions: new DynamoSubmissionStore(client, submissions),
      uploads: new DynamoUploadStore(client, { plans, submissions }),
      recording: new DynamoRecordingStore(client, submissions),
      deliveries: new DynamoDeliveryStore(client, submissions),
      exports: new DynamoExportStore(client, submissions),
      versions: new DynamoVersionReader(client, submissions),
    };
  });
});

describe('two committees with the same ids', () => {
  const plan = (title: string): Plan =>
    ({
      id: 'kh-chung',
      number: '30-KH/ĐU',
      title,
    }) as unknown as Plan;

  function committeeRuntime(id: string): Runtime {
    const base = createRuntime(stack.config);
    return id === stack.config.COMMITTEE_ID
      ? base
      : scopeRuntime(base, { id, name: `Đảng ủy ${id}`, timeZone: 'Asia/Ho_Chi_Minh' });
  }

  it('keep their plans apart: each reads its own, writes never cross, raw keys are prefixed', async () => {
    // Arrange
    const [a, b, root] = ['khoi-a', 'khoi-b', stack.config.COMMITTEE_ID].map(committeeRuntime) as [
      Runtime,
      Runtime,
      Runtime,
    ];
    // Act
    await createDeps(a).plans.putPlan(plan('Kế hoạch của Khối A'));
    await createDeps(b).plans.putPlan(plan('Kế hoạch của Khối B'));
    // Assess
    expect((await createDeps(a).plans.getPlan('kh-chung'))?.title).toBe('Kế hoạch của Khối A');
    expect((await createDeps(b).plans.getPlan('kh-chung'))?.title).toBe('Kế hoạch của Khối B');
    expect(await createDeps(root).plans.getPlan('kh-chung')).toBeUndefined();
    expect((await createDeps(a).plans.listPlans()).map((p) => p.title)).toEqual(['Kế hoạch của Khối A']);
    const raw = await a.deploymentDynamo.send(
      new QueryCommand({
        TableName: stack.config.PLANS_TABLE,
        KeyConditionExpression: 'pk = :pk AND sk = :sk',
        ExpressionAttributeValues: { ':pk': 'C#khoi-b#PLANS', ':sk': 'PLAN#kh-chung' },
      }),
    );
    expect(raw.Items?.length ?? 0).toBeGreaterThan(0);
    expect(a.config.COMMITTEE_NAME).toBe('Đảng ủy khoi-a');
  });

  it('keep their S3 objects apart under <top>/_c/<id>/', async () => {
    // Arrange
    const [a, b] = ['khoi-a', 'khoi-b'].map(committeeRuntime) as [Runtime, Runtime];
    const objectsOf = (r: Runtime) => new S3ReportObjects(reportsLocation(r.config), r.clock);
    const key = 'reports/kh-chung/2026/cb1/1-aaaaaaaaaaaaaaaa';
    // Act
    await createS3Client(stack.config).send(
      new PutObjectCommand({
        Bucket: stack.config.REPORTS_BUCKET,
        Key: `reports/_c/khoi-a/${key.slice('reports/'.length)}`,
        Body: 'của A',
      }),
    );
    // Assess
    const mine = await objectsOf(a).open(key);
    expect(mine).toBeDefined();
    await expect(objectsOf(b).open(key)).resolves.toBeUndefined();
    await expect(objectsOf(committeeRuntime(stack.config.COMMITTEE_ID)).open(key)).resolves.toBeUndefined();
  });

  it('refuse what cannot be scoped: a Scan, a query on another key, a second scope', async () => {
    // Arrange
    const client = scopeDocumentClient(createDynamoDocumentClient(stack.config), 'C#khoi-a#');
    // Act & Assess
    await expect(client.send(new ScanCommand({ TableName: stack.config.PLANS_TABLE }))).rejects.toThrow(
      /not scoped/,
    );
    await expect(
      client.send(
        new QueryCommand({
          TableName: stack.config.PLANS_TABLE,
          KeyConditionExpression: 'sk = :sk AND pk = :pk',
          ExpressionAttributeValues: { ':pk': 'PLANS', ':sk': 'x' },
        }),
      ),
    ).rejects.toThrow(/pk = :pk/);
    expect(() => scopeDocumentClient(client, 'PLANS#')).toThrow(/prefix/);
    expect(() =>
      scopeRuntime(committeeRuntime('khoi-a'), { id: 'khoi-b', name: 'B', timeZone: 'Asia/Ho_Chi_Minh' }),
    ).toThrow(/already/);
    const got = await client.send(
      new GetCommand({ TableName: stack.config.PLANS_TABLE, Key: { pk: 'PLANS', sk: 'nothing' } }),
    );
    expect(got.Item).toBeUndefined();
  });
});

describe('a second committee end to end over HTTP (link e-mail, upload page, presign, on-upload, receipt)', () => {
  it('runs its period in its own scope, and the first committee sees none of it', async () => {
    // Arrange: committee "so-b" registered, with the same plan and unit ids as the first one could have
    const base = createRuntime(stack.config, {
      mailQueue: stack.runtime.mailQueue,
      exportInvoker: stack.runtime.exportInvoker,
    });
    const registry = createRegistryDeps(base);
    const soB = await addCommittee(registry, { id: 'so-b', name: 'Đảng ủy Sở B', by: 'cli' });
    const b = scopeRuntime(base, soB);
    const deps = createDeps(b);
    await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach.txt');
    await importUnits(deps, 'id,name,email\ncb-1,Chi bộ Một của Sở B,mot@so-b.example.vn\n');
    const today = localDate(new Date(), 'Asia/Ho_Chi_Minh');
    const year = Number(today.slice(0, 4));
    await clearEmails(stack.mailUrl);
    // Act: the period opens and the link goes out by e-mail, as the planner does it
    await openPeriod(createPlannerDeps(b), { planId: PLAN, year, deadline: addDays(today, 20) });
    await announcePeriod(createPlannerDeps(b), PLAN, year, new Date());
    await stack.mailQueue.drain();
    const mail = (await storedEmails(stack.mailUrl)).find((m) =>
      m.destination.to.includes('mot@so-b.example.vn'),
    );
    const url = /https?:\/\/[^\s"<]+\/u\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+/.exec(mail?.body.text ?? '')?.[0];
    const path = new URL(url ?? 'http://x/none').pathname;
    const page = await fetch(`${stack.appUrl}${path}`);
    const pageHtml = await page.text();
    const bytes = pdfBytes('Báo cáo của Chi bộ Một, Sở B');
    const grant = await fetch(`${stack.appUrl}${path}/uploads`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        fileName: 'bao-cao.pdf',
        contentType: 'application/pdf',
        size: bytes.length,
        fileCount: 1,
      }),
    });
    const granted = (await grant.json()) as { url: string; key: string; fields: Record<string, string> };
    const form = new FormData();
    for (const [k, v] of Object.entries(granted.fields)) form.append(k, v);
    form.append('file', new Blob([new Uint8Array(bytes)], { type: 'application/pdf' }), 'bao-cao.pdf');
    const posted = await fetch(granted.url, { method: 'POST', body: form });
    const assignment = await eventually(async () => {
      const a = await deps.submissions.getAssignment(PLAN, year, 'cb-1');
      return a?.submittedAt ? a : undefined;
    });
    // Assess: its link names it, its objects live under its prefix, its records in its scope
    expect(mail?.subject).toBeDefined();
    expect(mail?.body.text).toContain('Đảng ủy Sở B');
    expect(
      JSON.parse(Buffer.from(path.split('/u/')[1]!.split('.')[0]!, 'base64url').toString()),
    ).toMatchObject({ c: 'so-b' });
    expect(page.status).toBe(200);
    expect(pageHtml).toContain('Chi bộ Một của Sở B');
    expect(grant.status).toBe(201);
    expect(granted.fields.key).toMatch(/^uploads\/_c\/so-b\/12-kh-dus-2025\//);
    expect(posted.status).toBeLessThan(300);
    expect(assignment.submittedAt).toBeTruthy();
    expect(
      await createDeps(createRuntime(stack.config)).submissions.getAssignment(PLAN, year, 'cb-1'),
    ).toBeUndefined();
    const receipt = await eventually(async () =>
      (await storedEmails(stack.mailUrl)).find(
        (m) =>
          m.destination.to.includes('mot@so-b.example.vn') &&
          m !== mail &&
          /biên nhận|Biên nhận/i.test(m.subject),
      ),
    );
    expect(receipt.body.text).toContain('Đảng ủy Sở B');
  });
});

describe('link tokens across committees', () => {
  it('answer only in the committee they name: a token moved to another committee is an invalid link, and nothing changes', async () => {
    // Arrange: so-b's unit link from the end-to-end test above, and a copy naming another committee
    const b = scopeRuntime(createRuntime(stack.config), {
      id: 'so-b',
      name: 'Đảng ủy Sở B',
      timeZone: 'Asia/Ho_Chi_Minh',
    });
    const year = Number(localDate(new Date(), 'Asia/Ho_Chi_Minh').slice(0, 4));
    const { token } = await linkFor(createUploadDeps(b), PLAN, year, 'cb-1');
    const [payload, mac] = token.split('.') as [string, string];
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const moved = (c: string | undefined) => {
      const { c: _c, ...rest } = claims;
      const next = c === undefined ? rest : { c, ...rest };
      return `${Buffer.from(JSON.stringify(next)).toString('base64url')}.${mac}`;
    };
    // The earlier upload's signature check and malware scan land on the assignment on their own.
    await stack.signatureQueue.drain();
    await stack.scanQueue.drain();
    const before = await createDeps(b).submissions.getAssignment(PLAN, year, 'cb-1');
    // Act
    const answers = await Promise.all(
      [moved('khoi-a'), moved(undefined), moved('khong-co')].map((t) =>
        fetch(`${stack.appUrl}/u/${t}/uploads`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ fileName: 'x.pdf', contentType: 'application/pdf', size: 10, fileCount: 1 }),
        }),
      ),
    );
    const genuine = await fetch(`${stack.appUrl}/u/${token}`);
    // Assess
    expect(claims.c).toBe('so-b');
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404]);
    expect(genuine.status).toBe(200);
    expect(await createDeps(b).submissions.getAssignment(PLAN, year, 'cb-1')).toEqual(before);
  });
});
