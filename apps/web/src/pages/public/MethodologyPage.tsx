import { Alert, Anchor, Box, Container, Group, List, Stack, Text, Title } from '@mantine/core';
import type { Methodology } from '@dg/contracts';
import type { Condition } from '@dg/survey-model';
import { getRouteApi, useLocation } from '@tanstack/react-router';
import { useEffect, useMemo, type ReactNode } from 'react';
import { AnchorLink } from '../../components/links';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLang } from '../../i18n';
import type { Lang } from '../../lib/dates';
import { usePageTitle } from '../../lib/title';
import { useCycleYear, useMethodology } from './api';
import { DataTable } from './DataFigure';
import { pick } from './format';
import {
  aggregationSentences,
  anchors,
  answerRules,
  conditionRules,
  conditionText,
  cutoffRange,
  introSentences,
  levelRules,
  num,
  outcomeRules,
  questionRefs,
  questionRubric,
  rankingRules,
  roundingRules,
  rubricKindOf,
  rubricKinds,
  rubricRule,
  rubricTitle,
  standardisedRules,
  weightSourceText,
  type MQuestion,
} from './methodology';
import { Marker } from '../response/Marker';
import { usePublicText, type PublicText } from './text';

const route = getRouteApi('/results/$cycleId/methodology');

/**
 * How scores are made in a cycle, in plain Thai (and English), generated from the cycle's
 * methodology data: nothing here is written by hand about the rules, so it cannot drift. Readable
 * before answering (open cycles too). Each rule and each question has an anchor the scorecard
 * page links to.
 */
export function MethodologyPage() {
  const { cycleId } = route.useParams();
  const t = usePublicText();
  const lang = useLang();
  const year = useCycleYear(cycleId);
  const title = t.methodologyTitle(year);
  usePageTitle(title);
  const methodology = useMethodology(cycleId);
  const m = methodology.data?.state === 'ok' ? methodology.data.data : null;
  const location = useLocation();
  // A link from a scorecard names a rule (#q-p1_policy): scroll to it once the page is drawn.
  useEffect(() => {
    if (!m || !location.hash) return;
    const el = document.getElementById(location.hash.replace(/^#/, ''));
    if (el) {
      el.scrollIntoView({ block: 'start' });
      el.focus({ preventScroll: true });
    }
  }, [m, location.hash]);
  return (
    <Container size="lg">
      <Stack gap="xl">
        <Stack gap="xs">
          <Title order={1}>{title}</Title>
          <Text>{t.methodologyLead}</Text>
          <Group gap="lg">
            <AnchorLink to="/results/$cycleId" params={{ cycleId }}>
              {t.results}
            </AnchorLink>
          </Group>
        </Stack>
        {methodology.isPending ? (
          <Loading />
        ) : methodology.isError ? (
          <ProblemAlert error={methodology.error} onRetry={() => void methodology.refetch()} />
        ) : methodology.data.state === 'no_rules' ? (
          <Alert role="status" color="blue" variant="light" title={t.methodologyNotReady}>
            <Text>{t.methodologyNotReadyText}</Text>
          </Alert>
        ) : methodology.data.state === 'no_cycle' ? (
          <Alert role="status" color="gray" variant="light" title={t.cycleNotFound}>
            <Text>{t.cycleNotFoundText}</Text>
          </Alert>
        ) : m ? (
          <MethodologyBody m={m} year={year} lang={lang} t={t} />
        ) : null}
      </Stack>
    </Container>
  );
}

/** A section of rules with an anchor; focusable so a link to it moves the reader there. */
function Rule({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <Stack component="section" aria-labelledby={`${id}-h`} gap="sm">
      <Title order={2} id={`${id}-h`}>
        <span id={id} tabIndex={-1} style={{ scrollMarginTop: '1rem' }}>
          {title}
        </span>
      </Title>
      {children}
    </Stack>
  );
}

function Sentences({ items }: { items: string[] }) {
  return (
    <List spacing={4}>
      {items.map((s) => (
        <List.Item key={s}>{s}</List.Item>
      ))}
    </List>
  );
}

export function MethodologyBody({ m, year, lang, t }: { m: Methodology; year: string; lang: Lang; t: PublicText }) {
  const refs = useMemo(() => questionRefs(m), [m]);
  const kinds = rubricKinds(m);
  const outcomes = outcomeRules(m, lang);
  const sections: [string, string][] = [
    [anchors.aggregation, t.mAggregation],
    [anchors.weights, t.mWeights],
    [anchors.rubrics, t.mRubrics],
    [anchors.outcomes, t.mOutcomes],
    [anchors.answers, t.mAnswers],
    [anchors.conditions, t.mConditions],
    [anchors.rounding, t.mRounding],
    [anchors.levels, t.mLevels],
    [anchors.ranking, t.mRanking],
    [anchors.standardised, t.mStandardised],
    [anchors.questions, t.mQuestions],
  ];
  return (
    <>
      <Stack gap="xs">
        {introSentences(m, year, lang).map((s) => (
          <Text key={s}>{s}</Text>
        ))}
      </Stack>
      <Box component="nav" aria-labelledby="contents-h">
        <Title order={2} id="contents-h" size="h3">
          {t.contents}
        </Title>
        <List spacing={2}>
          {sections.map(([id, label]) => (
            <List.Item key={id}>
              <Anchor href={`#${id}`}>{label}</Anchor>
            </List.Item>
          ))}
        </List>
      </Box>

      <Rule id={anchors.aggregation} title={t.mAggregation}>
        <Sentences items={aggregationSentences(m, lang)} />
      </Rule>

      <Rule id={anchors.weights} title={t.mWeights}>
        <DataTable
          caption={t.mWeightsCaption}
          columns={[
            { label: t.colPillar },
            { label: t.colWeight, numeric: true },
            { label: t.colSource },
            { label: t.colIndicators, numeric: true },
            { label: t.colScored, numeric: true },
          ]}
          rows={m.pillars.map((p) => [
            `${t.pillarN(p.number)} ${pick(p.title, lang)}`,
            num(p.weight, lang),
            weightSourceText(p.weightFrom, lang),
            String(p.indicators.length),
            String(p.indicators.reduce((n, i) => n + i.scoredQuestions, 0)),
          ])}
        />
      </Rule>

      <Rule id={anchors.rubrics} title={t.mRubrics}>
        {kinds.map((k) => (
          <Stack key={k} gap={4}>
            <Title order={3}>
              <span id={anchors.rubric(k)} tabIndex={-1}>
                {rubricTitle(k, lang)}
              </span>
            </Title>
            <Sentences items={rubricRule(k, m, lang)} />
          </Stack>
        ))}
      </Rule>

      <Rule id={anchors.outcomes} title={t.mOutcomes}>
        <Stack gap="sm">
          {outcomes.map((o) => (
            <Box key={o.outcome}>
              <Title order={3}>
                <span id={anchors.outcome(o.outcome)} tabIndex={-1}>
                  {o.name}
                </span>
              </Title>
              <Text>
                {t.colWhen}: {o.when}
              </Text>
              <Text>
                {t.colCounts}: {o.counts}
              </Text>
            </Box>
          ))}
        </Stack>
      </Rule>

      <Rule id={anchors.answers} title={t.mAnswers}>
        <Sentences items={answerRules(m, lang)} />
      </Rule>

      <Rule id={anchors.conditions} title={t.mConditions}>
        <Sentences items={conditionRules(m, lang)} />
      </Rule>

      <Rule id={anchors.rounding} title={t.mRounding}>
        <Sentences items={roundingRules(m, lang)} />
      </Rule>

      <Rule id={anchors.levels} title={t.mLevels}>
        <Sentences items={levelRules(m, lang)} />
        <DataTable
          caption={t.mLevelsCaption}
          columns={[{ label: t.colLevel }, { label: t.colName }, { label: t.colRange }]}
          rows={m.levels.map((l) => [
            <span key="l" id={anchors.level(l.level)}>
              {t.level(l.level)}
            </span>,
            pick(l.name, lang),
            cutoffRange(l, lang),
          ])}
        />
        <DataTable
          caption={t.mBandsCaption}
          columns={[{ label: t.band }, { label: t.colRange }]}
          rows={m.bands.map((b) => [pick(b.name, lang), cutoffRange(b, lang)])}
        />
      </Rule>

      <Rule id={anchors.ranking} title={t.mRanking}>
        <Sentences items={rankingRules(m, lang)} />
      </Rule>

      <Rule id={anchors.standardised} title={t.mStandardised}>
        <Sentences items={standardisedRules(m, lang)} />
      </Rule>

      <Rule id={anchors.questions} title={t.mQuestions}>
        <Text>{t.mQuestionsText}</Text>
        {m.pillars.map((p) => (
          <Stack key={p.id} gap="sm" component="section" aria-labelledby={anchors.pillar(p.id)}>
            <Title order={3} id={anchors.pillar(p.id)}>
              {t.pillarN(p.number)} {pick(p.title, lang)}{' '}
              <Text span c="dimmed" fz="md" fw={400}>
                ({t.pillarWeightShare(num(p.weight, lang))})
              </Text>
            </Title>
            {p.indicators.map((ind) => (
              <Stack key={ind.id} gap="xs">
                <Title order={4} id={anchors.indicator(ind.id)}>
                  {ind.id} {pick(ind.title, lang)}{' '}
                  <Text span c="dimmed" fz="sm" fw={400}>
                    ({t.weightOf(num(ind.weight, lang), weightSourceText(ind.weightFrom, lang))})
                  </Text>
                </Title>
                <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                  {ind.questions.map((q) => (
                    <QuestionRule key={q.id} q={q} refs={refs} lang={lang} t={t} />
                  ))}
                </Stack>
              </Stack>
            ))}
          </Stack>
        ))}
      </Rule>
    </>
  );
}

function QuestionRule({
  q,
  refs,
  lang,
  t,
}: {
  q: MQuestion;
  refs: ReturnType<typeof questionRefs>;
  lang: Lang;
  t: PublicText;
}) {
  const kind = rubricKindOf(q);
  const lines = questionRubric(q, lang);
  return (
    <Box
      component="li"
      id={anchors.question(q.id)}
      tabIndex={-1}
      p="sm"
      style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 6, scrollMarginTop: '1rem' }}
    >
      <Text fw={700}>
        {pick(q.text, lang)}{' '}
        <Text span size="sm" c="dimmed" fw={400}>
          ({q.id})
        </Text>
      </Text>
      <Group gap="xs" mt={4} wrap="wrap">
        {!q.rubric ? (
          <Marker tone="missing">{t.notScored}</Marker>
        ) : q.excluded ? (
          <Marker tone="invalid">{t.excludedByRules}</Marker>
        ) : (
          <>
            {q.maxPoints !== null && (
              <Marker tone="info">{t.maxPointsOf(num(q.maxPoints, lang))}</Marker>
            )}
            <Marker tone="missing">{t.weightOf(num(q.weight, lang), weightSourceText(q.weightFrom, lang))}</Marker>
          </>
        )}
        {q.required && (
          <Marker tone="missing">{t.requiredQ}</Marker>
        )}
      </Group>
      {q.visibleIf && (
        <Text size="sm" mt={4}>
          {t.shownWhen(conditionText(q.visibleIf as Condition, refs, lang))}
        </Text>
      )}
      {lines.length > 0 && (
        <List size="sm" mt={4} spacing={0}>
          {lines.map((l) => (
            <List.Item key={l}>{l}</List.Item>
          ))}
        </List>
      )}
      {kind && (
        <Anchor href={`#${anchors.rubric(kind)}`} size="sm">
          {rubricTitle(kind, lang)}
        </Anchor>
      )}
    </Box>
  );
}
