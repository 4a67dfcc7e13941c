import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { MultipartForm } from '#functions/http/multipart.ts';
import { type HttpRequest, parseForm, parseJsonBody } from '#functions/http/request.ts';
import { htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor, type RouteHandlers, type RouteNameOf } from '#functions/http/routes.ts';
import type { Downloads } from '#shared/adapters/s3/downloads.ts';
import type { Session } from '#shared/committee/ports.ts';
import type { AuthDeps } from '#shared/committee/sign-in.ts';
import type { Deps } from '#shared/deps.ts';
import { ValidationError } from '#shared/errors.ts';
import type { ExportInvoker, ExportStore, VersionReader } from '#shared/export/ports.ts';
import type { PlannerDeps } from '#shared/periods/ports.ts';
import type { UploadDeps } from '#shared/uploads/deps.ts';
import { renderMessage } from './admin-pages.ts';

/**
 * What every committee route handler shares: the admin function's dependencies, the contexts a
 * handler is called with, and the small helpers of its answers. Each feature's handlers live in
 * their own module (`plan-routes.ts`, `unit-routes.ts`, `period-routes.ts`, …) typed
 * {@link SignedInHandlers}; `admin-app.ts` spreads them into one record that the compiler checks
 * is complete.
 */

export type Result = APIGatewayProxyStructuredResultV2;

export interface AdminDeps {
  core: Deps;
  auth: AuthDeps;
  /** Links of units (resend, revoke). */
  uploads: UploadDeps;
  exports: ExportStore;
  /** Submission versions by number (a unit's page: the notes of the version that counts). */
  versions: VersionReader;
  invoker: ExportInvoker;
  downloads: Downloads;
  /** Opening a period from the app: the mail queue and the units' links, as the planner has them. */
  planner: PlannerDeps;
  committeeName: string;
  timeZone: string;
  /** The app's origin, e.g. `https://baocao.example.vn`: POSTs from any other origin are refused. */
  appOrigin: string;
  /** Secure cookies (HTTPS). Off only for the local stack on http://127.0.0.1. */
  secureCookies: boolean;
}

export type PageContext = { committeeName: string; timeZone: string };

/** What an open route's handler needs besides its parameters. */
export interface OpenContext {
  req: HttpRequest;
  deps: AdminDeps;
  page: PageContext;
}

/** What a signed-in route's handler needs: the session and its CSRF token too. */
export interface SignedInContext {
  req: HttpRequest;
  deps: AdminDeps;
  session: Session;
  csrf: string;
  /**
   * A POSTed `multipart/form-data` form (a form with a file), parsed and bounded once, before the
   * CSRF check (its `csrf` field); undefined for every other request.
   */
  form?: MultipartForm | undefined;
  page: PageContext & { session: { email: string; csrf: string; role: Session['role'] } };
}

export type OpenRoute = RouteNameOf<'admin', 'none'>;
export type SignedInRoute = RouteNameOf<'admin', 'session'>;

/**
 * Some of the signed-in routes' handlers: a feature module exports
 * `{ … } satisfies SignedInHandlers<'a' | 'b'>` and admin-app.ts spreads it in.
 */
export type SignedInHandlers<N extends SignedInRoute> = RouteHandlers<N, SignedInContext, Promise<Result>>;

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
