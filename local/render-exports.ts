/**
 * `npm run render:exports [-- OUT_DIR]`: writes the three generated files of a consolidated pack
 * (summary.csv, tong-hop.xlsx, bao-cao-tong-hop.docx) from a small demo period, and, when
 * LibreOffice (`soffice`) and poppler (`pdftoppm`) are installed, renders the first page of the
 * .docx and of the .xlsx as LibreOffice prints them into docs/images/ — the pictures in
 * docs/exports.md. Without them it says so and stops after the files (exit 0).
 *
 * The demo period is written here (not read from a store), so the pictures change only when the
 * writers do.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { DEFAULT_REMINDER_DAYS, type Plan } from '#shared/domain/plan.ts';
import type { ExportUnit, PackContent } from '#shared/export/content.ts';
import { summaryCsvChunks } from '#shared/export/csv.ts';
import { PACK_NAMES } from '#shared/export/pack.ts';
import { reportDocxStream } from '#shared/export/report-docx.ts';
import { summaryRows, writeSummaryXlsx } from '#shared/export/summary-xlsx.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const IMAGES = join(ROOT, 'docs/images');
/** Resolution of the pictures: readable, and small enough for the repository (a few tens of KB each). */
const DPI = 72;

const PLAN: Plan = {
  id: '12-kh-dus-2025',
  number: '12-KH/ĐUS',
  date: '2025-04-15',
  title: 'Đẩy mạnh chuyển đổi số trong công tác xây dựng Đảng giai đoạn 2025 - 2030',
  issuer: 'Đảng ủy Sở',
  superior: { number: '41-KH/ĐUK', date: '2025-03-10' },
  taskGroups: [
    { number: '1', title: 'Số hóa hồ sơ, văn bản và sổ sách của chi bộ', body: '' },
    { number: '2', title: 'Đổi mới sinh hoạt chi bộ với sự hỗ trợ của công nghệ', body: '' },
    { number: '3', title: 'Bồi dưỡng kỹ năng số cho cấp ủy viên và đảng viên', body: '' },
    { number: '4', title: 'Bảo đảm an toàn, an ninh thông tin trên môi trường mạng', body: '' },
  ],
  recipients: [
    'Đảng ủy Khối',
    'Các đồng chí Đảng ủy viên',
    'Các chi bộ trực thuộc',
    'Công đoàn Sở',
    'Lưu: VPĐU',
  ],
  reportingFrequency: 'yearly',
  calendar: {
    frequency: 'yearly',
    deadline: '12-15',
    openDaysBefore: 30,
    closeDaysAfter: 30,
    reminderDays: [...DEFAULT_REMINDER_DAYS],
    timeZone: 'Asia/Ho_Chi_Minh',
  },
  recipientUnitIds: null,
  sourceFileName: 'ke-hoach-12-KH-DUS.docx',
  importedAt: '2026-01-05T02:00:00Z',
  updatedAt: '2026-01-05T02:00:00Z',
};

function unit(
  unitId: string,
  unitName: string,
  status: ExportUnit['row']['status'],
  submittedAt: string | null,
  notes: Record<string, string>,
  files = 0,
): ExportUnit {
  const list = Array.from({ length: files }, (_, i) => ({
    uploadId: `${unitId}-${i}`,
    fileName: `bao-cao-${i + 1}.pdf`,
    key: `reports/${PLAN.id}/2026/${unitId}/${i}`,
    size: 180_000 + i * 53_211,
    contentType: 'application/pdf',
    sha256: Array.from({ length: 8 }, (_, k) =>
      ((i + 1) * 2_654_435_761 * (k + 3)).toString(16).slice(-8),
    ).join(''),
    receivedAt: submittedAt,
  }));
  return {
    row: {
      unitId,
      unitName,
      status,
      deadline: '2026-12-15',
      submittedAt,
      files,
      bytes: list.reduce((s, f) => s + f.size, 0),
      mailProblem: null,
    },
    version: status === 'missing' ? 0 : 1,
    files: list,
    notes,
    // As a deployed pack is: every file cleared by the malware scan (docs/malware-scanning.md).
    scans: Object.fromEntries(
      list.map((f) => [
        f.uploadId,
        {
          status: 'clean' as const,
          engine: 'guardduty' as const,
          scannedAt: submittedAt ?? '2026-12-16T01:00:00Z',
        },
      ]),
    ),
  };
}

/** A demo period: ten units, most reported, one late, two missing; one name very long. */
export function demoContent(): PackContent {
  const units = [
    unit(
      'cb-01',
      'Chi bộ Văn phòng Sở',
      'on_time',
      '2026-12-02T02:15:00Z',
      {
        '1': 'Hoàn thành số hóa 100% sổ ghi biên bản sinh hoạt chi bộ năm 2025, 2026.\nLưu trữ tập trung trên hệ thống của Đảng ủy Sở.',
        '2': 'Tổ chức 2 kỳ sinh hoạt chuyên đề về chuyển đổi số; 100% đảng viên sử dụng sổ tay đảng viên điện tử.',
        '4': 'Rà soát 18 tài khoản, bật xác thực hai lớp cho toàn bộ tài khoản dùng cho công tác đảng.',
      },
      2,
    ),
    unit(
      'cb-02',
      'Chi bộ Phòng Kế hoạch - Tài chính',
      'on_time',
      '2026-12-08T08:40:00Z',
      {
        '1': 'Số hóa sổ theo dõi đảng viên; cập nhật đầy đủ văn bản đến, văn bản đi.',
        '3': 'Cử 3 đồng chí tham gia lớp bồi dưỡng về chữ ký số do Văn phòng Đảng ủy tổ chức.',
      },
      1,
    ),
    unit(
      'cb-03',
      'Chi bộ Phòng Bưu chính, Viễn thông và Công nghệ thông tin',
      'late',
      '2026-12-17T03:05:00Z',
      {
        '1': 'Đã số hóa 80% hồ sơ; phần còn lại hoàn thành trong quý I năm 2027.',
      },
      1,
    ),
    unit('cb-04', 'Chi bộ Thanh tra Sở', 'missing', null, {}),
    unit(
      'cb-05',
      'Chi bộ Trung tâm Công nghệ thông tin và Truyền thông trực thuộc Sở Thông tin và Truyền thông tỉnh (cơ sở 2, khu công nghiệp phía Nam)',
      'on_time',
      '2026-12-11T01:20:00Z',
      {
        '2': 'Duy trì sinh hoạt chi bộ kết hợp trực tuyến tại hai cơ sở.',
        '4': 'Không để xảy ra sự cố mất an toàn thông tin.',
      },
      3,
    ),
    unit(
      'cb-06',
      'Chi bộ Báo điện tử tỉnh',
      'on_time',
      '2026-12-12T07:00:00Z',
      {
        '3': '100% đảng viên hoàn thành khóa học kỹ năng số cơ bản.',
      },
      1,
    ),
    unit('cb-07', 'Chi bộ Đài Phát thanh và Truyền hình', 'missing', null, {}),
  ];
  const expected = units.length;
  const reported = units.filter((u) => u.row.status !== 'missing').length;
  const onTime = units.filter((u) => u.row.status === 'on_time').length;
  return {
    plan: PLAN,
    period: {
      planId: PLAN.id,
      year: 2026,
      openDate: '2026-11-15',
      deadline: '2026-12-15',
      closeDate: '2027-01-14',
      timeZone: 'Asia/Ho_Chi_Minh',
      status: 'open',
      openedAt: '2026-11-15T01:00:00Z',
    },
    committeeName: 'Đảng ủy Sở Thông tin và Truyền thông',
    committeePlace: 'Hải Dương',
    superiorCommittee: 'Đảng ủy Khối các cơ quan tỉnh',
    timeZone: 'Asia/Ho_Chi_Minh',
    generatedAt: new Date('2026-12-16T01:00:00Z'),
    expected,
    reported,
    onTime,
    late: reported - onTime,
    missing: expected - reported,
    completeness: reported / expected,
    timeliness: onTime / expected,
    units,
  };
}

/** Writes the three files into `dir`; returns their paths. */
export async function writeDemoExports(dir: string): Promise<{ csv: string; xlsx: string; docx: string }> {
  const content = demoContent();
  await mkdir(dir, { recursive: true });
  const csv = join(dir, PACK_NAMES.summaryCsv);
  const xlsx = join(dir, PACK_NAMES.summaryXlsx);
  const docx = join(dir, PACK_NAMES.reportDocx);
  await writeFile(csv, [...summaryCsvChunks(content.units)].join(''));
  await writeSummaryXlsx(content, summaryRows(content), createWriteStream(xlsx), undefined, content.units);
  await pipeline(reportDocxStream(content), createWriteStream(docx));
  return { csv, xlsx, docx };
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The first page of `file` as LibreOffice prints it, a PNG at {@link DPI} into `png`. */
async function renderFirstPage(file: string, png: string, work: string): Promise<void> {
  // A profile of its own: a LibreOffice already running for the user does not take the job.
  const profile = `file://${join(work, 'profile')}`;
  execFileSync(
    'soffice',
    [`-env:UserInstallation=${profile}`, '--headless', '--convert-to', 'pdf', '--outdir', work, file],
    { stdio: 'ignore', timeout: 120_000 },
  );
  const pdf = join(work, file.replace(/^.*\//, '').replace(/\.[^.]+$/, '.pdf'));
  const prefix = join(work, 'page');
  execFileSync('pdftoppm', ['-png', '-r', String(DPI), '-f', '1', '-l', '1', '-singlefile', pdf, prefix], {
    timeout: 60_000,
  });
  if (has('convert')) {
    // ImageMagick, when there: 16 colours are plenty for black text, grey and red (a third of the bytes).
    execFileSync('convert', [`${prefix}.png`, '+dither', '-colors', '16', '-strip', `PNG8:${png}`], {
      timeout: 60_000,
    });
  } else {
    await copyFile(`${prefix}.png`, png);
  }
}

async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? join(tmpdir(), 'baocao-exports'));
  const files = await writeDemoExports(out);
  console.log(`Wrote ${files.csv}, ${files.xlsx}, ${files.docx}`);
  if (!has('soffice') || !has('pdftoppm')) {
    console.log(
      'LibreOffice (soffice) or poppler (pdftoppm) is not installed: pictures not rendered ' +
        '(Debian: apt-get install libreoffice-writer-nogui libreoffice-calc-nogui poppler-utils).',
    );
    return;
  }
  const work = await mkdtemp(join(tmpdir(), 'baocao-render-'));
  try {
    await mkdir(IMAGES, { recursive: true });
    for (const [file, name] of [
      [files.docx, 'export-docx.png'],
      [files.xlsx, 'export-xlsx.png'],
    ] as const) {
      const png = join(IMAGES, name);
      await renderFirstPage(file, png, work);
      console.log(`Rendered ${png} (${Math.round((await stat(png)).size / 1024)} KB)`);
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

if (
  process.argv[1] &&
  existsSync(process.argv[1]) &&
  resolve(process.argv[1]) === fileURLToPath(import.meta.url)
) {
  await main();
}
