/**
 * The floor of a function that talks to DynamoDB: the document client and one command, nothing
 * else (the `levers` group bundles it with the Lambda settings and times its cold import).
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';

const client = DynamoDBDocumentClient.from(new DynamoDBClient({}));

export const handler = async () => client.send(new GetCommand({ TableName: 'table', Key: { pk: 'a' } }));
