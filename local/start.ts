/**
 * `npm start`: runs the whole product on this machine with no AWS account.
 * `npm start -- --fresh` wipes the local data folder first.
 */
import './quiet-warnings.ts';
import { mkdir, rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { PortInUseError } from './emulators.ts';
import { dataDir } from './paths.ts';
import { readRunningStack, removeStackInfo, writeStackInfo } from './stack-file.ts';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { fresh: { type: 'boolean', default: false } } });
  const dir = dataDir();
  const running = await readRunningStack(dir);
  if (running) {
    console.error(
      `baocao is already running (pid ${running.pid}) with this data folder:\nApp: ${running.appUrl}/admin\nMail: ${running.mailUrl}\nStop it with Ctrl-C in its terminal first.`,
    );
    process.exit(1);
  }
  if (values.fresh) await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });

  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 1 || port > 65532) {
    console.error(`PORT must be a port number between 1 and 65532, got "${process.env.PORT}"`);
    process.exit(1);
  }
  // Metrics are CloudWatch's business; locally they would only flood the terminal. Set before
  // the handlers load, since Powertools reads it when the module is imported.
  process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  const { startLocalStack } = await import('./stack.ts');
  let stack: Awaited<ReturnType<typeof startLocalStack>>;
  try {
    stack = await startLocalStack({
      dataDir: dir,
      port,
      demo: true,
      // Another SES-compatible mail catcher instead of the built-in viewer (README: configuration).
      ...(process.env.BAOCAO_SES_ENDPOINT ? { sesEndpoint: process.env.BAOCAO_SES_ENDPOINT } : {}),
    });
  } catch (error) {
    if (error instanceof PortInUseError) {
      console.error(
        `${error.message}. baocao uses PORT (${port}) and the next three ports; choose others with PORT=4000 npm start.`,
      );
      process.exit(1);
    }
    throw error;
  }
  await writeStackInfo(dir, {
    pid: process.pid,
    appUrl: stack.appUrl,
    mailUrl: stack.mailUrl,
    endpoints: stack.endpoints,
    env: stack.env,
    startedAt: new Date().toISOString(),
  });
  if (stack.demoLoaded)
    console.log('Loaded the demo plan and units, and opened the current reporting period.');
  console.log(`Data: ${dir}`);
  console.log(`App: ${stack.appUrl}/admin`);
  console.log(`Mail: ${stack.mailUrl}`);
  console.log('Press Ctrl-C to stop.');

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await removeStackInfo(dir);
    await stack.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
