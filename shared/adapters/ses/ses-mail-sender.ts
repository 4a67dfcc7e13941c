import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import type { Config } from '#shared/config.ts';
import type { MailSender, OutgoingMail } from '#shared/mail/ports.ts';

/**
 * SES (v1 SendEmail) with the configuration set that routes bounces and complaints back to the
 * app. The SDK's adaptive retry absorbs short throttling bursts; longer ones surface as errors
 * and the queue retries the message later.
 */
export class SesMailSender implements MailSender {
  constructor(
    private readonly client: SESClient,
    private readonly configurationSet?: string,
  ) {}

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const out = await this.client.send(
      new SendEmailCommand({
        Source: mail.from,
        Destination: { ToAddresses: mail.to, CcAddresses: mail.cc },
        Message: {
          Subject: { Data: mail.subject, Charset: 'UTF-8' },
          Body: { Text: { Data: mail.text, Charset: 'UTF-8' }, Html: { Data: mail.html, Charset: 'UTF-8' } },
        },
        ...(this.configurationSet ? { ConfigurationSetName: this.configurationSet } : {}),
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
