import type { Committee, ParentLink } from './committee.ts';

export type { Committee, ParentLink };

/**
 * The deployment's committees and their tree (plans table, outside every committee's scope;
 * docs/tenancy.md). Queried by partition, never scanned: the committee list is one partition,
 * each committee's parent links another, each parent's child links a third.
 */
export interface CommitteeRegistry {
  /** Registers a committee with its first parent link; false, writing nothing, when its id is taken. */
  add(committee: Committee, link: ParentLink): Promise<boolean>;
  get(id: string): Promise<Committee | undefined>;
  /** Every committee, by id. */
  list(): Promise<Committee[]>;
  /** A committee's parent links, oldest first. */
  parentLinks(id: string): Promise<ParentLink[]>;
  /** Every link that ever named `parentId` as parent (the inverse index), oldest first. */
  childLinks(parentId: string): Promise<ParentLink[]>;
  /**
   * Adds a parent link (and its inverse) from `link.from` on; false, writing nothing, when the
   * committee already has a link from that date.
   */
  addParentLink(link: ParentLink): Promise<boolean>;
}

/**
 * A child committee's plan carrying out a plan of its parent (docs/tenancy.md "Roll-up"),
 * confirmed by a person once (`baocao report submit … --confirm`); kept in the child's scope.
 */
export interface RollUpLink {
  /** The child's plan. */
  planId: string;
  /** The parent committee and its plan, as matched by the superior document's number. */
  parentId: string;
  parentPlanId: string;
  confirmedAt: string;
  confirmedBy: string;
}

/** The child committee's confirmed roll-up links (its plans table, one item per plan). */
export interface RollUpStore {
  get(planId: string): Promise<RollUpLink | undefined>;
  /** Every confirmed link of the committee (one Query). */
  list(): Promise<RollUpLink[]>;
  put(link: RollUpLink): Promise<void>;
}

/** Posts a file to a presigned upload form (the browser's part of an upload, done by the system). */
export interface GrantPoster {
  post(grant: { url: string; fields: Record<string, string> }, file: RollUpFile): Promise<void>;
}

/** One file of a committee's own report. */
export interface RollUpFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}
