import { dataDir } from '#local/paths.ts';
import { readRunningStack } from '#local/stack-file.ts';
import { resetClients } from '#shared/adapters/aws-clients.ts';
import { createDeps } from '#shared/adapters/create-deps.ts';
import { type Config, loadConfig, resetConfig } from '#shared/config.ts';
import { ValidationError } from '#shared/errors.ts';
import type { Deps } from '#shared/services/deps.ts';
import { readStageEnvironment } from './stage.ts';

export interface Connection {
  config: Config;
  deps: Deps;
}

/**
 * Wires the use cases to the stack the CLI talks to: the local stack started by `npm start`
 * (found through its data folder), or a deployed stack named by `--stage` (its service stack's
 * `CliEnvironment` output, read with the operator's AWS credentials).
 */
export async function connect(stage: string | undefined): Promise<Connection> {
  let env: Record<string, string>;
  if (stage !== undefined) {
    env = { ...(await readStageEnvironment(stage)), BAOCAO_STAGE: stage };
  } else {
    const info = await readRunningStack(dataDir());
    if (!info) {
      throw new ValidationError(
        'The local stack is not running: start it with `npm start` in the project folder (or pass --stage NAME)',
      );
    }
    env = info.env;
  }
  Object.assign(process.env, env);
  resetConfig();
  resetClients();
  const config = loadConfig();
  return { config, deps: createDeps(config) };
}

/** Whether the CLI talks to a deployed stack (its e-mails then go through that stack's SQS queue). */
export function isStage(): boolean {
  return Boolean(process.env.BAOCAO_STAGE);
}
