import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { handleMailBatch } from '#functions/mailer.ts';
import { singleCommittee } from '#functions/wiring/committee-directory.ts';
import { createMailDeps } from '#functions/wiring/create-mail-deps.ts';
import { InProcessQueue } from '#local/queue.ts';
import { createDynamoDocumentClient } from '#shared/adapters/aws-clients.ts';
import { DynamoDeliveryStore } from '#shared/adapters/dynamodb/delivery-store.ts';
import type { MailMessage } from '#shared/domain/mail-message.ts';
import { deliverMail, type MailDeps } from '#shared/mail/deliver-mail.ts';
import type { MailSender } from '#shared/mail/ports.ts';
import { startTestStack, type TestStack } from '#test/support/local-stack.ts';
import { clearEmails, storedEmails, ThrottlingSender } from '#test/support/mail.ts';

let counter = 0;
function linkMessage(unitId = 'cb-a', to = 'cb.a@example.org'): MailMessage {
  counter++;
  return {
    template: 'link',
    key: `plan-x#2026#${unitId}#opened-${counter}`,
    planId: 'plan-x',
    year: 2026,
    unitId,
    to: [to],
    cc: ['pho.bithu@example.org'],
    data: {
      planNumber: '12-KH/ĐUS',
      planTitle: 'Đẩy mạnh chuyển đổi số',
      unitName: 'Chi bộ Văn phòng',
      occasion: 'opened',
      uploadUrl: 'http://127.0.0.1:3000/u/abc',
      deadline: '2026-12-15',
      closeDate: '2027-01-14',
      taskGroups: [{ number: '1', title: 'Số hóa hồ sơ' }],
    },
  };
}

const sqsEvent = (messages: { id: string; body: MailMessage }[]): SQSEvent =>
  ({
    Records: messages.map((m) => ({ messageId: m.id, body: JSON.stringify(m.body) })),
  }) as SQSEvent;

describe('mailer: exactly-once delivery through the SES emulator', () => {
  let stack: TestStack;
  let deps: MailDeps;

  beforeAll(async () => {
    stack = await startTestStack();
    deps = createMailDeps(stack.runtime);
  });
  afterAll(async () => {
    await stack.stop();
  });
  beforeEach(async () => {
    await clearEmails(stack.mailUrl);
  });

  it('renders a Vietnamese e-mail whose subject starts with the plan number', async () => {
    const message = linkMessage();
    const outcome = await deliverMail(deps, message, 'msg-1');
    const [mail, ...rest] = await storedEmails(stack.mailUrl);
    expect(outcome).toBe('sent');
    expect(rest).toEqual([]);
    expect(mail?.subject).toBe('[12-KH/ĐUS] Mở kỳ báo cáo năm 2026 — hạn nộp 15/12/2026');
    expect(mail?.destination).toEqual({ to: ['cb.a@example.org'], cc: ['pho.bithu@example.org'], bcc: [] });
    expect(mail?.body.text).toContain('Kính gửi: Chi bộ Văn phòng');
    expect(mail?.body.text).toContain('http://127.0.0.1:3000/u/abc');
    expect(mail?.body.html).toContain('href="http://127.0.0.1:3000/u/abc"');
  });

  it('sends a key once even when its message arrives twice, one after the other or at once', async () => {
    const message = linkMessage();
    await deliverMail(deps, message, 'first-copy');
    const again = await deliverMail(deps, message, 'second-copy');
    const other = linkMessage();
    const racing = await Promise.all([1, 2, 3, 4].map((i) => deliverMail(deps, other, `copy-${i}`)));
    expect(again).toBe('skipped');
    expect(racing.filter((o) => o === 'sent')).toHaveLength(1);
    expect(await storedEmails(stack.mailUrl)).toHaveLength(2);
  });

  it('delivers every e-mail exactly once through the queue when SES throttles some of them', async () => {
    // Prepare: every third call is throttled, the first 20 calls at least.
    const sender = new ThrottlingSender(deps.sender, (call) => call <= 20 && call % 3 !== 0);
    const throttled: MailDeps = { ...deps, sender };
    const queue = new InProcessQueue({
      name: 'mail-test',
      consumer: (event) => handleMailBatch(event, singleCommittee(throttled)),
      maxReceiveCount: 10,
      retryDelayMs: 20,
    });
    const messages = Array.from({ length: 12 }, (_, i) => linkMessage(`unit-${i}`, `unit-${i}@example.org`));
    // Act: each message is queued twice, as a second tick would.
    await queue.send([...messages, ...messages].map((m) => JSON.stringify(m)));
    await queue.drain();
    // Assess
    const mails = await storedEmails(stack.mailUrl);
    expect(sender.calls).toBeGreaterThan(12);
    expect(queue.deadLetters).toEqual([]);
    expect(mails.map((m) => m.destination.to[0]).sort()).toEqual(messages.map((m) => m.to[0]).sort());
  });

  it('reports only the failed records of a batch for retry', async () => {
    const sender = new ThrottlingSender(deps.sender, (_call, mail) => mail.to[0] === 'slow@example.org');
    const ok = linkMessage('fast', 'fast@example.org');
    const slow = linkMessage('slow', 'slow@example.org');
    const response = await handleMailBatch(
      sqsEvent([
        { id: 'm-ok', body: ok },
        { id: 'm-slow', body: slow },
      ]),
      singleCommittee({ ...deps, sender }),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm-slow' }]);
    expect((await storedEmails(stack.mailUrl)).map((m) => m.destination.to[0])).toEqual(['fast@example.org']);
  });

  it('sends again rather than lose a mail when it crashed between sending and recording', async () => {
    // Prepare: recording "sent" fails once, as if the function died right after SES accepted the mail.
    const store = new DynamoDeliveryStore(
      createDynamoDocumentClient(stack.config),
      stack.config.SUBMISSIONS_TABLE,
    );
    let crashes = 1;
    const crashing = Object.assign(Object.create(store), {
      markSent: async (...args: Parameters<typeof store.markSent>) => {
        if (crashes-- > 0) throw new Error('function timed out');
        return store.markSent(...args);
      },
    }) as typeof store;
    const message = linkMessage();
    // Act: SQS redelivers the same message (same message id) after the crash.
    await expect(deliverMail({ ...deps, deliveries: crashing }, message, 'msg-crash')).rejects.toThrow(
      'timed out',
    );
    const retry = await deliverMail({ ...deps, deliveries: crashing }, message, 'msg-crash');
    // Assess: delivered twice (the documented rare duplicate), recorded as sent, never lost.
    expect(retry).toBe('sent');
    expect(await storedEmails(stack.mailUrl)).toHaveLength(2);
    expect((await store.get('plan-x', 2026, message.key))?.state).toBe('sent');
  });

  it('records a permanent SES refusal as failed instead of retrying it forever', async () => {
    const refusing: MailSender = {
      send: async () => {
        throw Object.assign(new Error('Email address is not verified.'), { name: 'MessageRejected' });
      },
    };
    const message = linkMessage();
    const outcome = await deliverMail({ ...deps, sender: refusing }, message, 'msg-refused');
    const again = await deliverMail(deps, message, 'msg-refused-2');
    expect(outcome).toBe('failed');
    expect(again).toBe('skipped');
    const record = await deps.deliveries.get('plan-x', 2026, message.key);
    expect(record).toMatchObject({
      state: 'failed',
      error: 'MessageRejected: Email address is not verified.',
    });
    expect(await storedEmails(stack.mailUrl)).toEqual([]);
  });

  it('refuses a malformed queue message without sending anything', async () => {
    const response = await handleMailBatch(
      { Records: [{ messageId: 'bad', body: '{"template":"link","to":["x"]}' }] } as SQSEvent,
      singleCommittee(deps),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(await storedEmails(stack.mailUrl)).toEqual([]);
  });
});
