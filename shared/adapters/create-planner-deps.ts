import type { Config } from '#shared/config.ts';
import type { ExportStarter, PlannerDeps, UploadLinks } from '#shared/planner/ports.ts';
import { StartExport } from '#shared/planner/start-export.ts';
import type { Clock, MailQueue } from '#shared/ports.ts';
import { dynamoDocumentClient } from './aws-clients.ts';
import { createDeps } from './create-deps.ts';
import { DynamoExportStore } from './dynamodb/export-store.ts';
import { getExportInvoker } from './export-invoker.ts';
import { getMailQueue } from './mail-queue-provider.ts';
import { SignedUploadLinks } from './signed-upload-links.ts';

/** What a caller may wire differently (local mode, the CLI, tests). */
export interface PlannerWiring {
  /** Default: the process's mail queue (SQS at MAIL_QUEUE_URL, or the local one set by the stack). */
  mailQueue?: MailQueue;
  links?: UploadLinks;
  exports?: ExportStarter;
  clock?: Clock;
}

/** The planner's collaborators: DynamoDB stores, the mail queue, signed links, export requests. */
export function createPlannerDeps(config: Config, wiring: PlannerWiring = {}): PlannerDeps {
  const deps = createDeps(config, wiring.clock ? { clock: wiring.clock } : {});
  return {
    ...deps,
    mailQueue: wiring.mailQueue ?? getMailQueue(config),
    links: wiring.links ?? new SignedUploadLinks(config),
    // Resolved when an export is due: most ticks start none.
    exports: wiring.exports ?? {
      start: (planId, year) =>
        new StartExport(
          { ...deps, exports: new DynamoExportStore(dynamoDocumentClient(config), config.SUBMISSIONS_TABLE) },
          getExportInvoker(config),
        ).start(planId, year),
    },
    planner: { committeeEmails: config.COMMITTEE_EMAILS, appUrl: config.APP_URL },
  };
}
