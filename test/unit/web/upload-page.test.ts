import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  renderUploadPage,
  UPLOAD_SCRIPT,
  UPLOAD_SCRIPT_HASH,
  uploadPageCsp,
} from '#functions/web/upload-page.ts';
import type { UnitStatusView } from '#shared/uploads/unit-status.ts';

const SHA = 'a'.repeat(64);
const view: UnitStatusView = {
  plan: {
    id: '12-kh-dus-2025',
    number: '12-KH/ĐUS',
    title: 'Chuyển đổi số trong sinh hoạt chi bộ',
    taskGroups: [
      { number: '1', title: 'Số hóa hồ sơ' },
      { number: '2', title: 'Đổi mới sinh hoạt' },
    ],
  },
  unit: { id: 'cb-a', name: 'Chi bộ <A>' },
  period: {
    year: 2026,
    deadline: '2026-12-15',
    closeDate: '2027-01-14',
    timeZone: 'Asia/Ho_Chi_Minh',
    open: true,
    closesAt: '2027-01-14T17:00:00.000Z',
    daysLate: 2,
  },
  limits: {
    maxBytes: 25 * 1024 * 1024,
    maxFiles: 10,
    fileTypes: { pdf: 'application/pdf', png: 'image/png' },
  },
  status: 'late',
  submittedAt: '2026-12-17T02:05:00.000Z',
  latestVersion: 2,
  versionsBegun: 2,
  versions: [
    {
      version: 2,
      createdAt: '2026-12-17T02:00:00.000Z',
      expectedFiles: 2,
      files: [
        {
          fileName: '<script>alert(1)</script>.pdf',
          size: 1536,
          contentType: 'application/pdf',
          sha256: SHA,
          receivedAt: '2026-12-17T02:05:00.000Z',
        },
      ],
      rejected: [
        { fileName: 'anh.png', reason: 'Tệp không phải ảnh PNG.', rejectedAt: '2026-12-17T02:05:01.000Z' },
      ],
      notes: { '1': 'Ghi chú "cũ" </textarea><b>' },
      submittedAt: '2026-12-17T02:05:00.000Z',
      onTime: false,
    },
    {
      version: 1,
      createdAt: '2026-12-16T02:00:00.000Z',
      expectedFiles: 1,
      files: [],
      rejected: [],
      notes: {},
      submittedAt: null,
      onTime: null,
    },
  ],
  serverTime: '2026-12-17T03:00:00.000Z',
};

describe('renderUploadPage', () => {
  const body = renderUploadPage(view, { committeeName: 'Đảng ủy Sở' });

  it('shows the deadline as dd/mm/yyyy with the days late, and each receipt', () => {
    expect(body).toContain('<strong>15/12/2026</strong> — <span class="late-text">đã trễ 2 ngày</span>');
    expect(body).toContain('Lần nộp số 2 — nhận lúc 17/12/2026 09:05');
    expect(body).toContain(`SHA-256: ${SHA}`);
    expect(body).toContain('1,5 KB');
    expect(body).toContain('Trễ hạn');
    expect(body).toContain('Tệp không phải ảnh PNG.');
    expect(body).toContain('Đã nộp lần số 2 (trễ hạn)');
    // A version with nothing received yet is not listed.
    expect(body).not.toContain('data-version="1"');
  });

  it('escapes every value that comes from people', () => {
    expect(body).not.toContain('<script>alert(1)</script>');
    expect(body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;.pdf');
    expect(body).toContain('Chi bộ &lt;A&gt;');
    expect(body).toContain('Ghi chú &quot;cũ&quot; &lt;/textarea&gt;&lt;b&gt;</textarea>');
  });

  it('holds exactly one script, the built one, and the CSP allows it by its SHA-256', () => {
    const scripts = [...body.matchAll(/<script\b[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
    expect(scripts).toEqual([UPLOAD_SCRIPT]);
    const hash = `'sha256-${createHash('sha256').update(UPLOAD_SCRIPT, 'utf8').digest('base64')}'`;
    expect(UPLOAD_SCRIPT_HASH).toBe(hash);
    const csp = uploadPageCsp('https://b.s3.ap-southeast-1.amazonaws.com');
    expect(csp.split('; ')).toContain(`script-src ${hash}`);
    expect(UPLOAD_SCRIPT).not.toMatch(
      /<\/script|innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/i,
    );
  });
});
