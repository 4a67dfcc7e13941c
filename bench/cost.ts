/**
 * Group `cost`: the cost per cycle behind docs/COST.md, from infra/cost-model.ts `costFor`, for
 * 30, 1,000 and 100,000 units; and the same recomputed with the e-mails per unit that the code
 * actually sends: a whole yearly cycle of the planner (one tick a day from the open date to the
 * day after the close date) over 20 units that report along the model's curve, every e-mail
 * collected. The model counts one reminder per step of the default curve (DEFAULT_REMINDER_DAYS,
 * shared/domain/plan.ts) and the planner sends one per step: a ✗ here means that the planner no
 * longer follows the curve.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import {
  COST_ASSUMPTIONS,
  COST_TABLE_SIZES,
  type CostAssumptions,
  costFor,
  renderCostTables,
  TREE_ASSUMPTIONS,
  treeCostFor,
  UNREPORTED_SHARE_FROM,
  unreportedShareOn,
} from '#infra/cost-model.ts';
import { addDays, localDate } from '#shared/domain/calendar.ts';
import { DEFAULT_REMINDER_DAYS } from '#shared/domain/plan.ts';
import { runPlanner as plannerTick } from '#shared/periods/run-planner.ts';
import { defaultCalendar } from '#shared/plans/plans.ts';
import { importUnits } from '#shared/units/units.ts';
import { startTestStack } from '#test/support/local-stack.ts';
import { CapturingMailQueue, recordSubmission, seedPlan } from '#test/support/planner.ts';
import { unitId } from './data.ts';
import { type BenchContext, fmtNumber, fmtRatio, type GroupResult, info, ROOT, type Row } from './support.ts';

const UNITS = 20;
const PLAN = 'bench-cost';
const YEAR = 2026;
const DEADLINE = '2026-12-15';
const ZONE = 'Asia/Ho_Chi_Minh';

function usd(n: number, digits = 2): string {
  return `$${fmtNumber(n, digits)}`;
}

/** A step as people write it: −14, +1. */
const signed = (day: number): string => (day > 0 ? `+${day}` : `−${-day}`);

/** One cycle of daily ticks; returns the e-mails the planner queued, by template. */
async function simulateCycle(ctx: BenchContext): Promise<Record<string, number>> {
  const stack = await startTestStack({ s3Events: false });
  try {
    const ids = Array.from({ length: UNITS }, (_, i) => unitId(i));
    await importUnits(
      stack.deps,
      ['id,name,email', ...ids.map((id, i) => `${id},Chi bộ ${i},u${i}@example.org`)].join('\n'),
    );
    await seedPlan(stack, PLAN, ids);
    const calendar = defaultCalendar(ZONE);
    const openDate = addDays(DEADLINE, -calendar.openDaysBefore);
    const lastTick = addDays(DEADLINE, calendar.closeDaysAfter + 1);
    const queue = new CapturingMailQueue();
    let reported = 0;
    let ticks = 0;
    for (let day = openDate; day <= lastTick; day = addDays(day, 1)) {
      const at = new Date(`${day}T01:00:00Z`); // 08:00 in Hanoi
      const fromDeadline = Math.round((Date.parse(day) - Date.parse(DEADLINE)) / 86_400_000);
      // The model's reporting curve (`unreportedShareOn`): units report just before a step.
      const due = Math.round(UNITS * (1 - unreportedShareOn(fromDeadline)));
      for (; reported < due; reported++) {
        // Reports arrive the evening before the tick (on time up to the deadline's evening).
        const evening = new Date(at.getTime() - 12 * 3600_000).toISOString();
        await recordSubmission(stack, PLAN, YEAR, ids[reported]!, evening);
      }
      const deps = createPlannerDeps(stack.runtime, {
        mailQueue: queue,
        clock: { now: () => at },
        exports: { start: async () => {} },
      });
      const summary = await plannerTick(deps, at);
      if (summary.failures.length > 0) throw new Error(`tick ${day}: ${JSON.stringify(summary.failures[0])}`);
      ticks++;
    }
    if (localDate(new Date(`${lastTick}T01:00:00Z`), ZONE) !== lastTick)
      throw new Error('tick dates drifted');
    ctx.log(`${ticks} daily ticks, ${queue.messages.length} e-mails queued`);
    const byTemplate: Record<string, number> = {};
    for (const m of queue.messages) byTemplate[m.template] = (byTemplate[m.template] ?? 0) + 1;
    return byTemplate;
  } finally {
    await stack.stop();
  }
}

/** The tree of issue 14's cost figure: 500 committees of 30 units each. */
const TREE_COMMITTEES = 500;
const TREE_UNITS = 30;

export async function runCost(ctx: BenchContext): Promise<GroupResult> {
  const rows: Row[] = [];
  const notes: string[] = [];

  const doc = await readFile(join(ROOT, 'docs', 'COST.md'), 'utf8');
  const begin = doc.indexOf('<!-- cost-model:begin -->');
  const end = doc.indexOf('<!-- cost-model:end -->');
  const inDoc =
    begin >= 0 && end > begin ? doc.slice(begin + '<!-- cost-model:begin -->'.length, end).trim() : '';
  rows.push({
    what: 'docs/COST.md tables = renderCostTables() of infra/cost-model.ts',
    figure: inDoc === renderCostTables() ? 'identical' : 'different',
    anchor: '–',
    ratio: '–',
    target: 'identical',
    ok: inDoc === renderCostTables(),
  });

  ctx.log(`a yearly cycle of the planner over ${UNITS} units…`);
  const mails = await simulateCycle(ctx);
  const opened = (mails.link ?? 0) / UNITS;
  const reminders = (mails.reminder ?? 0) / UNITS;
  const modelled = COST_ASSUMPTIONS.openedEmailsPerUnit + COST_ASSUMPTIONS.remindersPerUnit;
  rows.push({
    what: `planner e-mails per unit per cycle (${UNITS} units, daily ticks): opened + reminders`,
    figure: `${fmtNumber(opened, 2)} + ${fmtNumber(reminders, 2)}`,
    anchor: `model ${fmtNumber(COST_ASSUMPTIONS.openedEmailsPerUnit, 2)} + ${fmtNumber(COST_ASSUMPTIONS.remindersPerUnit, 2)}`,
    ratio: fmtRatio((opened + reminders) / modelled),
    target: '= model',
    ok: Math.abs(opened + reminders - modelled) < 0.005,
  });
  rows.push(info('committee digests per cycle (from the same run)', fmtNumber(mails.digest ?? 0)));

  // The model with the counts the code produced.
  const measured = {
    ...COST_ASSUMPTIONS,
    openedEmailsPerUnit: opened,
    remindersPerUnit: reminders,
  } as unknown as CostAssumptions;
  for (const units of COST_TABLE_SIZES) {
    const model = costFor(units);
    const fromCode = costFor(units, measured);
    const v = fromCode.volumes;
    rows.push({
      what: `cost per cycle, ${fmtNumber(units)} units (${fmtNumber(v.emails)} e-mails, ${fmtNumber(v.publicRequests + v.adminRequests)} HTTP requests, ${fmtNumber(v.reportGib, 1)} GiB of reports)`,
      figure: `${usd(fromCode.yearlyUsd)}/year (${usd(fromCode.monthlyUsd)}/month, ${usd(fromCode.yearlyUsd / units, 4)}/unit)`,
      anchor: `model ${usd(model.yearlyUsd)}`,
      ratio: fmtRatio(fromCode.yearlyUsd / model.yearlyUsd),
      target: '= model ± 1 %',
      ok: Math.abs(fromCode.yearlyUsd / model.yearlyUsd - 1) <= 0.01,
    });
    const top = Object.entries(fromCode.byService)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([s, n]) => `${s} ${usd(n)}`)
      .join(', ');
    rows.push(info(`  ${fmtNumber(units)} units: largest services`, top));
  }
  // A tree of committees in one deployment (issue 14, docs/tenancy.md): the cost per committee-year.
  const tree = treeCostFor(TREE_COMMITTEES, TREE_UNITS, measured);
  rows.push({
    what: `cost per committee-year, ${fmtNumber(TREE_COMMITTEES)} committees × ${TREE_UNITS} units in one deployment`,
    figure: `${usd(tree.perCommitteeYearUsd, 3)} (${usd(tree.yearlyUsd)}/year in all)`,
    anchor: `one deployment per committee ${usd(costFor(TREE_UNITS, measured).yearlyUsd)}`,
    ratio: `1/${fmtNumber(costFor(TREE_UNITS, measured).yearlyUsd / tree.perCommitteeYearUsd)}`,
    target: '< $0.25',
    ok: tree.perCommitteeYearUsd < 0.25,
  });
  rows.push(
    info(
      '  its parts, per committee-year',
      `shared ${usd(tree.sharedUsd / TREE_COMMITTEES, 3)}, own cycle ${usd(tree.cycleUsd, 3)}, fan-out ${usd(tree.fanOutUsd, 4)}, tick ${usd(tree.tickUsd / TREE_COMMITTEES, 5)}`,
    ),
  );
  rows.push(
    info(
      '  planner fan-out a day',
      `${fmtNumber(tree.messagesPerDay)} messages, ${fmtNumber(tree.plannerInvocationsPerDay)} planner invocations`,
    ),
  );
  notes.push(
    `The committee-year figure is \`treeCostFor(${TREE_COMMITTEES}, ${TREE_UNITS})\` of infra/cost-model.ts: the deployment-wide lines of \`costFor\` (alarms, secrets, idle polls, business metrics, the scheduler) once, each committee's own ${TREE_UNITS}-unit cycle (the other lines, with the e-mails measured above), and the planner's fan-out per committee a day (one SQS message, a fifth of a planner invocation of ${TREE_ASSUMPTIONS.committeesPerInvocation} committees, ${TREE_ASSUMPTIONS.rruPerCommitteeRun} RRU and ${TREE_ASSUMPTIONS.plannerRunMsPerCommittee} ms at 512 MB for a day with nothing due; the \`planner\` group counts those requests on the emulator).`,
  );
  notes.push(
    `The figures are \`costFor(units)\` of infra/cost-model.ts (prices of ap-southeast-1 as of its \`PRICES_AS_OF\`, no free tier), with the e-mails per unit replaced by what the planner queued over a simulated cycle: ${UNITS} units, the plan's default calendar (opens ${COST_ASSUMPTIONS.openDaysPerCycle / 2} days before the deadline, closes 30 days after, reminders at ${DEFAULT_REMINDER_DAYS.map(signed).join(', ')} days), one tick a day at 08:00 in Hanoi, units reporting along the model's curve (${UNREPORTED_SHARE_FROM.map(([d, s]) => `${Math.round(s * 100)} % not reported at ${d > 0 ? '+' : ''}${d}`).join(', ')}). Receipts and refusals are one per submission and per refused file by construction (docs/recording.md) and are taken from the model. The other counts of the model (DynamoDB units per request, function durations, export throughput) are assumptions for AWS: the \`public\`, \`planner\` and \`export\` groups measure the corresponding requests and throughputs against the emulators.`,
  );
  return { rows, notes };
}
