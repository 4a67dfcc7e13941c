import type { Server } from 'node:http';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAdminHandler } from '#functions/admin-api.ts';
import { inProcessDocumentReader } from '#functions/document-reader.ts';
import { createExporterHandler } from '#functions/exporter.ts';
import { createMailerHandler } from '#functions/mailer.ts';
import { createOnUploadHandler } from '#functions/on-upload.ts';
import { createPublicHandler } from '#functions/public-api.ts';
import { createSetupHandler } from '#functions/setup-api.ts';
import { createUnitsHandler } from '#functions/units-api.ts';
import { committeeDirectory } from '#functions/wiring/committee-directory.ts';
import { createAdminDeps, createSetupDeps } from '#functions/wiring/create-admin-deps.ts';
import { createDeps } from '#functions/wiring/create-deps.ts';
import { createExportDeps } from '#functions/wiring/create-export-deps.ts';
import { createMailDeps } from '#functions/wiring/create-mail-deps.ts';
import { createMemberDeps } from '#functions/wiring/create-member-deps.ts';
import { createPlannerDeps } from '#functions/wiring/create-planner-deps.ts';
import { createRecordingDeps } from '#functions/wiring/create-recording-deps.ts';
import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import { createRuntime, type Runtime } from '#functions/wiring/runtime.ts';
import { createKeyProvider } from '#shared/adapters/keys.ts';
import { type Config, parseConfig } from '#shared/config.ts';
import type { UnitMailDeps } from '#shared/periods/ports.ts';
import { announcePeriod } from '#shared/periods/run-planner.ts';
import type { Clock } from '#shared/ports.ts';
import { SignedUploadLinks } from '#shared/uploads/signed-links.ts';
import { startDailyCron } from './cron.ts';
import { addDemoMembers, loadDemoIfEmpty } from './demo.ts';
import { listen, startEmulators } from './emulators.ts';
import { LocalExportRunner } from './export-runner.ts';
import { createHttpAdapter } from './http-adapter.ts';
import { asSqsHandler, LocalMailQueue } from './mail-queue.ts';
import { LocalPlannerQueue } from './planner-queue.ts';
import { ensureTables } from './provision.ts';
import { apiRoutes, type HttpFunctions } from './routes.ts';
import { forwardS3Events, type S3Handler } from './s3-events.ts';
import { LocalScanQueue } from './scan-queue.ts';
import { LocalSignatureQueue } from './signature-queue.ts';

export interface LocalStackOptions {
  dataDir: string;
  host?: string;
  /** App port; the emulators take the next three (0: every port chosen by the system, for tests). */
  port: number;
  /** Keep DynamoDB in memory (tests). */
  inMemory?: boolean;
  /** Forward the S3 emulator's ObjectCreated events to the on-upload handler (default true). */
  s3Events?: boolean;
  /** Load the demo plan and units when the data folder has no plan. */
  demo?: boolean;
  /** Extra environment (committee name, time zone, …) layered over the local defaults. */
  env?: Record<string, string>;
  /**
   * An SES-compatible endpoint that receives the e-mails instead of the built-in viewer
   * (`BAOCAO_SES_ENDPOINT` for `npm start`): another mail catcher, or a test's own.
   */
  sesEndpoint?: string;
  clock?: Clock;
  onError?: (error: unknown) => void;
}

export interface LocalStack {
  appUrl: string;
  mailUrl: string;
  endpoints: { dynamodb: string; s3: string; ses: string };
  /** The environment the handlers run with (what the CLI needs to reach this stack). */
  env: Record<string, string>;
  config: Config;
  /** This stack's wiring: what its handlers, the CLI and tests build their deps from. */
  runtime: Runtime;
  /**
   * The use cases' collaborators, with this stack's mail queue and signed links (what
   * `openPeriod` needs to e-mail a unit added to a period already announced).
   */
  deps: UnitMailDeps;
  /** The mail queue feeding the mailer handler, kept under `<dataDir>/queues/` (survives a crash). */
  mailQueue: LocalMailQueue;
  /** Exports started in this process (the exporter's asynchronous invocations). */
  exportRunner: LocalExportRunner;
  /** The in-process signatures queue feeding the verifier handler (docs/signatures.md). */
  signatureQueue: LocalSignatureQueue;
  /** The in-process malware scan queue feeding ClamAV (docs/malware-scanning.md). */
  scanQueue: LocalScanQueue;
  /**
   * The durable planner queue between the daily cron's tick and the planner worker, one message
   * per committee (docs/tenancy.md), kept under `<dataDir>/queues/` (survives a crash).
   */
  plannerQueue: LocalPlannerQueue;
  demoLoaded: boolean;
  close(): Promise<void>;
}

/** The daily planner schedule: 08:00 in the committee's time zone (as on EventBridge Scheduler). */
export const PLANNER_CRON = '0 8 * * *';

/**
 * Starts the whole product on this machine: the three emulators, tables and bucket, the HTTP
 * adapter in front of the Lambda handlers, and the daily cron.
 */
export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const host = options.host ?? '127.0.0.1';
  const onError = options.onError ?? ((error) => console.error(error));
  // The HTTP functions are built once the runtime exists (it needs the app's own URL).
  let functions: HttpFunctions | undefined;
  const lazy = (name: keyof HttpFunctions) => (event: unknown, context: unknown) =>
    (functions![name] as (e: unknown, c: unknown) => Promise<unknown>)(event, context);
  const server: Server = createHttpAdapter(
    apiRoutes({ public: lazy('public'), admin: lazy('admin'), setup: lazy('setup'), units: lazy('units') }),
    onError,
  );
  const appPort = await listen(server, options.port, host);
  const appUrl = `http://${host}:${appPort}`;
  const next = (n: number) => (options.port === 0 ? 0 : options.port + n);
  const bucket = 'baocao-reports';
  let emulators: Awaited<ReturnType<typeof startEmulators>>;
  try {
    emulators = await startEmulators({
      host,
      ports: { dynamodb: next(1), s3: next(2), ses: next(3) },
      dataDir: options.dataDir,
      inMemory: options.inMemory ?? false,
      buckets: [{ name: bucket, allowedOrigins: [appUrl, `http://localhost:${appPort}`] }],
    });
  } catch (error) {
    server.close();
    throw error;
  }
  const env: Record<string, string> = {
    PLANS_TABLE: 'baocao-plans',
    SUBMISSIONS_TABLE: 'baocao-submissions',
    AUDIT_TABLE: 'baocao-audit',
    REPORTS_BUCKET: bucket,
    TIME_ZONE: 'Asia/Ho_Chi_Minh',
    COMMITTEE_NAME: 'Đảng ủy Sở Thông tin và Truyền thông (demo)',
    SENDER_EMAIL: 'baocao@demo.baocao.example',
    COMMITTEE_EMAILS: 'vanphong@demo.baocao.example',
    APP_URL: appUrl,
    AWS_REGION: 'ap-southeast-1',
    BAOCAO_DYNAMODB_ENDPOINT: emulators.endpoints.dynamodb,
    BAOCAO_S3_ENDPOINT: emulators.endpoints.s3,
    BAOCAO_SES_ENDPOINT: options.sesEndpoint ?? emulators.endpoints.ses,
    BAOCAO_LOCAL_MODE: 'true',
    // Locally a plan or period changed from the CLI is seen at the next request.
    LINK_PLAN_CACHE_SECONDS: '0',
    BAOCAO_SECRETS_DIR: join(options.dataDir, 'secrets'),
    ...options.env,
  };
  // The configuration is parsed from this stack's own settings, the process environment under
  // them (a PORT, a log level); nothing is written back to process.env.
  const config = parseConfig({ ...process.env, ...env });
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const dynamo = new DynamoDBClient({
    region: config.AWS_REGION,
    endpoint: emulators.endpoints.dynamodb,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  try {
    await ensureTables(dynamo, [
      config.PLANS_TABLE,
      config.SUBMISSIONS_TABLE,
      config.AUDIT_TABLE ?? 'baocao-audit',
    ]);
  } finally {
    dynamo.destroy();
  }
  // One runtime for every handler of this stack: its clock (pinned in tests), the durable mail
  // queue in the data folder feeding the mailer (SQS on AWS; the CLI writes to it too) and the
  // in-process exporter (an asynchronous Lambda invocation on AWS). Each handler builds its deps
  // from it on first use.
  const mailQueue = new LocalMailQueue(
    (_body, error) => onError(new Error(`mail dead-lettered: ${String(error)}`)),
    asSqsHandler(createMailerHandler(() => committeeDirectory(runtime, createMailDeps))),
    { dataDir: options.dataDir },
  );
  const exportRunner = new LocalExportRunner(
    createExporterHandler(() => committeeDirectory(runtime, (r) => createExportDeps(r))),
    onError,
  );
  // Accepted PDFs (and re-checks from the unit page) go to the verifier handler behind the
  // in-process signatures queue (SQS on AWS).
  const signatureQueue = new LocalSignatureQueue(
    () => runtime,
    (_body, error) => onError(new Error(`signature check dead-lettered: ${String(error)}`)),
  );
  // Kept files go to ClamAV behind the in-process scan queue (GuardDuty scans them on AWS).
  const scanQueue = new LocalScanQueue(
    () => runtime,
    (_body, error) => onError(new Error(`malware scan dead-lettered: ${String(error)}`)),
  );
  const runtime: Runtime = createRuntime(config, {
    ...(options.clock ? { clock: options.clock } : {}),
    mailQueue,
    exportInvoker: exportRunner,
    signatureQueue,
    scanQueue,
    // pdf.js, yauzl and saxes in this process, where AWS has the document-reader Lambda.
    documentReader: inProcessDocumentReader,
  });
  // What earlier processes queued (a killed `npm start`, a CLI command) is delivered first.
  mailQueue.start();
  functions = {
    public: createPublicHandler(() =>
      committeeDirectory(runtime, (r) => ({ deps: createUploadDeps(r), config: r.config })),
    ),
    admin: createAdminHandler(() => createAdminDeps(runtime)),
    setup: createSetupHandler(() => createSetupDeps(runtime)),
    units: createUnitsHandler(() => createSetupDeps(runtime)),
  };
  const deps: UnitMailDeps = {
    ...createDeps(runtime),
    mailQueue,
    links: new SignedUploadLinks(config.APP_URL, () => createKeyProvider(config)),
  };
  // Uploads reach the on-upload handler as S3 ObjectCreated events, as on AWS.
  const onUploadHandler = createOnUploadHandler(() => committeeDirectory(runtime, createRecordingDeps));
  const onUpload = ((event) =>
    (onUploadHandler as unknown as (e: unknown, c: unknown) => Promise<void>)(event, {
      awsRequestId: 'local',
      functionName: 'on-upload',
      getRemainingTimeInMillis: () => 60_000,
    })) as S3Handler;
  if (options.s3Events !== false) forwardS3Events(emulators.s3rver, bucket, onUpload, onError);
  const demoLoaded = options.demo
    ? await loadDemoIfEmpty(deps, (planId, year) =>
        announcePeriod(createPlannerDeps(runtime), planId, year, deps.clock.now()),
      )
    : false;
  if (demoLoaded) await addDemoMembers(createMemberDeps(runtime));
  // The daily tick fans out one run per committee through the durable planner queue (SQS on
  // AWS); what an earlier process left there runs first.
  const plannerQueue = new LocalPlannerQueue(
    () => runtime,
    options.dataDir,
    (_body, error) => onError(new Error(`planner run dead-lettered: ${String(error)}`)),
  );
  plannerQueue.start();
  const cron = startDailyCron(
    PLANNER_CRON,
    config.TIME_ZONE,
    async (at) => void (await plannerQueue.tick(at)),
    onError,
  );
  return {
    appUrl,
    mailUrl: options.sesEndpoint ?? emulators.endpoints.ses,
    endpoints: emulators.endpoints,
    env,
    config,
    runtime,
    deps,
    mailQueue,
    exportRunner,
    signatureQueue,
    scanQueue,
    plannerQueue,
    demoLoaded,
    close: async () => {
      cron.stop();
      await plannerQueue.close();
      signatureQueue.close();
      scanQueue.close();
      await mailQueue.close();
      await exportRunner.drain();
      runtime.dynamo.destroy();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
      await emulators.close();
    },
  };
}
