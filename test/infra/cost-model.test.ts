import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  COST_ASSUMPTIONS,
  COST_TABLE_SIZES,
  costFor,
  limitsFor,
  reminderSharesFor,
  remindersPerUnitFor,
  renderCostTables,
  SERVICES,
  unreportedShareOn,
} from '#infra/cost-model.ts';
import { DEFAULT_REMINDER_DAYS } from '#shared/domain/plan.ts';
import { metricsOf } from '#shared/metrics.ts';

const COST_MD = readFileSync(new URL('../../docs/COST.md', import.meta.url), 'utf8');

/** The generated part of docs/COST.md. */
function generatedBlock(): string {
  const begin = COST_MD.indexOf('<!-- cost-model:begin -->');
  const end = COST_MD.indexOf('<!-- cost-model:end -->');
  expect(begin).toBeGreaterThan(-1);
  expect(end).toBeGreaterThan(begin);
  return COST_MD.slice(begin + '<!-- cost-model:begin -->'.length, end).trim();
}

/** The cells of a table line, trimmed (Biome aligns the columns of markdown tables). */
const cellsOf = (line: string): string[] =>
  line
    .split('|')
    .slice(1, -1)
    .map((cell) => cell.trim());

/** Cells of the table row whose first cell is `firstCell`, after it. */
function row(markdown: string, firstCell: string): string[] {
  const line = markdown.split('\n').find((l) => l.startsWith('|') && cellsOf(l)[0] === firstCell);
  if (!line) throw new Error(`no row "${firstCell}"`);
  return cellsOf(line)
    .slice(1)
    .map((cell) => cell.replaceAll('*', ''));
}

const money = (value: number) =>
  value.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

describe('cost model', () => {
  it('is rendered into docs/COST.md unchanged (to regenerate, see the note at the top of COST.md)', () => {
    expect(generatedBlock()).toBe(renderCostTables());
  });

  it.each(COST_TABLE_SIZES)(
    'prints the yearly and monthly totals of costFor(%i) in docs/COST.md',
    (units) => {
      const estimate = costFor(units);
      const cells = row(generatedBlock(), units.toLocaleString('en-US'));

      expect(cells[0]).toBe(money(estimate.yearlyUsd));
      expect(cells[1]).toBe(money(estimate.monthlyUsd));
    },
  );

  it('prints each service of costFor in docs/COST.md', () => {
    for (const service of SERVICES) {
      expect(row(generatedBlock(), service)).toEqual(
        COST_TABLE_SIZES.map((u) => money(costFor(u).byService[service])),
      );
    }
  });

  it('adds up: services and lines to the total, twelve months to the year', () => {
    for (const units of COST_TABLE_SIZES) {
      const estimate = costFor(units);
      const byService = Object.values(estimate.byService).reduce((sum, usd) => sum + usd, 0);
      const byLine = estimate.lines.reduce((sum, line) => sum + line.usd, 0);

      expect(byService).toBeCloseTo(estimate.yearlyUsd, 9);
      expect(byLine).toBeCloseTo(estimate.yearlyUsd, 9);
      expect(estimate.monthlyUsd * 12).toBeCloseTo(estimate.yearlyUsd, 9);
      for (const line of estimate.lines) expect(line.usd).toBeCloseTo(line.quantity * line.unitPrice, 12);
    }
  });

  it('grows with the number of units, and costs less per unit as it grows', () => {
    const [small, medium, large] = COST_TABLE_SIZES.map((u) => costFor(u));

    expect(small!.yearlyUsd).toBeLessThan(medium!.yearlyUsd);
    expect(medium!.yearlyUsd).toBeLessThan(large!.yearlyUsd);
    expect(large!.yearlyUsd / large!.units).toBeLessThan(small!.yearlyUsd / small!.units);
  });

  it('shows that at 100,000 units one export does not fit into 15 minutes and needs ZIP64', () => {
    const limits = limitsFor(100_000);

    expect(limits.exportMinutes).toBeGreaterThan(15);
    expect(limits.zipEntries).toBeGreaterThan(65_535);
    expect(limits.packGib).toBeGreaterThan(4);
    expect(limits.packGib).toBeLessThan(limits.multipartMaxGib);
    expect(limitsFor(1000).exportMinutes).toBeLessThan(15);
  });
});

describe('cost model: reminders', () => {
  it('counts one reminder term per step of the default curve, and nothing else', () => {
    // Assess
    expect(reminderSharesFor()).toHaveLength(DEFAULT_REMINDER_DAYS.length);
    expect(reminderSharesFor()).toEqual(DEFAULT_REMINDER_DAYS.map(unreportedShareOn));
    expect(COST_ASSUMPTIONS.remindersPerUnit).toBe(remindersPerUnitFor(DEFAULT_REMINDER_DAYS));
  });

  it('costs a step added to the curve without any other change', () => {
    // Prepare: a reminder 14 days after the deadline, and one 30 days before (every unit gets it).
    const longer = [-30, ...DEFAULT_REMINDER_DAYS, 14];

    // Act
    const added = remindersPerUnitFor(longer) - remindersPerUnitFor(DEFAULT_REMINDER_DAYS);
    const emails = (steps: readonly number[]) =>
      costFor(1000, { ...COST_ASSUMPTIONS, remindersPerUnit: remindersPerUnitFor(steps) }).volumes.emails;

    // Assess
    expect(reminderSharesFor(longer)).toHaveLength(DEFAULT_REMINDER_DAYS.length + 2);
    expect(added).toBeCloseTo(1 + unreportedShareOn(14), 12);
    expect(emails(longer) - emails(DEFAULT_REMINDER_DAYS)).toBeCloseTo(1000 * added, 6);
  });

  it('assumes fewer units unreported as the days pass', () => {
    const days = Array.from({ length: 121 }, (_, i) => i - 60);
    const shares = days.map(unreportedShareOn);

    expect(shares.every((s, i) => s >= 0 && s <= 1 && (i === 0 || s <= shares[i - 1]!))).toBe(true);
  });
});

describe('cost model: business metrics', () => {
  it('charges the metric names of shared/metrics.ts, counted per function', () => {
    expect(COST_ASSUMPTIONS.metricNames).toEqual({
      onUpload: metricsOf('on-upload').length,
      mailer: metricsOf('mailer').length,
      planner: metricsOf('planner').length,
      exporter: metricsOf('exporter').length,
    });
  });
});
