import type { GrantPoster, RollUpFile } from '#shared/tenancy/ports.ts';

/**
 * Posts a file to a presigned POST form as a browser does (fields first, the file last as
 * `file`): how a committee's own report goes up through the same grant → S3 → on-upload path
 * as a branch's upload (docs/tenancy.md).
 */
export class FetchGrantPoster implements GrantPoster {
  async post(grant: { url: string; fields: Record<string, string> }, file: RollUpFile): Promise<void> {
    const form = new FormData();
    for (const [name, value] of Object.entries(grant.fields)) form.append(name, value);
    form.append('file', new Blob([new Uint8Array(file.bytes)], { type: file.contentType }), file.name);
    const res = await fetch(grant.url, { method: 'POST', body: form });
    if (res.status >= 300)
      throw new Error(`S3 POST answered ${res.status}: ${(await res.text()).slice(0, 300)}`);
  }
}
