/**
 * A committee member's role: `admin` (quản trị: everything) or `viewer` (theo dõi: dashboards and
 * downloads only). Written once for the member list (shared/committee/), its pages, the CLI and
 * the invitation e-mail.
 */
export const MEMBER_ROLES = ['admin', 'viewer'] as const;

export type MemberRole = (typeof MEMBER_ROLES)[number];

/** The roles as people read them. */
export const ROLE_LABELS: Readonly<Record<MemberRole, string>> = {
  admin: 'quản trị',
  viewer: 'theo dõi',
};

/** What each role may do, as pages and the invitation e-mail say it. */
export const ROLE_DESCRIPTIONS: Readonly<Record<MemberRole, string>> = {
  admin: 'xem, tải xuống và thực hiện mọi thao tác (kế hoạch, đơn vị, kỳ báo cáo, thành viên)',
  viewer: 'xem tình hình nộp báo cáo và tải xuống; không thay đổi được gì',
};
