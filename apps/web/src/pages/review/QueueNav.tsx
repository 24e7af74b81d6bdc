import { Group, Text } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { useEffect } from 'react';
import { AnchorLink } from '../../components/links';
import { filterOf, PAGE_SIZE, useQueue } from './api';
import type { QueueSearch } from './search';
import { useReviewText } from './text';

/**
 * "Agency 3 of 57" in the list the verifier came from (its filter travels in the address), with
 * the previous and next agency as links and as keys (k and j, as in mail and code review tools;
 * not while typing in a field). Unsaved verdicts are not lost without a question.
 */
export function QueueNav({
  cycleId,
  agencyCode,
  search,
  unsaved,
}: {
  cycleId: string;
  agencyCode: string;
  search: QueueSearch;
  unsaved: boolean;
}) {
  const s = useReviewText();
  const navigate = useNavigate();
  const filter = filterOf(search);
  const here = useQueue(cycleId, filter);
  const items = here.data?.items ?? [];
  const i = items.findIndex((r) => r.agencyCode === agencyCode);
  const pages = here.data ? Math.ceil(here.data.total / PAGE_SIZE) : 1;
  const atStart = i === 0 && filter.page > 1;
  const atEnd = i >= 0 && i === items.length - 1 && filter.page < pages;
  const before = useQueue(cycleId, { ...filter, page: filter.page - 1 }, atStart);
  const after = useQueue(cycleId, { ...filter, page: filter.page + 1 }, atEnd);
  const prev =
    i > 0
      ? { code: items[i - 1]!.agencyCode, page: filter.page }
      : atStart && before.data?.items.length
        ? { code: before.data.items.at(-1)!.agencyCode, page: filter.page - 1 }
        : null;
  const next =
    i >= 0 && i < items.length - 1
      ? { code: items[i + 1]!.agencyCode, page: filter.page }
      : atEnd && after.data?.items.length
        ? { code: after.data.items[0]!.agencyCode, page: filter.page + 1 }
        : null;
  const target = (to: { code: string; page: number }) => ({
    to: '/cycles/$cycleId/review/$agencyCode' as const,
    params: { cycleId, agencyCode: to.code },
    search: { ...search, page: to.page > 1 ? to.page : undefined },
  });
  const leave = (e?: { preventDefault: () => void }) => {
    if (unsaved && !window.confirm(s.leaveUnsaved)) {
      e?.preventDefault();
      return false;
    }
    return true;
  };

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return;
      const t = e.target as HTMLElement | null;
      if (t?.closest('input, textarea, select, [contenteditable="true"], [role="dialog"]')) return;
      const to = e.key === 'j' ? next : e.key === 'k' ? prev : null;
      if (!to) return;
      e.preventDefault();
      if (leave()) void navigate(target(to));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  if (i < 0 || !here.data) return null;
  return (
    <nav aria-label={s.queueNav}>
      <Group gap="md" wrap="wrap">
        <Text fw={700}>{s.position((filter.page - 1) * PAGE_SIZE + i + 1, here.data.total)}</Text>
        {prev && (
          <AnchorLink {...target(prev)} aria-keyshortcuts="k" onClick={leave}>
            {s.previous(prev.code)}
          </AnchorLink>
        )}
        {next && (
          <AnchorLink {...target(next)} aria-keyshortcuts="j" onClick={leave}>
            {s.nextShort(next.code)}
          </AnchorLink>
        )}
        <Text size="sm" c="dimmed">
          {s.keysHint}
        </Text>
      </Group>
    </nav>
  );
}
