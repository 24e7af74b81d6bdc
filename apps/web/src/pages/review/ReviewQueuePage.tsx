import { Button, Container, Group, NativeSelect, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import type { AgencyGroup, ResponseStatus } from '@dg/contracts';
import { getRouteApi, useNavigate } from '@tanstack/react-router';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { AnchorLink } from '../../components/links';
import { Marker } from '../response/Marker';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { ListPagination } from '../../components/ListPagination';
import { ScrollTable } from '../../components/ScrollTable';
import { useLang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { usePageTitle } from '../../lib/title';
import { filterOf, PAGE_SIZE, useQueue, useStatusCounts } from './api';
import { QUEUE_STATUSES, type QueueSearch } from './search';
import { useReviewText } from './text';

const route = getRouteApi('/cycles/$cycleId/review');

/**
 * `/cycles/:cycleId/review`: DGA staff's list of the cycle's responses, by default those waiting
 * for verification, filtered on the server by status, group and agency (kept in the address), a
 * page of 20 at a time; each agency leads to its review (`/cycles/:cycleId/review/:agencyCode`).
 */
export function ReviewQueuePage() {
  const { cycleId } = route.useParams();
  const search = route.useSearch();
  const navigate = useNavigate({ from: '/cycles/$cycleId/review' });
  const s = useReviewText();
  const { t } = useTranslation();
  const lang = useLang();
  usePageTitle(s.queueTitle(cycleId));
  const [text, setText] = useState(search.q ?? '');
  // Back and forward change the address: the search box follows it.
  const [shownQ, setShownQ] = useState(search.q);
  if (shownQ !== search.q) {
    setShownQ(search.q);
    setText(search.q ?? '');
  }
  const page = search.page ?? 1;
  const queue = useQueue(cycleId, filterOf(search));
  const go = (next: QueueSearch) => void navigate({ search: next });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    go({ ...search, q: text.trim() || undefined, page: undefined });
  };
  const pages = queue.data ? Math.max(1, Math.ceil(queue.data.total / PAGE_SIZE)) : 1;
  const counts = useStatusCounts(cycleId);
  const by = counts.data?.byStatus ?? {};
  const shortcuts: { status: QueueSearch['status']; label: string; n: number | undefined }[] = [
    {
      status: undefined,
      label: s.filterWaitingShort,
      n: counts.data ? (by.submitted ?? 0) + (by.resubmitted ?? 0) : undefined,
    },
    { status: 'returned', label: t('status.returned'), n: by.returned },
    { status: 'verified', label: t('status.verified'), n: by.verified },
    { status: 'all', label: s.filterAll, n: counts.data?.total },
  ];

  return (
    <Container size="lg">
      <Stack gap="md">
        <div>
          <Title order={1}>{s.queueTitle(cycleId)}</Title>
          <Text>{s.queueIntro}</Text>
        </div>
        <nav aria-label={s.countsNav}>
          <Group gap="md" wrap="wrap">
            {shortcuts.map((x) => {
              const current = (search.status ?? undefined) === x.status;
              return (
                <AnchorLink
                  key={x.status ?? 'waiting'}
                  to="/cycles/$cycleId/review"
                  params={{ cycleId }}
                  search={{ status: x.status }}
                  aria-current={current ? 'page' : undefined}
                  fw={current ? 700 : undefined}
                >
                  {x.label}{' '}
                  <Marker tone={current ? 'info' : 'missing'}>
                    {x.n === undefined ? '…' : x.n.toLocaleString(lang === 'th' ? 'th-TH' : 'en-GB')}
                  </Marker>
                </AnchorLink>
              );
            })}
          </Group>
        </nav>
        <form onSubmit={submit} role="search" aria-label={s.search}>
          <Group align="flex-end" gap="sm" wrap="wrap">
            <NativeSelect
              label={s.filterStatus}
              value={search.status ?? ''}
              onChange={(e) =>
                go({
                  ...search,
                  status: (e.currentTarget.value || undefined) as QueueSearch['status'],
                  page: undefined,
                })
              }
              data={[
                { value: '', label: s.filterWaiting },
                { value: 'all', label: s.filterAll },
                ...QUEUE_STATUSES.map((x) => ({ value: x, label: t(`status.${x}`) })),
              ]}
            />
            <NativeSelect
              label={s.filterGroup}
              value={search.group ?? ''}
              onChange={(e) =>
                go({
                  ...search,
                  group: (e.currentTarget.value || undefined) as AgencyGroup | undefined,
                  page: undefined,
                })
              }
              data={[
                { value: '', label: s.filterAll },
                ...Object.entries(s.groups).map(([value, label]) => ({ value, label })),
              ]}
            />
            <TextInput
              type="search"
              label={s.search}
              description={s.searchHint}
              value={text}
              onChange={(e) => setText(e.currentTarget.value)}
              style={{ flex: '1 1 14rem' }}
            />
            <Button type="submit">{s.search}</Button>
          </Group>
        </form>
        <div aria-busy={queue.isFetching}>
          {queue.isPending ? (
            <Loading label={s.loading} />
          ) : queue.isError ? (
            <ProblemAlert error={queue.error} onRetry={() => void queue.refetch()} />
          ) : queue.data.total === 0 ? (
            <Text>{s.none}</Text>
          ) : (
            <Stack gap="xs">
              <Text fw={700} aria-live="polite">
                {s.count(queue.data.total)}
              </Text>
              <ScrollTable minWidth={640} label={s.caption}>
                <Table striped withTableBorder verticalSpacing="xs" captionSide="top">
                  <caption className="visually-hidden">{s.caption}</caption>
                  <Table.Thead>
                    <Table.Tr>
                      <Table.Th scope="col">{s.colAgency}</Table.Th>
                      <Table.Th scope="col">{s.colGroup}</Table.Th>
                      <Table.Th scope="col">{s.colStatus}</Table.Th>
                      <Table.Th scope="col">{s.colSubmitted}</Table.Th>
                      <Table.Th scope="col" style={{ textAlign: 'end' }}>
                        {s.colRound}
                      </Table.Th>
                    </Table.Tr>
                  </Table.Thead>
                  <Table.Tbody>
                    {queue.data.items.map((r) => (
                      <Table.Tr key={r.agencyId}>
                        <Table.Th scope="row" style={{ fontWeight: 400 }}>
                          <AnchorLink
                            to="/cycles/$cycleId/review/$agencyCode"
                            params={{ cycleId, agencyCode: r.agencyCode }}
                            search={search}
                          >
                            {r.agencyName}
                          </AnchorLink>{' '}
                          <Text span size="sm" c="dimmed">
                            {r.agencyCode}
                          </Text>
                        </Table.Th>
                        <Table.Td>{s.groups[r.group] ?? r.group}</Table.Td>
                        <Table.Td>{t(`status.${r.status as ResponseStatus}`)}</Table.Td>
                        <Table.Td>{r.submittedAt ? formatDateTime(r.submittedAt, lang) : '–'}</Table.Td>
                        <Table.Td style={{ textAlign: 'end' }}>{r.submissionCount}</Table.Td>
                      </Table.Tr>
                    ))}
                  </Table.Tbody>
                </Table>
              </ScrollTable>
            </Stack>
          )}
        </div>
        {pages > 1 && (
          <ListPagination
            total={pages}
            value={page}
            onChange={(p) => go({ ...search, page: p > 1 ? p : undefined })}
            label={s.pages}
          />
        )}
      </Stack>
    </Container>
  );
}
