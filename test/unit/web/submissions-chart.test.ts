import { describe, expect, it } from 'vitest';
import {
  CHART_FRAME,
  chartGeometry,
  chartSummary,
  renderSubmissionsChart,
  type SubmissionsChartInput,
} from '#functions/web/charts/submissions-chart.ts';

/** The demo calendar: opens 15/11, deadline 15/12, closes 14/01; 10 units expected. */
const BASE: SubmissionsChartInput = {
  openDate: '2026-11-15',
  deadline: '2026-12-15',
  closeDate: '2027-01-14',
  today: '2026-11-29',
  expected: 10,
  reports: [],
};
const F = CHART_FRAME;
const plotWidth = F.right - F.left;
const plotHeight = F.bottom - F.top;

describe('chartGeometry', () => {
  it('runs the axis from the open date to the deadline while the deadline is ahead, and stops the series today', () => {
    // Act
    const g = chartGeometry({
      ...BASE,
      reports: [
        { date: '2026-11-15', onTime: true },
        { date: '2026-11-20', onTime: true },
        { date: '2026-11-20', onTime: true },
      ],
    });

    // Assess: 31 day bands (15/11 … 15/12); 15 days drawn (15/11 … 29/11) plus the origin.
    expect([g.first, g.last, g.days]).toEqual(['2026-11-15', '2026-12-15', 31]);
    expect(g.daily).toHaveLength(15);
    expect(g.onTimePoints).toHaveLength(16);
    expect(g.daily[0]).toEqual({ date: '2026-11-15', onTime: 1, late: 0 });
    expect(g.daily[5]).toEqual({ date: '2026-11-20', onTime: 3, late: 0 });
    expect(g.daily.at(-1)).toEqual({ date: '2026-11-29', onTime: 3, late: 0 });
    // The origin sits on the baseline at the left; each day's point at the end of its band.
    expect(g.onTimePoints[0]).toEqual([F.left, F.bottom]);
    expect(g.onTimePoints[1]![0]).toBeCloseTo(F.left + plotWidth / 31);
    expect(g.onTimePoints[15]![0]).toBeCloseTo(F.left + (plotWidth * 15) / 31);
    expect(g.onTimePoints[15]![1]).toBeCloseTo(F.bottom - (plotHeight * 3) / 10);
    // The deadline is the last day: its line at the right edge; the expected count at the top.
    expect(g.deadlineX).toBeCloseTo(F.right);
    expect(g.expectedY).toBeCloseTo(F.top);
    expect([g.onTime, g.late, g.max]).toEqual([3, 0, 10]);
  });

  it('stacks late reports on the on-time ones, and runs the axis to today after the deadline', () => {
    // Act: on 20/12, five days after the deadline.
    const g = chartGeometry({
      ...BASE,
      today: '2026-12-20',
      reports: [
        { date: '2026-12-01', onTime: true },
        { date: '2026-12-15', onTime: true },
        { date: '2026-12-16', onTime: false },
        { date: '2026-12-18', onTime: false },
      ],
    });

    // Assess: 36 bands, the deadline line at the end of the 31st.
    expect([g.last, g.days]).toEqual(['2026-12-20', 36]);
    expect(g.deadlineX).toBeCloseTo(F.left + (plotWidth * 31) / 36);
    const y = (v: number) => F.bottom - (plotHeight * v) / 10;
    const end = g.totalPoints.length - 1;
    expect(g.onTimePoints[end]![1]).toBeCloseTo(y(2));
    expect(g.totalPoints[end]![1]).toBeCloseTo(y(4));
    // The top of the stack is never below the on-time line, and both only rise (y falls).
    for (let i = 0; i <= end; i++) {
      expect(g.totalPoints[i]![0]).toBe(g.onTimePoints[i]![0]);
      expect(g.totalPoints[i]![1]).toBeLessThanOrEqual(g.onTimePoints[i]![1]);
      if (i > 0) expect(g.totalPoints[i]![1]).toBeLessThanOrEqual(g.totalPoints[i - 1]![1]);
    }
    expect(g.daily.find((d) => d.date === '2026-12-16')).toEqual({ date: '2026-12-16', onTime: 2, late: 1 });
  });

  it('ends the axis at the close date once the period has closed', () => {
    const g = chartGeometry({
      ...BASE,
      today: '2027-03-01',
      reports: [{ date: '2027-01-10', onTime: false }],
    });

    expect(g.last).toBe('2027-01-14');
    expect(g.daily.at(-1)).toEqual({ date: '2027-01-14', onTime: 0, late: 1 });
    expect(g.onTimePoints.at(-1)![0]).toBeCloseTo(F.right);
  });

  it('counts a report dated outside the axis on the nearest day drawn', () => {
    const g = chartGeometry({
      ...BASE,
      reports: [
        { date: '2026-11-01', onTime: true },
        { date: '2026-12-31', onTime: true },
      ],
    });

    expect(g.daily[0]!.onTime).toBe(1);
    expect(g.daily.at(-1)!.onTime).toBe(2);
  });

  it('draws no day before the period opens, and divides by nothing when no unit is expected', () => {
    const g = chartGeometry({ ...BASE, today: '2026-11-10', expected: 0 });

    expect(g.daily).toEqual([]);
    expect(g.onTimePoints).toEqual([[F.left, F.bottom]]);
    expect(g.max).toBe(1);
    expect(Number.isFinite(g.expectedY)).toBe(true);
  });

  it('raises the top of the scale when more units reported than are expected now', () => {
    const g = chartGeometry({
      ...BASE,
      expected: 1,
      reports: [
        { date: '2026-11-16', onTime: true },
        { date: '2026-11-17', onTime: true },
      ],
    });

    expect(g.max).toBe(2);
    expect(g.totalPoints.at(-1)![1]).toBeCloseTo(F.top);
    expect(g.expectedY).toBeCloseTo(F.top + plotHeight / 2);
  });
});

describe('chartSummary', () => {
  it('says in one sentence how many reported, on time and late, how many are missing, and the deadline', () => {
    const input = {
      ...BASE,
      reports: [
        { date: '2026-11-16', onTime: true },
        { date: '2026-11-17', onTime: false },
      ],
    };

    expect(chartSummary(input)).toBe(
      'Đến ngày 29/11/2026: 2/10 đơn vị đã nộp (1 đúng hạn, 1 trễ hạn), 8 đơn vị chưa nộp. Hạn nộp 15/12/2026.',
    );
    expect(chartSummary({ ...input, today: '2027-02-01' })).toMatch(
      /^Kỳ báo cáo đã đóng ngày 14\/01\/2027: /,
    );
  });
});

describe('renderSubmissionsChart', () => {
  const markup = renderSubmissionsChart(
    {
      ...BASE,
      reports: [
        { date: '2026-11-16', onTime: true },
        { date: '2026-11-20', onTime: false },
      ],
    },
    'Tiến độ <năm> 2026',
  ).value;

  it('is an image with a title, a description and a caption, scaled by its viewBox', () => {
    expect(markup).toContain('<svg role="img" aria-labelledby="chart-title" aria-describedby="chart-desc"');
    expect(markup).toContain(`viewBox="0 0 ${F.width} ${F.height}" width="100%"`);
    expect(markup).toContain('<title id="chart-title">Tiến độ &lt;năm&gt; 2026</title>');
    expect(markup).toMatch(/<desc id="chart-desc">Đến ngày 29\/11\/2026: 2\/10 đơn vị đã nộp/);
    expect(markup).toMatch(/<figcaption>Đến ngày 29\/11\/2026: 2\/10 đơn vị đã nộp/);
  });

  it('keeps its text at least 12 px on a 390 px phone (358 px of content) and a 360 px one', () => {
    expect((F.fontSize * 358) / F.width).toBeGreaterThanOrEqual(12);
    expect((F.fontSize * 328) / F.width).toBeGreaterThanOrEqual(12);
    // No text is drawn smaller than the chart's own size.
    expect(markup).not.toMatch(/<text[^>]*font-size/);
  });

  it('does not rely on colour alone: the late series is hatched and both are named with their counts', () => {
    expect(markup).toContain('<pattern id="chart-late-hatch"');
    expect(markup).toMatch(/<g data-series="late"><polygon points="[^"]+" fill="url\(#chart-late-hatch\)"/);
    expect(markup).toContain('Đúng hạn: 1</text>');
    expect(markup).toContain('Trễ hạn: 1</text>');
    expect(markup).toContain('Phải nộp: 10</text>');
    expect(markup).toContain('Hạn nộp 15/12</text>');
  });

  it('has no script and no style attribute (the page CSP allows neither)', () => {
    expect(markup).not.toMatch(/<script|\sstyle=|\son[a-z]+=/i);
  });

  it('gives its figures by day in a table: the days something changed, the deadline and today', () => {
    const table = markup.slice(markup.indexOf('<details'));
    expect(table).toContain('<summary>Số liệu của biểu đồ theo ngày</summary>');
    const days = [...table.matchAll(/<td data-label="Ngày">([^<]+)<\/td>/g)].map((m) => m[1]);
    expect(days).toEqual(['15/11/2026', '16/11/2026', '20/11/2026', '29/11/2026']);
  });
});
