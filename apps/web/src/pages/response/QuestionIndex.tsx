import { Anchor, Group, Stack, Text } from '@mantine/core';
import { isAnswered } from '@dg/survey-model';
import { useNavigate } from '@tanstack/react-router';
import type { Section } from '../../features/answers/progress';
import { useLang } from '../../i18n';
import { useResponse, visibleIn } from './context';
import { Marker, type Tone } from './Marker';
import { focusQuestion, questionAnchor } from './questions/QuestionBlock';
import { useResponseText } from './text';
import { useProgressOf, useSettledAnswers } from './useProgress';

/**
 * The current section's questions as a list of links, each with its state: answered, not
 * answered ("missing"), an answer to fix, or returned by the verifier ("returned: fix this").
 * A link moves focus to the question itself.
 */
export function QuestionIndex({ section }: { section: Section }) {
  const { questionnaire, numbers, returned, cycleId } = useResponse();
  const progress = useProgressOf();
  const answers = useSettledAnswers();
  const s = useResponseText();
  const lang = useLang();
  const navigate = useNavigate();

  const go = (id: string) => {
    if (focusQuestion(id)) {
      history.replaceState(history.state, '', `#${questionAnchor(id)}`);
    } else {
      // Filtered out of the page: show the whole section, then the question.
      void navigate({
        to: '/cycles/$cycleId/response',
        params: { cycleId },
        search: { pillar: section.id },
        hash: questionAnchor(id),
      });
    }
  };

  return (
    <Stack gap="sm">
      {section.indicators.map((ind) => {
        const questions = ind.questions.filter((x) => visibleIn(questionnaire, answers, x.id));
        if (!questions.length) return null;
        return (
          <Stack key={ind.id ?? 'general'} gap={2}>
            {ind.title && (
              <Text size="xs" fw={700} c="dimmed">
                {ind.title[lang]}
              </Text>
            )}
            <Stack gap={2} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
              {questions.map((x) => {
                const codes = progress.missing.get(x.id);
                const isReturned = returned.has(x.id);
                const marker: { text: string; tone: Tone } | null = isReturned
                  ? { text: s.markerReturned, tone: 'returned' }
                  : codes?.some((c) => c === 'REQUIRED' || c === 'TOO_FEW_ITEMS')
                    ? { text: s.markerMissing, tone: 'missing' }
                    : codes
                      ? { text: s.markerInvalid, tone: 'invalid' }
                      : isAnswered(answers[x.id])
                        ? { text: s.markerAnswered, tone: 'done' }
                        : null;
                return (
                  <li key={x.id}>
                    <Group gap={6} wrap="nowrap" align="flex-start">
                      <Anchor
                        href={`#${questionAnchor(x.id)}`}
                        size="sm"
                        lh={1.6}
                        style={{ flex: 1, minWidth: 0 }}
                        onClick={(e) => {
                          e.preventDefault();
                          go(x.id);
                        }}
                      >
                        {numbers.get(x.id)} {x.text[lang]}
                      </Anchor>
                      {marker && <Marker tone={marker.tone}>{marker.text}</Marker>}
                    </Group>
                  </li>
                );
              })}
            </Stack>
          </Stack>
        );
      })}
    </Stack>
  );
}
