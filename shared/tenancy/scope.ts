/**
 * Where a committee's data lives (docs/tenancy.md). Every DynamoDB partition key of a committee
 * starts with its key prefix, and every S3 key has its object prefix right after the key's top
 * folder (`uploads/_c/<id>/…`, `reports/_c/<id>/…`: the bucket's notifications, lifecycle rules
 * and malware scanning, all set per top folder, cover every committee); the stores never see
 * either (the scoped client and the S3 location add them), so a store cannot name another
 * committee's data. The deployment's first committee (`COMMITTEE_ID`) keeps the unprefixed keys
 * it had before committees existed: no migration, and no overlap either, since no unprefixed
 * key starts with `C#`, and no plan id (the second folder of every object key) with `_`.
 */
import { isCommitteeId } from '#shared/domain/ids.ts';

export interface CommitteeScope {
  committeeId: string;
  /** `C#<id>#`, or '' for the deployment's first committee. */
  keyPrefix: string;
  /** `_c/<id>/` (put after an object key's top folder), or '' for the deployment's first committee. */
  objectPrefix: string;
}

export function scopeOf(committeeId: string, rootId: string): CommitteeScope {
  if (committeeId === rootId) return { committeeId, keyPrefix: '', objectPrefix: '' };
  return { committeeId, keyPrefix: `C#${committeeId}#`, objectPrefix: `_c/${committeeId}/` };
}

/**
 * The committee and the key within its scope of an S3 key: `<top>/_c/<id>/<rest>` is `<id>`'s
 * `<top>/<rest>`, any other key the deployment's first committee's.
 */
export function splitObjectKey(key: string, rootId: string): { committeeId: string; key: string } {
  const m = /^([a-z]+)\/_c\/([^/]+)\/(.+)$/.exec(key);
  if (m && isCommitteeId(m[2])) return { committeeId: m[2]!, key: `${m[1]}/${m[3]}` };
  return { committeeId: rootId, key };
}
