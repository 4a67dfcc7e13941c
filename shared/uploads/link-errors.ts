import { DomainError } from '#shared/errors.ts';

/**
 * Why a unit's upload link was refused. The messages never say which check failed for an
 * invalid link (malformed, tampered, unknown unit or period all read the same), so a guesser
 * learns nothing; expired and revoked links get their own message because the unit can act on it.
 */

/** Malformed, tampered, signed with another key, or naming no assignment. HTTP 404. */
export class InvalidLinkError extends DomainError {
  readonly code = 'LINK_INVALID';
  constructor(reason = 'invalid upload link') {
    super(reason, 'Liên kết không hợp lệ. Hãy mở lại liên kết trong e-mail mới nhất.');
  }
}

/** A genuine link whose period has closed (the expiry it carries has passed). HTTP 410. */
export class ExpiredLinkError extends DomainError {
  readonly code = 'LINK_EXPIRED';
  constructor(readonly expiredAt: Date) {
    super(
      `upload link expired at ${expiredAt.toISOString()}`,
      'Liên kết này đã hết hạn vì kỳ báo cáo đã đóng; hệ thống không nhận thêm báo cáo. Nếu cần nộp bổ sung, hãy liên hệ văn phòng Đảng ủy.',
    );
  }
}

/** A genuine link replaced by a newer one (the unit's link version was bumped). HTTP 410. */
export class RevokedLinkError extends DomainError {
  readonly code = 'LINK_REVOKED';
  constructor() {
    super(
      'upload link revoked: a newer link version exists',
      'Liên kết này đã được thay bằng liên kết mới. Hãy dùng liên kết trong e-mail mới nhất, hoặc liên hệ văn phòng Đảng ủy để được gửi lại.',
    );
  }
}

/** The link is genuine but its period no longer accepts reports. HTTP 403. */
export class PeriodClosedError extends DomainError {
  readonly code = 'PERIOD_CLOSED';
  constructor(year: number, closeDateVi: string) {
    super(
      `period ${year} is closed`,
      `Kỳ báo cáo năm ${year} đã đóng (ngày ${closeDateVi}); hệ thống không nhận thêm báo cáo. Nếu cần nộp bổ sung, hãy liên hệ văn phòng Đảng ủy.`,
    );
  }
}

/**
 * A genuine link of a unit that no longer reports in this period (retired, or taken off the
 * plan's recipients from a date on or before today; docs/units.md). HTTP 403.
 */
export class WithdrawnLinkError extends DomainError {
  readonly code = 'LINK_WITHDRAWN';
  constructor(year: number, fromVi: string) {
    super(
      `the unit no longer reports in period ${year}`,
      `Đơn vị không còn báo cáo trong kỳ báo cáo năm ${year} (từ ngày ${fromVi}); liên kết này không còn dùng được. Nếu có sai sót, hãy liên hệ văn phòng Đảng ủy.`,
    );
  }
}
