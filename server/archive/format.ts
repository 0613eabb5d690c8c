import { createHash, type Hash } from 'node:crypto';
import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { ErrorCode } from '../../shared/errors.ts';
import { ArchiveHeader, ArchiveLine, ArchiveTrailer, archiveFormat, archiveVersion } from '../../shared/archive.ts';
import { AppError } from '../errors.ts';

/**
 * The archive's container (shared/archive.ts documents it): JSON lines inside
 * gzip, binary values as `{ "$bin": base64 }`, a SHA-256 of the body in the
 * trailer. Writing and reading are both streams of lines.
 */

/** A record as JSON can carry it: Uint8Arrays (and Buffers) become `{ $bin }`. */
export function toPlain(value: unknown): unknown {
  if (value instanceof Uint8Array) return { $bin: Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64') };
  if (Array.isArray(value)) return value.map(toPlain);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = toPlain(v);
    return out;
  }
  return value;
}

/** JSON.parse's reviver for the other way: an object of exactly one string `$bin` is bytes again. */
function revive(_key: string, value: unknown): unknown {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const bin = (value as { $bin?: unknown }).$bin;
    if (keys.length === 1 && typeof bin === 'string') return new Uint8Array(Buffer.from(bin, 'base64'));
  }
  return value;
}

/** Lines as they are written: each line's bytes go into the running SHA-256 until the trailer. */
export class LineWriter {
  readonly #hash: Hash = createHash('sha256');

  line(value: unknown): Buffer {
    const bytes = Buffer.from(`${JSON.stringify(value)}\n`, 'utf8');
    this.#hash.update(bytes);
    return bytes;
  }

  trailer(counts: Record<string, number>): Buffer {
    return Buffer.from(`${JSON.stringify({ end: true, counts, sha256: this.#hash.digest('hex') })}\n`, 'utf8');
  }
}

const corrupt = (message: string, details?: unknown) => new AppError(ErrorCode.archiveCorrupt, message, details);

export interface ReadLimits {
  /** Bytes the gzip may unpack to before the archive is refused (413): a small file can unpack to a great deal. */
  maxUnpackedBytes: number;
}

/**
 * Reads an archive: checks the header's format and version, hands each record
 * line to `onRecord` in order, and checks the trailer (checksum, counts)
 * last. Throws an AppError for anything wrong, so a caller that only acts
 * after it returns never acts on a bad file.
 */
export async function readArchive(
  file: Uint8Array,
  limits: ReadLimits,
  onHeader: (header: ArchiveHeader) => void | Promise<void>,
  onRecord: (collection: string, record: Record<string, unknown>, line: number) => void | Promise<void>,
): Promise<{ header: ArchiveHeader; trailer: ArchiveTrailer }> {
  const hash = createHash('sha256');
  let header: ArchiveHeader | null = null;
  let trailer: ArchiveTrailer | null = null;
  let lineNo = 0;
  let unpacked = 0;
  const counts: Record<string, number> = {};

  const handle = async (bytes: Buffer) => {
    lineNo += 1;
    if (trailer) throw corrupt('The archive goes on after its end', { line: lineNo });
    let value: unknown;
    try {
      value = JSON.parse(bytes.toString('utf8'), revive);
    } catch {
      throw corrupt(`Line ${lineNo} of the archive is not JSON`, { line: lineNo });
    }
    if (!header) {
      const parsed = ArchiveHeader.safeParse(value);
      const format = (value as { format?: unknown } | null)?.format;
      if (format !== archiveFormat) throw new AppError(ErrorCode.archiveUnsupported, 'This is not a Convene consultation archive', { format: typeof format === 'string' ? format : null });
      const version = (value as { version?: unknown }).version;
      if (version !== archiveVersion) {
        throw new AppError(ErrorCode.archiveUnsupported, `This server reads archives of version ${archiveVersion}, not ${String(version)}`, { version: typeof version === 'number' ? version : null, supported: [archiveVersion] });
      }
      if (!parsed.success) throw corrupt('The archive header is incomplete', { line: lineNo });
      header = parsed.data;
      hash.update(bytes);
      await onHeader(header);
      return;
    }
    if (value && typeof value === 'object' && (value as { end?: unknown }).end === true) {
      const parsed = ArchiveTrailer.safeParse(value);
      if (!parsed.success) throw corrupt('The end of the archive is unreadable', { line: lineNo });
      if (parsed.data.sha256 !== hash.digest('hex')) throw corrupt('The archive does not match its checksum: it was changed or damaged', { line: lineNo });
      const declared = Object.entries(parsed.data.counts).filter(([, n]) => n > 0);
      const mismatch = declared.length !== Object.keys(counts).length || declared.some(([c, n]) => counts[c] !== n);
      if (mismatch) throw corrupt('The archive holds other records than its end says', { line: lineNo });
      trailer = parsed.data;
      return;
    }
    hash.update(bytes);
    const parsed = ArchiveLine.safeParse(value);
    if (!parsed.success) throw corrupt(`Line ${lineNo} of the archive is not a record`, { line: lineNo });
    counts[parsed.data.c] = (counts[parsed.data.c] ?? 0) + 1;
    await onRecord(parsed.data.c, parsed.data.r, lineNo);
  };

  const gunzip = createGunzip();
  Readable.from([Buffer.from(file.buffer, file.byteOffset, file.byteLength)]).pipe(gunzip);
  let pending: Buffer[] = [];
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      unpacked += chunk.length;
      if (unpacked > limits.maxUnpackedBytes) {
        throw new AppError(ErrorCode.payloadTooLarge, `The archive unpacks to more than ${limits.maxUnpackedBytes} bytes`, { maxUnpackedBytes: limits.maxUnpackedBytes });
      }
      let start = 0;
      for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, start)) {
        pending.push(chunk.subarray(start, i + 1));
        const line = Buffer.concat(pending);
        pending = [];
        start = i + 1;
        // The newline is part of what the checksum covers, as the writer hashed it.
        try {
          await handle(line);
        } catch (err) {
          // Not gzip's fault: the caller's own failure (a refused record, a write that failed) goes out as it is.
          throw { fromHandler: err };
        }
      }
      if (start < chunk.length) pending.push(chunk.subarray(start));
    }
  } catch (err) {
    gunzip.destroy();
    if (err && typeof err === 'object' && 'fromHandler' in err) throw err.fromHandler;
    if (err instanceof AppError) throw err;
    throw corrupt('The archive is not a readable gzip file', { cause: (err as { code?: string }).code ?? null });
  }
  if (pending.length > 0 && Buffer.concat(pending).toString('utf8').trim() !== '') await handle(Buffer.concat(pending));
  if (!header) throw corrupt('The archive is empty');
  if (!trailer) throw corrupt('The archive is cut short: its end is missing');
  return { header, trailer };
}
