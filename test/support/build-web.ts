import { writeUploadScript } from '#infra/bundling/upload-script.ts';

/**
 * vitest `globalSetup`: builds the upload page's script before any test file loads, so that a
 * plain `npx vitest run …` on a fresh clone finds functions/web/generated/upload-script.ts, and a
 * test always runs the script of the current source (unit, e2e, and the infra tests that bundle
 * the functions).
 */
export default async function buildWeb(): Promise<void> {
  await writeUploadScript();
}
