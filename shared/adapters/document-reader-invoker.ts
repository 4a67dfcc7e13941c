import type { Config } from '#shared/config.ts';
import {
  type ArchiveRefusal,
  type DocumentProblem,
  DocumentReadError,
  type DocumentReader,
  type SheetRow,
} from '#shared/files/ports.ts';
import { awsCredentials, sigV4 } from './aws-signing.ts';
import type { LambdaInvokeTarget } from './export-invoker.ts';

/**
 * Longest wait for the document-reader's answer: its own timeout (25 s, infra/constructs/api.ts)
 * and a little more, within setup-api's 29 s (API Gateway's integration limit is 30 s).
 */
const INVOKE_TIMEOUT_MS = 27_000;

/**
 * The document reader of setup-api: a synchronous Lambda invoke (`RequestResponse`) of the
 * document-reader (functions/document-reader.ts) with the document in base64, one signed HTTPS request as
 * {@link LambdaExportInvoker} makes (no Lambda client in the bundle). Not retried: the person
 * who uploaded the file is waiting and may send it again.
 */
export class LambdaDocumentReader implements DocumentReader {
  constructor(private readonly target: LambdaInvokeTarget) {}

  async planText(kind: 'pdf' | 'docx', bytes: Uint8Array): Promise<string> {
    const answer = await this.invoke({ read: 'plan-text', kind, document: base64(bytes) });
    if (typeof answer.text === 'string') return answer.text;
    throw refusal(answer);
  }

  async unitsSheet(bytes: Uint8Array): Promise<SheetRow[]> {
    const answer = await this.invoke({ read: 'units-sheet', document: base64(bytes) });
    if (Array.isArray(answer.rows)) return answer.rows as SheetRow[];
    throw refusal(answer);
  }

  private async invoke(request: Record<string, string>): Promise<Answer> {
    const { region, functionName, credentials } = this.target;
    const base = new URL(this.target.endpoint ?? `https://lambda.${region}.amazonaws.com`);
    const path = `/2015-03-31/functions/${encodeURIComponent(functionName)}/invocations`;
    const body = JSON.stringify(request);
    const host = base.port ? `${base.hostname}:${base.port}` : base.hostname;
    const signed = await sigV4('lambda', region, credentials).sign({
      method: 'POST',
      protocol: base.protocol,
      hostname: base.hostname,
      ...(base.port ? { port: Number(base.port) } : {}),
      path,
      query: {},
      headers: {
        host,
        'content-type': 'application/json',
        'content-length': String(Buffer.byteLength(body)),
        'x-amz-invocation-type': 'RequestResponse',
      },
      body,
    });
    const { host: _host, ...headers } = signed.headers;
    const response = await fetch(new URL(path, base), {
      method: 'POST',
      headers,
      body,
      signal: AbortSignal.timeout(this.target.timeoutMs ?? INVOKE_TIMEOUT_MS),
    });
    const answer = await response.text();
    // A function error (a crash, a timeout, out of memory) is answered 200 with this header.
    if (response.status !== 200 || response.headers.get('x-amz-function-error')) {
      throw new Error(`document-reader invoke failed: HTTP ${response.status} ${answer.slice(0, 300)}`);
    }
    return JSON.parse(answer) as Answer;
  }
}

/** The function's answer (functions/document-reader.ts `DocumentReaderResponse`), unchecked. */
interface Answer {
  text?: unknown;
  rows?: unknown;
  problem?: DocumentProblem;
  detail?: number;
  refusal?: ArchiveRefusal;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

function refusal(answer: Answer): DocumentReadError {
  return new DocumentReadError(
    answer.problem ?? 'unreadable',
    `document-reader: ${answer.problem}`,
    answer.detail,
    answer.refusal,
  );
}

/**
 * The document reader of a Lambda runtime: the document-reader named by
 * DOCUMENT_READER_FUNCTION_NAME, or none where it is not set (a .pdf, .docx or .xlsx is then
 * refused with a way onward).
 */
export function lambdaDocumentReader(config: Config): DocumentReader | undefined {
  if (!config.DOCUMENT_READER_FUNCTION_NAME) return undefined;
  return new LambdaDocumentReader({
    region: config.AWS_REGION,
    functionName: config.DOCUMENT_READER_FUNCTION_NAME,
    credentials: awsCredentials(),
  });
}
