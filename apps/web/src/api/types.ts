/** Shapes the portal reads that are not (yet) in @dg/contracts. */

/** A list page of the API (`{ items, total }`, docs/API.md). */
export interface ListOf<T> {
  items: T[];
  total: number;
  page?: number;
  pageSize?: number;
}

/** `GET /public/cycles`: cycles whose results are published (no login). */
export interface PublicCycle {
  id: string;
  yearBe: number;
  name?: string | { th: string; en: string };
  publishedAt: string;
}
