import type { SelectQueryBuilder, ObjectLiteral } from 'typeorm';
import type { ResponseFilter, ResponseStatus } from '@dg/contracts';

/**
 * Narrows a query on `responses` (alias `r`) to a filter of the API: several statuses at once
 * (`not_submitted`: never submitted and approved, as progress counts it), group, the ministry and
 * province kept from the cohort when the cycle opened. The list and progress use the same one.
 */
export function filterResponses<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  filter: Partial<ResponseFilter>,
): SelectQueryBuilder<T> {
  if (filter.status?.length) {
    const statuses = filter.status.filter((s): s is ResponseStatus => s !== 'not_submitted');
    const either: string[] = [];
    if (statuses.length) either.push('r.status IN (:...statuses)');
    if (filter.status.includes('not_submitted')) either.push('r.submission_count = 0');
    qb.andWhere(`(${either.join(' OR ')})`, { statuses });
  }
  if (filter.group) qb.andWhere('r.agency_group = :group', { group: filter.group });
  if (filter.ministryId) qb.andWhere('r.agency_ministry = :ministry', { ministry: filter.ministryId });
  if (filter.province) qb.andWhere('r.agency_province = :province', { province: filter.province });
  return qb;
}
