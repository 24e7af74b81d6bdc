import { Anchor, Badge, Card, Container, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQueries, useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import type { Cycle, Me, ResponseDetail, ResponseStatus } from '@dg/contracts';
import { api } from '../api/client';
import { isApiProblem } from '../api/problem';
import type { ListOf, PublicCycle } from '../api/types';
import { AGENCY_ROLES, hasAnyRole, STAFF_ROLES, useSession } from '../auth/session';
import { Loading } from '../components/Loading';
import { ProblemAlert } from '../components/ProblemAlert';
import { useLang } from '../i18n';
import { daysLeft, daysLeftText, formatDate, formatDateTime, type Lang } from '../lib/dates';
import { usePageTitle } from '../lib/title';
import { AnchorLink, ButtonLink } from '../components/links';

/** Landing: sign-in and public results for everyone; the agency's cycles for its people; links for staff. */
export function LandingPage() {
  const { t } = useTranslation();
  usePageTitle(undefined);
  const { status, user } = useSession();
  return (
    <Container size="lg">
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{t('app.name')}</Title>
          <Text>{t('landing.lead')}</Text>
          {status === 'signed-out' && (
            <Group>
              <ButtonLink to="/login" size="md">
                {t('landing.signInCta')}
              </ButtonLink>
            </Group>
          )}
        </Stack>
        {status === 'restoring' && <Loading />}
        {user && hasAnyRole(user, AGENCY_ROLES) && <AgencyCycles user={user} />}
        {user && hasAnyRole(user, STAFF_ROLES) && <StaffLinks />}
        <PublicResults />
      </Stack>
    </Container>
  );
}

const STATUS_COLOR: Record<ResponseStatus, string> = {
  not_started: 'gray',
  in_progress: 'blue',
  awaiting_approval: 'violet',
  submitted: 'teal',
  returned: 'orange',
  resubmitted: 'teal',
  verified: 'green',
};

/** Statuses in which the agency still works on the response, so the deadline matters. */
const OPEN_STATUSES: ReadonlySet<ResponseStatus> = new Set([
  'not_started',
  'in_progress',
  'returned',
  'awaiting_approval',
]);

function AgencyCycles({ user }: { user: Me }) {
  const { t } = useTranslation();
  const lang = useLang();
  const cycles = useQuery({
    queryKey: ['cycles', 'list'],
    // Statuses change as the head approves and DGA verifies: asked again on every visit.
    staleTime: 0,
    queryFn: ({ signal }) => api.get<ListOf<Cycle>>('/cycles', { query: { pageSize: 100 }, signal }),
  });
  const visible = (cycles.data?.items ?? [])
    .filter((c) => c.status !== 'draft')
    .sort((a, b) => b.yearBE - a.yearBE);
  const agencyId = user.agencyId;
  const responses = useQueries({
    queries: visible.map((c) => ({
      queryKey: ['responses', c.id, agencyId],
      enabled: !!agencyId,
      staleTime: 0,
      queryFn: async ({ signal }: { signal: AbortSignal }): Promise<ResponseDetail | null> => {
        try {
          return await api.get<ResponseDetail>(`/cycles/${encodeURIComponent(c.id)}/responses/${agencyId}`, {
            signal,
          });
        } catch (e) {
          // Not in this cycle's cohort: the cycle is not the agency's to answer.
          if (isApiProblem(e) && e.status === 404) return null;
          throw e;
        }
      },
    })),
  });

  return (
    <section aria-labelledby="my-cycles">
      <Title order={2} id="my-cycles" mb="sm">
        {t('landing.myCycles')}
      </Title>
      {!agencyId ? (
        <Text>{t('landing.noAgency')}</Text>
      ) : cycles.isPending ? (
        <Loading />
      ) : cycles.isError ? (
        <ProblemAlert error={cycles.error} onRetry={() => void cycles.refetch()} />
      ) : (
        <CycleCards
          lang={lang}
          isApprover={user.roles.includes('approver') && !user.roles.includes('coordinator')}
          rows={visible.map((c, i) => ({ cycle: c, response: responses[i] }))}
        />
      )}
    </section>
  );
}

interface Row {
  cycle: Cycle;
  response:
    { data?: ResponseDetail | null; isPending: boolean; isError: boolean; error: unknown } | undefined;
}

function CycleCards({ rows, lang, isApprover }: { rows: Row[]; lang: Lang; isApprover: boolean }) {
  const { t } = useTranslation();
  const shown = rows.filter((r) => r.response?.data !== null);
  if (shown.length === 0) return <Text>{t('landing.noCycles')}</Text>;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md">
      {shown.map(({ cycle, response }) => {
        const title = lang === 'th' ? cycle.title.th : cycle.title.en;
        const r = response?.data;
        return (
          <Card
            key={cycle.id}
            withBorder
            padding="md"
            radius="md"
            component="article"
            aria-labelledby={`cycle-${cycle.id}`}
          >
            <Stack gap="xs">
              <Title order={3} id={`cycle-${cycle.id}`}>
                {title}
              </Title>
              {response?.isPending && <Loading />}
              {response?.isError && <ProblemAlert error={response.error} />}
              {r && <ResponseFacts cycle={cycle} response={r} lang={lang} />}
              {r && (
                <Group>
                  <ButtonLink to="/cycles/$cycleId/response" params={{ cycleId: cycle.id }}>
                    {isApprover && r.status === 'awaiting_approval'
                      ? t('landing.reviewResponse')
                      : OPEN_STATUSES.has(r.status) && !isApprover
                        ? t('landing.openResponse')
                        : t('landing.viewResponse')}
                  </ButtonLink>
                </Group>
              )}
            </Stack>
          </Card>
        );
      })}
    </SimpleGrid>
  );
}

function ResponseFacts({ cycle, response, lang }: { cycle: Cycle; response: ResponseDetail; lang: Lang }) {
  const { t } = useTranslation();
  const extended = Date.parse(response.deadline) > Date.parse(cycle.closesAt);
  const left = daysLeft(response.deadline);
  return (
    <Stack gap={4}>
      <Group gap="xs">
        <Badge color={STATUS_COLOR[response.status]} variant="light" size="lg" data-testid="response-status">
          {t(`status.${response.status}`)}
        </Badge>
      </Group>
      <Text>
        {t('landing.deadline')}: <strong>{formatDateTime(response.deadline, lang)}</strong>
        {OPEN_STATUSES.has(response.status) && left !== null && <> · {daysLeftText(left, lang)}</>}
      </Text>
      {extended && (
        <Text size="sm">
          {t('landing.extended', { date: formatDate(response.deadline, lang) })} ·{' '}
          {t('landing.originalDeadline', { date: formatDate(cycle.closesAt, lang) })}
        </Text>
      )}
    </Stack>
  );
}

/** DGA staff: the verification queue of each cycle that is open or closed (not archived), newest first. */
function StaffLinks() {
  const { t } = useTranslation();
  const lang = useLang();
  const cycles = useQuery({
    queryKey: ['cycles', 'staff'],
    queryFn: ({ signal }) => api.get<ListOf<Cycle>>('/cycles', { query: { pageSize: 100 }, signal }),
  });
  const working = (cycles.data?.items ?? [])
    .filter((c) => c.status === 'open' || c.status === 'closed')
    .sort((a, b) => b.id.localeCompare(a.id));
  return (
    <section aria-labelledby="staff">
      <Title order={2} id="staff" mb="sm">
        {t('landing.staffTitle')}
      </Title>
      <Text>{t('landing.staffText')}</Text>
      {cycles.isError && <ProblemAlert error={cycles.error} onRetry={() => void cycles.refetch()} />}
      <Stack gap={4} mt="xs">
        {working.map((c) => (
          <AnchorLink key={c.id} to="/cycles/$cycleId/review" params={{ cycleId: c.id }} search={{}}>
            {t('landing.reviewQueue', { year: c.id, title: lang === 'th' ? c.title.th : c.title.en })}
          </AnchorLink>
        ))}
        <Anchor href="/docs">{t('app.apiDocs')}</Anchor>
      </Stack>
    </section>
  );
}

function PublicResults() {
  const { t } = useTranslation();
  const lang = useLang();
  const cycles = useQuery({
    queryKey: ['public', 'cycles'],
    queryFn: async ({ signal }): Promise<PublicCycle[] | null> => {
      try {
        const page = await api.get<ListOf<PublicCycle>>('/public/cycles', { auth: false, signal });
        return page.items;
      } catch (e) {
        if (isApiProblem(e) && e.status === 404) return null; // a gateway without the list yet
        throw e;
      }
    },
  });
  if (cycles.isPending) return <Loading />;
  if (cycles.isError || cycles.data === null) return null;
  const items = [...cycles.data].sort((a, b) => (b.yearBE ?? 0) - (a.yearBE ?? 0));
  return (
    <section aria-labelledby="public-results">
      <Title order={2} id="public-results" mb="sm">
        {t('landing.publicResults')}
      </Title>
      {items.length === 0 ? (
        <Text>{t('landing.noPublicResults')}</Text>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="md">
          {items.map((c) => {
            const name = c.title?.[lang];
            return (
              <Card
                key={c.id}
                withBorder
                padding="md"
                radius="md"
                component="article"
                aria-labelledby={`pub-${c.id}`}
              >
                <Title order={3} id={`pub-${c.id}`}>
                  {name ?? t('landing.resultsOf', { year: c.yearBE ?? c.id })}
                </Title>
                <Text size="sm" c="dimmed">
                  {t('landing.publishedAt', { date: formatDate(c.publishedAt, lang) })}
                </Text>
                <Stack gap={2} mt="xs">
                  <AnchorLink to="/results/$cycleId" params={{ cycleId: c.id }}>
                    {t('landing.results')}
                  </AnchorLink>
                  <AnchorLink to="/awards/$cycleId" params={{ cycleId: c.id }}>
                    {t('landing.awards')}
                  </AnchorLink>
                  <AnchorLink to="/results/$cycleId/methodology" params={{ cycleId: c.id }}>
                    {t('landing.methodology')}
                  </AnchorLink>
                </Stack>
              </Card>
            );
          })}
        </SimpleGrid>
      )}
    </section>
  );
}
