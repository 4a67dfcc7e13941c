import { createDeps } from '#functions/wiring/create-deps.ts';
import { createRuntime, type Runtime } from '#functions/wiring/runtime.ts';
import { dataDir } from '#local/paths.ts';
import { readRunningStack } from '#local/stack-file.ts';
import { lambdaExportInvoker } from '#shared/adapters/export-invoker.ts';
import { sqsMailQueue } from '#shared/adapters/mail-queue-provider.ts';
import { parseConfig } from '#shared/config.ts';
import type { Deps } from '#shared/deps.ts';
import { ValidationError } from '#shared/errors.ts';
import { readStageEnvironment } from './stage.ts';

/** What a CLI command works with: the runtime of the stack it talks to, and its core deps. */
export interface Connection {
  runtime: Runtime;
  deps: Deps;
  /** A deployed stack (`--stage`): its e-mails go through its SQS queue, exports through its exporter. */
  stage: boolean;
}

/**
 * Wires the use cases to the stack the CLI talks to: the local stack started by `npm start`
 * (found through its data folder), or a deployed stack named by `--stage` (its service stack's
 * `CliEnvironment` output, read with the operator's AWS credentials). The settings are parsed
 * into this command's runtime; nothing is written to process.env.
 */
export async function connect(stage: string | undefined): Promise<Connection> {
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
  const runtime =
    stage !== undefined
      ? createRuntime(config, { mailQueue: sqsMailQueue(config), exportInvoker: lambdaExportInvoker(config) })
      : createRuntime(config);
  return { runtime, deps: createDeps(runtime), stage: stage !== undefined };
}
