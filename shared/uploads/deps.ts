import type { Deps } from '#shared/deps.ts';
import type { RateLimitStore } from '#shared/limits/ports.ts';
import type { KeyProvider } from '#shared/ports.ts';
import type { UploadSigner, UploadStore } from './ports.ts';

/** The settings the unit side of uploads reads from the configuration. */
export interface UploadSettings {
  /** Public base URL of the app (`APP_URL`); links are `<appUrl>/u/<token>`. */
  appUrl: string | undefined;
  /** Per-file size limit in bytes (`MAX_UPLOAD_BYTES`). */
  maxUploadBytes: number;
  /** New submissions a unit may start per committee-local day (`MAX_VERSIONS_PER_DAY`). */
  maxVersionsPerDay: number;
}

/** Collaborators of the upload use cases: the common ones plus uploads, signer and key. */
export interface UploadDeps extends Deps {
  uploads: UploadStore;
  signer: UploadSigner;
  keys: KeyProvider;
  uploadSettings: UploadSettings;
  /** Per-link and per-IP counters of presigns and status reads (shared/uploads/unit-limits.ts). */
  limits: RateLimitStore;
  /** New upload nonces (32 hex digits by default); tests pin them. */
  newUploadId: () => string;
}
