import { createUploadDeps } from '#functions/wiring/create-upload-deps.ts';
import type { Runtime } from '#functions/wiring/runtime.ts';
import { linkFor } from '#shared/uploads/links.ts';
import { requestUpload } from '#shared/uploads/request-upload.ts';

/**
 * Uploads one file as a unit's browser does: asks the app for a presigned POST through the
 * unit's link, then posts the file to the (emulated) S3 bucket. Recording happens when the
 * emulator's event reaches the on-upload handler.
 */
export async function uploadAsUnit(
  runtime: Runtime,
  planId: string,
  year: number,
  unitId: string,
  file: { name: string; type: string; bytes: Buffer },
  notes: Record<string, string> = {},
): Promise<{ key: string }> {
  const deps = createUploadDeps(runtime);
  const { token } = await linkFor(deps, planId, year, unitId);
  const post = await requestUpload(deps, token, {
    fileName: file.name,
    contentType: file.type,
    size: file.bytes.length,
    fileCount: 1,
    notes,
  });
  const form = new FormData();
  for (const [k, v] of Object.entries(post.fields)) form.append(k, v);
  form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.type }), file.name);
  const res = await fetch(post.url, { method: 'POST', body: form });
  if (res.status >= 300) throw new Error(`S3 POST answered ${res.status}: ${await res.text()}`);
  return { key: post.key };
}

/** Waits until `check` holds (recording is asynchronous, as on AWS). */
export async function eventually<T>(check: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}
