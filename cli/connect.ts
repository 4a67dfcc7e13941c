import { createDeps } from '#functions/wiring/create-deps.ts';
import { createRegistryDeps } from '#functions/wiring/create-registry-deps.ts';
import { createRuntime, type Runtime, scopeRuntime } from '#functions/wiring/runtime.ts';
import { dataDir } from '#local/paths.ts';
import { readRunningStack } from '#local/stack-file.ts';
import { lambdaExportInvoker } from '#shared/adapters/export-invoker.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { parseConfig } from '#shared/config.ts';
import type { Deps } from '#shared/deps.ts';
import { localDate } from '#shared/domain/calendar.ts';
import { ValidationError } from '#shared/errors.ts';
import { chooseCommittee, findCommittee, parentOf } from '#shared/tenancy/registry.ts';
import { readStageEnvironment } from './stage.ts';

/** What a CLI command works with: the runtime of the stack it talks to, and its core deps. */
export interface Connection {
  runtime: Runtime;
  deps: Deps;
  /** A deployed stack (`--stage`): its e-mails go through its SQS queue, exports through its exporter. */
  stage: boolean;
  /** The deployment's runtime (its first committee's), for what is not one committee's: the registry. */
  base: Runtime;
  /** The command's committee's runtime over another base (one with the local queues). */
  rescope: (base: Runtime) => Runtime;
}

/**
 * Wires the use cases to the stack the CLI talks to: the local stack started by `npm start`
 * (found through its data folder), or a deployed stack named by `--stage` (its service stack's
 * `CliEnvironment` output, read with the operator's AWS credentials). The settings are parsed
 * into this command's runtime; nothing is written to process.env.
 */
export async function connect(options: {
  stage?: string | undefined;
  committee?: string | false | undefined;
}): Promise<Connection> {
  const { stage } = options;
  let env: Record<string, string>;
  if (stage !== undefined) {
    env = await readStageEnvironment(stage);
  } else {
    const info = await readRunningStack(dataDir());
    if (!info) {
      throw new ValidationError(
        'The local stack is not running: start it with `npm start` in the project folder (or pass --stage NAME)',
        [],
        'Chưa chạy hệ thống cục bộ: hãy chạy `npm start` trong thư mục dự án (hoặc thêm --stage TÊN).',
      );
    }
    env = info.env;
  }
  const config = parseConfig({ ...process.env, ...env });
  const base =
    stage !== undefined
      ? createRuntime(config, { mailQueue: sqsMailQueue(config), exportInvoker: lambdaExportInvoker(config) })
      : createRuntime(config);
  // `committee: false`: a command on the deployment itself (`committee …`), for no one committee.
  const rescope =
    options.committee === false ? (b: Runtime) => b : await committeeScope(base, options.committee);
  const runtime = rescope(base);
  return { runtime, deps: createDeps(runtime), stage: stage !== undefined, base, rescope };
}

/**
 * The runtime of the committee a command works for (`--committee`, optional while the deployment
 * holds one committee; docs/tenancy.md): the deployment's first committee is the base runtime
 * itself, any other its scoped runtime, with its parent's name (today) as its superior committee.
 */
async function committeeScope(
  base: Runtime,
  requested: string | undefined,
): Promise<(b: Runtime) => Runtime> {
  const registry = createRegistryDeps(base);
  const committee = await chooseCommittee(registry, requested);
  if (committee.id === base.scope.committeeId) return (b) => b;
  const today = localDate(base.clock.now(), committee.timeZone);
  const parentId = await parentOf(registry, committee.id, today);
  const parent = parentId === null ? undefined : await findCommittee(registry, parentId);
  return (b) => scopeRuntime(b, committee, parent?.name);
}
