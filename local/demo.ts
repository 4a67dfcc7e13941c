import { readFile } from 'node:fs/promises';
import { type InviteDeps, inviteMember, listMembers } from '#shared/committee/members.ts';
import { localDate } from '#shared/domain/calendar.ts';
import { openPeriod } from '#shared/periods/periods.ts';
import type { UnitMailDeps } from '#shared/periods/ports.ts';
import { importPlan } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';

const DEMO_PLAN = new URL('./demo/ke-hoach-12-KH-DUS.txt', import.meta.url);
const DEMO_UNITS = new URL('./demo/units.csv', import.meta.url);

/**
 * The demo's viewer (theo dõi): signs in like the office's address, sees every page and download,
 * and is refused every change. Its invitation lands in the mail viewer.
 */
export const DEMO_VIEWER = 'theodoi@demo.baocao.example';

/**
 * The demo's members: the configured address (`COMMITTEE_EMAILS`) as the first admin, and
 * {@link DEMO_VIEWER} invited by it. Called once the demo data is loaded (a fresh data folder).
 */
export async function addDemoMembers(deps: InviteDeps): Promise<void> {
  const members = await listMembers(deps);
  const admin = members.find((m) => m.role === 'admin');
  if (!admin || members.some((m) => m.email === DEMO_VIEWER)) return;
  await inviteMember(deps, { email: DEMO_VIEWER, role: 'viewer' }, admin.email);
}

/**
 * Loads the demo plan and units through the same use cases as the CLI, and opens the current
 * reporting period (e-mailing every unit its link), so a newcomer sees a living dashboard. Only on a data folder with no plans.
 */
export async function loadDemoIfEmpty(
  deps: UnitMailDeps,
  announce: (planId: string, year: number) => Promise<unknown>,
): Promise<boolean> {
  if ((await deps.plans.listPlans()).length > 0) return false;
  await importUnits(deps, await readFile(DEMO_UNITS));
  const { plan } = await importPlan(deps, await readFile(DEMO_PLAN), 'ke-hoach-12-KH-DUS.txt');
  const today = localDate(deps.clock.now(), plan.calendar.timeZone);
  const thisYear = Number(today.slice(0, 4));
  // After this year's period has closed (mid-January), the demo shows next year's instead.
  const year = today > `${thisYear}-${plan.calendar.deadline}` ? thisYear + 1 : thisYear;
  await openPeriod(deps, { planId: plan.id, year });
  // The units' "period opened" e-mails, with their links, land in the mail viewer at once.
  await announce(plan.id, year);
  return true;
}
