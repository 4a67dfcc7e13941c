/**
 * FAKES FOR FAST USE-CASE TESTS. An in-memory stand-in for one DynamoDB table, under the
 * in-memory stores of this folder. The real adapters (shared/adapters/dynamodb/) are covered by
 * test/integration against dynalite, and test/support/memory/store-contracts.ts runs one suite
 * against both, so these fakes cannot drift from them. A unit test must not touch the network:
 * that is the only reason these exist.
 *
 * What is reproduced of DynamoDB as the adapters use it:
 * - items are stored as the document client would marshal them (`removeUndefinedValues`, no class
 *   instances: a Date throws as it does there) and read back as fresh copies;
 * - a conditional write evaluates its condition on the stored item and throws an error named
 *   `ConditionalCheckFailedException` (what `isConditionalCheckFailed` looks for) when it fails,
 *   changing nothing; UpdateItem creates a missing item when its condition allows it;
 * - comparisons follow DynamoDB: a missing attribute, or operands of different types, make any
 *   comparison false; strings compare by their UTF-8 bytes;
 * - `SET a.b` under a missing or non-map `a` is a `ValidationException`, as is an item over 400 KB;
 * - Query returns a partition's items in sort-key byte order, page by page (`Limit`), each page
 *   read when it is asked for.
 *
 * What is not: every read is strongly consistent (DynamoDB's default GetItem and Query are
 * eventually consistent; dynalite is consistent too), and there is no throttling.
 */
export type Item = Record<string, unknown>;

export interface TableKey {
  pk: string;
  sk: string;
}

/** DynamoDB's largest item. */
const MAX_ITEM_BYTES = 400 * 1024;

function awsError(name: string, message: string, status = 400): Error {
  const error = new Error(message);
  error.name = name;
  Object.assign(error, { $metadata: { httpStatusCode: status } });
  return error;
}

/** The error a failed condition raises in the SDK. */
export function conditionalCheckFailed(): Error {
  return awsError('ConditionalCheckFailedException', 'The conditional request failed');
}

/** DynamoDB's answer to a malformed request (an invalid document path, an item too large). */
export function validationException(message: string): Error {
  return awsError('ValidationException', message);
}

/**
 * What DynamoDB keeps of a value written through the document client with the adapters' options
 * (`removeUndefinedValues: true, convertClassInstanceToMap: false`): a deep copy without undefined
 * values or functions; a Date or another class instance, NaN or an unsafe integer throws.
 */
export function toItem<T>(value: T): T {
  return copy(value) as T;
}

function copy(value: unknown): unknown {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`Special numeric value ${value} is not allowed`);
    if (Math.abs(value) > Number.MAX_SAFE_INTEGER) {
      throw new Error(`Number ${value} is outside the safe integer range. Use NumberValue.`);
    }
    return value;
  }
  if (Array.isArray(value)) {
    return value.filter((v) => v !== undefined && typeof v !== 'function').map(copy);
  }
  if (value instanceof Uint8Array) return new Uint8Array(value);
  if (value instanceof Set) {
    const members = [...value].filter((v) => v !== undefined);
    if (members.length === 0) throw new Error('Pass a non-empty set, or options.convertEmptyValues=true.');
    return new Set(members);
  }
  if (typeof value === 'object') {
    const entries =
      value instanceof Map ? [...value.entries()] : isPlainObject(value) ? Object.entries(value) : undefined;
    if (!entries) {
      throw new Error(
        `Unsupported type passed: ${String(value)}. Pass options.convertClassInstanceToMap=true to marshall typeof object as map attribute.`,
      );
    }
    const out: Item = {};
    for (const [k, v] of entries) {
      if (v !== undefined && typeof v !== 'function') out[String(k)] = copy(v);
    }
    return out;
  }
  throw new Error(`Unsupported type passed: ${String(value)}`);
}

function isPlainObject(value: object): value is Item {
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Whether a value is a DynamoDB map (M). */
function isMap(value: unknown): value is Item {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && isPlainObject(value);
}

/** The value at a document path of an item; undefined when a step is missing or not a map. */
export function valueAt(item: Item | undefined, ...path: string[]): unknown {
  let current: unknown = item;
  for (const name of path) {
    if (!isMap(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** `attribute_exists(path)`. */
export function attributeExists(item: Item | undefined, ...path: string[]): boolean {
  return valueAt(item, ...path) !== undefined;
}

/** Strings compare by their UTF-8 bytes in DynamoDB (not by UTF-16 code units). */
function compareStrings(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

export type Comparator = '=' | '<' | '<=' | '>' | '>=';

/**
 * A DynamoDB comparison (`a < b`, …): false when either side is missing or the two are of
 * different types; numbers numerically, strings by bytes; `=` also for booleans and null.
 */
export function compare(a: unknown, op: Comparator, b: unknown): boolean {
  if (a === undefined || b === undefined) return false;
  let order: number;
  if (typeof a === 'number' && typeof b === 'number') order = a - b;
  else if (typeof a === 'string' && typeof b === 'string') order = compareStrings(a, b);
  else if (op === '=' && (a === null || typeof a === 'boolean')) return a === b;
  else return false;
  switch (op) {
    case '=':
      return order === 0;
    case '<':
      return order < 0;
    case '<=':
      return order <= 0;
    case '>':
      return order > 0;
    case '>=':
      return order >= 0;
  }
}

const INVALID_PATH = 'The document path provided in the update expression is invalid for update';

/** The map that holds the last step of `path`; a ValidationException when it is not one. */
function parentOf(item: Item, path: string[]): Item {
  const parent = path.length === 1 ? item : valueAt(item, ...path.slice(0, -1));
  if (!isMap(parent)) throw validationException(INVALID_PATH);
  return parent;
}

/** `SET path = :value` (the parent must be an existing map). */
export function setPath(item: Item, path: string[], value: unknown): void {
  parentOf(item, path)[path.at(-1)!] = toItem(value);
}

/** `REMOVE path` (a no-op when the attribute is absent). */
export function removePath(item: Item, path: string[]): void {
  delete parentOf(item, path)[path.at(-1)!];
}

/** `ADD path :n` on a number: a missing attribute starts at 0. */
export function addNumber(item: Item, path: string[], n: number): number {
  const parent = parentOf(item, path);
  const name = path.at(-1)!;
  const current = parent[name] ?? 0;
  if (typeof current !== 'number') {
    throw validationException('An operand in the update expression has an incorrect data type');
  }
  parent[name] = current + n;
  return current + n;
}

/** DynamoDB's item size: names and values in UTF-8 bytes, numbers by digits, a few bytes per map/list. */
function sizeOf(value: unknown): number {
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number') return Math.ceil(String(Math.abs(value)).replace('.', '').length / 2) + 1;
  if (typeof value === 'boolean' || value === null) return 1;
  if (value instanceof Uint8Array) return value.length;
  if (value instanceof Set) return [...value].reduce((sum: number, v) => sum + sizeOf(v), 0);
  if (Array.isArray(value)) return 3 + value.reduce((sum: number, v) => sum + 1 + sizeOf(v), 0);
  if (isMap(value)) {
    return 3 + Object.entries(value).reduce((sum, [k, v]) => sum + 1 + Buffer.byteLength(k) + sizeOf(v), 0);
  }
  return 0;
}

function checkSize(item: Item): void {
  const bytes = Object.entries(item).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + sizeOf(v), 0);
  if (bytes > MAX_ITEM_BYTES) throw validationException('Item size has exceeded the maximum allowed size');
}

/** A Query's answer: one page, and where the next one starts (undefined after the last). */
export interface QueryPage {
  items: Item[];
  lastSk: string | undefined;
}

/** One table: partitions by `pk`, items by `sk`. */
export class MemoryTable {
  private readonly partitions = new Map<string, Map<string, Item>>();
  /** Sort keys of each partition in byte order, rebuilt when a key is added or deleted. */
  private readonly sorted = new Map<string, string[]>();

  constructor(readonly name: string) {}

  /** GetItem: a copy of the item, or undefined. */
  get(key: TableKey): Item | undefined {
    const item = this.partitions.get(key.pk)?.get(key.sk);
    return item ? toItem(item) : undefined;
  }

  /** PutItem; with `condition`, only when it holds for the item stored now (else it throws). */
  put(item: Item, condition?: (current: Item | undefined) => boolean): void {
    const stored = toItem(item);
    const key = { pk: String(stored.pk), sk: String(stored.sk) };
    if (condition && !condition(this.partitions.get(key.pk)?.get(key.sk))) throw conditionalCheckFailed();
    checkSize(stored);
    this.store(key, stored);
  }

  /**
   * UpdateItem: `apply` changes a copy of the item (a new one holding only its key when there is
   * none), kept only if `condition` held for the stored item and `apply` did not throw.
   * @returns the item after the update (`ALL_NEW`).
   */
  update(
    key: TableKey,
    condition: (current: Item | undefined) => boolean,
    apply: (item: Item) => void,
  ): Item {
    const current = this.partitions.get(key.pk)?.get(key.sk);
    if (!condition(current)) throw conditionalCheckFailed();
    const draft = current ? toItem(current) : { pk: key.pk, sk: key.sk };
    apply(draft);
    const stored = toItem(draft);
    checkSize(stored);
    this.store(key, stored);
    return toItem(stored);
  }

  /** {@link update} that answers false instead of throwing when the condition fails. */
  tryUpdate(
    key: TableKey,
    condition: (current: Item | undefined) => boolean,
    apply: (item: Item) => void,
  ): boolean {
    try {
      this.update(key, condition, apply);
      return true;
    } catch (error) {
      if (error instanceof Error && error.name === 'ConditionalCheckFailedException') return false;
      throw error;
    }
  }

  /** DeleteItem. */
  delete(key: TableKey): void {
    const partition = this.partitions.get(key.pk);
    if (partition?.delete(key.sk)) this.sorted.delete(key.pk);
  }

  /**
   * One Query page of `pk` with `begins_with(sk, prefix)`: at most `limit` items after
   * `startAfter`, in sort-key order (reversed with `descending`, as `ScanIndexForward: false`).
   * Like DynamoDB, a page that stops at its limit names a next start even if nothing follows.
   */
  query(
    pk: string,
    prefix: string,
    options: { limit?: number | undefined; startAfter?: string | undefined; descending?: boolean } = {},
  ): QueryPage {
    const partition = this.partitions.get(pk);
    if (!partition) return { items: [], lastSk: undefined };
    let keys = this.sortedKeys(pk, partition).filter((sk) => sk.startsWith(prefix));
    if (options.descending) keys = [...keys].reverse();
    if (options.startAfter !== undefined) {
      const after = options.startAfter;
      keys = keys.filter((sk) =>
        options.descending ? compareStrings(sk, after) < 0 : compareStrings(sk, after) > 0,
      );
    }
    const limit = options.limit;
    const page = limit !== undefined ? keys.slice(0, limit) : keys;
    const lastSk = limit !== undefined && page.length === limit ? page.at(-1) : undefined;
    return { items: page.map((sk) => toItem(partition.get(sk)!)), lastSk };
  }

  /** Every item of a Query, page after page. */
  queryAll(pk: string, prefix: string): Item[] {
    return this.query(pk, prefix).items;
  }

  /** Every item of the table, for assertions on what a test left behind. */
  items(): Item[] {
    return [...this.partitions.values()].flatMap((p) => [...p.values()].map((i) => toItem(i)));
  }

  private store(key: TableKey, item: Item): void {
    let partition = this.partitions.get(key.pk);
    if (!partition) {
      partition = new Map();
      this.partitions.set(key.pk, partition);
    }
    if (!partition.has(key.sk)) this.sorted.delete(key.pk);
    partition.set(key.sk, item);
  }

  private sortedKeys(pk: string, partition: Map<string, Item>): string[] {
    let keys = this.sorted.get(pk);
    if (!keys) {
      keys = [...partition.keys()].sort(compareStrings);
      this.sorted.set(pk, keys);
    }
    return keys;
  }
}

/** The two tables of docs/data-model.md, shared by every in-memory store of one runtime. */
export class MemoryTables {
  readonly plans = new MemoryTable('plans');
  readonly submissions = new MemoryTable('submissions');
}

/** A stored item without its table keys and type tag: the domain object it holds. */
export function withoutKeys<T>(item: Item | undefined): T | undefined {
  if (!item) return undefined;
  const { pk: _pk, sk: _sk, type: _type, ...rest } = item;
  return rest as T;
}
