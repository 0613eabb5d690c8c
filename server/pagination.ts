import type { Collection, BaseDoc, Filter } from './store/types.ts';
import type { Page, PageQuery } from '../shared/schemas.ts';
import { AppError } from './errors.ts';
import { ErrorCode } from '../shared/errors.ts';

interface Cursor {
  createdAt: string;
  id: string;
}

const encode = (c: Cursor) => Buffer.from(JSON.stringify([c.createdAt, c.id])).toString('base64url');

function decode(raw: string): Cursor {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string') return { createdAt, id };
  } catch {
    // fall through to the error below
  }
  throw new AppError(ErrorCode.validation, 'The page cursor is not valid');
}

/**
 * Newest-first keyset pagination over records with `createdAt` (ISO string) and
 * `_id`: stable while others insert, unlike skip/limit.
 */
export async function paginate<T extends BaseDoc & { createdAt: string }, R>(
  collection: Pick<Collection<T>, 'find'>,
  filter: Filter,
  query: PageQuery,
  toWire: (record: T) => R,
): Promise<Page<R>> {
  const where: Filter = { ...filter };
  if (query.cursor) {
    const c = decode(query.cursor);
    where.$or = [{ createdAt: { $lt: c.createdAt } }, { createdAt: c.createdAt, _id: { $lt: c.id } }];
  }
  const records = await collection.find(where, { sort: { createdAt: -1, _id: -1 }, limit: query.limit + 1 });
  const more = records.length > query.limit;
  const items = more ? records.slice(0, query.limit) : records;
  const last = items[items.length - 1];
  return {
    items: items.map(toWire),
    nextCursor: more && last ? encode({ createdAt: last.createdAt, id: last._id }) : null,
  };
}
