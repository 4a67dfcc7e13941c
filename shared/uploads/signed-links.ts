import { ConfigError } from '#shared/config.ts';
import type { Assignment, Period } from '#shared/domain/period.ts';
import type { UploadLinks } from '#shared/periods/ports.ts';
import type { KeyProvider } from '#shared/ports.ts';
import { issueLinkToken, linkExpiresAt } from '#shared/uploads/link-token.ts';

/**
 * Upload links for the planner's e-mails, signed in memory: the same token as `linkFor` (the
 * unit's current link version, expiring at the end of the close date), with no database read
 * per unit. The key provider is made on first use, so a stack without a link key still runs
 * the planner's other work and names the missing setting in its failures.
 */
export class SignedUploadLinks implements UploadLinks {
  private keys: KeyProvider | undefined;

  constructor(
    private readonly appUrl: string | undefined,
    /** Makes the link key's provider (Secrets Manager or the local file), on first use. */
    private readonly makeKeys: () => KeyProvider,
    /** The committee the links are for, when not the deployment's first (docs/tenancy.md). */
    private readonly committeeId?: string,
  ) {}

  async urlFor(assignment: Assignment, period: Period): Promise<string> {
    const appUrl = this.appUrl;
    if (!appUrl) throw new ConfigError(['APP_URL: required to build upload links']);
    this.keys ??= this.makeKeys();
    const token = issueLinkToken(await this.keys.linkKey(), {
      planId: period.planId,
      year: period.year,
      unitId: assignment.unitId,
      linkVersion: assignment.linkVersion,
      expiresAt: linkExpiresAt(period.closeDate, period.timeZone),
      committeeId: this.committeeId,
    });
    return `${appUrl.replace(/\/+$/, '')}/u/${token}`;
  }
}
