/**
 * One contract for each store port, run against the in-memory fakes of this folder
 * (test/unit/use-cases/store-contracts.test.ts) and against the DynamoDB adapters on dynalite
 * (test/integration/store-contracts.test.ts), so that a fake cannot drift from its adapter: every
 * conditional write is exercised on both sides of its condition and the stored items are compared
 * whole. Each test uses ids of its own, so both runs can share one set of tables.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Assignment, newAssignment, type Period } from '#shared/domain/period.ts';
import type { Plan } from '#shared/domain/plan.ts';
import type {
  RecordedFile,
  SubmissionDraft,
  SubmissionVersion,
  UploadRef,
} from '#shared/domain/submission.ts';
import { NotFoundError } from '#shared/errors.ts';
import type { ExportRecord, ExportStore, VersionReader } from '#shared/export/ports.ts';
import type { DeliveryStore } from '#shared/mail/ports.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';
import type { PlanStore, SubmissionStore } from '#shared/ports.ts';
import type { RecordingStore } from '#shared/recording/ports.ts';
import type { StartDraft, UploadStore } from '#shared/uploads/ports.ts';

/** The stores of one runtime, over the same two tables. */
export interface ContractStores {
  plans: PlanStore;
  submissions: SubmissionStore;
  uploads: UploadStore;
  recording: RecordingStore;
  deliveries: DeliveryStore;
  exports: ExportStore;
  versions: VersionReader;
}

const YEAR = 2026;
const HCM = 'Asia/Ho_Chi_Minh';
let sequence = 0;

/** A plan id no other test uses (both runs may share the tables of one emulator). */
function newPlanId(): string {
  sequence++;
  return `contract-${Date.now().toString(36)}-${sequence}`;
}

function plan(id: string): Plan {
  return {
    id,
    number: '12-KH/ĐUS',
    date: '2025-04-15',
    title: 'Đẩy mạnh chuyển đổi số',
    issuer: 'Đảng ủy Sở',
    superior: null,
    taskGroups: [
      { number: '1', title: 'Số hóa hồ sơ', body: 'Các chi bộ số hóa sổ sách.' },
      { number: '2', title: 'Sinh hoạt chi bộ', body: '' },
    ],
    recipients: ['Các chi bộ trực thuộc'],
    reportingFrequency: 'yearly',
    calendar: defaultCalendar(HCM),
    recipientUnitIds: null,
    sourceFileName: 'ke-hoach.txt',
    importedAt: '2026-03-01T00:00:00.000Z',
    updatedAt: '2026-03-01T00:00:00.000Z',
  };
}

function period(planId: string): Period {
  return {
    planId,
    year: YEAR,
    openDate: '2026-11-15',
    deadline: '2026-12-15',
    closeDate: '2027-01-14',
    timeZone: HCM,
    status: 'open',
    openedAt: '2026-11-15T01:00:00.000Z',
  };
}

function assignment(planId: string, unitId: string, overrides: Partial<Assignment> = {}): Assignment {
  return {
    ...newAssignment(
      { planId, year: YEAR },
      { id: unitId, name: `Chi bộ ${unitId}`, email: `${unitId}@example.org`, cc: [] },
    ),
    ...overrides,
  };
}

function draft(version: number, overrides: Partial<SubmissionDraft> = {}): SubmissionDraft {
  return {
    version,
    createdAt: '2026-12-01T03:00:00.000Z',
    expectedFiles: 2,
    issued: 1,
    notes: { '1': 'Đã số hóa 12 sổ.' },
    linkVersion: 1,
    grants: {
      [`${version}-first`]: {
        fileName: 'bao-cao.pdf',
        contentType: 'application/pdf',
        declaredSize: 1000,
        createdAt: '2026-12-01T03:00:00.000Z',
      },
    },
    ...overrides,
  };
}

function start(d: SubmissionDraft, overrides: Partial<StartDraft> = {}): StartDraft {
  return {
    draft: d,
    previousCounter: d.version - 1,
    day: '2026-12-01',
    versionsOnDay: d.version,
    hasDrafts: d.version > 1,
    dropDrafts: [],
    ...overrides,
  };
}

function version(planId: string, unitId: string, n: number, overrides: Partial<SubmissionVersion> = {}) {
  const d = draft(n);
  const v: SubmissionVersion = {
    planId,
    year: YEAR,
    unitId,
    version: n,
    createdAt: d.createdAt,
    expectedFiles: d.expectedFiles,
    notes: d.notes,
    files: {},
    rejected: {},
    submittedAt: null,
    onTime: null,
    linkVersion: 1,
    grants: d.grants,
    ...overrides,
  };
  return v;
}

function file(uploadId: string, fileName: string, receivedAt: string): RecordedFile {
  return {
    uploadId,
    fileName,
    key: `reports/x/${uploadId}/${'a'.repeat(64)}`,
    size: 1234,
    contentType: 'application/pdf',
    sha256: 'a'.repeat(64),
    receivedAt,
    source: { eTag: '0123456789abcdef0123456789abcdef' },
  };
}

/** Runs every store contract against the stores `make` returns (called once, before the tests). */
export function describeStoreContracts(
  name: string,
  make: () => ContractStores | Promise<ContractStores>,
): void {
  let s: ContractStores;
  beforeAll(async () => {
    s = await make();
  });

  /** A plan with its period open, and assignments for `unitIds`. */
  async function seed(...unitIds: string[]): Promise<string> {
    const planId = newPlanId();
    await s.plans.putPlan(plan(planId));
    await s.plans.createPeriod(period(planId));
    for (const unitId of unitIds) await s.submissions.createAssignment(assignment(planId, unitId));
    return planId;
  }

  describe(`${name}: PlanStore and SubmissionStore`, () => {
    it('creates a period once and records each of its one-time marks once', async () => {
      // Prepare
      const planId = newPlanId();
      // Act
      const created = [
        await s.plans.createPeriod(period(planId)),
        await s.plans.createPeriod(period(planId)),
      ];
      const marks = [
        await s.plans.markOpenedMailsQueued(planId, YEAR, '2026-11-15T01:00:00.000Z'),
        await s.plans.markOpenedMailsQueued(planId, YEAR, '2026-11-16T01:00:00.000Z'),
        await s.plans.markExportRequested(planId, YEAR, '2026-12-16T01:00:00.000Z'),
        await s.plans.markExportRequested(planId, YEAR, '2026-12-17T01:00:00.000Z'),
        await s.plans.closePeriod(planId, YEAR, '2027-01-15T01:00:00.000Z'),
        await s.plans.closePeriod(planId, YEAR, '2027-01-16T01:00:00.000Z'),
      ];
      const absent = [
        await s.plans.markOpenedMailsQueued(planId, YEAR + 1, '2026-11-15T01:00:00.000Z'),
        await s.plans.markExportRequested(planId, YEAR + 1, '2026-11-15T01:00:00.000Z'),
        await s.plans.closePeriod(planId, YEAR + 1, '2026-11-15T01:00:00.000Z'),
      ];
      // Assess
      expect(created).toEqual([true, false]);
      expect(marks).toEqual([true, false, true, false, true, false]);
      expect(absent).toEqual([false, false, false]);
      expect(await s.plans.getPeriod(planId, YEAR)).toStrictEqual({
        ...period(planId),
        status: 'closed',
        openedMailsQueuedAt: '2026-11-15T01:00:00.000Z',
        exportRequestedAt: '2026-12-16T01:00:00.000Z',
        closedAt: '2027-01-15T01:00:00.000Z',
      });
      expect(await s.plans.getPeriod(planId, YEAR + 1)).toBeUndefined();
      expect(await s.plans.listPeriods(planId)).toHaveLength(1);
    });

    it('changes the calendar of an existing plan only, creating nothing', async () => {
      // Prepare
      const planId = newPlanId();
      const calendar = { ...defaultCalendar(HCM), deadline: '12-20', reminderDays: [-3, 2] };
      // Act
      const missing = await s.plans.updateCalendar(planId, calendar, '2026-04-01T00:00:00.000Z');
      await s.plans.putPlan(plan(planId));
      const existing = await s.plans.updateCalendar(planId, calendar, '2026-04-01T00:00:00.000Z');
      // Assess
      expect([missing, existing]).toEqual([false, true]);
      expect(await s.plans.getPlan(planId)).toStrictEqual({
        ...plan(planId),
        calendar,
        updatedAt: '2026-04-01T00:00:00.000Z',
      });
      expect((await s.plans.listPlans()).filter((p) => p.id === planId)).toHaveLength(1);
    });

    it('upserts units and lists them in key order', async () => {
      // Prepare
      const prefix = newPlanId();
      const unit = (id: string, name: string) => ({
        id: `${prefix}-${id}`,
        name,
        email: `${id}@example.org`,
        cc: id === 'b' ? ['cc@example.org'] : [],
        active: true,
        updatedAt: '2026-01-01T00:00:00.000Z',
      });
      // Act
      await s.plans.putUnits([unit('b', 'Chi bộ B'), unit('a', 'Chi bộ A')]);
      await s.plans.putUnits([unit('a', 'Chi bộ A (mới)')]);
      // Assess
      const mine = (await s.plans.listUnits()).filter((u) => u.id.startsWith(prefix));
      expect(mine).toStrictEqual([unit('a', 'Chi bộ A (mới)'), unit('b', 'Chi bộ B')]);
      expect(await s.plans.getUnit(`${prefix}-b`)).toStrictEqual(unit('b', 'Chi bộ B'));
    });

    it('creates an assignment once and records its announcement once', async () => {
      // Prepare
      const planId = await seed();
      const legacy = assignment(planId, 'cb-legacy');
      delete legacy.announcedAt;
      // Act
      const created = [
        await s.submissions.createAssignment(assignment(planId, 'cb-a')),
        await s.submissions.createAssignment(assignment(planId, 'cb-a', { unitName: 'Another' })),
        await s.submissions.createAssignment(legacy),
      ];
      const announced = [
        await s.submissions.markAnnounced(planId, YEAR, 'cb-a', '2026-11-15T01:00:00.000Z'),
        await s.submissions.markAnnounced(planId, YEAR, 'cb-a', '2026-11-16T01:00:00.000Z'),
        await s.submissions.markAnnounced(planId, YEAR, 'cb-legacy', '2026-11-17T01:00:00.000Z'),
        await s.submissions.markAnnounced(planId, YEAR, 'cb-none', '2026-11-17T01:00:00.000Z'),
      ];
      // Assess
      expect(created).toEqual([true, false, true]);
      expect(announced).toEqual([true, false, true, false]);
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-a')).toStrictEqual(
        assignment(planId, 'cb-a', { announcedAt: '2026-11-15T01:00:00.000Z' }),
      );
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });

    it('reads the assignments page by page, in unit id order', async () => {
      // Prepare
      const planId = await seed('cb-e', 'cb-a', 'cb-d', 'cb-b', 'cb-c');
      // Act
      const pages: string[][] = [];
      for await (const page of s.submissions.assignmentPages(planId, YEAR, 2))
        pages.push(page.map((a) => a.unitId));
      const whole: string[][] = [];
      for await (const page of s.submissions.assignmentPages(planId, YEAR))
        whole.push(page.map((a) => a.unitId));
      // Assess
      expect(pages).toEqual([['cb-a', 'cb-b'], ['cb-c', 'cb-d'], ['cb-e']]);
      expect(whole).toEqual([['cb-a', 'cb-b', 'cb-c', 'cb-d', 'cb-e']]);
      expect((await s.submissions.listAssignments(planId, YEAR)).map((a) => a.unitId)).toEqual(whole[0]);
    });

    it('sets an extension and a corrected contact only on an existing assignment', async () => {
      // Prepare
      const planId = await seed('cb-a', 'cb-b');
      await s.deliveries.noteUnitProblem(
        planId,
        YEAR,
        'cb-a',
        'Thư bị trả lại',
        new Date('2026-11-20T00:00:00Z'),
      );
      await s.deliveries.noteUnitProblem(
        planId,
        YEAR,
        'cb-b',
        'Thư bị trả lại',
        new Date('2026-11-20T00:00:00Z'),
      );
      const contact = { unitName: 'Chi bộ A mới', email: 'new@example.org', cc: ['x@example.org'] };
      // Act
      const results = [
        await s.submissions.setExtendedDeadline(planId, YEAR, 'cb-a', '2026-12-22'),
        await s.submissions.setExtendedDeadline(planId, YEAR, 'cb-b', '2026-12-22'),
        await s.submissions.setExtendedDeadline(planId, YEAR, 'cb-b', null),
        await s.submissions.setExtendedDeadline(planId, YEAR, 'cb-none', '2026-12-22'),
        await s.submissions.updateContact(planId, YEAR, 'cb-a', contact, true),
        await s.submissions.updateContact(planId, YEAR, 'cb-b', contact, false),
        await s.submissions.updateContact(planId, YEAR, 'cb-none', contact, true),
      ];
      // Assess
      expect(results).toEqual([true, true, true, false, true, true, false]);
      const a = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
      const b = await s.submissions.getAssignment(planId, YEAR, 'cb-b');
      expect(a).toStrictEqual(assignment(planId, 'cb-a', { ...contact, extendedDeadline: '2026-12-22' }));
      expect(b).toStrictEqual(
        assignment(planId, 'cb-b', {
          ...contact,
          extendedDeadline: null,
          mailProblem: { at: '2026-11-20T00:00:00.000Z', problem: 'Thư bị trả lại' },
        }),
      );
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });
  });

  describe(`${name}: units, recipients and withdrawals (docs/units.md)`, () => {
    it('creates a unit once, and replaces only the recipients of an existing plan', async () => {
      // Prepare
      const planId = newPlanId();
      const unit = {
        id: `${planId}-u`,
        name: 'Chi bộ U',
        email: 'u@example.org',
        cc: [],
        note: 'Ghi chú',
        active: true,
        updatedAt: '2026-01-01T00:00:00.000Z',
      };
      // Act
      const created = [
        await s.plans.createUnit(unit),
        await s.plans.createUnit({ ...unit, name: 'Another' }),
      ];
      const missing = await s.plans.updateRecipients(planId, ['a', 'b'], '2026-04-01T00:00:00.000Z');
      await s.plans.putPlan(plan(planId));
      const chosen = await s.plans.updateRecipients(planId, ['cb-a', 'cb-b'], '2026-04-01T00:00:00.000Z');
      const chosenPlan = await s.plans.getPlan(planId);
      const back = await s.plans.updateRecipients(planId, null, '2026-04-02T00:00:00.000Z');
      // Assess
      expect(created).toEqual([true, false]);
      expect(await s.plans.getUnit(unit.id)).toStrictEqual(unit);
      expect([missing, chosen, back]).toEqual([false, true, true]);
      expect(chosenPlan?.recipientUnitIds).toEqual(['cb-a', 'cb-b']);
      expect(await s.plans.getPlan(planId)).toStrictEqual({
        ...plan(planId),
        recipientUnitIds: null,
        updatedAt: '2026-04-02T00:00:00.000Z',
      });
    });

    it('keeps a unit’s retirement and note as written, and a null retirement after reinstatement', async () => {
      // Prepare
      const prefix = newPlanId();
      const retired = {
        id: `${prefix}-r`,
        name: 'Chi bộ R',
        email: 'r@example.org',
        cc: ['x@example.org'],
        active: false,
        retired: {
          from: '2026-12-01',
          reason: 'merged' as const,
          detail: 'vào Chi bộ A',
          at: '2026-11-20T00:00:00.000Z',
        },
        updatedAt: '2026-11-20T00:00:00.000Z',
      };
      // Act
      await s.plans.putUnits([retired]);
      const first = await s.plans.getUnit(retired.id);
      await s.plans.putUnits([{ ...retired, active: true, retired: null }]);
      // Assess
      expect(first).toStrictEqual(retired);
      expect(await s.plans.getUnit(retired.id)).toStrictEqual({ ...retired, active: true, retired: null });
    });

    it('withdraws an assignment from a date and clears it, only on an existing assignment', async () => {
      // Prepare
      const planId = await seed('cb-a', 'cb-b');
      const withdrawal = {
        from: '2026-12-01',
        reason: 'retired' as const,
        detail: 'sáp nhập',
        at: '2026-11-20T00:00:00.000Z',
      };
      // Act
      const results = [
        await s.submissions.setWithdrawn(planId, YEAR, 'cb-a', withdrawal),
        await s.submissions.setWithdrawn(planId, YEAR, 'cb-b', withdrawal),
        await s.submissions.setWithdrawn(planId, YEAR, 'cb-b', null),
        await s.submissions.setWithdrawn(planId, YEAR, 'cb-none', withdrawal),
      ];
      // Assess
      expect(results).toEqual([true, true, true, false]);
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-a')).toStrictEqual(
        assignment(planId, 'cb-a', { withdrawn: withdrawal }),
      );
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-b')).toStrictEqual(
        assignment(planId, 'cb-b', { withdrawn: null }),
      );
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
      const pages: (string | null)[] = [];
      for await (const page of s.submissions.assignmentPages(planId, YEAR)) {
        pages.push(...page.map((a) => a.withdrawn?.from ?? null));
      }
      expect(pages).toEqual(['2026-12-01', null]);
    });
  });

  describe(`${name}: UploadStore`, () => {
    it("reads the assignment, the plan as a unit's page needs it and the whole period", async () => {
      // Prepare
      const planId = await seed('cb-a');
      // Act
      const context = await s.uploads.readLinkContext(planId, YEAR, 'cb-a');
      const unknown = await s.uploads.readLinkContext(planId, YEAR, 'cb-none');
      const noPeriod = await s.uploads.readLinkContext(planId, YEAR + 1, 'cb-a');
      // Assess
      expect(context).toStrictEqual({
        assignment: assignment(planId, 'cb-a'),
        plan: {
          id: planId,
          number: plan(planId).number,
          title: plan(planId).title,
          taskGroups: plan(planId).taskGroups,
        },
        period: period(planId),
      });
      expect(unknown.assignment).toBeUndefined();
      expect(noPeriod).toMatchObject({ assignment: undefined, period: undefined, plan: { id: planId } });
    });

    it('starts a submission only while the link version, the counter and the drafts are as read', async () => {
      // Prepare
      const planId = await seed('cb-a');
      const first = draft(1);
      // Act
      const results = [
        await s.uploads.startDraft(planId, YEAR, 'cb-a', start(first, { hasDrafts: true })),
        await s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(1, { linkVersion: 2 }))),
        await s.uploads.startDraft(planId, YEAR, 'cb-a', start(first)),
        await s.uploads.startDraft(planId, YEAR, 'cb-a', start(first)),
        await s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(2), { hasDrafts: false })),
        await s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(2))),
        await s.uploads.startDraft(
          planId,
          YEAR,
          'cb-a',
          start(draft(3), { dropDrafts: [1], versionsOnDay: 1, day: '2026-12-02' }),
        ),
        await s.uploads.startDraft(planId, YEAR, 'cb-none', start(first)),
      ];
      // Assess
      expect(results).toEqual([false, false, true, false, false, true, true, false]);
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-a')).toStrictEqual({
        ...assignment(planId, 'cb-a'),
        versionCounter: 3,
        uploadDay: '2026-12-02',
        versionsOnDay: 1,
        drafts: { '2': draft(2), '3': draft(3) },
      });
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });

    it('adds a grant while the draft is young, not full, the link holds and the id is new', async () => {
      // Prepare
      const planId = await seed('cb-a');
      await s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(1, { expectedFiles: 3 })));
      const upload = {
        fileName: 'phu-luc.png',
        contentType: 'image/png',
        declaredSize: 10,
        createdAt: '2026-12-01T03:10:00.000Z',
      };
      const grant = (uploadId: string, overrides: Record<string, unknown> = {}) => ({
        version: 1,
        linkVersion: 1,
        createdNotBefore: '2026-12-01T02:30:00.000Z',
        uploadId,
        upload,
        ...overrides,
      });
      // Act
      const results = [
        await s.uploads.addGrant(planId, YEAR, 'cb-a', grant('1-first')),
        await s.uploads.addGrant(planId, YEAR, 'cb-a', grant('1-second', { linkVersion: 2 })),
        await s.uploads.addGrant(
          planId,
          YEAR,
          'cb-a',
          grant('1-second', { createdNotBefore: '2026-12-01T03:00:00.001Z' }),
        ),
        await s.uploads.addGrant(planId, YEAR, 'cb-a', grant('2-second', { version: 2 })),
        await s.uploads.addGrant(planId, YEAR, 'cb-none', grant('1-second')),
        await s.uploads.addGrant(
          planId,
          YEAR,
          'cb-a',
          grant('1-second', { createdNotBefore: '2026-12-01T03:00:00.000Z' }),
        ),
        await s.uploads.addGrant(planId, YEAR, 'cb-a', grant('1-third')),
        await s.uploads.addGrant(planId, YEAR, 'cb-a', grant('1-fourth')),
      ];
      // Assess
      expect(results).toEqual([false, false, false, false, false, true, true, false]);
      const stored = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
      expect(stored?.drafts?.['1']).toStrictEqual({
        ...draft(1, { expectedFiles: 3 }),
        issued: 3,
        grants: { ...draft(1).grants, '1-second': upload, '1-third': upload },
      });
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });

    it('counts presigns on the assignment in the same write, never past the limit, concurrently too', async () => {
      // Prepare
      const planId = await seed('cb-a');
      const w1 = '2026-12-01T03:00:00.000Z';
      const w2 = '2026-12-01T03:05:00.000Z';
      const count = (window: string, fresh: boolean, limit = 3) => ({ window, limit, fresh });
      const stored = async () => {
        const a = await s.submissions.getAssignment(planId, YEAR, 'cb-a');
        return [a?.presignWindow, a?.presignCount, a?.versionCounter];
      };
      // Act: a grant starts the window; a refused presign counts alone; a stale "fresh" is refused.
      const first = await s.uploads.startDraft(
        planId,
        YEAR,
        'cb-a',
        start(draft(1), { linkCount: count(w1, true) }),
      );
      const staleFresh = await s.uploads.countPresign(planId, YEAR, 'cb-a', count(w1, true));
      const alone = await s.uploads.countPresign(planId, YEAR, 'cb-a', count(w1, false));
      const afterAlone = await stored();
      // The window full: the grant's whole write is refused, the draft not started.
      await s.uploads.countPresign(planId, YEAR, 'cb-a', count(w1, false));
      const full = await s.uploads.startDraft(
        planId,
        YEAR,
        'cb-a',
        start(draft(2), { linkCount: count(w1, false) }),
      );
      const afterFull = await stored();
      // The next window, concurrently: exactly `limit` of eight counted.
      const concurrent = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          i === 0
            ? s.uploads.countPresign(planId, YEAR, 'cb-a', count(w2, true, 5))
            : s.uploads.countPresign(planId, YEAR, 'cb-a', count(w2, false, 5)),
        ),
      );
      const retried = await Promise.all(
        Array.from({ length: 8 }, () => s.uploads.countPresign(planId, YEAR, 'cb-a', count(w2, false, 5))),
      );
      const none = await s.uploads.countPresign(planId, YEAR, 'cb-none', count(w1, true));
      // Assess
      expect([first, staleFresh, alone, full]).toEqual([true, false, true, false]);
      expect(afterAlone).toEqual([w1, 2, 1]);
      expect(afterFull).toEqual([w1, 3, 1]);
      expect(concurrent.filter(Boolean).length + retried.filter(Boolean).length).toBe(5);
      expect(await stored()).toEqual([w2, 5, 1]);
      expect(none).toBe(false);
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });

    it("lists a unit's newest versions first, and only that unit's", async () => {
      // Prepare
      const planId = await seed('cb-a', 'cb-ab');
      for (const n of [1, 2, 3]) await s.recording.ensureVersion(version(planId, 'cb-a', n));
      await s.recording.ensureVersion(version(planId, 'cb-ab', 9));
      // Act
      const recent = await s.uploads.recentVersions(planId, YEAR, 'cb-a', 2);
      const none = await s.uploads.recentVersions(planId, YEAR, 'cb-b', 10);
      // Assess
      expect(recent).toStrictEqual([version(planId, 'cb-a', 3), version(planId, 'cb-a', 2)]);
      expect(none).toEqual([]);
    });

    it('bumps the link version and refuses a unit with no assignment', async () => {
      // Prepare
      const planId = await seed('cb-a');
      // Act
      const versions = [
        await s.uploads.bumpLinkVersion(planId, YEAR, 'cb-a'),
        await s.uploads.bumpLinkVersion(planId, YEAR, 'cb-a'),
      ];
      // Assess
      expect(versions).toEqual([2, 3]);
      await expect(s.uploads.bumpLinkVersion(planId, YEAR, 'cb-none')).rejects.toBeInstanceOf(NotFoundError);
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });
  });

  describe(`${name}: VersionReader`, () => {
    it('reads many versions at once, past a batch of 100, leaving out those that do not exist', async () => {
      // Prepare
      const units = Array.from({ length: 130 }, (_, i) => `cb-${String(i).padStart(3, '0')}`);
      const planId = await seed(...units);
      for (const unitId of units) await s.recording.ensureVersion(version(planId, unitId, 1));
      await s.recording.ensureVersion(version(planId, 'cb-000', 2));
      const refs = [
        ...units.map((unitId) => ({ unitId, version: 1 })),
        { unitId: 'cb-000', version: 2 },
        { unitId: 'cb-001', version: 1 },
        { unitId: 'cb-001', version: 7 },
        { unitId: 'cb-none', version: 1 },
      ];
      // Act
      const read = await s.versions.getVersions(planId, YEAR, refs);
      const none = await s.versions.getVersions(planId, YEAR, []);
      // Assess
      const byKey = new Map(read.map((v) => [`${v.unitId}#${v.version}`, v]));
      expect(read).toHaveLength(131);
      expect(byKey.get('cb-000#2')).toStrictEqual(version(planId, 'cb-000', 2));
      expect(byKey.get('cb-129#1')).toStrictEqual(await s.versions.getVersion(planId, YEAR, 'cb-129', 1));
      expect(byKey.has('cb-001#7') || byKey.has('cb-none#1')).toBe(false);
      expect(none).toEqual([]);
    });
  });

  describe(`${name}: RecordingStore`, () => {
    const ref = (planId: string, uploadId: string, n = 1): UploadRef => ({
      planId,
      year: YEAR,
      unitId: 'cb-a',
      version: n,
      uploadId,
    });

    it('creates a version from its draft once and returns it as stored after that', async () => {
      // Prepare
      const planId = await seed('cb-a');
      const first = version(planId, 'cb-a', 1);
      // Act
      const created = await s.recording.ensureVersion(first);
      const again = await s.recording.ensureVersion(version(planId, 'cb-a', 1, { notes: { '1': 'other' } }));
      // Assess
      expect(created).toStrictEqual(first);
      expect(again).toStrictEqual(first);
      expect(await s.recording.getVersion(planId, YEAR, 'cb-a', 1)).toStrictEqual(first);
    });

    it('adds a file once per upload id, accepted or refused, and answers with the version', async () => {
      // Prepare
      const planId = await seed('cb-a');
      await s.recording.ensureVersion(version(planId, 'cb-a', 1));
      const pdf = file('1-a', 'bao-cao.pdf', '2026-12-01T03:00:00.000Z');
      // Act
      const first = await s.recording.recordFile(ref(planId, '1-a'), pdf, true);
      const again = await s.recording.recordFile(ref(planId, '1-a'), { ...pdf, size: 1 }, false);
      const refused = await s.recording.rejectFile(ref(planId, '1-a'), {
        uploadId: '1-a',
        fileName: 'bao-cao.pdf',
        reason: 'no',
        rejectedAt: '2026-12-01T03:00:01.000Z',
      });
      // Assess
      const expected = {
        ...version(planId, 'cb-a', 1),
        files: { '1-a': pdf },
        submittedAt: pdf.receivedAt,
        onTime: true,
      };
      expect(first).toStrictEqual({ recorded: true, version: expected });
      expect(again).toStrictEqual({ recorded: false, version: expected });
      expect(refused).toStrictEqual({ recorded: false, version: expected });
    });

    it('keeps the time of the latest file when an older one is recorded after it', async () => {
      // Prepare
      const planId = await seed('cb-a');
      await s.recording.ensureVersion(version(planId, 'cb-a', 1));
      const later = file('1-later', 'b.pdf', '2026-12-16T03:00:00.000Z');
      const older = file('1-older', 'a.pdf', '2026-12-15T03:00:00.000Z');
      // Act
      await s.recording.recordFile(ref(planId, '1-later'), later, false);
      const write = await s.recording.recordFile(ref(planId, '1-older'), older, true);
      // Assess
      expect(write).toStrictEqual({
        recorded: true,
        version: {
          ...version(planId, 'cb-a', 1),
          files: { '1-later': later, '1-older': older },
          submittedAt: later.receivedAt,
          onTime: false,
        },
      });
    });

    it('refuses a file, once, and counts it as settled', async () => {
      // Prepare
      const planId = await seed('cb-a');
      await s.recording.ensureVersion(version(planId, 'cb-a', 1));
      const rejection = {
        uploadId: '1-x',
        fileName: 'x.pdf',
        reason: 'không phải PDF',
        rejectedAt: '2026-12-01T03:00:00.000Z',
      };
      // Act
      const first = await s.recording.rejectFile(ref(planId, '1-x'), rejection);
      const accepted = await s.recording.recordFile(
        ref(planId, '1-x'),
        file('1-x', 'x.pdf', '2026-12-01T03:00:00.000Z'),
        true,
      );
      // Assess
      const expected = { ...version(planId, 'cb-a', 1), rejected: { '1-x': rejection } };
      expect(first).toStrictEqual({ recorded: true, version: expected });
      expect(accepted).toStrictEqual({ recorded: false, version: expected });
    });

    it('throws for a file of a version that does not exist', async () => {
      // Prepare
      const planId = await seed('cb-a');
      const pdf = file('7-a', 'a.pdf', '2026-12-01T03:00:00.000Z');
      // Act, Assess
      await expect(s.recording.recordFile(ref(planId, '7-a', 7), pdf, true)).rejects.toThrow(
        /does not exist/,
      );
      await expect(
        s.recording.rejectFile(ref(planId, '7-a', 7), {
          uploadId: '7-a',
          fileName: 'a.pdf',
          reason: 'r',
          rejectedAt: pdf.receivedAt,
        }),
      ).rejects.toThrow(/does not exist/);
      expect(await s.recording.getVersion(planId, YEAR, 'cb-a', 7)).toBeUndefined();
    });

    it('shows a later version, or more files of the same one, on the assignment', async () => {
      // Prepare
      const planId = await seed('cb-a');
      const at = '2026-12-01T03:00:00.000Z';
      const withFiles = (n: number, names: string[]) =>
        version(planId, 'cb-a', n, {
          files: Object.fromEntries(names.map((f, i) => [`${n}-${i}`, file(`${n}-${i}`, f, at)])),
        });
      const promote = (v: SubmissionVersion, status: 'on_time' | 'late' = 'on_time') =>
        s.recording.promoteLatest(planId, YEAR, 'cb-a', v, status, at);
      // Act
      const results = [
        await promote(withFiles(1, ['b.pdf'])),
        await promote(withFiles(1, ['b.pdf'])),
        await promote(withFiles(1, ['b.pdf', 'a.pdf'])),
        await promote(withFiles(2, ['c.pdf']), 'late'),
        await promote(withFiles(1, ['b.pdf', 'a.pdf', 'd.pdf'])),
        await s.recording.promoteLatest(planId, YEAR, 'cb-none', withFiles(1, ['a.pdf']), 'on_time', at),
      ];
      // Assess
      expect(results).toEqual([true, false, true, true, false, false]);
      const { source: _source, receivedAt: _at, ...shown } = file('2-0', 'c.pdf', at);
      expect(await s.recording.getAssignment(planId, YEAR, 'cb-a')).toStrictEqual({
        ...assignment(planId, 'cb-a'),
        latestVersion: 2,
        fileCount: 1,
        files: [shown],
        status: 'late',
        submittedAt: at,
      });
      expect(await s.recording.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });

    it('drops a settled draft, and does nothing when it or the assignment is gone', async () => {
      // Prepare
      const planId = await seed('cb-a');
      await s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(1)));
      await s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(2)));
      // Act
      await s.recording.dropDraft(planId, YEAR, 'cb-a', 1);
      await s.recording.dropDraft(planId, YEAR, 'cb-a', 1);
      await s.recording.dropDraft(planId, YEAR, 'cb-none', 1);
      // Assess
      expect((await s.recording.getAssignment(planId, YEAR, 'cb-a'))?.drafts).toStrictEqual({
        '2': draft(2),
      });
      expect(await s.recording.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });
  });

  describe(`${name}: DeliveryStore`, () => {
    const t = (iso: string) => new Date(iso);

    it('claims a key once, again for its owner, and from a claim gone stale', async () => {
      // Prepare
      const planId = await seed();
      const key = `${planId}#${YEAR}#cb-a#opened`;
      const now = t('2026-11-15T01:00:00Z');
      // Act
      const results = [
        await s.deliveries.claim(planId, YEAR, key, 'msg-1', now, t('2026-11-15T00:45:00Z')),
        await s.deliveries.claim(
          planId,
          YEAR,
          key,
          'msg-2',
          t('2026-11-15T01:01:00Z'),
          t('2026-11-15T00:46:00Z'),
        ),
        await s.deliveries.claim(
          planId,
          YEAR,
          key,
          'msg-1',
          t('2026-11-15T01:02:00Z'),
          t('2026-11-15T00:47:00Z'),
        ),
        await s.deliveries.claim(
          planId,
          YEAR,
          key,
          'msg-2',
          t('2026-11-15T01:20:00Z'),
          t('2026-11-15T01:05:00Z'),
        ),
      ];
      const claimed = await s.deliveries.get(planId, YEAR, key);
      await s.deliveries.markSent(planId, YEAR, key, 'ses-1', t('2026-11-15T01:21:00Z'));
      const afterSent = await s.deliveries.claim(
        planId,
        YEAR,
        key,
        'msg-2',
        t('2026-11-15T02:00:00Z'),
        t('2026-11-15T01:45:00Z'),
      );
      // Assess
      expect(results).toEqual([true, false, true, true]);
      expect(claimed).toStrictEqual({
        key,
        state: 'sending',
        owner: 'msg-2',
        attempts: 3,
        updatedAt: '2026-11-15T01:20:00.000Z',
      });
      expect(afterSent).toBe(false);
      expect(await s.deliveries.get(planId, YEAR, key)).toStrictEqual({
        key,
        state: 'sent',
        owner: 'msg-2',
        attempts: 3,
        updatedAt: '2026-11-15T01:21:00.000Z',
        sesMessageId: 'ses-1',
      });
    });

    it('marks a mail failed even when it was never claimed (an unconditional update)', async () => {
      // Prepare
      const planId = await seed();
      const key = `${planId}#${YEAR}#cb-a#receipt-1`;
      // Act
      await s.deliveries.markFailed(planId, YEAR, key, 'MessageRejected: no', t('2026-11-15T01:00:00Z'));
      const claim = await s.deliveries.claim(
        planId,
        YEAR,
        key,
        'msg-1',
        t('2026-11-15T02:00:00Z'),
        t('2026-11-15T01:45:00Z'),
      );
      // Assess
      expect(claim).toBe(false);
      expect(await s.deliveries.get(planId, YEAR, key)).toStrictEqual({
        state: 'failed',
        updatedAt: '2026-11-15T01:00:00.000Z',
        error: 'MessageRejected: no',
      });
      expect(await s.deliveries.get(planId, YEAR, `${key}-other`)).toBeUndefined();
    });

    it('keeps the latest mail problem of a unit that has an assignment', async () => {
      // Prepare
      const planId = await seed('cb-a');
      // Act
      const results = [
        await s.deliveries.noteUnitProblem(planId, YEAR, 'cb-none', 'p0', t('2026-11-20T00:00:00Z')),
        await s.deliveries.noteUnitProblem(planId, YEAR, 'cb-a', 'p1', t('2026-11-20T00:00:00Z')),
        await s.deliveries.noteUnitProblem(planId, YEAR, 'cb-a', 'p-older', t('2026-11-19T00:00:00Z')),
        await s.deliveries.noteUnitProblem(planId, YEAR, 'cb-a', 'p1', t('2026-11-20T00:00:00Z')),
        await s.deliveries.noteUnitProblem(planId, YEAR, 'cb-a', 'p2', t('2026-11-21T00:00:00Z')),
      ];
      // Assess
      expect(results).toEqual([false, true, false, true, true]);
      expect((await s.submissions.getAssignment(planId, YEAR, 'cb-a'))?.mailProblem).toStrictEqual({
        at: '2026-11-21T00:00:00.000Z',
        problem: 'p2',
      });
      expect(await s.submissions.getAssignment(planId, YEAR, 'cb-none')).toBeUndefined();
    });

    it('cannot compare inside a mail problem stored as null, and refuses the new one', async () => {
      // Prepare: nothing writes null today; the type allows it, and DynamoDB then finds no `at`.
      const planId = await seed();
      await s.submissions.createAssignment(assignment(planId, 'cb-null', { mailProblem: null }));
      // Act
      const noted = await s.deliveries.noteUnitProblem(
        planId,
        YEAR,
        'cb-null',
        'p',
        t('2026-11-20T00:00:00Z'),
      );
      // Assess
      expect(noted).toBe(false);
    });
  });

  describe(`${name}: requests DynamoDB refuses`, () => {
    const refusedAs = (name: string) => expect.objectContaining({ name });

    it('refuses to add a file to a version stored without its files map', async () => {
      // Prepare
      const planId = await seed('cb-a');
      const { files: _files, ...bare } = version(planId, 'cb-a', 1);
      await s.recording.ensureVersion(bare as SubmissionVersion);
      const ref = { planId, year: YEAR, unitId: 'cb-a', version: 1, uploadId: '1-a' };
      // Act, Assess
      await expect(
        s.recording.recordFile(ref, file('1-a', 'a.pdf', '2026-12-01T03:00:00.000Z'), true),
      ).rejects.toEqual(refusedAs('ValidationException'));
      expect(await s.recording.getVersion(planId, YEAR, 'cb-a', 1)).toStrictEqual(bare);
    });

    it('refuses a new draft that also drops a draft of the same number', async () => {
      // Prepare
      const planId = await seed('cb-a');
      await s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(1)));
      // Act, Assess
      await expect(
        s.uploads.startDraft(planId, YEAR, 'cb-a', start(draft(2), { dropDrafts: [2] })),
      ).rejects.toEqual(refusedAs('ValidationException'));
      expect((await s.submissions.getAssignment(planId, YEAR, 'cb-a'))?.versionCounter).toBe(1);
    });

    it('refuses an item over 400 KB and a value the document client cannot marshal', async () => {
      // Prepare
      const planId = newPlanId();
      const huge = {
        ...plan(planId),
        taskGroups: [{ number: '1', title: 't', body: 'x'.repeat(410 * 1024) }],
      };
      // Act, Assess
      await expect(s.plans.putPlan(huge)).rejects.toEqual(refusedAs('ValidationException'));
      await expect(
        s.plans.putPlan({ ...plan(planId), importedAt: new Date() as unknown as string }),
      ).rejects.toThrow(/Unsupported type passed/);
      expect(await s.plans.getPlan(planId)).toBeUndefined();
    });
  });

  describe(`${name}: ExportStore`, () => {
    const record = (planId: string, exportId: string): ExportRecord => ({
      planId,
      year: YEAR,
      exportId,
      state: 'building',
      requestedBy: 'planner',
      createdAt: '2026-12-16T01:00:00.000Z',
      finishedAt: null,
      key: `exports/${planId}/${YEAR}/${exportId}.zip`,
      size: null,
      units: null,
      files: null,
      error: null,
    });

    it('creates an export once and moves it only from the state each step leaves', async () => {
      // Prepare
      const planId = await seed();
      const id1 = '20261216T010000Z-00000001';
      const id2 = '20261216T010000Z-00000002';
      const ready = { finishedAt: '2026-12-16T01:00:05.000Z', size: 100, units: 10, files: 7 };
      // Act
      const results = [
        await s.exports.create(record(planId, id2)),
        await s.exports.create(record(planId, id1)),
        await s.exports.create({ ...record(planId, id1), requestedBy: 'cli' }),
        await s.exports.restart(planId, YEAR, id1, '2026-12-16T01:10:00.000Z'),
        await s.exports.markFailed(planId, YEAR, id1, '2026-12-16T01:00:03.000Z', 'Error: boom'),
        await s.exports.markReady(planId, YEAR, id1, ready),
        await s.exports.restart(planId, YEAR, id1, '2026-12-16T01:10:00.000Z'),
        await s.exports.markReady(planId, YEAR, id1, ready),
        await s.exports.markFailed(planId, YEAR, id1, '2026-12-16T01:20:00.000Z', 'late'),
        await s.exports.markReady(planId, YEAR, 'unknown', ready),
      ];
      // Assess
      expect(results).toEqual([true, true, false, false, true, false, true, true, false, false]);
      expect(await s.exports.get(planId, YEAR, id1)).toStrictEqual({
        ...record(planId, id1),
        state: 'ready',
        createdAt: '2026-12-16T01:10:00.000Z',
        ...ready,
      });
      expect((await s.exports.list(planId, YEAR)).map((r) => r.exportId)).toEqual([id1, id2]);
      expect(await s.exports.get(planId, YEAR, 'unknown')).toBeUndefined();
    });
  });
}
