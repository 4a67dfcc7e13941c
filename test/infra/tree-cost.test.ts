import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { costFor, treeCostFor } from '#infra/cost-model.ts';

const COST_MD = readFileSync(new URL('../../docs/COST.md', import.meta.url), 'utf8');

describe('cost per committee-year of a tree (issue 14)', () => {
  it('is below US$0.25 at 500 committees of 30 units, as docs/COST.md says', () => {
    const tree = treeCostFor(500, 30);

    expect(tree.perCommitteeYearUsd).toBeLessThan(0.25);
    expect(COST_MD).toContain(`about US$${tree.perCommitteeYearUsd.toFixed(2)} per committee-year`);
    expect(COST_MD).toContain(`(US$${Math.round(tree.yearlyUsd)} a year in all)`);
  });

  it('pays the deployment-wide lines once and each committee its own cycle and fan-out', () => {
    const one = costFor(30);
    const tree = treeCostFor(500, 30);

    expect(tree.sharedUsd + tree.cycleUsd).toBeCloseTo(one.yearlyUsd, 9);
    expect(tree.yearlyUsd).toBeCloseTo(
      tree.sharedUsd + tree.tickUsd + 500 * (tree.cycleUsd + tree.fanOutUsd),
      9,
    );
    // The fan-out is a rounding error next to a committee's own cycle.
    expect(tree.fanOutUsd).toBeLessThan(tree.cycleUsd / 50);
    expect(tree.messagesPerDay).toBe(500);
    expect(tree.plannerInvocationsPerDay).toBe(100);
  });

  it('falls as committees share the floor', () => {
    const per = [100, 500, 1000].map((n) => treeCostFor(n, 30).perCommitteeYearUsd);
    expect(per[0]).toBeGreaterThan(per[1]!);
    expect(per[1]).toBeGreaterThan(per[2]!);
  });
});
