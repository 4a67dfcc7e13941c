import type { TestStack } from './local-stack.ts';
import { storedEmails } from './mail.ts';

/**
 * Signs in as a committee member the way a person does: asks for a link, takes it from the SES
 * emulator's store, confirms it. Returns the session cookie and the CSRF token.
 */
export async function signIn(stack: TestStack, email: string): Promise<{ cookie: string; csrf: string }> {
  const link = await requestSignInLink(stack, email);
  const confirmed = await fetch(link, {
    method: 'POST',
    redirect: 'manual',
    headers: { Origin: stack.appUrl },
  });
  if (confirmed.status !== 303) throw new Error(`sign-in confirmation answered ${confirmed.status}`);
  const cookie = confirmed.headers.getSetCookie()[0]!.split(';')[0]!;
  const session = await fetch(`${stack.appUrl}/api/session`, { headers: { Cookie: cookie } });
  const { csrf } = (await session.json()) as { csrf: string };
  return { cookie, csrf };
}

/** Asks for a sign-in link and returns the one that arrived for `email`. */
export async function requestSignInLink(stack: TestStack, email: string): Promise<string> {
  const before = (await storedEmails(stack.mailUrl)).length;
  const res = await fetch(`${stack.appUrl}/admin/sign-in`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: stack.appUrl },
    body: new URLSearchParams({ email }),
  });
  if (res.status !== 200) throw new Error(`sign-in request answered ${res.status}`);
  await stack.mailQueue.drain();
  const mails = (await storedEmails(stack.mailUrl))
    .slice(before)
    .filter((m) => m.destination.to.includes(email));
  const text = mails.at(-1)?.body.text ?? '';
  const link = text.match(/https?:\/\/\S+\/admin\/sign-in\/[A-Za-z0-9_-]+/)?.[0];
  if (!link) throw new Error(`no sign-in link arrived for ${email}`);
  return link;
}
