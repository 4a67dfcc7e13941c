import { ValidationError } from '#shared/errors.ts';
import type { Clock } from '#shared/ports.ts';
import {
  type Committee,
  type ParentLink,
  parentOn,
  parseCommitteeId,
  parseCommitteeName,
  parseEffectiveDate,
} from './committee.ts';
import type { CommitteeRegistry } from './ports.ts';

export interface RegistryDeps {
  registry: CommitteeRegistry;
  clock: Clock;
  /**
   * The deployment's first committee, as configured (`COMMITTEE_ID`, `COMMITTEE_NAME`,
   * `TIME_ZONE`): registered the first time the registry is read while it does not hold it, so
   * that a deployment made before committees existed keeps working unchanged (docs/tenancy.md).
   */
  root: { id: string; name: string; timeZone: string };
}

/** Refused: the committee named does not exist in this deployment. */
export class UnknownCommitteeError extends ValidationError {
  constructor(id: string) {
    super(`Unknown committee ${id}`, [], `Không có cấp ủy mã "${id}" trong hệ thống.`);
  }
}

/** Every committee of the deployment (the configured first one included), by id. */
export async function listCommittees(deps: RegistryDeps): Promise<Committee[]> {
  const committees = await deps.registry.list();
  if (committees.some((c) => c.id === deps.root.id)) return committees;
  await ensureRoot(deps);
  return deps.registry.list();
}

/** One committee, or undefined (the configured first one is registered on first read). */
export async function findCommittee(deps: RegistryDeps, id: string): Promise<Committee | undefined> {
  const found = await deps.registry.get(id);
  if (found || id !== deps.root.id) return found;
  await ensureRoot(deps);
  return deps.registry.get(id);
}

async function ensureRoot(deps: RegistryDeps): Promise<void> {
  const now = deps.clock.now().toISOString();
  // A concurrent first read may register it too: add is conditional, the loser writes nothing.
  await deps.registry.add(
    {
      id: deps.root.id,
      name: deps.root.name,
      timeZone: deps.root.timeZone,
      createdAt: now,
      createdBy: 'config',
    },
    { committeeId: deps.root.id, parentId: null, from: '0001-01-01' },
  );
}

export interface AddCommitteeInput {
  id: unknown;
  name: unknown;
  parentId?: unknown;
  timeZone?: string | undefined;
  by: string;
}

/** Registers a committee, under a parent of this deployment when one is named. */
export async function addCommittee(deps: RegistryDeps, input: AddCommitteeInput): Promise<Committee> {
  const id = parseCommitteeId(input.id);
  const name = parseCommitteeName(input.name);
  const parentId = input.parentId === undefined ? null : parseCommitteeId(input.parentId);
  if (parentId !== null && !(await findCommittee(deps, parentId))) throw new UnknownCommitteeError(parentId);
  if (id === deps.root.id || (await deps.registry.get(id))) {
    throw new ValidationError(`Committee ${id} exists`, [], `Mã cấp ủy "${id}" đã có trong hệ thống.`);
  }
  const committee: Committee = {
    id,
    name,
    timeZone: input.timeZone ?? deps.root.timeZone,
    createdAt: deps.clock.now().toISOString(),
    createdBy: input.by,
  };
  // Its first link starts at the beginning of time: everything before it was registered is
  // read with the parent it was registered with.
  const added = await deps.registry.add(committee, { committeeId: id, parentId, from: '0001-01-01' });
  if (!added)
    throw new ValidationError(`Committee ${id} exists`, [], `Mã cấp ủy "${id}" đã có trong hệ thống.`);
  return committee;
}

/**
 * Moves a committee under another parent (or under none: `parentId` null) from a date on; the
 * tree before that date is kept as it was. Refuses a move that would make a committee its own
 * ancestor on that date, and a second move from the same date.
 */
export async function moveCommittee(
  deps: RegistryDeps,
  input: { id: unknown; parentId: unknown; from: unknown },
): Promise<ParentLink> {
  const id = parseCommitteeId(input.id);
  const parentId = input.parentId === null ? null : parseCommitteeId(input.parentId);
  const from = parseEffectiveDate(input.from);
  if (!(await findCommittee(deps, id))) throw new UnknownCommitteeError(id);
  if (parentId !== null) {
    if (!(await findCommittee(deps, parentId))) throw new UnknownCommitteeError(parentId);
    if (parentId === id || (await reachesFromOn(deps, parentId, id, from))) {
      throw new ValidationError(
        `Moving ${id} under ${parentId} makes a cycle`,
        [],
        `Không thể chuyển "${id}" về trực thuộc "${parentId}": "${parentId}" đang trực thuộc "${id}".`,
      );
    }
  }
  const link: ParentLink = { committeeId: id, parentId, from };
  if (!(await deps.registry.addParentLink(link))) {
    throw new ValidationError(
      `Committee ${id} already moves on ${from}`,
      [],
      `"${id}" đã có một lần chuyển trực thuộc từ ngày này; chọn ngày khác.`,
    );
  }
  return link;
}

/** The parent of a committee on a date (null: none in this deployment). */
export async function parentOf(deps: RegistryDeps, id: string, date: string): Promise<string | null> {
  return parentOn(await deps.registry.parentLinks(id), date);
}

/** The committees directly under `parentId` on `date`, by id. */
export async function childrenOn(deps: RegistryDeps, parentId: string, date: string): Promise<string[]> {
  const candidates = new Set((await deps.registry.childLinks(parentId)).map((l) => l.committeeId));
  const children: string[] = [];
  for (const id of [...candidates].sort()) {
    if ((await parentOf(deps, id, date)) === parentId) children.push(id);
  }
  return children;
}

/**
 * Whether `target` is `start` or one of its ancestors on `from` or on any later date at which
 * one of the committees met on the way changes parent: the dates a new link from `from` on
 * could close a cycle. Each walk is bounded by {@link MAX_DEPTH}; the dates are those of the
 * few committees met.
 */
async function reachesFromOn(
  deps: RegistryDeps,
  start: string,
  target: string,
  from: string,
): Promise<boolean> {
  const dates = new Set([from]);
  const seenLinks = new Set<string>();
  const walked = new Set<string>();
  for (
    let date: string | undefined = from;
    date !== undefined;
    date = [...dates].find((d) => !walked.has(d))
  ) {
    walked.add(date);
    let current: string | null = start;
    for (let depth = 0; current !== null && depth <= MAX_DEPTH; depth++) {
      if (current === target) return true;
      if (!seenLinks.has(current)) {
        seenLinks.add(current);
        for (const link of await deps.registry.parentLinks(current))
          if (link.from > from) dates.add(link.from);
      }
      current = await parentOf(deps, current, date);
    }
  }
  return false;
}

/** Bounded: a tree deeper than this is refused as a cycle or a mistake. */
const MAX_DEPTH = 16;

/** `id`'s ancestors on `date`, nearest first. */
export async function ancestorsOn(deps: RegistryDeps, id: string, date: string): Promise<string[]> {
  const chain: string[] = [];
  let current: string | null = await parentOf(deps, id, date);
  while (current !== null && chain.length < MAX_DEPTH && !chain.includes(current)) {
    chain.push(current);
    current = await parentOf(deps, current, date);
  }
  return chain;
}

/**
 * The committee a command works for: the one named by `--committee`, else the only one of the
 * deployment; with more than one, naming it is required.
 */
export async function chooseCommittee(deps: RegistryDeps, requested: string | undefined): Promise<Committee> {
  if (requested !== undefined) {
    const id = parseCommitteeId(requested);
    const found = await findCommittee(deps, id);
    if (!found) throw new UnknownCommitteeError(id);
    return found;
  }
  const all = await listCommittees(deps);
  if (all.length === 1) return all[0]!;
  throw new ValidationError(
    `This deployment holds ${all.length} committees: name one with --committee`,
    [],
    `Hệ thống có ${all.length} cấp ủy: hãy chọn một bằng --committee MÃ (xem: baocao committee list).`,
  );
}
