import { z } from 'zod';

/** Who acts. Every RPC, event and job carries one so each service re-checks permission itself. */
export const Role = z.enum(['dga_admin', 'operator', 'coordinator', 'approver', 'committee', 'system']);
export type Role = z.infer<typeof Role>;

/** Roles that act for one agency only (their `agencyId` is required). */
export const AGENCY_SCOPED_ROLES: readonly Role[] = ['coordinator', 'approver'];

export const Actor = z.object({
  id: z.string().min(1),
  email: z.string().optional(),
  roles: z.array(Role).min(1),
  agencyId: z.string().uuid().nullish(),
});
export type Actor = z.infer<typeof Actor>;

export const SYSTEM_ACTOR: Actor = { id: 'system', roles: ['system'] };

export const Page = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(50),
});
export type Page = z.infer<typeof Page>;

export const paged = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() });

export const Uuid = z.string().uuid();
/** ISO calendar date (YYYY-MM-DD); dates that people read are shown in the Buddhist Era by the UI. */
export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');
