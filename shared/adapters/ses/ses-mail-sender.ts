import { type MessageTag, SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Config } from '#shared/config.ts';
import { isSesTagText } from '#shared/domain/mail-tags.ts';
import type { MailSender, OutgoingMail } from '#shared/mail/ports.ts';

/**
 * The mail's tags as SES `Tags`, leaving out any whose name or value SES would refuse: SES turns
 * down the whole e-mail for one bad tag, and a tag is never worth losing the e-mail.
 */
export function sesMessageTags(tags: OutgoingMail['tags']): MessageTag[] {
  return Object.entries(tags ?? {})
    .filter(([name, value]) => isSesTagText(name) && isSesTagText(value))
    .map(([name, value]) => ({ Name: name, Value: value }));
}

/**
 * SES (v1 SendEmail) with the configuration set that routes bounces and complaints back to the
 * app, and the mail's tags, which SES copies into those events (functions/ses-events.ts). The
 * SDK's adaptive retry absorbs short throttling bursts; longer ones surface as errors and the
 * queue retries the message later.
 */
export class SesMailSender implements MailSender {
  constructor(
    private readonly client: SESClient,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const tags = sesMessageTags(mail.tags);
    const out = await this.client.send(
      new SendEmailCommand({
        Source: mail.from,
        Destination: { ToAddresses: mail.to, CcAddresses: mail.cc },
        Message: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
        ...(tags.length > 0 ? { Tags: tags } : {}),
      }),
    );
    return { messageId: out.MessageId ?? 'unknown' };
  }
}

export function createSesClient(config: Config): SESClient {
  const endpoint = config.BAOCAO_SES_ENDPOINT;
  return new SESClient({
    region: config.AWS_REGION,
    retryMode: 'adaptive',
    maxAttempts: 5,
    ...(endpoint ? { endpoint, credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}
