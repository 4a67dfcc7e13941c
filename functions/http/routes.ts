/**
 * Every HTTP route of the product, written once (STYLE 17: a contract is one table). Derived
 * from it:
 * - the API Gateway routes of infra/constructs/api.ts ({@link GATEWAY_ROUTES});
 * - the local adapter's patterns and route keys (local/routes.ts, from the same list);
 * - the matching in functions/public-api.ts, functions/web/admin-app.ts and
 *   functions/web/setup-app.ts ({@link matchRoute}), with each route's parameters typed
 *   ({@link RouteParams}), and their dispatch records ({@link RouteHandlers}: one handler per
 *   route of the function, checked complete by the compiler);
 * - docs/openapi.yaml (functions/http/openapi.ts, written by `npm run build:openapi`; each route's
 *   `summary`, and its `answers`, `body` and `errors` where they are not those of its kind).
 * test/unit/http/routes.test.ts checks that the four agree, test/unit/http/openapi.test.ts that
 * the file is what the table gives.
 *
 * It lives in functions/http/, the HTTP edge beside the entry points (requests, responses,
 * page markup), with the pages in functions/web/; the CDK app reads it through `#functions/*`.
 * It imports nothing, so the CDK app, the bundles and the tests can all read it.
 *
 * Four functions serve the routes (`fn`), each bundled with only what its routes need:
 * `public-api` a unit's link; `admin-api` the committee's sign-in, plans and periods at a glance,
 * a unit in a period and its actions, downloads, exports and members; `setup-api` the year's
 * plans (a plan's import, calendar and opening), with the plan parser and the multipart reader;
 * `units-api` the units (their pages, import and workbook), a plan's recipients and the audit
 * workbook, with the CSV and multipart readers and the .xlsx writer (split from setup-api to keep
 * each bundle within 450 KB). The committee functions share one session and one request flow
 * (functions/web/committee-app.ts). Where the header says setup-api below, units-api is reached
 * the same way (`paths`).
 *
 * How the gateway reaches them ({@link GATEWAY_REACH}): `public-api` and `admin-api` own their
 * mounts (`/u/{token}`; `/`, `/admin`, `/api`) through greedy `{proxy+}` routes; `setup-api`
 * sits inside admin-api's mounts with one exact route per path of its own. API Gateway picks the
 * most specific route (an exact path beats a greedy one, a method beats `ANY`), so an exact route
 * takes its path from the owner's greedy route: `ANY /admin/units/{unitId}/retire`, and
 * `POST /api/plans` where `GET /api/plans` stays admin-api's. Where a path of setup-api meets a
 * route of another function (a request could match both), the gateway and the table must agree:
 * for another method, setup-api's route keys name its methods; for the same method, setup-api's
 * route must come first in this table (`/admin/plans/import` before `/admin/plans/{planId}`), its
 * parameters must take any segment (as the gateway's `{name}` does), and the other route must be
 * reached by a greedy route. {@link GATEWAY_ROUTES} throws otherwise, and
 * test/unit/http/routes.test.ts walks every route, and every path where routes of two functions
 * meet, through the CDK routes and the local adapter. Where to add a route: its own function's
 * section below (a route of setup-api needs nothing more; a new function chooses its reach).
 */

/**
 * The Lambda function that serves a route: `public-api`, `admin-api`, `setup-api` or `units-api`
 * (functions/<fn>-api.ts).
 */
export type FunctionName = 'public' | 'admin' | 'setup' | 'units';

/** HTTP methods the product answers (anything else gets the function's 404). */
export type RouteMethod = 'GET' | 'POST';

/**
 * Who may call a route: `link` — whoever holds the unit's signed link token (in the path);
 * `none` — anyone (the sign-in flow); `session` — a signed-in committee member (cookie, and the
 * CSRF token on every POST).
 */
export type RouteAuth = 'link' | 'none' | 'session';

/** One route: a method and a path template whose `{name}` segments are {@link PARAMS}. */
export interface RouteSpec {
  readonly fn: FunctionName;
  readonly method: RouteMethod;
  readonly path: `/${string}`;
  readonly auth: RouteAuth;
  /** One line, for docs/openapi.yaml. */
  readonly summary: string;
  /**
   * Its answers on success (docs/openapi.yaml), only where they are not those of its kind: a JSON
   * route (under `/api/`, or below a unit's link) answers `json`; a page's GET `page`, a page's
   * POST `redirect` (back to a page). Several when it answers either, e.g. a form shown again with
   * its errors: `['redirect', 'page']`.
   */
  readonly answers?: readonly RouteAnswer[];
  /** What a POST carries, only where it is not its kind's: `json` for a JSON route, `form` for a page. */
  readonly body?: RouteBody | readonly RouteBody[];
  /** Error statuses besides those its auth, method and parameters imply (functions/http/openapi.ts). */
  readonly errors?: readonly RouteErrorStatus[];
}

/**
 * A route's answer on success: `page` 200 HTML; `json` 200 JSON; `created` 201 JSON; `accepted`
 * 202 JSON; `redirect` 303 to `Location`; `xlsx` 200, an Excel workbook.
 */
export type RouteAnswer = 'page' | 'json' | 'created' | 'accepted' | 'redirect' | 'xlsx';

/**
 * A POST's body: `form` urlencoded fields (a page's form, with its `csrf` field); `json` a JSON
 * object; `multipart` a form with a file (`multipart/form-data`, field `file`).
 */
export type RouteBody = 'form' | 'json' | 'multipart';

/** The error statuses a route may answer (with `{error: {code, message}}`, or a page). */
export type RouteErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 429;

/** How one path parameter is matched and read. */
export interface ParamSpec {
  /** Regular expression of the raw (still percent-encoded) path segment. */
  readonly pattern: string;
  /** Raw segment → value (decoded, or a number). */
  readonly parse: (raw: string) => string | number;
  /** A valid raw segment: builds each route's example path for the tests (and the docs). */
  readonly example: string;
  readonly description: string;
}

/** A raw segment as given: tokens and sign-in secrets are base64url, never percent-decoded. */
const asIs = (raw: string): string => raw;

/** Percent-decoded; a malformed escape is kept as it is (and then matches no stored id). */
function decodeSegment(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** Every path parameter of {@link ROUTES}. */
export const PARAMS = {
  token: {
    pattern: '[^/]+',
    parse: asIs,
    example: 'v1.bG9uZy10b2tlbg.c2lnbmF0dXJl',
    description: "The unit's signed link token (e-mailed to the unit).",
  },
  secret: {
    pattern: '[A-Za-z0-9_-]{1,100}',
    parse: asIs,
    example: 'mOqK3Xb7Vt2rJ9wZ',
    description: 'The single-use secret of an e-mailed sign-in link.',
  },
  planId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: '12-kh-dus-2025',
    description: 'A plan id.',
  },
  year: {
    pattern: '\\d{4}',
    parse: Number,
    example: '2026',
    description: "A reporting period's year.",
  },
  unitId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: 'cb-a',
    description: 'A unit id.',
  },
  uploadId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: '01JD5Z6W3K8F2Q9V0X1Y2Z3A4B',
    description: "The id of one file of a unit's submission.",
  },
  exportId: {
    pattern: '[^/]+',
    parse: decodeSegment,
    example: '01JD5Z9M4N7P2R5S8T1V4W7X0Y',
    description: 'The id of a consolidated-results export.',
  },
  email: {
    // The characters of a path segment (RFC 3986 pchar: `@` may stay as it is, or be `%40`).
    pattern: "[A-Za-z0-9._~!$&'()*+,;=:@%-]{3,800}",
    parse: decodeSegment,
    example: 'theo.doi%40so.example.vn',
    description: "A committee member's e-mail address (percent-encoded).",
  },
} as const satisfies Record<string, ParamSpec>;

/**
 * The routes. Names are unique operation ids (one method each); paths have no trailing slash.
 * Pages live under `/admin`, their JSON twins under `/api`, a unit's link under `/u/{token}`.
 */
export const ROUTES = {
  // public-api: a unit's link.
  uploadPage: {
    fn: 'public',
    method: 'GET',
    path: '/u/{token}',
    auth: 'link',
    summary: "The unit's upload page (HTML).",
  },
  requestUpload: {
    fn: 'public',
    method: 'POST',
    path: '/u/{token}/uploads',
    auth: 'link',
    summary: 'A presigned POST for one file: JSON {fileName, contentType, size} in.',
    answers: ['created'],
    body: 'json',
    // Per link and per client IP (shared/uploads/unit-limits.ts).
    errors: [429],
  },
  unitStatus: {
    fn: 'public',
    method: 'GET',
    path: '/u/{token}/status',
    auth: 'link',
    summary: "The unit's period and submissions (JSON).",
    errors: [429],
  },

  // admin-api: the sign-in flow, open without a session.
  root: {
    fn: 'admin',
    method: 'GET',
    path: '/',
    auth: 'none',
    summary: 'Redirects to /admin.',
    answers: ['redirect'],
  },
  signInPage: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/sign-in',
    auth: 'none',
    summary: 'The sign-in form (HTML).',
  },
  requestSignIn: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/sign-in',
    auth: 'none',
    summary: 'E-mails a sign-in link to a committee address (form field email).',
    answers: ['page'],
    errors: [429],
  },
  confirmSignInPage: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/sign-in/{secret}',
    auth: 'none',
    summary: 'The page that confirms an e-mailed sign-in link (HTML).',
  },
  confirmSignIn: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/sign-in/{secret}',
    auth: 'none',
    summary: 'Uses a sign-in link once: sets the session cookie, redirects to /admin.',
    errors: [401],
  },

  // admin-api: the committee's pages.
  signOut: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/sign-out',
    auth: 'session',
    summary: 'Ends the session.',
  },
  // setup-api: plans from the web app (issue 13: import with a preview, the calendar, opening a
  // period). Before admin-api's `plan` and `period`: `/admin/plans/import` must not be read as a
  // plan id (the gateway's exact route to setup-api takes it first, see GATEWAY_ROUTES).
  planImportPage: {
    fn: 'setup',
    method: 'GET',
    path: '/admin/plans/import',
    auth: 'session',
    summary: 'The form to upload a plan document (.docx, .txt) (HTML).',
  },
  planImportPreview: {
    fn: 'setup',
    method: 'POST',
    path: '/admin/plans/import',
    auth: 'session',
    summary:
      'Reads an uploaded plan document (multipart, field file) without saving it: the preview form of every field, with the changes to an existing plan (HTML).',
    answers: ['page'],
    body: 'multipart',
  },
  savePlan: {
    fn: 'setup',
    method: 'POST',
    path: '/admin/plans',
    auth: 'session',
    summary:
      "Saves a plan from the preview form's fields; redirects to the plan, or shows the form again with each field's error (HTML).",
  },
  planCalendar: {
    fn: 'setup',
    method: 'POST',
    path: '/admin/plans/{planId}/calendar',
    auth: 'session',
    summary:
      "Changes a plan's calendar (form fields deadline dd/mm, openDaysBefore, closeDaysAfter, reminderDays); redirects to the plan.",
  },
  openPeriodConfirm: {
    fn: 'setup',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/open',
    auth: 'session',
    summary: 'Asks to confirm opening a period now: who will be e-mailed their link, the dates (HTML).',
  },
  openPeriodNow: {
    fn: 'setup',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/open',
    auth: 'session',
    summary: 'Opens a period now and e-mails every recipient unit its link; redirects to the period.',
  },
  apiPlanImport: {
    fn: 'setup',
    method: 'POST',
    path: '/api/plans/import',
    auth: 'session',
    summary:
      'Reads a plan document (multipart, field file) without saving it: the fields read, those missing, their problems and the changes to an existing plan.',
    body: 'multipart',
  },
  apiSavePlan: {
    fn: 'setup',
    method: 'POST',
    path: '/api/plans',
    auth: 'session',
    summary:
      'Saves a plan from JSON fields {number, date, title, issuer, superiorNumber, superiorDate, taskGroups, recipients, reportingFrequency, deadline, sourceFileName, reviewedUpdatedAt} (201, 200, 400 with fields, 409 with the changes).',
    answers: ['created', 'json'],
  },
  apiPlanCalendar: {
    fn: 'setup',
    method: 'POST',
    path: '/api/plans/{planId}/calendar',
    auth: 'session',
    summary:
      "Changes a plan's calendar: JSON {deadline (dd/mm or MM-DD), openDaysBefore, closeDaysAfter, reminderDays, timeZone}, each optional.",
  },
  apiOpenPreview: {
    fn: 'setup',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/open-preview',
    auth: 'session',
    summary:
      'What opening a period now would do: the units e-mailed their link, the dates, any reason it cannot.',
  },
  apiOpenPeriod: {
    fn: 'setup',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/open',
    auth: 'session',
    summary:
      'Opens a period now and e-mails every recipient unit its link (201 when opened, 200 when it was open).',
    answers: ['created', 'json'],
  },
  dashboard: {
    fn: 'admin',
    method: 'GET',
    path: '/admin',
    auth: 'session',
    summary: 'The plans and their periods (HTML).',
  },
  plan: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}',
    auth: 'session',
    summary: 'A plan and its periods (HTML).',
  },
  period: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}',
    auth: 'session',
    summary: 'A period at a glance: chart, units filtered by status (query loc), exports (HTML).',
  },
  // units-api: the unit's page holds its edit, retire and reinstate forms (and shows them again
  // with their problems).
  unit: {
    fn: 'units',
    method: 'GET',
    path: '/admin/units/{unitId}',
    auth: 'session',
    summary: "A unit's record across plans and years (HTML).",
  },
  // admin-api: one unit in a period (issue 13, the period page): its page, and the confirmation
  // asked before its link is revoked (the POST below does it).
  periodUnit: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/units/{unitId}',
    auth: 'session',
    summary: 'A unit in a period: status, deadline, notes, files, versions and actions (HTML).',
  },
  revokeConfirm: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/revoke',
    auth: 'session',
    summary: "Asks to confirm the revocation of a unit's link (HTML; query from=period|unit).",
  },
  unitFile: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/files/{uploadId}',
    auth: 'session',
    summary:
      "Redirects to a fresh presigned URL of one of a unit's files (409 while the file is not cleared by the malware scan).",
    answers: ['redirect'],
    errors: [409],
  },
  resend: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/resend',
    auth: 'session',
    summary: "E-mails a unit its link again; redirects back to the period or the unit's page.",
  },
  revoke: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/revoke',
    auth: 'session',
    summary: "Replaces a unit's link and e-mails the new one; redirects back to where it was asked.",
  },
  extension: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/extension',
    auth: 'session',
    summary: "Extends a unit's deadline (form field until, dd/mm/yyyy) and e-mails the unit.",
  },
  startExport: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/exports',
    auth: 'session',
    summary: "Starts building a period's consolidated results; redirects back to the period.",
  },
  exportFile: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/exports/{exportId}',
    auth: 'session',
    summary: 'Redirects to a fresh presigned URL of a ready export (ZIP).',
    answers: ['redirect'],
  },

  // admin-api: JSON for the same session.
  apiSession: {
    fn: 'admin',
    method: 'GET',
    path: '/api/session',
    auth: 'session',
    summary: "The session's e-mail, expiry and CSRF token.",
  },
  apiPlans: { fn: 'admin', method: 'GET', path: '/api/plans', auth: 'session', summary: 'The plans.' },
  apiPlan: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}',
    auth: 'session',
    summary: 'A plan and its periods.',
  },
  apiPeriod: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}',
    auth: 'session',
    summary: "A period's status per unit, with completeness, timeliness and filter counts (query loc).",
  },
  // units-api: the units' JSON, with the other units routes below.
  apiUnits: { fn: 'units', method: 'GET', path: '/api/units', auth: 'session', summary: 'The units.' },
  apiUnit: {
    fn: 'units',
    method: 'GET',
    path: '/api/units/{unitId}',
    auth: 'session',
    summary: "A unit's record across plans and years.",
  },
  apiPeriodUnit: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}',
    auth: 'session',
    summary: 'A unit in a period: status, deadline, notes per task group, files and recent versions.',
  },
  apiUnitFile: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/files/{uploadId}',
    auth: 'session',
    summary:
      "Redirects to a fresh presigned URL of one of a unit's files (409 NOT_CLEARED while the file is not cleared by the malware scan).",
    answers: ['redirect'],
    errors: [409],
  },
  apiResend: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/resend',
    auth: 'session',
    summary: 'E-mails a unit its link again.',
  },
  apiRevoke: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/revoke',
    auth: 'session',
    summary: "Replaces a unit's link and e-mails the new one.",
  },
  apiExtension: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/extension',
    auth: 'session',
    summary: "Extends a unit's deadline and e-mails the unit: JSON {until: dd/mm/yyyy or YYYY-MM-DD}.",
  },
  apiExports: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/exports',
    auth: 'session',
    summary: "A period's exports, newest first.",
  },
  apiStartExport: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/exports',
    auth: 'session',
    summary: "Starts building a period's consolidated results (202).",
    answers: ['accepted'],
  },
  apiExportFile: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/exports/{exportId}',
    auth: 'session',
    summary: 'Redirects to a fresh presigned URL of a ready export (ZIP).',
    answers: ['redirect'],
  },

  // admin-api: the committee's members and their roles (quản trị / theo dõi).
  members: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/members',
    auth: 'session',
    summary: 'The members and their roles, with the invitation form for admins (HTML).',
  },
  inviteMember: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/members',
    auth: 'session',
    summary: 'Adds a member (form fields email, role) and e-mails them an invitation; redirects back.',
  },
  memberRole: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/members/{email}/role',
    auth: 'session',
    summary: "Changes a member's role (form field role); redirects back to the members.",
  },
  confirmRemoveMember: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/members/{email}/remove',
    auth: 'session',
    summary: "The page that confirms a member's removal (HTML).",
  },
  removeMember: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/members/{email}/remove',
    auth: 'session',
    summary: 'Removes a member (never the last admin); redirects back to the members.',
  },
  apiMembers: {
    fn: 'admin',
    method: 'GET',
    path: '/api/members',
    auth: 'session',
    summary: 'The members and their roles.',
  },
  apiInviteMember: {
    fn: 'admin',
    method: 'POST',
    path: '/api/members',
    auth: 'session',
    summary: 'Adds a member and e-mails them an invitation: JSON {email, role} in (201).',
    answers: ['created'],
  },
  apiMemberRole: {
    fn: 'admin',
    method: 'POST',
    path: '/api/members/{email}/role',
    auth: 'session',
    summary: "Changes a member's role: JSON {role} in.",
  },
  apiRemoveMember: {
    fn: 'admin',
    method: 'POST',
    path: '/api/members/{email}/remove',
    auth: 'session',
    summary: 'Removes a member (never the last admin).',
  },

  // admin-api: a person's committees in a deployment of many (issue 14; docs/tenancy.md), the
  // chooser "Chọn cấp ủy": the session is bound to one committee; these switch it to another of
  // the person's (checked against that committee's members). Both roles.
  committees: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/committees',
    auth: 'session',
    summary: "The chooser: the person's committees (name, role) and the one the session works for (HTML).",
  },
  selectCommittee: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/committees/select',
    auth: 'session',
    summary:
      "Binds the session to another of the person's committees (form field committeeId): a new session cookie; redirects to its plans.",
    errors: [404],
  },
  apiCommittees: {
    fn: 'admin',
    method: 'GET',
    path: '/api/committees',
    auth: 'session',
    summary: "The person's committees ({committeeId, committeeName, role}) and the session's (current).",
  },
  apiSelectCommittee: {
    fn: 'admin',
    method: 'POST',
    path: '/api/committees/select',
    auth: 'session',
    summary:
      "Binds the session to another of the person's committees: JSON {committeeId} in; a new session cookie, and its CSRF token out.",
    errors: [404],
  },

  // Digital signatures (issue 15; docs/signatures.md): check a unit's PDFs again against the
  // current trust store. admin-api queues them for the verifier function (it holds no pkijs).
  signaturesRecheck: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/units/{unitId}/signatures/recheck',
    auth: 'session',
    summary:
      "Queues the PDFs of a unit's latest submission for a new signature check; redirects back to the unit's page.",
  },
  apiSignaturesRecheck: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/units/{unitId}/signatures/recheck',
    auth: 'session',
    summary: "Queues the PDFs of a unit's latest submission for a new signature check: {queued}.",
  },

  // Roll-up (issue 14; docs/tenancy.md): the committee's own report for a period, sent up to its
  // parent's period of the plan it carries out. The page shows where it goes (asking once to
  // confirm the matched plan); the POST opens the parent's upload page for this committee.
  reportUp: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/plans/{planId}/{year}/report-up',
    auth: 'session',
    summary: "Where the committee's own report goes: the parent committee, its matched plan (HTML).",
  },
  reportUpOpen: {
    fn: 'admin',
    method: 'POST',
    path: '/admin/plans/{planId}/{year}/report-up',
    auth: 'session',
    summary:
      "Confirms the matched parent plan (once) and redirects to the parent's upload page for this committee.",
  },
  apiReportUp: {
    fn: 'admin',
    method: 'GET',
    path: '/api/plans/{planId}/periods/{year}/report-up',
    auth: 'session',
    summary:
      "Where the committee's own report goes: {parentId, parentName, parentPlanId, confirmed, unitId}.",
  },
  apiReportUpOpen: {
    fn: 'admin',
    method: 'POST',
    path: '/api/plans/{planId}/periods/{year}/report-up',
    auth: 'session',
    summary: "Confirms the matched parent plan (once): {url} of the parent's upload page for this committee.",
  },

  // The audit log "Nhật ký" (issue 18; docs/audit.md): the records, filtered (query since, until
  // as dd/mm/yyyy, unit, kind, actor), as a page and JSON (admin-api) and as .xlsx (units-api,
  // which holds the .xlsx writer already). Read-only, both roles.
  auditXlsx: {
    fn: 'units',
    method: 'GET',
    path: '/admin/audit.xlsx',
    auth: 'session',
    summary:
      'The audit records selected by the filters (query since, until, unit, kind, actor) as an Excel workbook.',
    answers: ['xlsx'],
  },
  auditLog: {
    fn: 'admin',
    method: 'GET',
    path: '/admin/audit',
    auth: 'session',
    summary: 'The audit log, newest first, with its filters (query since, until, unit, kind, actor) (HTML).',
  },
  apiAuditXlsx: {
    fn: 'units',
    method: 'GET',
    path: '/api/audit.xlsx',
    auth: 'session',
    summary: 'The audit records selected by the filters as an Excel workbook.',
    answers: ['xlsx'],
  },
  apiAuditLog: {
    fn: 'admin',
    method: 'GET',
    path: '/api/audit',
    auth: 'session',
    summary:
      'The audit records selected by the filters (query since, until, unit, kind, actor), newest first.',
  },

  // units-api: the units ("Đơn vị") and who reports on a plan (issue 13; docs/units.md). No path
  // of theirs is also a path of `unit` (`/admin/units/{unitId}`): the list as a workbook is
  // `/admin/units.xlsx`, and a unit's actions sit below its id.
  units: {
    fn: 'units',
    method: 'GET',
    path: '/admin/units',
    auth: 'session',
    summary:
      'The units, searched by id, name or e-mail (query q, page), with the forms to add and import (HTML).',
  },
  unitsXlsx: {
    fn: 'units',
    method: 'GET',
    path: '/admin/units.xlsx',
    auth: 'session',
    summary: 'The units as an Excel workbook (.xlsx) that can be edited and imported again.',
    answers: ['xlsx'],
  },
  addUnit: {
    fn: 'units',
    method: 'POST',
    path: '/admin/units',
    auth: 'session',
    summary: 'Adds one unit (form fields id, name, email, cc, note); redirects to its page.',
  },
  importUnits: {
    fn: 'units',
    method: 'POST',
    path: '/admin/units/import',
    auth: 'session',
    summary:
      "A units file (multipart, field file: CSV or .xlsx) → its preview (HTML); the preview's confirmation (field confirm) writes it and redirects to the units.",
    answers: ['page', 'redirect'],
    body: 'multipart',
  },
  editUnit: {
    fn: 'units',
    method: 'POST',
    path: '/admin/units/{unitId}/edit',
    auth: 'session',
    summary: "Changes a unit's name, e-mail, cc and note; redirects to its page.",
  },
  retireUnit: {
    fn: 'units',
    method: 'POST',
    path: '/admin/units/{unitId}/retire',
    auth: 'session',
    summary:
      'Retires a unit from a date (form fields from dd/mm/yyyy, reason, detail); redirects to its page.',
  },
  reinstateUnit: {
    fn: 'units',
    method: 'POST',
    path: '/admin/units/{unitId}/reinstate',
    auth: 'session',
    summary: 'Reinstates a retired unit (its links work again, no e-mail); redirects to its page.',
  },
  planRecipients: {
    fn: 'units',
    method: 'GET',
    path: '/admin/plans/{planId}/recipients',
    auth: 'session',
    summary: "The form to choose a plan's recipient units: every active unit, or chosen ones (HTML).",
  },
  changePlanRecipients: {
    fn: 'units',
    method: 'POST',
    path: '/admin/plans/{planId}/recipients',
    auth: 'session',
    summary:
      'A new choice of recipients (fields scope, units) → its preview per open period (HTML); with field confirm, applies it and redirects back.',
    answers: ['page', 'redirect'],
  },
  apiAddUnit: {
    fn: 'units',
    method: 'POST',
    path: '/api/units',
    auth: 'session',
    summary: 'Adds one unit: JSON {id, name, email, cc, note} in (201).',
    answers: ['created'],
  },
  apiUnitsXlsx: {
    fn: 'units',
    method: 'GET',
    path: '/api/units.xlsx',
    auth: 'session',
    summary: 'The units as an Excel workbook (.xlsx).',
    answers: ['xlsx'],
  },
  apiImportUnits: {
    fn: 'units',
    method: 'POST',
    path: '/api/units/import',
    auth: 'session',
    summary:
      'A units file (multipart field file, or JSON {csv}) → the preview per row; with confirm (field or JSON true) it is written. 400 with line-numbered errors.',
    body: ['multipart', 'json'],
  },
  apiEditUnit: {
    fn: 'units',
    method: 'POST',
    path: '/api/units/{unitId}/edit',
    auth: 'session',
    summary: "Changes a unit's name, e-mail, cc or note: JSON {name, email, cc, note}, each optional.",
  },
  apiRetireUnit: {
    fn: 'units',
    method: 'POST',
    path: '/api/units/{unitId}/retire',
    auth: 'session',
    summary: 'Retires a unit: JSON {from (dd/mm/yyyy or YYYY-MM-DD, default today), reason, detail}.',
  },
  apiReinstateUnit: {
    fn: 'units',
    method: 'POST',
    path: '/api/units/{unitId}/reinstate',
    auth: 'session',
    summary: 'Reinstates a retired unit (no e-mail).',
  },
  apiPlanRecipients: {
    fn: 'units',
    method: 'GET',
    path: '/api/plans/{planId}/recipients',
    auth: 'session',
    summary: "A plan's recipient units: its choice (null = every active unit) and the units it names.",
  },
  apiChangePlanRecipients: {
    fn: 'units',
    method: 'POST',
    path: '/api/plans/{planId}/recipients',
    auth: 'session',
    summary:
      "Previews, or with confirm applies, a plan's recipients: JSON {unitIds: [...] or null, confirm}.",
  },
} as const satisfies Record<string, RouteSpec>;

type Routes = typeof ROUTES;
type Params = typeof PARAMS;

/** A route's name. */
export type RouteName = keyof Routes;

/** The names of the routes a function serves (optionally: with one kind of {@link RouteAuth}). */
export type RouteNameOf<F extends FunctionName, A extends RouteAuth = RouteAuth> = {
  [N in RouteName]: Routes[N] extends { readonly fn: F; readonly auth: A } ? N : never;
}[RouteName];

/** The function that serves route `N`. */
export type RouteFunction<N extends RouteName> = Routes[N]['fn'];

/** The `{name}`s of a path template. */
type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}`
  ? N | ParamNames<Rest>
  : never;

/** A route's parameters, typed: `{ planId: string; year: number }` for `/admin/plans/{planId}/{year}`. */
export type RouteParams<N extends RouteName> = {
  [K in ParamNames<Routes[N]['path']> & keyof Params]: ReturnType<Params[K]['parse']>;
};

/** A request matched to one of the routes `N`: its name and its parameters. */
export type RouteMatch<N extends RouteName = RouteName> = {
  [K in N]: { readonly name: K; readonly params: RouteParams<K> };
}[N];

/** A request matched to one of a function's routes. */
export type FunctionRouteMatch = { [F in FunctionName]: RouteMatch<RouteNameOf<F>> };

/**
 * One handler per route `N`, called with the route's parameters and a context of the caller's
 * choosing. Typed as a record so that a route added to the table and not handled does not compile
 * (and test/unit/http/routes.test.ts fails).
 */
export type RouteHandlers<N extends RouteName, C, R> = {
  readonly [K in N]: (params: RouteParams<K>, context: C) => R;
};

// Every `{name}` of every path must be a parameter of PARAMS: the compiler checks it here.
type UnknownParams = Exclude<ParamNames<Routes[RouteName]['path']>, keyof Params>;
const noUnknownParams: [UnknownParams] extends [never] ? true : UnknownParams = true;
void noUnknownParams;

interface CompiledRoute {
  readonly name: RouteName;
  readonly spec: RouteSpec;
  readonly pattern: RegExp;
  readonly params: readonly (keyof Params)[];
}

/** Names of a template's parameters, in order. */
function paramNamesOf(path: string): string[] {
  return [...path.matchAll(/\{([^}/]+)\}/g)].map((m) => m[1]!);
}

/** Regular expression (source) of a path template, each `{name}` its parameter's named group. */
function patternOf(path: string, paramPattern: (name: string) => string): string {
  return path
    .split('/')
    .map((segment) => {
      const param = /^\{([^}]+)\}$/.exec(segment)?.[1];
      if (param !== undefined) return `(?<${param.replace(/\+$/, '')}>${paramPattern(param)})`;
      if (/[{}]/.test(segment)) throw new Error(`a parameter must be a whole path segment: ${path}`);
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
}

/** A route table's routes, in order, each with its pattern and the names of its parameters. */
function compile(routes: Readonly<Record<string, RouteSpec>>): CompiledRoute[] {
  return Object.entries(routes).map(([name, spec]) => {
    const params = paramNamesOf(spec.path);
    for (const param of params) {
      if (!(param in PARAMS)) throw new Error(`route ${name}: unknown path parameter {${param}}`);
    }
    const source = patternOf(spec.path, (param) => PARAMS[param as keyof Params].pattern);
    return {
      name: name as RouteName,
      spec,
      pattern: new RegExp(`^${source}$`),
      params: params as (keyof Params)[],
    };
  });
}

const COMPILED: readonly CompiledRoute[] = compile(ROUTES);

/** `/a/b/` → `/a/b`; the root stays `/`. */
function withoutTrailingSlash(path: string): string {
  return path.replace(/\/+$/, '') || '/';
}

/**
 * The route of function `fn` for a request, with its parameters read; `undefined` when no route
 * of `fn` has this method and path (the function answers 404). A trailing slash is ignored.
 */
export function matchRoute<F extends FunctionName>(
  fn: F,
  method: string,
  path: string,
): FunctionRouteMatch[F] | undefined {
  const normalized = withoutTrailingSlash(path);
  for (const route of COMPILED) {
    if (route.spec.fn !== fn || route.spec.method !== method) continue;
    const match = route.pattern.exec(normalized);
    if (!match) continue;
    const params: Record<string, string | number> = {};
    for (const param of route.params) params[param] = PARAMS[param].parse(match.groups![param]!);
    return { name: route.name, params } as FunctionRouteMatch[F];
  }
  return undefined;
}

/** Whether a path is route `name`'s path, whatever the method (a trailing slash is ignored). */
export function isPathOf(name: RouteName, path: string): boolean {
  return COMPILED.find((route) => route.name === name)!.pattern.test(withoutTrailingSlash(path));
}

/** The path of route `name` with these parameters, each segment percent-encoded. */
export function pathFor<N extends RouteName>(name: N, params: RouteParams<N>): string {
  const values = params as Record<string, string | number>;
  return ROUTES[name].path.replace(/\{([^}]+)\}/g, (_, param: string) =>
    encodeURIComponent(String(values[param])),
  );
}

/** Calls the handler of a matched route (the record is complete, so there always is one). */
export function dispatch<N extends RouteName, C, R>(
  handlers: RouteHandlers<N, C, R>,
  route: RouteMatch<N>,
  context: C,
): R {
  // The record's handler for `route.name` takes `route.params`: TypeScript cannot relate the two.
  const handle = handlers[route.name] as unknown as (params: unknown, context: C) => R;
  return handle(route.params, context);
}

// ---------------------------------------------------------------------------------------------
// API Gateway

/** A route of the HTTP API: a method (or every method) on a path, to one function. */
export interface GatewayRoute {
  /** `ANY /u/{token}/{proxy+}`: the route key, as in the access logs and in each event. */
  readonly routeKey: string;
  readonly method: 'ANY' | RouteMethod;
  /** The gateway's path: a mount, a mount followed by the greedy `{proxy+}`, or a route's path. */
  readonly path: string;
  readonly fn: FunctionName;
}

/**
 * How the gateway reaches each function's routes (a new function must choose):
 * - `mounts`: coarse routes, one or two per mount of its routes, each mount owned by one
 *   function — `ANY <mount>` when a route sits at the mount itself, `ANY <mount>/{proxy+}` when
 *   routes sit below it. The function gets every path of its mounts, whatever the method, and
 *   answers what the table does not name with its own 404 (a Vietnamese page, or JSON under
 *   `/api` and `/u/{token}/…`). Exact routes everywhere were the alternative: unknown paths would
 *   get the gateway's bare `{"message":"Not Found"}`, and `{year}` cannot be held to 4 digits
 *   there anyway.
 * - `paths`: one exact route per path of its routes, inside the mounts of others — `ANY <path>`,
 *   or `<METHOD> <path>` for each of its methods when a route of another function answers another
 *   method on a path that meets it. The gateway prefers an exact path to a greedy one, so these
 *   take their paths from the mount's owner (the rule and its checks: the header above).
 */
/**
 * The function behind the gateway's `$default` route: every path that no route above reaches
 * (`/robots.txt`, `/u`, a mistyped address) gets admin-api's Vietnamese 404 page, never the
 * gateway's bare JSON `{"message":"Not Found"}`. The local adapter falls back to it the same way.
 */
export const FALLBACK_FUNCTION: FunctionName = 'admin';

export const GATEWAY_REACH: { readonly [F in FunctionName]: 'mounts' | 'paths' } = {
  public: 'mounts',
  admin: 'mounts',
  setup: 'paths',
  units: 'paths',
};

/**
 * A route's mount: the first path segment (`/admin`, `/api`, `/u`), with the parameters that
 * directly follow it (`/u/{token}`: the unit's link is part of every path under it, and stays a
 * named path parameter of the route key); `/` for the root.
 */
export function mountOf(path: string): string {
  const segments = path.split('/').filter(Boolean);
  if (segments.length === 0) return '/';
  let end = 1;
  while (end < segments.length && /^\{[^}]+\}$/.test(segments[end]!)) end += 1;
  return `/${segments.slice(0, end).join('/')}`;
}

/**
 * The HTTP API's routes, derived from {@link ROUTES} by {@link GATEWAY_REACH}: the mounts of the
 * `mounts` functions, and the exact paths of the `paths` ones. Ordered most specific first, as the
 * gateway chooses among them (the local adapter takes the first that matches).
 * @throws Error, when the table is built, if a mount would be served by two functions, a route
 * key would be given twice, or an exact route would take a request the table gives to another
 * function (see the header above). Marked pure: the Lambda bundles, which never read it, leave
 * the derivation out (the tests, the CDK app and the local stack run its checks).
 */
export const GATEWAY_ROUTES: readonly GatewayRoute[] = /* @__PURE__ */ deriveGatewayRoutes(ROUTES);

/**
 * The gateway routes of a route table (the product's: {@link GATEWAY_ROUTES}); the tests give it
 * tables of their own to see each check refuse.
 */
export function deriveGatewayRoutes(
  table: Readonly<Record<string, RouteSpec>>,
  reach: typeof GATEWAY_REACH = GATEWAY_REACH,
): GatewayRoute[] {
  const compiled = table === ROUTES ? COMPILED : compile(table);
  const routes = [...mountRoutes(compiled, reach), ...pathRoutes(compiled, reach)];
  const keys = new Set<string>();
  for (const route of routes) {
    if (keys.has(route.routeKey)) throw new Error(`gateway route ${route.routeKey} is derived twice`);
    keys.add(route.routeKey);
  }
  return routes.sort(bySpecificity);
}

/** `ANY <mount>` and `ANY <mount>/{proxy+}` of each mount of a `mounts` function. */
function mountRoutes(compiled: readonly CompiledRoute[], reach: typeof GATEWAY_REACH): GatewayRoute[] {
  const mounts = new Map<string, { fn: FunctionName; exact: boolean; below: boolean }>();
  for (const route of compiled) {
    if (reach[route.spec.fn] !== 'mounts') continue;
    const mount = mountOf(route.spec.path);
    const entry = mounts.get(mount) ?? { fn: route.spec.fn, exact: false, below: false };
    if (entry.fn !== route.spec.fn) {
      throw new Error(`mount ${mount} is served by both ${entry.fn} and ${route.spec.fn} (${route.name})`);
    }
    if (route.spec.path === mount) entry.exact = true;
    else entry.below = true;
    mounts.set(mount, entry);
  }
  const routes: GatewayRoute[] = [];
  for (const [mount, { fn, exact, below }] of mounts) {
    const paths = [...(exact ? [mount] : []), ...(below ? [`${mount}/{proxy+}`] : [])];
    for (const path of paths) routes.push({ routeKey: `ANY ${path}`, method: 'ANY', path, fn });
  }
  return routes;
}

/**
 * One exact route per path of a `paths` function: `ANY <path>`, or one per method when another
 * function answers another method on a path that meets it. Checks every meeting of the same
 * method ({@link assertTakenFirst}).
 */
function pathRoutes(compiled: readonly CompiledRoute[], reach: typeof GATEWAY_REACH): GatewayRoute[] {
  const byPath = new Map<string, CompiledRoute[]>();
  for (const route of compiled) {
    if (reach[route.spec.fn] !== 'paths') continue;
    const key = `${route.spec.fn} ${route.spec.path}`;
    byPath.set(key, [...(byPath.get(key) ?? []), route]);
  }
  const routes: GatewayRoute[] = [];
  for (const group of byPath.values()) {
    const { fn, path } = group[0]!.spec;
    const methods = [...new Set(group.map((route) => route.spec.method))];
    const met = compiled.filter((other) => other.spec.fn !== fn && meets(path, other.spec.path));
    for (const route of group) {
      for (const other of met) {
        if (other.spec.method === route.spec.method) assertTakenFirst(compiled, reach, route, other);
      }
    }
    const perMethod = met.some((other) => !methods.includes(other.spec.method));
    for (const method of perMethod ? methods : (['ANY'] as const)) {
      routes.push({ routeKey: `${method} ${path}`, method, path, fn });
    }
  }
  return routes;
}

function isParam(segment: string): boolean {
  return /^\{[^}]+\}$/.test(segment);
}

/**
 * Whether a request could match both the gateway's exact path `gatewayPath` (each `{name}` any
 * one segment) and the table's route path `routePath` (each `{name}` its parameter's pattern).
 */
function meets(gatewayPath: string, routePath: string): boolean {
  const a = gatewayPath.split('/');
  const b = routePath.split('/');
  if (a.length !== b.length) return false;
  return a.every((segment, i) => {
    const other = b[i]!;
    if (isParam(segment)) return true;
    if (!isParam(other)) return segment === other;
    const param = PARAMS[other.slice(1, -1) as keyof Params];
    return new RegExp(`^(?:${param.pattern})$`).test(segment);
  });
}

/**
 * `route`'s exact gateway route takes, for its method, requests that `other` (of another function)
 * would also match: allowed only where the table gives them to `route` too — it comes first in
 * {@link ROUTES}, each of its parameters takes any segment (as the gateway's `{name}` does) — and
 * where the gateway surely prefers it: `other` is reached by a greedy `{proxy+}` route.
 */
function assertTakenFirst(
  compiled: readonly CompiledRoute[],
  reach: typeof GATEWAY_REACH,
  route: CompiledRoute,
  other: CompiledRoute,
): void {
  const problem =
    compiled.indexOf(route) > compiled.indexOf(other)
      ? `it comes after ${other.name} in ROUTES`
      : route.params.some((param) => PARAMS[param].pattern !== '[^/]+')
        ? 'one of its parameters takes fewer segments than the gateway does'
        : reach[other.spec.fn] !== 'mounts' || mountOf(other.spec.path) === other.spec.path
          ? `${other.name} is reached by an exact gateway route too`
          : undefined;
  if (problem) {
    throw new Error(
      `${route.name} (${route.spec.fn}) would take at the gateway ${route.spec.method} requests of ${other.name} (${other.spec.fn}): ${problem}`,
    );
  }
}

/** Exact paths before greedy ones, then more segments, more literal segments, a method before `ANY`. */
function bySpecificity(a: GatewayRoute, b: GatewayRoute): number {
  const greedy = (r: GatewayRoute) => (r.path.endsWith('+}') ? 1 : 0);
  const segments = (r: GatewayRoute) => r.path.split('/').filter(Boolean);
  const literals = (r: GatewayRoute) => segments(r).filter((s) => !s.startsWith('{')).length;
  const any = (r: GatewayRoute) => (r.method === 'ANY' ? 1 : 0);
  return (
    greedy(a) - greedy(b) ||
    segments(b).length - segments(a).length ||
    literals(b) - literals(a) ||
    any(a) - any(b) ||
    a.path.localeCompare(b.path) ||
    a.method.localeCompare(b.method)
  );
}

/**
 * How the gateway matches one of its paths, as the local adapter reproduces it: `{name}` is one
 * segment, `{proxy+}` one or more; an exact path also takes a trailing slash.
 */
export function gatewayPattern(path: string): RegExp {
  if (path === '/') return /^\/$/;
  const source = patternOf(path, (param) => (param.endsWith('+') ? '.+' : '[^/]+'));
  return new RegExp(`^${source}${path.endsWith('+}') ? '' : '\\/?'}$`);
}

/** The gateway route that takes route `name`'s requests to its function. */
export function gatewayRouteOf(name: RouteName): GatewayRoute {
  const { method, path, fn } = ROUTES[name];
  if (GATEWAY_REACH[fn] === 'paths') {
    return GATEWAY_ROUTES.find(
      (route) =>
        route.fn === fn && route.path === path && (route.method === 'ANY' || route.method === method),
    )!;
  }
  const mount = mountOf(path);
  const gatewayPath = path === mount ? mount : `${mount}/{proxy+}`;
  return GATEWAY_ROUTES.find((route) => route.path === gatewayPath && route.fn === fn)!;
}
