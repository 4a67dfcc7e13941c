import type { MailSender, OutgoingMail } from '#shared/mail/ports.ts';

/** An e-mail as the SES emulator's `GET /store` lists it. */
export interface StoredEmail {
  messageId: string;
  from: string;
  destination: { to: string[]; cc: string[]; bcc: string[] };
  subject: string;
  body: { text?: string; html?: string };
  at: number;
}

/** Every e-mail the local SES emulator has accepted so far. */
export async function storedEmails(mailUrl: string): Promise<StoredEmail[]> {
  const res = await fetch(`${mailUrl}/store`);
  if (!res.ok) throw new Error(`mail store answered ${res.status}`);
  return ((await res.json()) as { emails: StoredEmail[] }).emails;
}

export async function clearEmails(mailUrl: string): Promise<void> {
  await fetch(`${mailUrl}/clear-store`, { method: 'POST' });
}

/**
 * Makes SES answer "Throttling" when `failures` says so, around the real (emulated) SES client:
 * the emulator cannot throttle, so the fault is injected.
 */
export class ThrottlingSender implements MailSender {
  calls = 0;
  constructor(
    private readonly inner: MailSender,
    private readonly failures: (call: number, mail: OutgoingMail) => boolean,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    this.calls++;
    if (this.failures(this.calls, mail)) {
      throw Object.assign(new Error('Maximum sending rate exceeded.'), { name: 'Throttling' });
    }
    return this.inner.send(mail);
  }
}
