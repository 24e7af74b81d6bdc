import { Alert, Box, Card, Container, Group, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import type { Methodology, ScorecardRecord } from '@dg/contracts';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo } from 'react';
import { AnchorLink } from '../../components/links';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLang } from '../../i18n';
import type { Lang } from '../../lib/dates';
import { usePageTitle } from '../../lib/title';
import { useCycleYear, useMethodology, usePublicResults, usePublicScorecard } from './api';
import { DataFigure } from './DataFigure';
import { fmtChange, fmtNumber, pick } from './format';
import { anchors, outcomeName, type MQuestion, type Outcome } from './methodology';
import { PALETTE } from './mapScale';
import { Marker, type Tone } from '../response/Marker';
import { usePublicText, type PublicText } from './text';
import { ScrollTable } from '../../components/ScrollTable';

const route = getRouteApi('/results/$cycleId/agencies/$agencyCode');

type Card_ = ScorecardRecord['card'];
type QuestionScore = Card_['pillars'][number]['indicators'][number]['questions'][number];

/**
 * The rule that gave a question its points, as an anchor on the methodology page: the question's
 * own rubric when it earned them, else the rule of its outcome (unanswered, hidden, rejected...).
 */
export function ruleAnchor(q: Pick<QuestionScore, 'questionId' | 'outcome'>): string {
  return q.outcome === 'earned' ? anchors.question(q.questionId) : anchors.outcome(q.outcome);
}

/** One agency's published scorecard (no login): overall, pillars, and every point with its reason and rule. */
export function AgencyScorecardPage() {
  const { cycleId, agencyCode } = route.useParams();
  const t = usePublicText();
  const lang = useLang();
  const year = useCycleYear(cycleId);
  const card = usePublicScorecard(cycleId, agencyCode);
  const methodology = useMethodology(cycleId);
  const record = card.data?.state === 'ok' ? card.data.data : null;
  const m = methodology.data?.state === 'ok' ? methodology.data.data : null;
  const title = t.scorecardTitle(record?.agencyName ?? agencyCode, year);
  usePageTitle(title);
  return (
    <Container size="lg">
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{title}</Title>
          <Group gap="lg">
            <AnchorLink to="/results/$cycleId" params={{ cycleId }}>
              {t.results}
            </AnchorLink>
            <AnchorLink to="/results/$cycleId/methodology" params={{ cycleId }}>
              {t.methodology}
            </AnchorLink>
          </Group>
        </Stack>
        {card.isPending ? (
          <Loading />
        ) : card.isError ? (
          <ProblemAlert error={card.error} onRetry={() => void card.refetch()} />
        ) : card.data.state === 'not_published' ? (
          <Alert role="status" color="blue" variant="light" title={t.notPublished}>
            <Text>{t.notPublishedText}</Text>
          </Alert>
        ) : card.data.state === 'not_found' ? (
          <Alert role="status" color="gray" variant="light" title={t.scorecardNotFound}>
            <Text>{t.scorecardNotFoundText}</Text>
          </Alert>
        ) : record ? (
          <Scorecard record={record} m={m} cycleId={cycleId} lang={lang} t={t} />
        ) : null}
      </Stack>
    </Container>
  );
}

function Scorecard({
  record,
  m,
  cycleId,
  lang,
  t,
}: {
  record: ScorecardRecord;
  m: Methodology | null;
  cycleId: string;
  lang: Lang;
  t: PublicText;
}) {
  const c = record.card;
  // Rank and change come from the published rankings (the same row the results page shows).
  const ranked = usePublicResults(cycleId, { q: record.agencyCode, pageSize: 10 });
  const row = ranked.data?.state === 'ok' ? ranked.data.data.rankings.items.find((r) => r.agencyCode === record.agencyCode) : undefined;
  const groupName = ranked.data?.state === 'ok' ? ranked.data.data.statistics.byGroup.find((g) => g.key === record.group)?.name : null;
  const questions = useMemo(() => {
    const map = new Map<string, MQuestion>();
    for (const p of m?.pillars ?? []) for (const i of p.indicators) for (const q of i.questions) map.set(q.id, q);
    return map;
  }, [m]);
  const pillarRows = c.pillars.map((p) => [`${t.pillarN(p.number)} ${pick(p.title, lang)}`, p.weight, p.score]);
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="md">
        <Card withBorder padding="md">
          <Text c="dimmed">{t.overall}</Text>
          <Text fz="2rem" fw={700} lh={1.6} data-testid="overall-score">
            {fmtNumber(c.overall, lang)} <Text span c="dimmed" fz="md">{t.outOf100}</Text>
          </Text>
          {record.standardised && (
            <Text>
              {t.index}: <strong>{fmtNumber(record.standardised.index, lang, 4)}</strong>
            </Text>
          )}
        </Card>
        <Card withBorder padding="md">
          <Text c="dimmed">{t.levelLabel}</Text>
          <Text fz="xl" fw={700}>
            {c.level ? `${t.level(c.level.level)} ${pick(c.level.name, lang)}` : row?.level ? t.level(row.level) : t.noLevel}
          </Text>
          {c.band && (
            <Text>
              {t.band}: {pick(c.band.name, lang)}
            </Text>
          )}
          {m && (c.level || row?.level) && (
            <AnchorLink to="/results/$cycleId/methodology" params={{ cycleId }} hash={anchors.levels} size="sm">
              {t.ruleLink}
            </AnchorLink>
          )}
        </Card>
        <Card withBorder padding="md">
          <Text c="dimmed">{t.colGroup}</Text>
          <Text fw={700}>{pick(groupName, lang) || t.groups[record.group]}</Text>
          {row && <Text>{t.rankInGroup(row.rank, pick(groupName, lang) || t.groups[record.group] || record.group)}</Text>}
          {row && row.change !== null && <Text>{t.changeFromLast(fmtChange(row.change, lang))}</Text>}
        </Card>
      </SimpleGrid>
      <Text>{t.totals(c.totals.scoredQuestions, c.totals.answered, c.totals.earning, c.totals.rejected)}</Text>

      <DataFigure
        title={t.pillarsTitle}
        chartLabel={t.pillarsChart(c.pillars.map((p) => `${t.pillarN(p.number)} ${fmtNumber(p.score, lang)}`).join(', '))}
        chart={<PillarBars pillars={c.pillars} lang={lang} t={t} />}
        table={{
          caption: t.pillarsCaption(record.agencyName),
          columns: [{ label: t.colPillar }, { label: t.colWeight, numeric: true }, { label: t.colScore, numeric: true }],
          rows: pillarRows.map((r) => [r[0], fmtNumber(r[1] as number, lang), fmtNumber(r[2] as number, lang)]),
          csvRows: pillarRows,
        }}
        fileName={`scorecard-${cycleId}-${record.agencyCode}-pillars.csv`}
      />

      <Stack gap="xs">
        <Title order={2}>{t.explainTitle}</Title>
        <Text>{t.explainText}</Text>
      </Stack>
      {c.pillars.map((p) => (
        <Stack key={p.id} component="section" aria-labelledby={`p-${p.id}`} gap="sm">
          <Title order={3} id={`p-${p.id}`}>
            {t.pillarN(p.number)} {pick(p.title, lang)}
          </Title>
          <Text>{t.pillarScore(fmtNumber(p.score, lang), fmtNumber(p.weight, lang))}</Text>
          {p.indicators.map((ind) => (
            <Stack key={ind.id} gap={4}>
              <Title order={4}>
                {ind.id} {pick(ind.title, lang)}
              </Title>
              <Text size="sm">{t.indicatorScore(fmtNumber(ind.score, lang), fmtNumber(ind.weight, lang))}</Text>
              <QuestionTable questions={ind.questions} lookup={questions} cycleId={cycleId} lang={lang} t={t} indicator={`${ind.id} ${pick(ind.title, lang)}`} />
            </Stack>
          ))}
        </Stack>
      ))}
      <Text size="sm" c="dimmed">
        {t.computedWith(c.engineVersion, c.rules.version)}
      </Text>
    </>
  );
}

function PillarBars({ pillars, lang, t }: { pillars: Card_['pillars']; lang: Lang; t: PublicText }) {
  return (
    <Stack gap="xs" aria-hidden>
      {pillars.map((p) => (
        <Box key={p.id}>
          <Group justify="space-between" gap="xs" wrap="nowrap">
            <Text size="sm">
              {t.pillarN(p.number)} {pick(p.title, lang)}
            </Text>
            <Text size="sm" fw={700}>
              {fmtNumber(p.score, lang)}
            </Text>
          </Group>
          <Box style={{ background: '#f1f3f5', borderRadius: 4, height: '0.875rem', border: '1px solid var(--mantine-color-gray-4)' }}>
            <Box style={{ width: `${Math.max(0, Math.min(100, p.score))}%`, height: '100%', background: PALETTE[3], borderRadius: 4 }} />
          </Box>
        </Box>
      ))}
    </Stack>
  );
}

/** The outcome's label tone (the portal's Marker: a span whose colours stay above 7:1, never cutting Thai marks). */
const OUTCOME_TONE: Record<Outcome, Tone> = {
  earned: 'done',
  unanswered: 'missing',
  hidden: 'missing',
  not_applicable: 'missing',
  excluded: 'missing',
  rejected: 'invalid',
  awaiting_acceptance: 'info',
};

function QuestionTable({
  questions,
  lookup,
  cycleId,
  lang,
  t,
  indicator,
}: {
  questions: QuestionScore[];
  lookup: ReadonlyMap<string, MQuestion>;
  cycleId: string;
  lang: Lang;
  t: PublicText;
  indicator: string;
}) {
  return (
    <ScrollTable minWidth={560} label={t.questionsOf(indicator)}>
      <Table withTableBorder striped verticalSpacing="xs" captionSide="top">
        <caption className="visually-hidden">{t.questionsOf(indicator)}</caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t.colQuestion}</Table.Th>
            <Table.Th scope="col">{t.colResult}</Table.Th>
            <Table.Th scope="col" style={{ textAlign: 'end' }}>
              {t.colPoints}
            </Table.Th>
            <Table.Th scope="col">{t.colHow}</Table.Th>
            <Table.Th scope="col">{t.colRule}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {questions.map((q) => {
            const text = lookup.get(q.questionId)?.text;
            return (
              <Table.Tr key={q.questionId} id={`sq-${q.questionId}`}>
                <Table.Th scope="row" style={{ fontWeight: 400 }}>
                  {text ? pick(text, lang) : q.questionId}{' '}
                  <Text span size="xs" c="dimmed">
                    ({q.questionId})
                  </Text>
                </Table.Th>
                <Table.Td>
                  <Marker tone={OUTCOME_TONE[q.outcome]}>{outcomeName(q.outcome, lang)}</Marker>
                </Table.Td>
                <Table.Td style={{ textAlign: 'end', whiteSpace: 'nowrap' }}>
                  {t.pointsOf(fmtNumber(q.points, lang, 6), fmtNumber(q.maxPoints, lang, 6))}
                  {q.capped && (
                    <Text span size="xs" c="dimmed">
                      {' '}
                      ({t.capped})
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>{pick(q.reason, lang)}</Table.Td>
                <Table.Td>
                  <AnchorLink
                    to="/results/$cycleId/methodology"
                    params={{ cycleId }}
                    hash={ruleAnchor(q)}
                    aria-label={t.ruleOf(text ? pick(text, lang) : q.questionId)}
                  >
                    {t.ruleLink}
                  </AnchorLink>
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </ScrollTable>
  );
}
