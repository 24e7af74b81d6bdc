import { useSyncExternalStore } from 'react';
import type { AssignableRole, Me } from '@dg/contracts';
import { api, type SessionSnapshot } from '../api/client';

/** The signed-in person (or not), re-rendering on sign-in, refresh and sign-out. */
export function useSession(): SessionSnapshot {
  return useSyncExternalStore(api.subscribe, api.getSnapshot, api.getSnapshot);
}

export const STAFF_ROLES: readonly AssignableRole[] = ['dga_admin', 'operator', 'committee'];
export const AGENCY_ROLES: readonly AssignableRole[] = ['coordinator', 'approver'];

export function hasAnyRole(user: Me | null, roles: readonly AssignableRole[]): boolean {
  return !!user && user.roles.some((r) => roles.includes(r));
}

/** Thrown by a route guard when the signed-in person's roles do not allow the page. */
export class ForbiddenError extends Error {
  constructor() {
    super('FORBIDDEN');
    this.name = 'ForbiddenError';
  }
}

/**
 * A path to return to after sign-in: only a path of this site (`/…`, not `//host` or `/\host`),
 * never a full URL, so a crafted link cannot send someone elsewhere after they sign in.
 */
export function safeRedirect(value: unknown): string | undefined {
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return undefined;
  }
  if (value.startsWith('/login')) return undefined;
  return value;
}
