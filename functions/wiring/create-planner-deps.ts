import { DynamoExportStore } from '#shared/adapters/dynamodb/export-store.ts';
import { DynamoMemberStore } from '#shared/adapters/dynamodb/member-store.ts';
import { createKeyProvider } from '#shared/adapters/keys.ts';
import { writeDailyDigests } from '#shared/audit/digest.ts';
import { committeeRecipients } from '#shared/committee/committee-mail.ts';
import { StartExport } from '#shared/export/start-export.ts';
import type { ExportStarter, PlannerDeps, UploadLinks } from '#shared/periods/ports.ts';
import type { Clock, MailQueue } from '#shared/ports.ts';
import { SignedUploadLinks } from '#shared/uploads/signed-links.ts';
import { createAuditDeps } from './create-audit-deps.ts';
import { createDeps } from './create-deps.ts';
import type { Runtime } from './runtime.ts';

/** What a caller may wire differently (local mode, the CLI, tests). */
export interface PlannerWiring {
  /** Default: the runtime's mail queue. */
  mailQueue?: MailQueue;
  links?: UploadLinks;
  exports?: ExportStarter;
  clock?: Clock;
}

/** The planner's collaborators: DynamoDB stores, the mail queue, signed links, export requests. */
export function createPlannerDeps(runtime: Runtime, wiring: PlannerWiring = {}): PlannerDeps {
  const { config } = runtime;
  const deps = createDeps(runtime, wiring.clock ? { clock: wiring.clock } : {});
  const members = new DynamoMemberStore(runtime.dynamo, config.PLANS_TABLE);
  return {
    ...deps,
    mailQueue: wiring.mailQueue ?? runtime.mailQueue,
    links:
      wiring.links ??
      new SignedUploadLinks(config.APP_URL, () => createKeyProvider(config), deps.settings.committeeId),
    exports:
      wiring.exports ??
      new StartExport(
        { ...deps, exports: new DynamoExportStore(runtime.dynamo, config.SUBMISSIONS_TABLE) },
        runtime.exportInvoker,
      ),
    planner: {
      // The digests go to every member of the committee (the list as it stands when one is due),
      // whichever committee it is; the first committee's configured addresses while it has none.
      digestRecipients: () => committeeRecipients(members, config.COMMITTEE_EMAILS),
      appUrl: config.APP_URL,
    },
    ...(config.AUDIT_TABLE
      ? { writeAuditDigests: () => writeDailyDigests({ ...createAuditDeps(runtime), clock: deps.clock }) }
      : {}),
  };
}
