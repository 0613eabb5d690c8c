import { z } from 'zod';
import { defaultLimits } from './limits.ts';
import { phases } from './groups.ts';

/** Ids are server-made UUIDs; anything else is refused before it reaches a store. */
export const Id = z.uuid();

const text = (max: number) => z.string().trim().max(max);

export const CreateConsultationInput = z.object({
  title: text(200).min(1),
  summary: text(5000).default(''),
  /** ISO 3166-1 alpha-2 code, or empty when the consultation is regional. */
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z]{2})?$/)
    .default(''),
});
export type CreateConsultationInput = z.infer<typeof CreateConsultationInput>;

export const Consultation = z.object({
  id: Id,
  title: z.string(),
  summary: z.string(),
  country: z.string(),
  phase: z.enum(phases),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type Consultation = z.infer<typeof Consultation>;

export const CreateDocumentInput = z.object({
  title: text(200).min(1),
});
export type CreateDocumentInput = z.infer<typeof CreateDocumentInput>;

export const DocumentMeta = z.object({
  id: Id,
  consultationId: Id,
  title: z.string(),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type DocumentMeta = z.infer<typeof DocumentMeta>;

/** Cursor pagination: lists come newest first; `cursor` is opaque to clients. */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(defaultLimits.maxPageSize).default(defaultLimits.pageSize),
  cursor: z.string().max(200).optional(),
});
export type PageQuery = z.infer<typeof PageQuery>;

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
}

export const Health = z.object({
  status: z.literal('ok'),
  store: z.enum(['embedded', 'mongodb']),
  version: z.string(),
});
export type Health = z.infer<typeof Health>;
