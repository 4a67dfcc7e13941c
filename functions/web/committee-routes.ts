import { type HttpRequest, parseForm } from '#functions/http/request.ts';
import { describeError, htmlResponse, jsonResponse, redirect } from '#functions/http/responses.ts';
import { pathFor } from '#functions/http/routes.ts';
import { type CommitteeMembership, committeesOf } from '#shared/committee/memberships.ts';
import type { Session } from '#shared/committee/ports.ts';
import { csrfToken, SESSION_TTL_MS, switchCommittee } from '#shared/committee/sign-in.ts';
import { DomainError } from '#shared/errors.ts';
import { type AdminDeps, actionBody, type SignedInHandlers } from './admin-context.ts';
import { sessionCookie } from './committee-app.ts';
import { renderCommittees } from './committee-pages.ts';

/**
 * The chooser of a person's committees, "Chọn cấp ủy" (docs/tenancy.md), as a page and JSON: the
 * committees the person belongs to now (each checked against its own member list), and the
 * switch, which binds a new session to another of them. Both roles may switch (committee-app.ts
 * lets a viewer's POST of these through: VIEWER_ACTIONS). An id that is not one of the person's
 * committees, whether it exists or not, is answered alike (404) and changes nothing.
 */
export const COMMITTEE_HANDLERS = {
  committees: async (_, { req, deps, session, page }) => {
    const chosen = new URLSearchParams(req.query).get('signed-in') === '1';
    return htmlResponse(
      200,
      renderCommittees(await theirCommittees(deps, session), currentOf(deps, session), page, { chosen }),
    );
  },
  selectCommittee: async (_, { req, deps, session, page }) => {
    try {
      const switched = await choose(deps, req, session, parseForm(req.body).committeeId);
      return {
        ...redirect(pathFor('dashboard', {})),
        cookies: [cookieFor(deps, switched.session, switched.cookieValue)],
      };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      const { statusCode, message } = describeError(error);
      const committees = await theirCommittees(deps, session);
      return htmlResponse(
        statusCode,
        renderCommittees(committees, currentOf(deps, session), page, { error: message }),
      );
    }
  },
  apiCommittees: async (_, { deps, session }) =>
    jsonResponse(200, {
      current: currentOf(deps, session),
      committees: await theirCommittees(deps, session),
    }),
  apiSelectCommittee: async (_, { req, deps, session }) => {
    const switched = await choose(deps, req, session, actionBody(req, true).committeeId);
    return {
      ...jsonResponse(200, {
        committee: switched.committee,
        expiresAt: switched.session.expiresAt,
        csrf: await csrfToken(deps.auth, switched.session),
      }),
      cookies: [cookieFor(deps, switched.session, switched.cookieValue)],
    };
  },
} satisfies SignedInHandlers<'committees' | 'selectCommittee' | 'apiCommittees' | 'apiSelectCommittee'>;

/**
 * The switch, recorded in the audit log of the committee chosen (its own chain), as its sign-in
 * is: who, from where, with which role there. The record names no other committee (not even the
 * one left: that one's members are none of the chosen one's business). A refused switch records
 * nothing, as a refused sign-in link does not.
 */
async function choose(deps: AdminDeps, req: HttpRequest, session: Session, committeeId: unknown) {
  const switched = await switchCommittee(deps.auth, session, committeeId);
  const chosen = (await deps.forCommittee(switched.session.committeeId)) ?? deps;
  await chosen.audit.record({
    kind: 'session.committee-chosen',
    actor: { type: 'member', id: session.email },
    target: {},
    requestId: req.requestId,
    clientIp: req.sourceIp,
    details: { role: switched.committee.role },
  });
  return switched;
}

/** The committee the session works for (no id: the deployment's first). */
function currentOf(deps: AdminDeps, session: Session): string {
  return session.committeeId ?? deps.auth.committees?.rootCommitteeId ?? '';
}

/** The person's committees now; in a deployment of one, that one. */
async function theirCommittees(deps: AdminDeps, session: Session): Promise<CommitteeMembership[]> {
  if (deps.auth.committees) return committeesOf(deps.auth.committees, session.email);
  return [{ committeeId: currentOf(deps, session), committeeName: deps.committeeName, role: session.role }];
}

/** The new session's cookie, for the time the session has left (its expiry is the old one's). */
function cookieFor(deps: AdminDeps, session: Session, value: string): string {
  const left = Date.parse(session.expiresAt) - deps.core.clock.now().getTime();
  const seconds = Math.max(0, Math.min(SESSION_TTL_MS, left)) / 1000;
  return sessionCookie(deps, value, Math.floor(seconds));
}
