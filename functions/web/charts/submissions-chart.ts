import { html, type SafeHtml } from '#functions/http/html.ts';
import { addDays, daysBetween, formatDateVi } from '#shared/domain/calendar.ts';

/**
 * The period page's chart: units reported over time against the deadline, drawn on the server as
 * inline SVG (no script, no style attribute: the page's CSP allows neither). Cumulative counts
 * by committee-local day, on time (solid) stacked under late (hatched), from the open date to
 * today, on an axis that runs at least to the deadline (and at most to the close date); the top
 * of the scale is the expected count. Colour is never the only cue: the late area is hatched and
 * the legend names both series with their counts. The same figures are given as text (the
 * summary sentence, and a table by day) for screen readers and for anyone who prefers numbers.
 *
 * The viewBox is 400 units wide and the text 15 units: on a 390 px phone (358 px of content) the
 * text is 13.4 px, on a 360 px one 12.3 px; the stylesheet caps the width on wide screens.
 */

export interface SubmissionsChartInput {
  /** The period's dates, `YYYY-MM-DD` in its time zone. */
  openDate: string;
  deadline: string;
  closeDate: string;
  /** Today in the period's time zone: the series stop here. */
  today: string;
  /** Units expected to report: the top of the scale. */
  expected: number;
  /**
   * One per reported unit: the committee-local day of the submission that counts (its latest),
   * and whether that submission was on time (against the unit's own deadline).
   */
  reports: readonly { date: string; onTime: boolean }[];
}

/** The chart's frame, in viewBox units. */
export const CHART_FRAME = {
  width: 400,
  height: 260,
  left: 44,
  right: 388,
  top: 52,
  bottom: 208,
  fontSize: 15,
} as const;

/** Cumulative counts at the end of one day. */
export interface ChartDay {
  date: string;
  onTime: number;
  late: number;
}

/** Everything the SVG is drawn from: pure numbers, tested on their own. */
export interface ChartGeometry {
  /** First and last day on the axis. */
  first: string;
  last: string;
  /** Day bands on the axis (`last − first + 1`). */
  days: number;
  /** Top of the scale: the expected count (or more, should more units have reported). */
  max: number;
  /** Cumulative counts at the end of each day drawn (first … today, or … last); [] before opening. */
  daily: ChartDay[];
  /** Polyline vertices `[x, y]`: the origin, then the end of each day drawn. */
  onTimePoints: [number, number][];
  /** The top of the stack (on time + late), same x as {@link onTimePoints}. */
  totalPoints: [number, number][];
  /** x of the end of the deadline day (reports on that day are on time). */
  deadlineX: number;
  /** y of the expected count. */
  expectedY: number;
  onTime: number;
  late: number;
}

/** x of the boundary before day band `i` (0: the start of the first day; `days`: the end of the last). */
function xOf(i: number, days: number): number {
  return CHART_FRAME.left + ((CHART_FRAME.right - CHART_FRAME.left) * i) / days;
}

function yOf(value: number, max: number): number {
  return CHART_FRAME.bottom - ((CHART_FRAME.bottom - CHART_FRAME.top) * value) / max;
}

/** The geometry of the chart (see {@link SubmissionsChartInput}). */
export function chartGeometry(input: SubmissionsChartInput): ChartGeometry {
  const first = input.openDate;
  // The axis ends on the latest of: today (at most the close date), the deadline, the open date.
  // (ISO dates sort as strings.)
  const last = [input.deadline, first, [input.today, input.closeDate].sort()[0]!].sort().at(-1)!;
  const days = daysBetween(first, last) + 1;
  // Index of the last day drawn: today (or the last day of the axis); −1 before the period opens.
  const through = Math.min(daysBetween(first, input.today), days - 1);

  const onTimeByDay = new Array<number>(days).fill(0);
  const lateByDay = new Array<number>(days).fill(0);
  for (const report of input.reports) {
    // A report outside the axis (clock skew, a period reopened) counts on the nearest day drawn.
    const i = Math.max(0, Math.min(daysBetween(first, report.date), Math.max(through, 0)));
    if (report.onTime) onTimeByDay[i]!++;
    else lateByDay[i]!++;
  }
  const onTime = input.reports.filter((r) => r.onTime).length;
  const late = input.reports.length - onTime;
  const max = Math.max(input.expected, onTime + late, 1);

  const daily: ChartDay[] = [];
  const onTimePoints: [number, number][] = [[xOf(0, days), yOf(0, max)]];
  const totalPoints: [number, number][] = [[xOf(0, days), yOf(0, max)]];
  let cumOnTime = 0;
  let cumLate = 0;
  for (let i = 0; i <= through; i++) {
    cumOnTime += onTimeByDay[i]!;
    cumLate += lateByDay[i]!;
    daily.push({ date: addDays(first, i), onTime: cumOnTime, late: cumLate });
    onTimePoints.push([xOf(i + 1, days), yOf(cumOnTime, max)]);
    totalPoints.push([xOf(i + 1, days), yOf(cumOnTime + cumLate, max)]);
  }
  return {
    first,
    last,
    days,
    max,
    daily,
    onTimePoints,
    totalPoints,
    deadlineX: xOf(daysBetween(first, input.deadline) + 1, days),
    expectedY: yOf(input.expected, max),
    onTime,
    late,
  };
}

/** A coordinate with at most one decimal. */
const n = (v: number): string => String(Math.round(v * 10) / 10);
const pointsOf = (points: readonly [number, number][]): string =>
  points.map(([x, y]) => `${n(x)},${n(y)}`).join(' ');
/** `dd/mm` of `YYYY-MM-DD`: the axis has no room for years. */
const dayMonth = (date: string): string => formatDateVi(date).slice(0, 5);

/** The sentence that says what the chart shows. */
export function chartSummary(input: SubmissionsChartInput, geometry = chartGeometry(input)): string {
  const { onTime, late } = geometry;
  const reported = onTime + late;
  const missing = Math.max(0, input.expected - reported);
  const asOf =
    input.today > input.closeDate
      ? `Kỳ báo cáo đã đóng ngày ${formatDateVi(input.closeDate)}`
      : `Đến ngày ${formatDateVi(input.today)}`;
  return `${asOf}: ${reported}/${input.expected} đơn vị đã nộp (${onTime} đúng hạn, ${late} trễ hạn), ${missing} đơn vị chưa nộp. Hạn nộp ${formatDateVi(input.deadline)}.`;
}

const COLOURS = {
  text: '#1b1b1b',
  axis: '#5a5a5a',
  onTime: '#17663a',
  late: '#8a5300',
  deadline: '#a50e0e',
} as const;

/**
 * The chart as a `<figure>`: the SVG (role img, its title and description), the summary sentence
 * as caption, and the figures by day in a table behind a `<details>`. One per page (its ids).
 */
export function renderSubmissionsChart(input: SubmissionsChartInput, title: string): SafeHtml {
  const g = chartGeometry(input);
  const f = CHART_FRAME;
  const summary = chartSummary(input, g);
  const end = g.onTimePoints.at(-1)![0];
  const onTimeArea = [...g.onTimePoints, [end, f.bottom] as [number, number]];
  const lateArea = [...g.totalPoints, ...[...g.onTimePoints].reverse()];
  // The deadline's label sits under the axis, kept inside the frame near either end.
  const deadlineAnchor = g.deadlineX < f.left + 60 ? 'start' : g.deadlineX > f.right - 60 ? 'end' : 'middle';
  const deadlineLabelX =
    deadlineAnchor === 'start' ? f.left : deadlineAnchor === 'end' ? f.right : g.deadlineX;
  const legendLate = f.left + 170;
  return html`<figure class="chart" data-chart="submissions">
  <svg role="img" aria-labelledby="chart-title" aria-describedby="chart-desc" viewBox="0 0 ${f.width} ${f.height}" width="100%" preserveAspectRatio="xMidYMid meet" font-size="${f.fontSize}" font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" fill="${COLOURS.text}">
    <title id="chart-title">${title}</title>
    <desc id="chart-desc">${summary}</desc>
    <defs><pattern id="chart-late-hatch" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="${COLOURS.late}" stroke-width="3"/></pattern></defs>
    <g data-legend>
      <rect x="${f.left}" y="6" width="16" height="16" fill="${COLOURS.onTime}"/>
      <text x="${f.left + 22}" y="19">Đúng hạn: ${g.onTime}</text>
      <rect x="${legendLate}" y="6" width="16" height="16" fill="url(#chart-late-hatch)" stroke="${COLOURS.late}"/>
      <text x="${legendLate + 22}" y="19">Trễ hạn: ${g.late}</text>
    </g>
    <g data-series="on-time"><polygon points="${pointsOf(onTimeArea)}" fill="${COLOURS.onTime}"/></g>
    <g data-series="late"><polygon points="${pointsOf(lateArea)}" fill="url(#chart-late-hatch)"/><polyline points="${pointsOf(g.totalPoints)}" fill="none" stroke="${COLOURS.late}" stroke-width="2"/></g>
    <polyline points="${pointsOf(g.onTimePoints)}" fill="none" stroke="${COLOURS.onTime}" stroke-width="2"/>
    <g data-expected fill="${COLOURS.axis}">
      <line x1="${f.left}" y1="${n(g.expectedY)}" x2="${f.right}" y2="${n(g.expectedY)}" stroke="${COLOURS.axis}" stroke-dasharray="6 4"/>
      <text x="${f.left + 4}" y="${n(g.expectedY - 7)}">Phải nộp: ${input.expected}</text>
    </g>
    <g data-axes stroke="${COLOURS.axis}">
      <line x1="${f.left}" y1="${f.top}" x2="${f.left}" y2="${f.bottom}"/>
      <line x1="${f.left}" y1="${f.bottom}" x2="${f.right}" y2="${f.bottom}"/>
    </g>
    <g data-ticks>
      <text x="${f.left - 6}" y="${f.bottom + 5}" text-anchor="end">0</text>
      <text x="${f.left - 6}" y="${n(g.expectedY + 5)}" text-anchor="end">${input.expected}</text>
      <text x="${f.left}" y="${f.bottom + 20}">${dayMonth(g.first)}</text>
      <text x="${f.right}" y="${f.bottom + 20}" text-anchor="end">${dayMonth(g.last)}</text>
    </g>
    <g data-deadline fill="${COLOURS.deadline}">
      <line x1="${n(g.deadlineX)}" y1="${f.top - 4}" x2="${n(g.deadlineX)}" y2="${f.bottom + 6}" stroke="${COLOURS.deadline}" stroke-width="2" stroke-dasharray="4 3"/>
      <text x="${n(deadlineLabelX)}" y="${f.bottom + 42}" text-anchor="${deadlineAnchor}" font-weight="600">Hạn nộp ${dayMonth(input.deadline)}</text>
    </g>
  </svg>
  <figcaption>${summary}</figcaption>
  ${chartTable(g, input.deadline)}
</figure>`;
}

/** The figures by day: the days something changed, the deadline, and the last day drawn. */
function chartTable(g: ChartGeometry, deadline: string): SafeHtml {
  const rows = g.daily.filter((day, i) => {
    const before = g.daily[i - 1];
    const changed = !before || before.onTime !== day.onTime || before.late !== day.late;
    return changed || day.date === deadline || i === g.daily.length - 1;
  });
  if (rows.length === 0) return html``;
  return html`<details class="chart-data"><summary>Số liệu của biểu đồ theo ngày</summary>
    <table>
      <caption class="sr">Số đơn vị đã nộp, cộng dồn đến hết mỗi ngày</caption>
      <thead><tr><th scope="col">Ngày</th><th scope="col">Đúng hạn</th><th scope="col">Trễ hạn</th><th scope="col">Tổng đã nộp</th></tr></thead>
      <tbody>${rows.map(
        (d) =>
          html`<tr><td data-label="Ngày">${formatDateVi(d.date)}${d.date === deadline ? ' (hạn nộp)' : ''}</td><td data-label="Đúng hạn">${d.onTime}</td><td data-label="Trễ hạn">${d.late}</td><td data-label="Tổng đã nộp">${d.onTime + d.late}</td></tr>`,
      )}</tbody>
    </table></details>`;
}
