import { type Config, ConfigError } from '#shared/config.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import { createKeyProvider, type KeyProvider } from '#shared/links/keys.ts';
import { issueLinkToken, linkExpiresAt } from '#shared/links/link-token.ts';
import type { UploadLinks } from '#shared/planner/ports.ts';

/**
 * Upload links for the planner's e-mails, signed in memory: the same token as `linkFor` (the
 * unit's current link version, expiring at the end of the close date), with no database read
 * per unit. The key provider is made on first use, so a stack without a link key still runs
 * the planner's other work and names the missing setting in its failures.
 */
export class SignedUploadLinks implements UploadLinks {
  private keys: KeyProvider | undefined;

  constructor(private readonly config: Config) {}

  async urlFor(assignment: Assignment, period: Period): Promise<string> {
    const appUrl = this.config.APP_URL;
    if (!appUrl) throw new ConfigError(['APP_URL: required to build upload links']);
    this.keys ??= createKeyProvider(this.config);
    const token = issueLinkToken(await this.keys.linkKey(), {
      planId: period.planId,
      year: period.year,
      unitId: assignment.unitId,
      linkVersion: assignment.linkVersion,
      expiresAt: linkExpiresAt(period.closeDate, period.timeZone),
    });
    return `${appUrl.replace(/\/+$/, '')}/u/${token}`;
  }
}
