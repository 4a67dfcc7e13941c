/**
 * Sign-in and sessions in a deployment of two committees, on the emulators (docs/tenancy.md):
 * the deployment's first committee (A, `main`: the configured one, unprefixed keys) and B,
 * registered with addCommittee and given its members, units, plan, period, file and export
 * through its own scoped runtime. A person of B alone signs in and sees B only; a person of both
 * is bound to the first and chooses; and a session of A, walked through every signed-in route of
 * the route table with the ids of B's things, gets what a non-existent id gets (404) and changes
 * nothing of B (its raw items and objects compared before and after each request).
 */
import { readFile } from 'node:fs/promises';
import { ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARAMS, ROUTES, type RouteName } from '#functions/http/routes.ts';
import { createAuditRecords } from '#functions/wiring/create-audit-deps.ts';
import { createDeps } from '#functions/wiring/create-deps.ts';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createRecordingDeps } from '#functions/wiring/create-recording-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { createDynamoDocumentClient, createS3Client } from '#shared/adapters/aws-clients.ts';
import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoMembershipIndex } from '#shared/adapters/dynamodb/membership-index.ts';
import { objectKey, reportsLocation } from '#shared/adapters/s3/s3-signing.ts';
import type { AuditRecord } from '#shared/audit/record.ts';
import { inviteMember } from '#shared/committee/members.ts';
import { addDays, formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { recordUpload } from '#shared/recording/record-upload.ts';
import { addCommittee } from '#shared/tenancy/registry.ts';
import { splitObjectKey } from '#shared/tenancy/scope.ts';
import { importUnits } from '#shared/units/units.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';
import { describeMembershipIndexContract } from '#test/support/memory/membership-index-contract.ts';
import { requestSignInLink, signIn } from '#test/support/sign-in.ts';

const DEMO_PLAN = new URL('../../local/demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const PLAN = '12-kh-dus-2025';
const B = { id: 'dus-b', name: 'Đảng ủy Sở Xây dựng' };
/** B's sibling: both under P, a committee of the deployment other than the first. */
const C = { id: 'dus-c', name: 'Đảng ủy Sở Tài chính' };
const P = { id: 'khoi-p', name: 'Đảng ủy Khối các cơ quan' };
const C_ADMIN = 'vanphong@taichinh.example.vn';
const A_ADMIN = 'vanphong@demo.baocao.example';
const B_ADMIN = 'vanphong@xaydung.example.vn';
const B_VIEWER = 'theodoi@xaydung.example.vn';
const BOTH = 'bithu@so.example.vn';
const B_UNIT = { id: 'cb-rieng-b', name: 'Chi bộ Riêng của Sở Xây dựng' };
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

let stack: TestStack;
let runtimeB: Runtime;
let year: number;
/** The ids of B's things, by route parameter. */
let idsOfB: Record<keyof typeof PARAMS, string>;

beforeAll(async () => {
  stack = await startTestStack();
  const registry = createRegistryDeps(stack.runtime);
  await addCommittee(registry, { id: P.id, name: P.name, by: 'cli' });
  const committee = await addCommittee(registry, { id: B.id, name: B.name, parentId: P.id, by: 'cli' });
  // C, B's sibling, with its admin and nothing else: a session of it walks the routes with B's ids.
  const sibling = await addCommittee(registry, { id: C.id, name: C.name, parentId: P.id, by: 'cli' });
  await inviteMember(
    createMemberDeps(scopeRuntime(stack.runtime, sibling)),
    { email: C_ADMIN, role: 'admin' },
    'cli',
    {
      notify: false,
    },
  );
  runtimeB = scopeRuntime(stack.runtime, committee);
  const today = localDate(new Date(), stack.config.TIME_ZONE);
  year = Number(today.slice(0, 4));
  // B's members go through the member use case over B's runtime: it writes the index too.
  const membersB = createMemberDeps(runtimeB);
  await inviteMember(membersB, { email: B_ADMIN, role: 'admin' }, 'cli', { notify: false });
  await inviteMember(membersB, { email: B_VIEWER, role: 'viewer' }, 'cli', { notify: false });
  await inviteMember(membersB, { email: BOTH, role: 'admin' }, 'cli', { notify: false });
  await inviteMember(createMemberDeps(stack.runtime), { email: BOTH, role: 'viewer' }, A_ADMIN, {
    notify: false,
  });
  // B's units, plan, period, one recorded file and one export.
  const depsB = { ...stack.deps, ...createDeps(runtimeB) };
  await importUnits(depsB, `id,name,email\n${B_UNIT.id},${B_UNIT.name},b@xaydung.example.vn\n`);
  await importPlan(depsB, await readFile(DEMO_PLAN), 'ke-hoach.txt');
  await openPeriod(depsB, { planId: PLAN, year, deadline: addDays(today, 10) });
  const uploadId = await recordFileOfB();
  const exportId = 'exp-rieng-b';
  await new DynamoExportStore(runtimeB.dynamo, stack.config.SUBMISSIONS_TABLE).create({
    planId: PLAN,
    year,
    exportId,
    state: 'ready',
    requestedBy: B_ADMIN,
    createdAt: new Date().toISOString(),
    finishedAt: new Date().toISOString(),
    key: `exports/${PLAN}/${year}/${exportId}.zip`,
    size: 10,
    units: 1,
    files: 1,
    error: null,
  });
  idsOfB = {
    token: PARAMS.token.example,
    secret: PARAMS.secret.example,
    planId: PLAN,
    year: String(year),
    unitId: B_UNIT.id,
    uploadId,
    exportId,
    email: encodeURIComponent(B_ADMIN),
  };
});
afterAll(async () => {
  await stack?.stop();
});

/**
 * A file of B's unit, as its upload would leave it: a grant through B's link, the object under
 * B's prefix, and the recording of it by B's on-upload deps.
 */
async function recordFileOfB(): Promise<string> {
  const uploads = createUploadDeps(runtimeB);
  const { token } = await linkFor(uploads, PLAN, year, B_UNIT.id);
  const post = await requestUpload(uploads, token, {
    fileName: 'Báo cáo.pdf',
    contentType: 'application/pdf',
    size: PDF.length,
    fileCount: 1,
    notes: {},
  });
  await createS3Client(stack.config).send(
    new PutObjectCommand({
      Bucket: stack.config.REPORTS_BUCKET,
      Key: objectKey(reportsLocation(runtimeB.config), post.key),
      Body: PDF,
    }),
  );
  await recordUpload(createRecordingDeps(runtimeB), {
    bucket: stack.config.REPORTS_BUCKET,
    key: post.key,
    size: PDF.length,
    eventTime: new Date().toISOString(),
  });
  const assignment = await createDeps(runtimeB).submissions.getAssignment(PLAN, year, B_UNIT.id);
  const file = assignment?.files[0];
  if (!file) throw new Error('the file of B was not recorded');
  return file.uploadId;
}

/**
 * Every item and object of B, raw: its prefixed partitions of both tables, its index entries, its
 * objects (the bucket is small here: one page lists it whole).
 */
async function dumpOfB(): Promise<string> {
  const client = createDynamoDocumentClient(stack.config);
  const items: unknown[] = [];
  for (const table of [stack.config.PLANS_TABLE, stack.config.SUBMISSIONS_TABLE]) {
    let start: Record<string, unknown> | undefined;
    do {
      const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
      for (const item of page.Items ?? []) {
        const pk = String(item.pk);
        if (pk.startsWith(`C#${B.id}#`) || String(item.sk) === `C#${B.id}`) items.push(item);
      }
      start = page.LastEvaluatedKey;
    } while (start);
  }
  const objects = await createS3Client(stack.config).send(
    new ListObjectsV2Command({ Bucket: stack.config.REPORTS_BUCKET }),
  );
  const keys = (objects.Contents ?? [])
    .filter((o) => splitObjectKey(o.Key ?? '', stack.config.COMMITTEE_ID).committeeId === B.id)
    .map((o) => `${o.Key} ${o.ETag} ${o.Size}`)
    .sort();
  const sorted = items.map((i) => JSON.stringify(i)).sort();
  return JSON.stringify({ items: sorted, keys });
}

const json = (res: Response) => res.json() as Promise<Record<string, unknown>>;

/** A committee's audit log, oldest first (its own chain). */
async function auditOf(runtime: Runtime): Promise<AuditRecord[]> {
  const out: AuditRecord[] = [];
  for await (const page of createAuditRecords(runtime).store.pages('committee')) {
    out.push(...page.map((p) => p.record));
  }
  return out;
}

describe('the membership index on dynalite', () => {
  describeMembershipIndexContract(
    'dynalite',
    () => new DynamoMembershipIndex(createDynamoDocumentClient(stack.config), stack.config.PLANS_TABLE),
  );
});

describe('signing in to one of two committees', () => {
  it('indexes the members of B only, through the member use case', async () => {
    // Arrange
    const index = new DynamoMembershipIndex(stack.runtime.deploymentDynamo, stack.config.PLANS_TABLE);
    // Act & Assess
    expect(await index.committeesOf(B_ADMIN, 10)).toEqual([{ committeeId: B.id, role: 'admin' }]);
    expect(await index.committeesOf(BOTH, 10)).toEqual([{ committeeId: B.id, role: 'admin' }]);
    expect(await index.committeesOf(A_ADMIN, 10)).toEqual([]);
  });

  it('lets a person of B alone sign in, to B, and see B’s plans and name only', async () => {
    // Act
    const session = await signIn(stack, B_ADMIN);
    const plans = await json(
      await fetch(`${stack.appUrl}/api/plans`, { headers: { Cookie: session.cookie } }),
    );
    const dashboard = await fetch(`${stack.appUrl}/admin`, { headers: { Cookie: session.cookie } });
    const units = await json(
      await fetch(`${stack.appUrl}/api/units`, { headers: { Cookie: session.cookie } }),
    );
    const chooser = await json(
      await fetch(`${stack.appUrl}/api/committees`, { headers: { Cookie: session.cookie } }),
    );
    // Assess
    expect(JSON.stringify(plans)).toContain(PLAN);
    const page = await dashboard.text();
    expect(dashboard.status).toBe(200);
    expect(page).toContain(B.name);
    expect(page).not.toContain(stack.config.COMMITTEE_NAME);
    expect(page).not.toContain('Đổi cấp ủy');
    expect(JSON.stringify(units)).toContain(B_UNIT.name);
    expect(chooser).toEqual({
      current: B.id,
      committees: [{ committeeId: B.id, committeeName: B.name, role: 'admin' }],
    });
  });

  it('names in the sign-in e-mail the person’s own committee, or their committees in neutral words', async () => {
    // Act: the e-mails as the mailer sends them (the emulator keeps each one's text).
    const mailTo = async (email: string) => {
      const link = await requestSignInLink(stack, email);
      const mail = (await storedEmails(stack.mailUrl)).findLast((m) => m.body.text?.includes(link));
      return mail?.body.text ?? '';
    };
    const onlyB = await mailTo(B_ADMIN);
    const both = await mailTo(BOTH);
    // Assess
    expect(onlyB).toContain(`Có yêu cầu đăng nhập trang quản lý báo cáo của ${B.name} bằng địa chỉ này.`);
    expect(onlyB).not.toContain(stack.config.COMMITTEE_NAME);
    expect(both).toContain('Địa chỉ này là thành viên của 2 cấp ủy:');
    expect(both).toContain(`- ${stack.config.COMMITTEE_NAME}\n- ${B.name}`);
    expect(both).toContain('chọn cấp ủy để làm việc');
  });

  it('keeps a person of A alone in A: B’s plan and unit are not there', async () => {
    // Act
    const session = await signIn(stack, A_ADMIN);
    const plans = await json(
      await fetch(`${stack.appUrl}/api/plans`, { headers: { Cookie: session.cookie } }),
    );
    const units = await json(
      await fetch(`${stack.appUrl}/api/units`, { headers: { Cookie: session.cookie } }),
    );
    // Assess
    expect(JSON.stringify(plans)).not.toContain(PLAN);
    expect(JSON.stringify(units)).not.toContain(B_UNIT.id);
  });

  it('binds a person of both to the first, sends them to the chooser, and switches on their choice', async () => {
    // Arrange: the confirmation's redirect, as the browser gets it
    const session = await signIn(stack, BOTH);
    const chooser = await fetch(`${stack.appUrl}/admin/committees`, { headers: { Cookie: session.cookie } });
    const chooserPage = await chooser.text();
    const [logOfA, logOfB] = [await auditOf(stack.runtime), await auditOf(runtimeB)];
    // Act
    const switched = await fetch(`${stack.appUrl}/admin/committees/select`, {
      method: 'POST',
      redirect: 'manual',
      headers: {
        Cookie: session.cookie,
        Origin: stack.appUrl,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ csrf: session.csrf, committeeId: B.id }),
    });
    const cookie = switched.headers.getSetCookie()[0]!.split(';')[0]!;
    const plans = await json(await fetch(`${stack.appUrl}/api/plans`, { headers: { Cookie: cookie } }));
    const old = await fetch(`${stack.appUrl}/api/plans`, { headers: { Cookie: session.cookie } });
    const header = await (await fetch(`${stack.appUrl}/admin`, { headers: { Cookie: cookie } })).text();
    // Assess
    expect(chooser.status).toBe(200);
    expect(chooserPage).toContain(stack.config.COMMITTEE_NAME);
    expect(chooserPage).toContain(B.name);
    expect(chooserPage).toContain('(đang làm việc)');
    expect(switched.status).toBe(303);
    expect(switched.headers.get('location')).toBe('/admin');
    expect(JSON.stringify(plans)).toContain(PLAN);
    expect(old.status).toBe(401);
    expect(header).toContain(B.name);
    expect(header).toContain('href="/admin/committees"');
    // The choice is in B's own audit log, naming no other committee; A's log has nothing of it.
    const chosen = (await auditOf(runtimeB)).slice(logOfB.length);
    expect(chosen).toMatchObject([
      {
        kind: 'session.committee-chosen',
        actor: { type: 'member', id: BOTH },
        target: {},
        outcome: 'ok',
        details: { role: 'admin' },
      },
    ]);
    expect(JSON.stringify(chosen)).not.toContain(stack.config.COMMITTEE_ID);
    expect((await auditOf(stack.runtime)).slice(logOfA.length).map((r) => r.kind)).toEqual([]);
  });

  it('answers the chooser’s JSON twin, with the new session’s CSRF token', async () => {
    // Arrange
    const session = await signIn(stack, BOTH);
    // Act
    const listed = await json(
      await fetch(`${stack.appUrl}/api/committees`, { headers: { Cookie: session.cookie } }),
    );
    const res = await fetch(`${stack.appUrl}/api/committees/select`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ committeeId: B.id }),
    });
    const body = await json(res);
    const cookie = res.headers.getSetCookie()[0]!.split(';')[0]!;
    const me = await json(await fetch(`${stack.appUrl}/api/session`, { headers: { Cookie: cookie } }));
    // Assess
    expect(listed).toEqual({
      current: stack.config.COMMITTEE_ID,
      committees: [
        {
          committeeId: stack.config.COMMITTEE_ID,
          committeeName: stack.config.COMMITTEE_NAME,
          role: 'viewer',
        },
        { committeeId: B.id, committeeName: B.name, role: 'admin' },
      ],
    });
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ committee: { committeeId: B.id, role: 'admin' } });
    expect(me).toMatchObject({ email: BOTH, role: 'admin', csrf: body.csrf });
  });

  it('lets a viewer switch, and refuses a forged committee, a missing CSRF token and another site alike', async () => {
    // Arrange
    const both = await signIn(stack, BOTH);
    const onlyB = await signIn(stack, B_VIEWER);
    const select = (s: { cookie: string }, headers: Record<string, string>, body: unknown) =>
      fetch(`${stack.appUrl}/api/committees/select`, {
        method: 'POST',
        headers: { Cookie: s.cookie, 'Content-Type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
    const before = await dumpOfB();
    // Act
    const forged = await select(
      onlyB,
      { 'X-CSRF-Token': onlyB.csrf },
      { committeeId: stack.config.COMMITTEE_ID },
    );
    const unknown = await select(onlyB, { 'X-CSRF-Token': onlyB.csrf }, { committeeId: 'khong-co' });
    const prefixed = await select(onlyB, { 'X-CSRF-Token': onlyB.csrf }, { committeeId: `C#${B.id}#` });
    const noCsrf = await select(both, {}, { committeeId: B.id });
    const crossSite = await select(
      both,
      { 'X-CSRF-Token': both.csrf, 'Sec-Fetch-Site': 'cross-site' },
      { committeeId: B.id },
    );
    const logOfB = await auditOf(runtimeB);
    const logOfA = await auditOf(stack.runtime);
    const viewer = await select(both, { 'X-CSRF-Token': both.csrf }, { committeeId: B.id });
    const page = await fetch(`${stack.appUrl}/admin/committees/select`, {
      method: 'POST',
      headers: {
        Cookie: onlyB.cookie,
        Origin: stack.appUrl,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ csrf: onlyB.csrf, committeeId: stack.config.COMMITTEE_ID }),
    });
    // Assess: a forged id is answered as an unknown one, and changes nothing
    expect([forged.status, unknown.status, prefixed.status]).toEqual([404, 404, 404]);
    expect((await json(forged)).error).toEqual((await json(unknown)).error);
    expect([noCsrf.status, crossSite.status]).toEqual([403, 403]);
    // `both` is a viewer of the first committee: switching is not a change of anything.
    expect(viewer.status).toBe(200);
    expect(page.status).toBe(404);
    const text = await page.text();
    expect(text).toContain('Không tìm thấy cấp ủy này trong các cấp ủy của đồng chí.');
    expect(text).not.toContain(stack.config.COMMITTEE_NAME.slice(0, 20) + '</td>');
    const still = await json(
      await fetch(`${stack.appUrl}/api/committees`, { headers: { Cookie: onlyB.cookie } }),
    );
    expect(still.current).toBe(B.id);
    expect(await dumpOfB()).toBe(before);
    // Only the one switch made is recorded (in B's log); the refused ones record nothing.
    expect((await auditOf(runtimeB)).slice(logOfB.length).map((r) => [r.kind, r.actor.id])).toEqual([
      ['session.committee-chosen', BOTH],
    ]);
    expect((await auditOf(stack.runtime)).slice(logOfA.length)).toEqual([]);
  });
});

describe('roles are the bound committee’s', () => {
  it('refuses a viewer of the first committee its admin actions there, and allows them once switched to B, where it is admin', async () => {
    // Arrange
    const session = await signIn(stack, BOTH);
    const invite = (cookie: string, csrf: string, email: string) =>
      fetch(`${stack.appUrl}/api/members`, {
        method: 'POST',
        headers: { Cookie: cookie, 'X-CSRF-Token': csrf, 'Content-Type': 'application/json' },
        body: JSON.stringify({ email, role: 'viewer' }),
      });
    // Act
    const asViewer = await invite(session.cookie, session.csrf, 'moi-a@so.example.vn');
    const switched = await fetch(`${stack.appUrl}/api/committees/select`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ committeeId: B.id }),
    });
    const cookie = switched.headers.getSetCookie()[0]!.split(';')[0]!;
    const { csrf } = await json(switched);
    const asAdmin = await invite(cookie, String(csrf), 'moi-b@xaydung.example.vn');
    // Assess: the member is B's, and indexed so that they find B when they sign in
    expect(asViewer.status).toBe(403);
    expect(asAdmin.status).toBe(201);
    const index = new DynamoMembershipIndex(stack.runtime.deploymentDynamo, stack.config.PLANS_TABLE);
    expect(await index.committeesOf('moi-b@xaydung.example.vn', 10)).toEqual([
      { committeeId: B.id, role: 'viewer' },
    ]);
    expect(await index.committeesOf('moi-a@so.example.vn', 10)).toEqual([]);
  });

  it('refuses a viewer of B an admin action in B, changing nothing', async () => {
    // Arrange
    const session = await signIn(stack, B_VIEWER);
    const before = await dumpOfB();
    // Act
    const res = await fetch(`${stack.appUrl}/api/members`, {
      method: 'POST',
      headers: { Cookie: session.cookie, 'X-CSRF-Token': session.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: 'khac@xaydung.example.vn', role: 'admin' }),
    });
    // Assess
    expect(res.status).toBe(403);
    expect(await dumpOfB()).toBe(before);
  });
});

/**
 * Walks every signed-in route of the committees' functions with a session of `walker` and the ids
 * of B's things: each answers as for ids that exist nowhere, and changes nothing of B.
 */
function walkAgainstB(walker: string, email: string) {
  describe(`isolation: a session of ${walker} against every route with B’s ids`, () => {
    /** Signed-in routes of the committee's functions, but signing out (it would end the session walked with). */
    const walked = (Object.keys(ROUTES) as RouteName[]).filter(
      (name) =>
        (ROUTES[name].fn === 'admin' || ROUTES[name].fn === 'setup' || ROUTES[name].fn === 'units') &&
        ROUTES[name].auth === 'session' &&
        name !== 'signOut',
    );
    const GHOST: Record<keyof typeof PARAMS, string> = {
      token: PARAMS.token.example,
      secret: PARAMS.secret.example,
      planId: 'kh-khong-co',
      year: '',
      unitId: 'cb-khong-co',
      uploadId: 'khongcokhongcokhongco00',
      exportId: 'exp-khong-co',
      email: encodeURIComponent('khong-co@xaydung.example.vn'),
    };

    function request(name: RouteName, ids: Record<string, string>, s: { cookie: string; csrf: string }) {
      const spec = ROUTES[name];
      const path = spec.path.replace(/\{([^}]+)\}/g, (_, p: string) => ids[p]!);
      const until = formatDateVi(addDays(localDate(new Date(), stack.config.TIME_ZONE), 20));
      const fields = {
        // Not B's: a paramless invitation adds it to the walker's committee, where it is nobody's.
        email: 'moi@so.example.vn',
        role: 'viewer',
        until,
        committeeId: ids.planId === PLAN ? B.id : 'khong-co',
        confirm: 'true',
        name: 'Tên mới',
        deadline: until,
      };
      if (spec.method === 'GET')
        return fetch(`${stack.appUrl}${path}`, { redirect: 'manual', headers: { Cookie: s.cookie } });
      const isJson = spec.path.startsWith('/api/');
      return fetch(`${stack.appUrl}${path}`, {
        method: 'POST',
        redirect: 'manual',
        headers: isJson
          ? {
              Cookie: s.cookie,
              Origin: stack.appUrl,
              'Content-Type': 'application/json',
              'X-CSRF-Token': s.csrf,
            }
          : { Cookie: s.cookie, Origin: stack.appUrl, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: isJson
          ? JSON.stringify({ ...fields, confirm: true, unitIds: [ids.unitId] })
          : new URLSearchParams({ ...fields, csrf: s.csrf, unitIds: ids.unitId ?? '' }).toString(),
      });
    }

    // One session for the walk (sign-in links are limited per address and hour).
    let session: { cookie: string; csrf: string };
    beforeAll(async () => {
      session = await signIn(stack, email);
    });

    it('walks the whole table', () => {
      expect(walked.length).toBeGreaterThan(60);
      expect(walked).toEqual(
        expect.arrayContaining(['period', 'unitFile', 'exportFile', 'removeMember', 'apiEditUnit']),
      );
    });

    it.each(walked)('%s: answers as for ids that do not exist, and changes nothing of B', async (name) => {
      // Arrange
      const hasParams = ROUTES[name].path.includes('{');
      const before = await dumpOfB();
      // Act
      const ghost = hasParams ? await request(name, { ...GHOST, year: String(year) }, session) : undefined;
      const ofB = await request(name, idsOfB, session);
      const body = await ofB.text();
      // Assess
      const after = await dumpOfB();
      expect(after).toBe(before);
      if (ghost) expect(ofB.status).toBe(ghost.status);
      expect([200, 201, 202, 303, 400, 404, 409, 413].includes(ofB.status)).toBe(true);
      expect(body).not.toContain(B_UNIT.name);
      expect(body).not.toContain(B.name);
      if (ofB.status === 303) expect(ofB.headers.get('location') ?? '').not.toContain('X-Amz-');
    });
  });
}

walkAgainstB('the first committee', A_ADMIN);
// Two committees other than the first, siblings under P: neither keys is unprefixed.
walkAgainstB('B’s sibling C', C_ADMIN);
