import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { MultipartForm } from '#functions/http/multipart.ts';
import { type HttpRequest, parseForm, parseJsonBody } from '#functions/http/request.ts';
import { htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor, type RouteFunction, type RouteNameOf, type RouteParams } from '#functions/http/routes.ts';
import type { Downloads } from '#shared/adapters/s3/downloads.ts';
import type { ListDeps } from '#shared/audit/list.ts';
import type { AuditLog } from '#shared/audit/ports.ts';
import type { Session } from '#shared/committee/ports.ts';
import type { AuthDeps } from '#shared/committee/sign-in.ts';
import type { Deps } from '#shared/deps.ts';
import { ValidationError } from '#shared/errors.ts';
import type { ExportInvoker, ExportStore, VersionReader } from '#shared/export/ports.ts';
import type { DocumentReader } from '#shared/files/ports.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import type { SignatureQueue, SignatureResultStore } from '#shared/signatures/ports.ts';
import type { RollUpStore } from '#shared/tenancy/ports.ts';
import type { RegistryDeps } from '#shared/tenancy/registry.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { renderMessage } from './admin-pages.ts';

/**
 * What every committee route handler shares, in the committee functions (admin-api, setup-api,
 * units-api: functions/http/routes.ts): their dependencies, the contexts a handler is called with,
 * and the small helpers of its answers. Each feature's handlers live in their own module
 * (`plan-routes.ts`, `unit-routes.ts`, `period-routes.ts`, …) typed {@link SignedInHandlers};
 * `admin-app.ts`, `setup-app.ts` and `units-app.ts` each spread theirs into one record that the compiler checks
 * is complete for its function. A module serves one function: its imports are that function's
 * bundle.
 */

export type Result = APIGatewayProxyStructuredResultV2;

/** The functions of the committee's pages and JSON. */
export type CommitteeFunction = 'admin' | 'setup' | 'units';

/** What both committee functions need: the core stores, sign-in and sessions, the page settings. */
export interface CommitteeDeps {
  core: Deps;
  auth: AuthDeps;
  committeeName: string;
  timeZone: string;
  /** The app's origin, e.g. `https://baocao.example.vn`: POSTs from any other origin are refused. */
  appOrigin: string;
  /** Secure cookies (HTTPS). Off only for the local stack on http://127.0.0.1. */
  secureCookies: boolean;
  /** The audit log the committee's actions are recorded to (docs/audit.md). */
  audit: AuditLog;
  /** The audit records, for the "Nhật ký" page and its workbook. */
  auditRecords: ListDeps;
  /**
   * This committee in the deployment's tree (docs/tenancy.md): its id, the registry and its
   * confirmed roll-up links (read by the period page for its child committees' rates).
   */
  tenancy: {
    committeeId: string;
    registry: RegistryDeps;
    rollUps: RollUpStore;
    /**
     * Its parent on a date (a period's open date), or null: its parent links read once a minute
     * at most, the first time a page asks (functions/wiring/parent-reader.ts).
     */
    parentOn(date: string): Promise<string | null>;
  };
  /**
   * The deps of the committee a session is bound to (docs/tenancy.md; undefined: the deployment's
   * first), or undefined when the deployment holds no such committee. Called once per request, by
   * committee-app.ts only: a handler gets the deps of its session's committee and no other.
   */
  forCommittee(committeeId: string | undefined): Promise<CommitteeDeps | undefined>;
}

/** admin-api's: the periods, a unit's link and files, the exports. */
export interface AdminDeps extends CommitteeDeps {
  /** Links of units (resend, revoke). */
  uploads: UploadDeps;
  exports: ExportStore;
  /** Submission versions by number (a unit's page: the notes of the version that counts). */
  versions: VersionReader;
  invoker: ExportInvoker;
  downloads: Downloads;
  /** The unit page's re-check of digital signatures: the kept results and the verifier's queue. */
  signatures: { results: SignatureResultStore; queue: SignatureQueue | undefined };
  forCommittee(committeeId: string | undefined): Promise<AdminDeps | undefined>;
}

/**
 * setup-api's and units-api's: the plans and units are in `core`; opening a period and a plan's
 * recipients mail units.
 */
export interface SetupDeps extends CommitteeDeps {
  /** Opening a period, a plan's new recipients: the mail queue and the units' links, as the planner has them. */
  planner: PlannerDeps;
  /**
   * How a plan's .pdf/.docx and the units' .xlsx are read: the document-reader Lambda, in-process
   * locally; none: such a file is refused with a way onward.
   */
  documentReader?: DocumentReader | undefined;
  forCommittee(committeeId: string | undefined): Promise<SetupDeps | undefined>;
}

/** The deps of committee function `F`. */
export type DepsOf<F extends CommitteeFunction> = { admin: AdminDeps; setup: SetupDeps; units: SetupDeps }[F];

export type PageContext = { committeeName: string; timeZone: string };

/** What an open route's handler needs besides its parameters. */
export interface OpenContext<D extends CommitteeDeps = AdminDeps> {
  req: HttpRequest;
  deps: D;
  page: PageContext;
}

/** What a signed-in route's handler needs: the session and its CSRF token too. */
export interface SignedInContext<D extends CommitteeDeps = CommitteeDeps> {
  req: HttpRequest;
  deps: D;
  session: Session;
  csrf: string;
  /**
   * A POSTed `multipart/form-data` form (a form with a file), parsed and bounded once, before the
   * CSRF check (its `csrf` field); undefined for every other request.
   */
  form?: MultipartForm | undefined;
  page: PageContext & {
    session: { email: string; csrf: string; role: Session['role']; multiCommittee?: boolean | undefined };
  };
}

export type OpenRoute = RouteNameOf<'admin', 'none'>;
/** The signed-in routes of both committee functions (of one: `SignedInRoute<'setup'>`). */
export type SignedInRoute<F extends CommitteeFunction = CommitteeFunction> = RouteNameOf<F, 'session'>;

/**
 * Some of the signed-in routes' handlers: a feature module exports
 * `{ … } satisfies SignedInHandlers<'a' | 'b'>` and admin-app.ts or setup-app.ts spreads it in.
 * Each handler's context has its own function's deps.
 */
export type SignedInHandlers<N extends SignedInRoute> = {
  readonly [K in N]: (
    params: RouteParams<K>,
    context: SignedInContext<RouteFunction<K> extends 'setup' | 'units' ? SetupDeps : AdminDeps>,
  ) => Promise<Result>;
};

/** The parameters of a unit's routes within a period. */
export type UnitInPeriod = { planId: string; year: number; unitId: string };

/** The period's page with `?done=…`, where a page's action returns to. */
export function backToPeriod(planId: string, year: number, done: string): Result {
  return redirect(`${pathFor('period', { planId, year })}?done=${done}`);
}

/** An action's body: a JSON object under `/api/`, a form otherwise (400 when it is neither). */
export function actionBody(req: HttpRequest, json: boolean): Record<string, unknown> {
  return json ? parseJsonObject(req.body) : parseForm(req.body);
}

/** A JSON object body (size checked before parsing, by the shared parser); `{}` when empty. */
export function parseJsonObject(body: string): Record<string, unknown> {
  if (!body) return {};
  const value = parseJsonBody(body);
  if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  throw new ValidationError('Body is not a JSON object', [], 'Dữ liệu gửi lên không phải là JSON hợp lệ.');
}

export function notFound(wantsJson: boolean, ctx: PageContext): Result {
  const message = 'Không tìm thấy trang này.';
  return wantsJson
    ? jsonResponse(404, { error: { code: 'NOT_FOUND', message } })
    : htmlResponse(404, renderMessage('Không tìm thấy', message, ctx));
}
