import { presignGetObject, type S3Location } from './s3-signing.ts';

/** How long a download link handed to a signed-in committee member works. */
export const DOWNLOAD_URL_SECONDS = 300;

/** Fresh short-lived presigned GETs, made only after the session was checked. */
export interface Downloads {
  /** A download of `key` (exactly its version `versionId` when given) named `fileName`. */
  urlFor(key: string, fileName: string, versionId?: string): Promise<string>;
}

export class S3Downloads implements Downloads {
  constructor(private readonly location: S3Location) {}

  urlFor(key: string, fileName: string, versionId?: string): Promise<string> {
    // RFC 6266/5987: an ASCII fallback plus the UTF-8 name, so Vietnamese names survive.
    const ascii =
      fileName
        .normalize('NFD')
        .replace(/[^\x20-\x7e]/g, '')
        .replace(/["\\]/g, '_') || 'tep';
    const disposition = `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
    return presignGetObject(this.location, key, {
      expiresIn: DOWNLOAD_URL_SECONDS,
      responseContentDisposition: disposition,
      ...(versionId ? { versionId } : {}),
    });
  }
}
