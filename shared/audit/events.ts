/**
 * What the audit log records: one kind per event a committee may have to account for ("who
 * opened, sent, downloaded or changed what, and when"), with its Vietnamese label for the page,
 * the CLI and the workbook. A kind is part of each hashed record: never rename one, only add.
 */
export const AUDIT_EVENT_LABELS = {
  'sign-in': 'Đăng nhập',
  /** A person of several committees chose the one to work for ("Chọn cấp ủy"): in that one's log. */
  'session.committee-chosen': 'Chọn cấp ủy làm việc',
  'link.issued': 'Cấp liên kết nộp báo cáo',
  'link.opened': 'Mở liên kết nộp báo cáo',
  'link.resent': 'Gửi lại liên kết',
  'link.revoked': 'Thu hồi liên kết',
  'upload.granted': 'Cho phép tải lên',
  'upload.recorded': 'Ghi nhận báo cáo',
  'upload.quarantined': 'Cách ly tệp tải lên',
  'upload.replace-refused': 'Từ chối nộp lại',
  'download.file': 'Tải xuống tệp báo cáo',
  'download.export': 'Tải xuống bản tổng hợp',
  'export.started': 'Yêu cầu tổng hợp',
  'export.built': 'Hoàn thành tổng hợp',
  'reminder.sent': 'Gửi nhắc hạn',
  'digest.sent': 'Gửi thư tổng hợp tình hình',
  'deadline.extended': 'Gia hạn',
  'plan.changed': 'Thay đổi kế hoạch',
  'unit.changed': 'Thay đổi đơn vị',
  'member.changed': 'Thay đổi thành viên',
  'signature.checked': 'Kiểm tra chữ ký số',
} as const satisfies Record<string, string>;

export type AuditEventKind = keyof typeof AUDIT_EVENT_LABELS;

export const AUDIT_EVENT_KINDS = Object.keys(AUDIT_EVENT_LABELS) as AuditEventKind[];

export function isAuditEventKind(value: string): value is AuditEventKind {
  return Object.hasOwn(AUDIT_EVENT_LABELS, value);
}

/** Who acted: a committee member (by address), a unit through its link, or the system itself. */
export type AuditActorType = 'member' | 'unit' | 'system';

export const AUDIT_ACTOR_LABELS: Record<AuditActorType, string> = {
  member: 'Thành viên',
  unit: 'Đơn vị',
  system: 'Hệ thống',
};

/** How the action ended. */
export type AuditOutcome = 'ok' | 'refused' | 'failed';

export const AUDIT_OUTCOME_LABELS: Record<AuditOutcome, string> = {
  ok: 'Thành công',
  refused: 'Bị từ chối',
  failed: 'Lỗi',
};
