/** An asynchronous Lambda invoke the SDK's way (Lambda client): the `levers` group's reference. */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';

const client = new LambdaClient({});

export const handler = async () =>
  client.send(
    new InvokeCommand({ FunctionName: 'exporter', InvocationType: 'Event', Payload: new Uint8Array() }),
  );
