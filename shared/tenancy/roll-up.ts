import type { Deps } from '#shared/deps.ts';
import { localDate } from '#shared/domain/calendar.ts';
import {
  ALLOWED_FILE_TYPES,
  type AllowedExtension,
  MAX_FILES_PER_SUBMISSION,
} from '#shared/domain/submission.ts';
import { ValidationError } from '#shared/errors.ts';
import { getPlan } from '#shared/plans/plans.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';
import type { GrantPoster, RollUpFile, RollUpLink, RollUpStore } from './ports.ts';
import { findCommittee, parentOf, type RegistryDeps } from './registry.ts';

/**
 * Roll-up (docs/tenancy.md): a child committee's own report for a year is its submission in its
 * parent's period of the plan its own plan carries out. It goes through the very path of a
 * branch's upload — a grant on the unit's link (minted here, not mailed), a presigned POST, the
 * on-upload function's checks, the receipt — so it is checked, receipted and kept the same way.
 */
export interface RollUpDeps {
  registry: RegistryDeps;
  /** The child committee (the one sending its report up) and its stores. */
  child: { committeeId: string; deps: Deps; rollUps: RollUpStore };
  /** The upload collaborators of a committee of the deployment (the parent's), or undefined. */
  uploadsOf: (committeeId: string) => Promise<UploadDeps | undefined>;
  /** Posts the files (the CLI's `report submit`); the web app hands the person the upload page instead. */
  poster?: GrantPoster;
}

export interface SubmitOwnReportInput {
  planId: string;
  year: number;
  files: RollUpFile[];
  /** The person's confirmation of the matched parent plan, required the first time. */
  confirm: boolean;
  by: string;
}

export type SubmitOwnReportResult =
  | {
      status: 'needs-confirmation';
      link: Omit<RollUpLink, 'confirmedAt' | 'confirmedBy'>;
      parentPlanTitle: string;
    }
  | {
      status: 'sent';
      link: RollUpLink;
      unitId: string;
      submission: number;
      files: { name: string; key: string }[];
    };

/** Why a committee's report cannot go up, in words for its office. */
export class RollUpError extends ValidationError {}

/** Where a committee's own report for a plan and year goes: checked, matched, maybe confirmed. */
export interface RollUpTarget {
  /** The matched parent plan (stored once confirmed; `confirmed` false until then). */
  link: Omit<RollUpLink, 'confirmedAt' | 'confirmedBy'> &
    Partial<Pick<RollUpLink, 'confirmedAt' | 'confirmedBy'>>;
  confirmed: boolean;
  parentName: string;
  parentPlanNumber: string;
  parentPlanTitle: string;
  /** The parent's unit this committee is. */
  unitId: string;
}

/**
 * Finds where the committee's report for `planId` goes: its parent on today's date, the parent's
 * plan matched by the superior document's number (or the one confirmed before), and the parent's
 * unit that is this committee. Reads only.
 */
export async function rollUpTarget(deps: RollUpDeps, planId: string): Promise<RollUpTarget> {
  const { child } = deps;
  const plan = await getPlan(child.deps, planId);
  const today = localDate(child.deps.clock.now(), child.deps.settings.timeZone);
  const parentId = await parentOf(deps.registry, child.committeeId, today);
  if (parentId === null) {
    throw new RollUpError(
      `Committee ${child.committeeId} has no parent`,
      [],
      'Cấp ủy này chưa trực thuộc cấp ủy nào trong hệ thống: không có nơi gửi báo cáo lên (xem baocao committee move).',
    );
  }
  const parent = await findCommittee(deps.registry, parentId);
  const parentUploads = await deps.uploadsOf(parentId);
  if (!parent || !parentUploads) {
    throw new RollUpError(`Parent ${parentId} missing`, [], `Không có cấp ủy cấp trên "${parentId}".`);
  }
  const stored = await child.rollUps.get(plan.id);
  const usable = stored && stored.parentId === parentId ? stored : undefined;
  const link = usable ?? (await matchParentPlan(plan, parentId, parentUploads));
  const parentPlan = await getPlan(parentUploads, link.parentPlanId);
  const units = await parentUploads.plans.listUnits();
  const unit = units.find((u) => u.committeeId === child.committeeId);
  if (!unit) {
    throw new RollUpError(
      `Parent ${parentId} lists no unit for ${child.committeeId}`,
      [],
      `Danh sách đơn vị của ${parent.name} chưa có đơn vị nào là cấp ủy này (cột "committee" = ${child.committeeId}): đề nghị cấp trên bổ sung.`,
    );
  }
  return {
    link,
    confirmed: usable !== undefined,
    parentName: parent.name,
    parentPlanNumber: parentPlan.number,
    parentPlanTitle: parentPlan.title,
    unitId: unit.id,
  };
}

/**
 * The parent's upload link of this committee for `year` (the page a branch gets by e-mail),
 * after the match is confirmed (stored the first time, by `by`). The branch's own refusals (no
 * period, closed, withdrawn) are thrown in its own words.
 */
export async function rollUpUploadLink(
  deps: RollUpDeps,
  input: { planId: string; year: number; by: string },
): Promise<{ target: RollUpTarget; token: string; url: string }> {
  return openUploadLink(deps, await rollUpTarget(deps, input.planId), input.year, input.by);
}

/** {@link rollUpUploadLink} for a target already read. */
async function openUploadLink(
  deps: RollUpDeps,
  target: RollUpTarget,
  year: number,
  by: string,
): Promise<{ target: RollUpTarget; stored: RollUpLink; token: string; url: string }> {
  const parentUploads = (await deps.uploadsOf(target.link.parentId))!;
  const link = await linkFor(parentUploads, target.link.parentPlanId, year, target.unitId);
  const { confirmedAt, confirmedBy } = target.link;
  let stored: RollUpLink;
  if (target.confirmed && confirmedAt !== undefined && confirmedBy !== undefined) {
    stored = { ...target.link, confirmedAt, confirmedBy };
  } else {
    stored = { ...target.link, confirmedAt: deps.child.deps.clock.now().toISOString(), confirmedBy: by };
    await deps.child.rollUps.put(stored);
  }
  return { target: { ...target, link: stored, confirmed: true }, stored, token: link.token, url: link.url };
}

/**
 * Sends the committee's own report for its plan `planId` and `year` up to its parent's period.
 * Every check is made before the first file is granted, so a refusal changes nothing.
 */
export async function submitOwnReport(
  deps: RollUpDeps,
  input: SubmitOwnReportInput,
): Promise<SubmitOwnReportResult> {
  checkFiles(input.files);
  const poster = deps.poster;
  if (!poster) throw new Error('submitOwnReport needs a poster');
  const target = await rollUpTarget(deps, input.planId);
  if (!target.confirmed && !input.confirm) {
    return { status: 'needs-confirmation', link: target.link, parentPlanTitle: target.parentPlanTitle };
  }
  const opened = await openUploadLink(deps, target, input.year, input.by);
  const { token } = opened;
  const parentUploads = (await deps.uploadsOf(target.link.parentId))!;
  const link = opened.stored;
  let submission: number | undefined;
  const sent: { name: string; key: string }[] = [];
  for (const file of input.files) {
    const grant = await requestUpload(parentUploads, token, {
      fileName: file.name,
      contentType: file.contentType,
      size: file.bytes.length,
      ...(submission === undefined ? { fileCount: input.files.length } : { submission }),
    });
    submission = grant.submission;
    await poster.post(grant, file);
    sent.push({ name: file.name, key: grant.key });
  }
  return { status: 'sent', link, unitId: target.unitId, submission: submission!, files: sent };
}

/** The parent's plan whose number is the superior document this plan carries out: exactly one. */
async function matchParentPlan(
  plan: Awaited<ReturnType<typeof getPlan>>,
  parentId: string,
  parent: Deps,
): Promise<Omit<RollUpLink, 'confirmedAt' | 'confirmedBy'>> {
  const number = plan.superior?.number;
  if (!number) {
    throw new RollUpError(
      `Plan ${plan.id} names no superior plan`,
      [],
      `Kế hoạch "${plan.number}" không ghi kế hoạch cấp trên mà nó thực hiện ("Thực hiện Kế hoạch số …"), nên không biết gửi báo cáo vào kỳ nào của cấp trên.`,
    );
  }
  const candidates = (await parent.plans.listPlans()).filter((p) => sameNumber(p.number, number));
  if (candidates.length !== 1) {
    throw new RollUpError(
      `${candidates.length} plans of ${parentId} match ${number}`,
      [],
      candidates.length === 0
        ? `Cấp trên chưa có kế hoạch số "${number}" trong hệ thống.`
        : `Cấp trên có ${candidates.length} kế hoạch cùng số "${number}": đề nghị cấp trên kiểm tra lại.`,
    );
  }
  return { planId: plan.id, parentId, parentPlanId: candidates[0]!.id };
}

/** Document numbers compared as people write them: case, spaces and the Đ/D spelling aside. */
export function sameNumber(a: string, b: string): boolean {
  const norm = (s: string) => s.normalize('NFC').replace(/\s+/g, '').replace(/đ/gi, 'd').toLowerCase();
  return norm(a) === norm(b);
}

function checkFiles(files: RollUpFile[]): void {
  if (files.length === 0 || files.length > MAX_FILES_PER_SUBMISSION) {
    throw new RollUpError(
      `${files.length} files`,
      [],
      `Cần từ 1 đến ${MAX_FILES_PER_SUBMISSION} tệp báo cáo.`,
    );
  }
  for (const file of files) {
    const ext = file.name.toLowerCase().split('.').pop() ?? '';
    if (!(ext in ALLOWED_FILE_TYPES)) {
      throw new RollUpError(
        `File type of ${file.name}`,
        [],
        `Tệp "${file.name}" không thuộc loại được nhận (${Object.keys(ALLOWED_FILE_TYPES).join(', ')}).`,
      );
    }
  }
}

/** The MIME type a file of this name is sent with (the one the grant requires). */
export function contentTypeOf(name: string): string {
  const ext = name.toLowerCase().split('.').pop() ?? '';
  return ALLOWED_FILE_TYPES[ext as AllowedExtension] ?? 'application/octet-stream';
}
