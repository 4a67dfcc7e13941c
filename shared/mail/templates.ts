import { formatDateTimeVi, formatDateVi } from '#shared/domain/calendar.ts';
import { escapeHtml } from '#shared/http/html.ts';
import { formatBytes } from './format.ts';
import type { MailMessage } from './mail-message.ts';

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
  const signature: Block = {
    p: `${committeeName}\n(Thư gửi tự động từ hệ thống baocao, vui lòng không trả lời thư này.)`,
  };
  const all = [...blocks, signature];
  return {
    subject: `[${message.data.planNumber}] ${subject}`,
    text: all.map(toText).join('\n\n'),
    html: `<!doctype html><html lang="vi"><body style="font-family:Arial,sans-serif;font-size:15px;line-height:1.5;color:#1b1b1b">${all.map(toHtml).join('\n')}</body></html>`,
  };
}

function compose(message: MailMessage): { subject: string; blocks: Block[] } {
  switch (message.template) {
    case 'link': {
      const d = message.data;
      const opened = d.occasion === 'opened';
      return {
        subject: opened
          ? `Mở kỳ báo cáo năm ${message.year} — hạn nộp ${formatDateVi(d.deadline)}`
          : `Liên kết nộp báo cáo năm ${message.year} — hạn nộp ${formatDateVi(d.deadline)}`,
        blocks: [
          { p: `Kính gửi: ${d.unitName}` },
          {
            p: opened
              ? `Thực hiện Kế hoạch số ${d.planNumber} (${d.planTitle}), đề nghị đơn vị báo cáo kết quả thực hiện năm ${message.year}.`
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
      const files = d.files.map((f) => `${f.fileName} — ${formatBytes(f.size)}\nSHA-256: ${f.sha256}`);
      return {
        subject: `Biên nhận báo cáo năm ${message.year} — ${d.unitName}`,
        blocks: [
          { p: `Kính gửi: ${d.unitName}` },
          {
            p: `Hệ thống đã nhận báo cáo năm ${message.year} theo Kế hoạch số ${d.planNumber} (lần nộp thứ ${d.version}).`,
          },
          {
            table: [
              ['Thời điểm nhận (giờ máy chủ)', formatDateTimeVi(new Date(d.receivedAt), d.timeZone)],
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
