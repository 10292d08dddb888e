// Pieces every area of the API shares: ids, paging, attribute values, measured values with units.
import { z } from 'zod';

export const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.:-]+$/, 'ids are letters, digits and _.:-');
export const page = { offset: z.number().int().min(0).default(0), limit: z.number().int().min(1).max(1000).default(100) };

export const attributeValue = z.object({ value: z.union([z.number(), z.string(), z.null()]), unit: z.string().optional() });

/** A physical value with its unit; null where it cannot be computed. */
export const measured = z.object({ value: z.number().nullable(), unit: z.string() });
