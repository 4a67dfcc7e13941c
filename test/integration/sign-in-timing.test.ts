/**
 * Issue 18: asking for a sign-in link takes the same time for a committee member's address and
 * for anyone else's (no address enumeration by timing): both do the same work — the limits
 * counted, a link stored, an e-mail queued — and the mail queue's consumer decides who is sent
 * one. Proved without a clock (tests assert no timings: the machine is shared and noisy): the
 * request makes the same calls on the same ports, in the same order, for both kinds of address,
 * on the emulators through the committee function's own deps. The medians are printed for a
 * person to read (about 20 ms each here, within a few ms of each other on a loaded machine).
 */
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminDeps } from '#functions/wiring/create-admin-deps.ts';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { inviteMember } from '#shared/committee/members.ts';
import { requestSignIn, SIGN_IN_LIMITS } from '#shared/committee/sign-in.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { storedEmails } from '#test/support/mail.ts';

const OFFICE = 'vanphong@demo.baocao.example';
const ROUNDS = 60;
const WARM_UP = 6;
/** Each address asked for at most as often as its hourly limit allows. */
const POOL = Math.ceil((ROUNDS + WARM_UP) / SIGN_IN_LIMITS.perAddress);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

describe('sign-in request timing', () => {
  let stack: TestStack;
  const members = Array.from({ length: POOL }, (_, i) => `uyvien${i}@demo.baocao.example`);
  const strangers = Array.from({ length: POOL }, (_, i) => `nguoila${i}@example.org`);

  beforeAll(async () => {
    stack = await startTestStack({ env: { COMMITTEE_EMAILS: OFFICE } });
    const memberDeps = createMemberDeps(stack.runtime);
    for (const email of members) {
      await inviteMember(memberDeps, { email, role: 'viewer' }, OFFICE, { notify: false });
    }
  }, 120_000);
  afterAll(async () => {
    await stack?.stop();
  });

  it('does the same work for a member’s address and a stranger’s, and mails members only', async () => {
    // Prepare: every call the request makes on its ports is written down, in order.
    const calls: string[] = [];
    const { auth: real } = createAdminDeps(stack.runtime);
    const auth = recording(real, calls);
    const times = { member: [] as number[], stranger: [] as number[] };
    let ip = 0;
    const ask = async (email: string) => {
      // One client per request: the per-IP limit (20 an hour) is not what is measured.
      const clientIp = `198.51.100.${ip++ % 250}`;
      calls.length = 0;
      const start = performance.now();
      await requestSignIn(auth, email, clientIp);
      const ms = performance.now() - start;
      work.push(calls.join(' '));
      return ms;
    };
    const work: string[] = [];

    // Act: alternating, each kind first in turn; the first rounds warm both paths up.
    for (let i = 0; i < WARM_UP + ROUNDS; i++) {
      const member = members[i % POOL]!;
      const stranger = strangers[i % POOL]!;
      const pair =
        i % 2 === 0
          ? { member: await ask(member), stranger: await ask(stranger) }
          : { stranger: await ask(stranger), member: await ask(member) };
      if (i < WARM_UP) continue;
      times.member.push(pair.member);
      times.stranger.push(pair.stranger);
    }
    await stack.mailQueue.drain();

    // Assess: one and the same sequence of port calls for all 132 requests, members' and not.
    expect(new Set(work).size, [...new Set(work)].join('\n')).toBe(1);
    expect(work[0]).toContain('mail.enqueue');
    console.info(
      `sign-in request medians: member ${median(times.member).toFixed(2)} ms, stranger ${median(times.stranger).toFixed(2)} ms`,
    );
    const recipients = new Set((await storedEmails(stack.mailUrl)).flatMap((m) => m.destination.to));
    expect([...recipients].sort()).toEqual([...members].sort());
  }, 180_000);
});

/** `deps` with each method of each of its objects writing `<dep>.<method>` to `calls` when called. */
function recording<T extends object>(deps: T, calls: string[]): T {
  const out: Record<string, unknown> = {};
  for (const [name, dep] of Object.entries(deps)) {
    out[name] =
      dep !== null && typeof dep === 'object'
        ? new Proxy(dep, {
            get(target, key, receiver) {
              const value = Reflect.get(target, key, receiver);
              if (typeof value !== 'function') return value;
              return (...args: unknown[]) => {
                calls.push(`${name}.${String(key)}`);
                return value.apply(target, args);
              };
            },
          })
        : dep;
  }
  return out as T;
}
