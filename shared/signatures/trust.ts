/**
 * The trust store's use cases: add the CA certificates of a file, list, remove. The store keeps a
 * version counter that every change bumps; each result records the version it was checked with.
 */
import { ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports.ts';
import type { TrustAnchor, TrustStore } from './ports.ts';
import { describeAnchor, MAX_TRUST_ANCHORS, readCertificateFile } from './trust-anchors.ts';

export interface TrustDeps {
  trust: TrustStore;
  clock: Clock;
}

/** Adds the certificates of one file; returns those added and those already there. */
export async function addTrustAnchors(
  deps: TrustDeps,
  bytes: Uint8Array,
  fileName: string,
): Promise<{ added: TrustAnchor[]; present: TrustAnchor[]; version: string }> {
  const at = deps.clock.now().toISOString();
  // A bundle may repeat a certificate: each counts once.
  const byId = new Map(
    readCertificateFile(bytes, fileName)
      .map((der) => describeAnchor(der, at))
      .map((a) => [a.id, a]),
  );
  const anchors = [...byId.values()];
  const current = await deps.trust.snapshot();
  const known = new Set(current.anchors.map((a) => a.id));
  const fresh = anchors.filter((a) => !known.has(a.id));
  if (current.anchors.length + fresh.length > MAX_TRUST_ANCHORS) {
    throw new ValidationError(
      `The trust store holds at most ${MAX_TRUST_ANCHORS} anchors`,
      [],
      `Danh sách tin cậy có tối đa ${MAX_TRUST_ANCHORS} chứng thư số.`,
    );
  }
  const present = anchors.filter((a) => known.has(a.id));
  if (fresh.length === 0) return { added: [], present, version: current.version };
  const { added, version } = await deps.trust.add(fresh);
  return { added, present, version };
}

/** The anchors, by subject, with the store's version. */
export async function listTrustAnchors(
  deps: Pick<TrustDeps, 'trust'>,
): Promise<{ version: string; anchors: TrustAnchor[] }> {
  const snapshot = await deps.trust.snapshot();
  return {
    version: snapshot.version,
    anchors: [...snapshot.anchors].sort(
      (a, b) => a.subject.localeCompare(b.subject, 'vi') || a.id.localeCompare(b.id),
    ),
  };
}

/**
 * Removes the anchor whose id (SHA-256 fingerprint) starts with `idPrefix` (at least 8 hex
 * digits, as `trust list` shows them). @throws ValidationError when none or several match.
 */
export async function removeTrustAnchor(
  deps: Pick<TrustDeps, 'trust'>,
  idPrefix: string,
): Promise<TrustAnchor> {
  const prefix = idPrefix.trim().toLowerCase().replace(/:/g, '');
  if (!/^[0-9a-f]{8,64}$/.test(prefix)) {
    throw new ValidationError(
      `Not a fingerprint: ${idPrefix}`,
      [],
      'Mã chứng thư cần ít nhất 8 chữ số hex (xem "baocao trust list").',
    );
  }
  const { anchors } = await deps.trust.snapshot();
  const matches = anchors.filter((a) => a.id.startsWith(prefix));
  if (matches.length !== 1) {
    throw new ValidationError(
      matches.length === 0 ? `No anchor ${prefix}` : `Several anchors start with ${prefix}`,
      [],
      matches.length === 0
        ? `Không có chứng thư nào mang mã ${prefix} trong danh sách tin cậy.`
        : `Có nhiều chứng thư bắt đầu bằng ${prefix}; hãy nhập mã dài hơn.`,
    );
  }
  const anchor = matches[0]!;
  await deps.trust.remove(anchor.id);
  return anchor;
}

/** Anchors deployed with the stack (the CDK asset built from `trust/`), read once. */
export interface DeployedAnchors {
  /** A short digest of the asset: part of the trust store's version. */
  tag: string;
  anchors: TrustAnchor[];
}

/**
 * The trust store as the verifier sees it: the stored anchors and the deployed ones, under one
 * version `<counter>+<asset tag>` (so a redeploy with other anchors is a new version too). Adds
 * and removes go to the stored anchors only.
 */
export function withDeployedAnchors(
  store: TrustStore,
  deployed: () => Promise<DeployedAnchors | undefined>,
): TrustStore {
  return {
    snapshot: async () => {
      const [stored, extra] = await Promise.all([store.snapshot(), deployed()]);
      if (!extra || extra.anchors.length === 0) return stored;
      const ids = new Set(stored.anchors.map((a) => a.id));
      return {
        version: `${stored.version}+${extra.tag}`,
        anchors: [...stored.anchors, ...extra.anchors.filter((a) => !ids.has(a.id))],
      };
    },
    add: (anchors) => store.add(anchors),
    remove: (id) => store.remove(id),
  };
}

/**
 * Reuses a snapshot for `ttlMs` (a warm verifier checks a batch of files against one read of the
 * store); a change is seen within that time.
 */
export function cachedTrust(
  store: Pick<TrustStore, 'snapshot'>,
  clock: Clock,
  ttlMs = 60_000,
): Pick<TrustStore, 'snapshot'> {
  let cached: { at: number; snapshot: Promise<Awaited<ReturnType<TrustStore['snapshot']>>> } | undefined;
  return {
    snapshot: () => {
      const now = clock.now().getTime();
      if (!cached || now - cached.at >= ttlMs || now < cached.at) {
        const snapshot = store.snapshot();
        cached = { at: now, snapshot };
        // A failed read is not kept.
        snapshot.catch(() => {
          if (cached?.snapshot === snapshot) cached = undefined;
        });
      }
      return cached.snapshot;
    },
  };
}
