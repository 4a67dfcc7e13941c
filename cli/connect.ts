import { dataDir } from '#local/paths.ts';
import { readRunningStack } from '#local/stack-file.ts';
import { resetClients } from '#shared/adapters/aws-clients.ts';
import { createDeps } from '#shared/adapters/create-deps.ts';
import { type Config, loadConfig, resetConfig } from '#shared/config.ts';
import { NotAvailableError, ValidationError } from '#shared/errors.ts';
import type { Deps } from '#shared/services/deps.ts';

export interface Connection {
  config: Config;
  deps: Deps;
}

/**
 * Wires the use cases to the stack the CLI talks to: the local stack started by `npm start`
 * (found through its data folder), or a deployed stack named by `--stage`.
 */
export async function connect(stage: string | undefined): Promise<Connection> {
  if (stage !== undefined) {
    throw new NotAvailableError(
      `--stage ${stage}: talking to a deployed stack is not available yet; use the local stack (npm start)`,
    );
  }
  const info = await readRunningStack(dataDir());
  if (!info) {
    throw new ValidationError(
      'The local stack is not running: start it with `npm start` in the project folder (or pass --stage NAME)',
    );
  }
  Object.assign(process.env, info.env);
  resetConfig();
  resetClients();
  const config = loadConfig();
  return { config, deps: createDeps(config) };
}
