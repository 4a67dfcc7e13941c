/**
 * The unit commands of `baocao`: `units list`, `units retire`, `units reinstate`, and
 * `plan recipients` — the same use cases as the web app's units pages (shared/units/,
 * docs/units.md). Registered on the program of cli/main.ts, with its global `--json` and
 * `--stage` options.
 *
 * `--json` prints the use cases' results, with ISO dates and instants:
 * - `units list` → `{units: Unit[]}` (each `{id, name, email, cc, note?, active, retired?:
 *   {from, reason: "merged" | "dissolved" | "other", detail?, at}, updatedAt}`);
 * - `units retire` → `{unit, withdrawn: [{planId, year}]}`;
 * - `units reinstate` → `{unit, restored: [{planId, year}], notAssigned: [{planId, year}]}`;
 * - `plan recipients` → `{planId, before, after, joining, leaving, periods: [{year, joining,
 *   leaving, announced, problem?}], applied: true, linksEmailed}` (units as `{unitId, unitName}`).
 */
import type { Command } from 'commander';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { formatDateVi, localDate } from '#shared/domain/calendar.ts';
import { retirementText, type Unit } from '#shared/domain/unit.ts';
import { ValidationError } from '#shared/errors.ts';
import { changeRecipients, type RecipientsChange, type UnitRef } from '#shared/units/recipients.ts';
import { type PeriodRef, reinstateUnit, retireUnit } from '#shared/units/retire.ts';
import { listUnits } from '#shared/units/units.ts';
import { unitStatusText } from '#shared/units/units-xlsx.ts';
import { connect } from '../connect.ts';
import { withLocalMailQueue } from '../local-mail.ts';
import { globals, out, subcommand } from '../output.ts';

/** Adds `units list`, `units retire`, `units reinstate` and `plan recipients` to the program. */
export function registerUnitCommands(program: Command): void {
  const units = subcommand(program, 'units');

  units
    .command('list')
    .description('liệt kê các đơn vị: mã, tên, e-mail, tình trạng')
    .action(async (_opts, cmd: Command) => {
      const { deps } = await connect(globals(cmd));
      const list = await listUnits(deps);
      const today = localDate(deps.clock.now(), deps.settings.timeZone);
      out(cmd, { units: list }, () => describeUnits(list, today));
    });

  units
    .command('retire')
    .argument('<đơn-vị>', 'mã đơn vị, ví dụ cb-van-phong')
    .option('--from <YYYY-MM-DD>', 'thôi báo cáo từ ngày này (giờ của Đảng ủy; mặc định: hôm nay)')
    .option('--reason <lý-do>', 'lý do: sap-nhap (sáp nhập), giai-the (giải thể) hoặc khac (khác)', 'khac')
    .option('--detail <văn-bản>', 'ghi chú lý do, ví dụ "sáp nhập vào Chi bộ Văn phòng"')
    .description(
      'cho đơn vị thôi báo cáo từ một ngày: từ ngày đó đơn vị không nhận liên kết, nhắc hạn hay thư nào và không còn được tính vào số đơn vị phải báo cáo của các kỳ đang mở; lịch sử và tệp đã nộp được giữ',
    )
    .action(
      async (unitId: string, opts: { from?: string; reason: string; detail?: string }, cmd: Command) => {
        const { deps } = await connect(globals(cmd));
        const result = await retireUnit(deps, unitId, opts);
        out(cmd, result, () => {
          const retired = result.unit.retired!;
          return [
            `Đơn vị ${result.unit.id} (${result.unit.name}) thôi báo cáo từ ${formatDateVi(retired.from)} — ${retirementText(retired)}.`,
            result.withdrawn.length > 0
              ? `  Không còn báo cáo trong ${result.withdrawn.length} kỳ đang mở: ${periods(result.withdrawn)}`
              : '  Không có kỳ báo cáo đang mở nào của đơn vị.',
          ].join('\n');
        });
      },
    );

  units
    .command('reinstate')
    .argument('<đơn-vị>', 'mã đơn vị')
    .description(
      'khôi phục đơn vị đã thôi báo cáo: liên kết cũ dùng được lại trong các kỳ đang mở; không gửi e-mail nào',
    )
    .action(async (unitId: string, _opts, cmd: Command) => {
      const { deps } = await connect(globals(cmd));
      const result = await reinstateUnit(deps, unitId);
      out(cmd, result, () =>
        [
          `Đơn vị ${result.unit.id} (${result.unit.name}) hoạt động trở lại; không gửi e-mail nào.`,
          result.restored.length > 0
            ? `  Liên kết dùng được lại trong: ${periods(result.restored)}`
            : '  Không có kỳ báo cáo đang mở nào có đơn vị này.',
          ...(result.notAssigned.length > 0
            ? [
                `  Chưa thuộc các kỳ đang mở: ${periods(result.notAssigned)} (giao bằng lệnh "baocao plan recipients").`,
              ]
            : []),
        ].join('\n'),
      );
    });

  subcommand(program, 'plan')
    .command('recipients')
    .argument('<kế-hoạch>', 'mã kế hoạch, ví dụ 12-kh-dus-2025')
    .option('--all', 'mọi đơn vị đang hoạt động báo cáo theo kế hoạch (mặc định của kế hoạch mới)')
    .option('--units <danh-sách>', 'chỉ các đơn vị này, mã cách nhau bằng dấu phẩy, ví dụ cb-a,cb-b,cb-c')
    .description(
      'chọn đơn vị báo cáo theo kế hoạch và áp dụng ngay cho các kỳ đang mở: đơn vị mới nhận liên kết qua e-mail, đơn vị bị bỏ ra thôi báo cáo từ hôm nay',
    )
    .action(async (planId: string, opts: { all?: boolean; units?: string }, cmd: Command) => {
      if (Boolean(opts.all) === (opts.units !== undefined)) {
        throw new ValidationError(
          'Give exactly one of --all and --units',
          [],
          'Hãy dùng đúng một trong hai tùy chọn: --all (mọi đơn vị đang hoạt động) hoặc --units a,b,c.',
        );
      }
      const unitIds = opts.all
        ? null
        : (opts.units ?? '')
            .split(',')
            .map((id) => id.trim())
            .filter(Boolean);
      const connection = await connect(globals(cmd));
      const { result: change, deadLetters } = await withLocalMailQueue(connection, (runtime) =>
        changeRecipients(createPlannerDeps(runtime), planId, unitIds, { confirm: true }),
      );
      const mailed = change.periods.reduce((sum, p) => sum + (p.announced ?? 0), 0);
      out(cmd, { ...change, linksEmailed: mailed - deadLetters }, () =>
        describeChange(change, mailed - deadLetters),
      );
      const problems = change.periods.filter((p) => p.problem);
      if (problems.length > 0 || deadLetters > 0) {
        process.stderr.write(
          `baocao: ${[...problems.map((p) => `năm ${p.year}: ${p.problem}`), ...(deadLetters > 0 ? [`${deadLetters} e-mail không gửi được`] : [])].join('; ')}\n`,
        );
        process.exitCode = 1;
      }
    });
}

/** `units list`: one line a unit, then the count. */
export function describeUnits(units: readonly Unit[], today: string): string {
  if (units.length === 0) return 'Chưa có đơn vị nào (nhập bằng lệnh "baocao units import TỆP.csv").';
  const width = Math.min(28, Math.max(...units.map((u) => u.id.length)));
  return [
    ...units.map((u) => {
      const status = unitStatusText(u, today);
      const reason = u.retired ? ` (${retirementText(u.retired)})` : '';
      return `${u.id.padEnd(width)}  ${u.name} <${u.email}>${u.cc.length > 0 ? ` cc ${u.cc.join(', ')}` : ''} — ${status}${reason}`;
    }),
    `${units.length} đơn vị, ${units.filter((u) => u.active && !u.retired).length} đang hoạt động.`,
  ].join('\n');
}

function periods(refs: readonly PeriodRef[]): string {
  return refs.map((r) => `${r.planId} năm ${r.year}`).join(', ');
}

function names(units: readonly UnitRef[]): string {
  return units.length === 0 ? 'không có' : units.map((u) => `${u.unitName} (${u.unitId})`).join(', ');
}

/** `plan recipients`: the new choice, then what changed in each period not closed. */
export function describeChange(change: RecipientsChange, linksEmailed: number): string {
  return [
    `Kế hoạch ${change.planId}: ${change.after === null ? 'mọi đơn vị đang hoạt động' : `${change.after.length} đơn vị được chọn`} báo cáo.`,
    `  Thêm vào: ${names(change.joining)}`,
    `  Bỏ ra: ${names(change.leaving)}`,
    ...change.periods.flatMap((p) => [
      `  Kỳ năm ${p.year} (đang mở): thêm ${p.joining.length}, bỏ ra ${p.leaving.length} (thôi báo cáo từ hôm nay)${p.announced ? `, ${p.announced} liên kết gửi qua e-mail` : ''}`,
      ...(p.problem ? [`    Chưa làm được: ${p.problem}`] : []),
    ]),
    ...(change.periods.length > 0 ? [`  Tổng số liên kết đã gửi: ${linksEmailed}`] : []),
  ].join('\n');
}
