/** Shapes the portal reads that are not (yet) in @dg/contracts. */
import type { PublishedCycles } from '@dg/contracts';

/** A list page of the API (`{ items, total }`, docs/API.md). */
export interface ListOf<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

/** `GET /public/cycles`: cycles whose results are published (no login); the contracts' `PublishedCycle`. */
export type PublicCycle = PublishedCycles['items'][number];
