import { Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import { memo, useMemo } from 'react';
import { filterQuestions, GENERAL, type Filter, type Section } from '../../features/answers/progress';
import { ButtonLink } from '../../components/links';
import { useLang } from '../../i18n';
import { useResponse } from './context';
import { Marker } from './Marker';
import { QuestionBlock } from './questions/QuestionBlock';
import { useResponseText } from './text';
import { useProgressOf } from './useProgress';

/**
 * One section of the questionnaire (the general block or a pillar): the filter, then each
 * indicator with its count and its questions, then the way to the previous and next sections.
 * With a filter, the list is taken once when the filter or section is chosen, so a question does
 * not vanish under the cursor the moment it is answered.
 */
export function SectionPage({ sections, index, filter }: { sections: readonly Section[]; index: number; filter: Filter }) {
  const { controller, questionnaire, returned, cycleId } = useResponse();
  const s = useResponseText();
  const lang = useLang();
  const navigate = useNavigate();
  const section = sections[index]!;
  const prev = sections[index - 1];
  const next = sections[index + 1];
  const heading = section.id === GENERAL ? s.general : `${s.pillarLabel(section.number ?? 0)} ${section.title[lang]}`;

  // Taken once per section and filter (not on every answer): see the comment above.
  const shown = useMemo(() => {
    if (filter === 'all') return null;
    const answers = controller.getSnapshot().answers;
    const all = section.indicators.flatMap((i) => i.questions);
    return new Set(filterQuestions(questionnaire, all, filter, answers, returned).map((x) => x.id));
  }, [controller, questionnaire, section, filter, returned]);

  const filterOptions = [
    { value: 'all', label: s.filterAll },
    { value: 'unanswered', label: s.filterUnanswered },
    { value: 'returned', label: s.filterReturned },
  ];
  const sectionName = (x: Section | undefined) =>
    !x ? '' : x.id === GENERAL ? s.general : `${s.pillarLabel(x.number ?? 0)} ${x.title[lang]}`;

  return (
    <Stack gap="lg">
      <Stack gap="xs">
        <Title order={1} id="section-title" tabIndex={-1}>
          {heading}
        </Title>
        <SectionCounts id={section.id} />
      </Stack>
      <div>
        <Text id="filter-label" size="sm" fw={500} mb={4}>
          {s.filterLabel}
        </Text>
        <SegmentedControl
          aria-labelledby="filter-label"
          value={filter}
          data={filterOptions}
          onChange={(v) =>
            void navigate({
              to: '/cycles/$cycleId/response',
              params: { cycleId },
              search: { pillar: section.id, filter: v === 'all' ? undefined : (v as Filter & ('unanswered' | 'returned')) },
              replace: true,
            })
          }
          fullWidth
          maw={520}
        />
        {filter !== 'all' && (
          <Text size="xs" c="dimmed" mt={4}>
            {s.filterNote}
          </Text>
        )}
      </div>
      {shown && shown.size === 0 && <Text>{s.filterEmpty[filter]}</Text>}
      {section.indicators.map((ind) => {
        const questions = shown ? ind.questions.filter((x) => shown.has(x.id)) : ind.questions;
        if (questions.length === 0) return null;
        return (
          <Stack key={ind.id ?? 'general'} gap="md" component="section" aria-labelledby={ind.id ? `ind-${ind.id}` : 'section-title'}>
            {ind.id && ind.title && (
              <Group justify="space-between" align="baseline" gap="xs" wrap="wrap">
                <Title order={2} id={`ind-${ind.id}`} fz="h3">
                  {ind.title[lang]}
                </Title>
                <IndicatorCounts sectionId={section.id} indicatorId={ind.id} />
              </Group>
            )}
            {questions.map((x) => (
              <QuestionBlock key={x.id} x={x} />
            ))}
          </Stack>
        );
      })}
      <Group justify="space-between" className="no-print">
        {prev ? (
          <ButtonLink
            variant="default"
            to="/cycles/$cycleId/response"
            params={{ cycleId }}
            search={{ pillar: prev.id, filter: filter === 'all' ? undefined : filter }}
            aria-label={`${s.previous}: ${sectionName(prev)}`}
          >
            ← {s.previous}
          </ButtonLink>
        ) : (
          <span />
        )}
        {next && (
          <ButtonLink
            to="/cycles/$cycleId/response"
            params={{ cycleId }}
            search={{ pillar: next.id, filter: filter === 'all' ? undefined : filter }}
            aria-label={`${s.next}: ${sectionName(next)}`}
          >
            {s.next} →
          </ButtonLink>
        )}
      </Group>
    </Stack>
  );
}

const SectionCounts = memo(function SectionCounts({ id }: { id: string }) {
  const s = useResponseText();
  const section = useProgressOf().sections.find((x) => x.id === id);
  if (!section) return null;
  return (
    <Group gap="xs">
      <Text size="sm">{s.answeredOfLong(section.answered, section.required)}</Text>
      {section.returned > 0 && (
        <Marker tone="returned">{s.returnedBadge(section.returned)}</Marker>
      )}
    </Group>
  );
});

const IndicatorCounts = memo(function IndicatorCounts({ sectionId, indicatorId }: { sectionId: string; indicatorId: string }) {
  const s = useResponseText();
  const ind = useProgressOf()
    .sections.find((x) => x.id === sectionId)
    ?.indicators.find((i) => i.id === indicatorId);
  if (!ind) return null;
  return (
    <Group gap={6}>
      <Text size="sm" c="dimmed">
        {s.answeredOf(ind.answered, ind.required)}
      </Text>
      {ind.returned > 0 && (
        <Marker tone="returned">{s.returnedBadge(ind.returned)}</Marker>
      )}
    </Group>
  );
});
