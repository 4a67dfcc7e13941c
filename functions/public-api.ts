import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { loadConfig } from '#shared/config.ts';
import { htmlResponse, jsonResponse } from '#shared/http/responses.ts';
import { renderMessage } from '#shared/web/admin-pages.ts';

/**
 * The units' upload links (`/u/{token}…`). Signed links and uploads are not built yet: every
 * request gets a clear "not available" answer and no data.
 */
export const handler = async (event: { rawPath: string }): Promise<APIGatewayProxyStructuredResultV2> => {
  const config = loadConfig();
  const message = 'Chức năng nộp báo cáo qua liên kết chưa được bật.';
  if (event.rawPath.endsWith('/status') || event.rawPath.endsWith('/uploads')) {
    return jsonResponse(501, { error: { code: 'NOT_AVAILABLE', message } });
  }
  return htmlResponse(
    501,
    renderMessage('Chưa sẵn sàng', message, {
      committeeName: config.COMMITTEE_NAME,
      timeZone: config.TIME_ZONE,
    }),
  );
};
