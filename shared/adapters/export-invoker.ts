import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import type { Config } from '#shared/config.ts';

/** What the exporter is invoked with (validated again by the exporter). */
export interface ExportInvocation {
  planId: string;
  year: number;
  exportId: string;
  requestedBy: string;
}

/** Starts the exporter without waiting for it: a Lambda async invoke on AWS, in-process locally. */
export interface ExportInvoker {
  invoke(event: ExportInvocation): Promise<void>;
}

/** Lambda `Event` invocation: Lambda queues it, retries twice and sends failures to the destination. */
export class LambdaExportInvoker implements ExportInvoker {
  constructor(
    private readonly client: LambdaClient,
    private readonly functionName: string,
  ) {}

  async invoke(event: ExportInvocation): Promise<void> {
    await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionName,
        InvocationType: 'Event',
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
  }
}

let override: ExportInvoker | undefined;
let lambdaInvoker: ExportInvoker | undefined;

/** The local stack runs the exporter in its own process (there is no Lambda emulator). */
export function setExportInvoker(invoker: ExportInvoker | undefined): void {
  override = invoker;
}

export function getExportInvoker(config: Config): ExportInvoker {
  if (override) return override;
  if (!config.EXPORTER_FUNCTION_NAME) {
    throw new Error('EXPORTER_FUNCTION_NAME is not set and no local exporter was provided');
  }
  lambdaInvoker ??= new LambdaExportInvoker(
    new LambdaClient({ region: config.AWS_REGION }),
    config.EXPORTER_FUNCTION_NAME,
  );
  return lambdaInvoker;
}
