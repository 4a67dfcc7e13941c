import { formatBytes } from '#shared/domain/bytes.ts';
import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { ROLE_DESCRIPTIONS, ROLE_LABELS } from '#shared/domain/member-role.ts';
import { isPdfFile, RECEIPT_SIGNATURE_NOTE } from '#shared/domain/signature-result.ts';
import { escapeHtml } from '#shared/html-escape.ts';

/** A rendered e-mail: Vietnamese subject, plain text and HTML with the same content. */
export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** One block of an e-mail, rendered to text and to HTML alike so the two never drift apart. */
type Block =
  | { p: string }
  | { link: string; label: string }
  | { list: string[] }
  | { table: [string, string][] }
  | { mono: string[] };

/**
 * Renders a mail message. Subjects start with the plan number in brackets so that units can
 * filter them, e.g. `[30-KH/ĐUK] Biên nhận báo cáo năm 2026`.
 */
export function renderMail(message: MailMessage, committeeName: string): RenderedMail {
  const { subject, blocks } = compose(message);
  const signer = signerOf(message, committeeName);
  const signature: Block = {
    p: `${signer ? `${signer}\n` : ''}(Thư gửi tự động từ hệ thống baocao, vui lòng không trả lời thư này.)`,
  };
  const all = [...blocks, signature];
  return {
    subject: `[${message.data.planNumber}] ${subject}`,
    text: all.map(toText).join('\n\n'),
    html: `<!doctype html><html lang="vi"><body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#1b1b1b">${all.map(toHtml).join('\n')}</body></html>`,
  };
}

/**
 * Who signs an e-mail: the committee whose e-mail it is; a sign-in link names the person's own
 * committee, or none when they belong to several (docs/tenancy.md).
 */
function signerOf(message: MailMessage, committeeName: string): string | undefined {
  if (message.template !== 'sign-in' || !message.data.committees) return committeeName;
  return message.data.committees.length === 1 ? message.data.committees[0] : undefined;
}

function compose(message: MailMessage): { subject: string; blocks: Block[] } {
  switch (message.template) {
    case 'link': {
      const d = message.data;
      const opened = d.occasion === 'opened';
      const revoked = d.occasion === 'revoked';
      return {
        subject: opened
          ? `Mở kỳ báo cáo năm ${message.year} — hạn nộp ${formatDateVi(d.deadline)}`
          : revoked
            ? `Liên kết mới nộp báo cáo năm ${message.year} — liên kết cũ không còn dùng được`
            : `Liên kết nộp báo cáo năm ${message.year} — hạn nộp ${formatDateVi(d.deadline)}`,
        blocks: [
          { p: `Kính gửi: ${d.unitName}` },
          {
            p: opened
              ? `Thực hiện Kế hoạch số ${d.planNumber} (${d.planTitle}), đề nghị đơn vị báo cáo kết quả thực hiện năm ${message.year}.`
              : revoked
                ? `Văn phòng Đảng ủy đã thu hồi liên kết nộp báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}) gửi đơn vị trước đây: liên kết cũ không còn dùng được nữa. Xin dùng liên kết mới trong thư này; các báo cáo đơn vị đã nộp vẫn được giữ nguyên.`
                : `Văn phòng Đảng ủy gửi lại liên kết nộp báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}). Các liên kết gửi trước đây (nếu có) vẫn dùng được, trừ khi đã bị thu hồi.`,
          },
          {
            table: [
              ['Hạn nộp', formatDateVi(d.deadline)],
              ['Nhận báo cáo muộn đến hết ngày', formatDateVi(d.closeDate)],
            ],
          },
          { p: 'Nộp báo cáo (không cần tài khoản, mở được trên điện thoại hoặc máy tính):' },
          { link: d.uploadUrl, label: 'Mở trang nộp báo cáo' },
          { p: 'Nội dung báo cáo theo các nhóm nhiệm vụ của kế hoạch:' },
          { list: d.taskGroups.map((t) => `${t.number}. ${t.title}`) },
          { p: 'Liên kết này dành riêng cho đơn vị, xin không chuyển tiếp cho người ngoài.' },
        ],
      };
    }
    case 'receipt': {
      const d = message.data;
      // A PDF's signatures are checked after the receipt (docs/signatures.md): the status page
      // shows the result once it is known.
      const files = d.files.map(
        (f) =>
          `${f.fileName} — ${formatBytes(f.size)}\nSHA-256: ${f.sha256}${isPdfFile({ fileName: f.fileName, contentType: '' }) ? `\n${RECEIPT_SIGNATURE_NOTE}` : ''}`,
      );
      return {
        subject: `Biên nhận báo cáo năm ${message.year} — ${d.unitName}`,
        blocks: [
          { p: `Kính gửi: ${d.unitName}` },
          {
            p: `Văn phòng Đảng ủy đã nhận báo cáo năm ${message.year} của đơn vị theo Kế hoạch số ${d.planNumber} (lần nộp số ${d.version}).`,
          },
          {
            table: [
              [
                `Thời điểm nhận (${d.timeZone === 'Asia/Ho_Chi_Minh' || d.timeZone === 'Asia/Saigon' ? 'giờ Việt Nam' : `giờ theo múi ${d.timeZone}`})`,
                formatDateTimeVi(new Date(d.receivedAt), d.timeZone),
              ],
              ['Hạn nộp', formatDateVi(d.deadline)],
              ['Tình trạng', d.onTime ? 'Đúng hạn' : 'Trễ hạn'],
            ],
          },
          { p: `Các tệp đã nhận (${d.files.length}):` },
          { mono: files },
          ...(d.rejected.length
            ? [
                { p: 'Các tệp không được chấp nhận:' } as Block,
                { list: d.rejected.map((r) => `${r.fileName}: ${r.reason}`) } as Block,
              ]
            : []),
          {
            p: 'Mã SHA-256 giúp đối chiếu đúng tệp đã nộp. Đơn vị có thể nộp lại để thay thế báo cáo trước khi kỳ báo cáo đóng; bản nộp sau cùng được dùng để tổng hợp.',
          },
          ...(d.statusUrl ? [{ link: d.statusUrl, label: 'Xem các lần nộp' } as Block] : []),
        ],
      };
    }
    case 'extension-granted': {
      const d = message.data;
      return {
        subject: d.extended
          ? `Gia hạn nộp báo cáo năm ${message.year} — hạn mới ${formatDateVi(d.deadline)}`
          : `Thay đổi hạn nộp báo cáo năm ${message.year} — hạn nộp ${formatDateVi(d.deadline)}`,
        blocks: [
          { p: `Kính gửi: ${d.unitName}` },
          {
            p: d.extended
              ? `Văn phòng Đảng ủy đồng ý gia hạn nộp báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}) cho đơn vị đến hết ngày ${formatDateVi(d.deadline)}.`
              : `Văn phòng Đảng ủy thông báo: hạn nộp báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}) của đơn vị là ngày ${formatDateVi(d.deadline)}, theo hạn chung của kỳ báo cáo.`,
          },
          {
            table: [
              ['Hạn nộp mới', formatDateVi(d.deadline)],
              ['Hạn nộp trước đây', formatDateVi(d.previousDeadline)],
              ['Nhận báo cáo muộn đến hết ngày', formatDateVi(d.closeDate)],
            ],
          },
          { p: 'Liên kết nộp báo cáo của đơn vị không thay đổi:' },
          { link: d.uploadUrl, label: 'Mở trang nộp báo cáo' },
          { p: `Báo cáo nộp đến hết ngày ${formatDateVi(d.deadline)} được ghi nhận là đúng hạn.` },
        ],
      };
    }
    case 'sign-in': {
      const d = message.data;
      // The person's committees as the mailer found them: one is named; several are listed,
      // and the chooser ("Chọn cấp ủy") follows the sign-in.
      const committees = d.committees ?? [d.unitName];
      const intro: Block[] =
        committees.length === 1
          ? [{ p: `Có yêu cầu đăng nhập trang quản lý báo cáo của ${committees[0]} bằng địa chỉ này.` }]
          : [
              {
                p: `Có yêu cầu đăng nhập trang quản lý báo cáo bằng địa chỉ này. Địa chỉ này là thành viên của ${committees.length} cấp ủy:`,
              },
              { list: committees },
              {
                p: 'Sau khi đăng nhập, đồng chí chọn cấp ủy để làm việc (có thể đổi cấp ủy bất cứ lúc nào).',
              },
            ];
      return {
        subject: 'Liên kết đăng nhập',
        blocks: [
          ...intro,
          { link: d.signInUrl, label: 'Đăng nhập' },
          {
            p: `Liên kết dùng được một lần trong ${d.validMinutes} phút. Nếu đồng chí không yêu cầu đăng nhập, xin bỏ qua thư này.`,
          },
        ],
      };
    }
    case 'member-invite': {
      const d = message.data;
      const role = ROLE_LABELS[d.role];
      return {
        subject: `Mời tham gia trang quản lý báo cáo của ${d.unitName}`,
        blocks: [
          {
            p: `Địa chỉ e-mail này vừa được thêm vào trang quản lý báo cáo của ${d.unitName}, với vai trò ${role}.`,
          },
          {
            table: [
              ['Vai trò', role],
              ['Được phép', ROLE_DESCRIPTIONS[d.role]],
              ...(d.invitedBy ? [['Người mời', d.invitedBy] as [string, string]] : []),
            ],
          },
          {
            p: 'Để đăng nhập, mở trang đăng nhập và nhập địa chỉ e-mail này: hệ thống gửi tới địa chỉ này một liên kết đăng nhập dùng một lần. Không cần mật khẩu.',
          },
          { link: d.signInUrl, label: 'Mở trang đăng nhập' },
          { p: 'Nếu đồng chí không chờ đợi thư này, xin báo lại văn phòng Đảng ủy.' },
        ],
      };
    }
    case 'reminder': {
      const d = message.data;
      const days = Math.abs(d.step);
      const before = d.step < 0;
      const deadline = `${formatDateVi(d.deadline)}${d.extended ? ' (đã gia hạn)' : ''}`;
      return {
        subject: before
          ? `Nhắc hạn nộp báo cáo năm ${message.year} — còn ${days} ngày`
          : `Nhắc nộp báo cáo năm ${message.year} — đã quá hạn ${days} ngày`,
        blocks: [
          { p: `Kính gửi: ${d.unitName}` },
          {
            p: before
              ? `Đơn vị chưa nộp báo cáo kết quả thực hiện năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}). Hạn nộp là ngày ${deadline}, còn ${days} ngày.`
              : `Báo cáo kết quả thực hiện năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}) của đơn vị đã quá hạn ${days} ngày (hạn nộp ${deadline}). Đề nghị đơn vị nộp báo cáo sớm; báo cáo nộp sau hạn được ghi nhận là trễ hạn.`,
          },
          {
            table: [
              ['Hạn nộp', deadline],
              ['Nhận báo cáo muộn đến hết ngày', formatDateVi(d.closeDate)],
            ],
          },
          { link: d.uploadUrl, label: 'Mở trang nộp báo cáo' },
          { p: 'Nếu đơn vị vừa nộp báo cáo sau khi thư này được gửi đi, xin bỏ qua thư này.' },
        ],
      };
    }
    case 'digest': {
      const d = message.data;
      const reported = d.onTime + d.late;
      const afterDeadline = d.occasion === 'after_deadline';
      const more = (n: number): string[] =>
        n > 0 ? [`… và ${n} đơn vị khác (xem đầy đủ trên trang quản trị)`] : [];
      const section = (title: string, items: string[], omitted: number): Block[] =>
        items.length + omitted > 0 ? [{ p: title }, { list: [...items, ...more(omitted)] }] : [];
      return {
        subject: afterDeadline
          ? `Kết quả nộp báo cáo năm ${message.year} sau hạn ${formatDateVi(d.deadline)} — ${reported}/${d.expected} đơn vị đã nộp`
          : `Tình hình nộp báo cáo năm ${message.year} đến ngày ${formatDateVi(d.date)} — ${reported}/${d.expected} đơn vị đã nộp`,
        blocks: [
          { p: 'Kính gửi: Văn phòng Đảng ủy' },
          {
            p: afterDeadline
              ? `Hạn nộp báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}) đã kết thúc ngày ${formatDateVi(d.deadline)}. Tình hình nộp báo cáo như sau:`
              : `Tình hình nộp báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}) đến ngày ${formatDateVi(d.date)}:`,
          },
          {
            table: [
              ['Hạn nộp', formatDateVi(d.deadline)],
              ['Nhận báo cáo muộn đến hết ngày', formatDateVi(d.closeDate)],
              ['Số đơn vị phải báo cáo', String(d.expected)],
              ['Đã nộp', `${reported} (đúng hạn ${d.onTime}, trễ hạn ${d.late})`],
              ['Chưa nộp', String(d.missing)],
              ['Tỉ lệ hoàn thành', formatRate(reported, d.expected)],
              ['Tỉ lệ đúng hạn', formatRate(d.onTime, d.expected)],
            ],
          },
          ...section(
            `Đơn vị chưa nộp (${d.missing}):`,
            d.missingUnits.map(
              (u) =>
                `${u.unitName} (${u.unitId})${u.deadline !== d.deadline ? ` — gia hạn đến ${formatDateVi(u.deadline)}` : ''}`,
            ),
            d.omitted.missingUnits,
          ),
          ...section(
            `Đơn vị nộp trễ hạn (${d.late}):`,
            d.lateUnits.map(
              (u) => `${u.unitName} (${u.unitId}) — nộp lúc ${formatDateTimeVi(u.submittedAt, d.timeZone)}`,
            ),
            d.omitted.lateUnits,
          ),
          ...section(
            'Thư gửi đơn vị không đến được (cần kiểm tra lại địa chỉ e-mail):',
            d.mailProblems.map((u) => `${u.unitName} (${u.unitId}): ${u.problem}`),
            d.omitted.mailProblems,
          ),
          ...(d.dashboardUrl
            ? [{ link: d.dashboardUrl, label: 'Xem chi tiết trên trang quản trị' } as Block]
            : []),
        ],
      };
    }
    case 'export-ready': {
      const d = message.data;
      const rate = (x: number) => `${(x * 100).toFixed(1).replace('.', ',')}%`;
      return {
        subject: `Đã tổng hợp kết quả báo cáo năm ${message.year} — ${d.reported}/${d.expected} đơn vị đã nộp`,
        blocks: [
          { p: 'Kính gửi: Văn phòng Đảng ủy' },
          {
            p: `Hệ thống đã tổng hợp kết quả báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (${d.planTitle}).`,
          },
          {
            table: [
              ['Số đơn vị phải báo cáo', String(d.expected)],
              ['Đã nộp', `${d.reported} (đúng hạn ${d.onTime}, trễ hạn ${d.late})`],
              ['Chưa nộp', String(d.missing)],
              ['Tỷ lệ đầy đủ', rate(d.completeness)],
              ['Tỷ lệ đúng hạn', rate(d.timeliness)],
              ['Số tệp báo cáo', String(d.files)],
              ['Dung lượng gói tổng hợp', formatBytes(d.size)],
              ['Thời điểm tổng hợp', formatDateTimeVi(d.finishedAt, d.timeZone)],
            ],
          },
          {
            p: 'Gói tổng hợp (tệp ZIP) gồm: bảng tổng hợp summary.csv và tong-hop.xlsx, dự thảo báo cáo tổng hợp bao-cao-tong-hop.docx, và báo cáo của từng đơn vị trong thư mục don-vi. Tải gói trên trang quản trị sau khi đăng nhập.',
          },
          ...(d.pageUrl ? [{ link: d.pageUrl, label: 'Mở trang kỳ báo cáo' } as Block] : []),
        ],
      };
    }
    case 'quarantined': {
      const d = message.data;
      const where = `báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber}`;
      return {
        subject: `Tệp báo cáo có mã độc đã bị cách ly — ${d.fileName}`,
        blocks: [
          { p: d.audience === 'unit' ? `Kính gửi: ${d.unitName}` : 'Kính gửi: Văn phòng Đảng ủy' },
          {
            p:
              d.audience === 'unit'
                ? `Khi kiểm tra mã độc, hệ thống phát hiện tệp "${d.fileName}" đơn vị gửi cho ${where} có chứa mã độc. Tệp đã bị cách ly: không ai tải xuống được và tệp không được đưa vào bản tổng hợp.`
                : `Khi kiểm tra mã độc, hệ thống phát hiện tệp "${d.fileName}" của ${d.unitName} gửi cho ${where} có chứa mã độc. Tệp đã bị cách ly: không tải xuống được và không được đưa vào bản tổng hợp.`,
          },
          { table: [['Mã độc phát hiện', d.threat]] },
          {
            p:
              d.audience === 'unit'
                ? 'Xin quét lại máy tính bằng phần mềm diệt virus, tạo lại tệp từ bản gốc sạch và nộp lại bằng liên kết trong thư của văn phòng Đảng ủy.'
                : 'Đơn vị đã được thông báo để nộp lại tệp sạch. Không mở tệp này từ bất kỳ bản sao nào khác.',
          },
          ...(d.pageUrl ? [{ link: d.pageUrl, label: 'Mở trang của đơn vị' } as Block] : []),
        ],
      };
    }
    case 'rejected': {
      const d = message.data;
      return {
        subject: `Tệp báo cáo không được chấp nhận — ${d.fileName}`,
        blocks: [
          { p: `Kính gửi: ${d.unitName}` },
          {
            p: `Tệp "${d.fileName}" gửi cho báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} không được chấp nhận.`,
          },
          { table: [['Lý do', d.reason]] },
          { p: 'Xin kiểm tra lại tệp (định dạng PDF, Word, Excel, OpenDocument, JPG hoặc PNG) và nộp lại.' },
          ...(d.uploadUrl ? [{ link: d.uploadUrl, label: 'Mở trang nộp báo cáo' } as Block] : []),
        ],
      };
    }
  }
}

/** A share as a Vietnamese percentage with a decimal comma: 12 of 22 → "54,5%". */
function formatRate(part: number, whole: number): string {
  const pct = whole > 0 ? Math.round((part / whole) * 1000) / 10 : 0;
  return `${String(pct).replace('.', ',')}%`;
}

function toText(block: Block): string {
  if ('p' in block) return block.p;
  if ('link' in block) return `${block.label}: ${block.link}`;
  if ('list' in block) return block.list.map((item) => `- ${item}`).join('\n');
  if ('table' in block) return block.table.map(([k, v]) => `${k}: ${v}`).join('\n');
  return block.mono.join('\n\n');
}

function toHtml(block: Block): string {
  const br = (s: string) => escapeHtml(s).replace(/\n/g, '<br>');
  if ('p' in block) return `<p>${br(block.p)}</p>`;
  if ('link' in block)
    return `<p><a href="${escapeHtml(block.link)}" style="display:inline-block;padding:10px 16px;background:#a50e0e;color:#fff;text-decoration:none;border-radius:6px">${escapeHtml(block.label)}</a><br><span style="font-size:13px;color:#5a5a5a">${escapeHtml(block.link)}</span></p>`;
  if ('list' in block) return `<ul>${block.list.map((i) => `<li>${br(i)}</li>`).join('')}</ul>`;
  if ('table' in block)
    return `<table style="border-collapse:collapse">${block.table.map(([k, v]) => `<tr><td style="padding:2px 12px 2px 0;color:#5a5a5a">${escapeHtml(k)}</td><td style="padding:2px 0"><strong>${escapeHtml(v)}</strong></td></tr>`).join('')}</table>`;
  return block.mono.map((m) => `<p style="font-family:monospace;font-size:13px">${br(m)}</p>`).join('');
}
