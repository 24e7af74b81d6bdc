import { Alert, Box, Paper, Stack, Text } from '@mantine/core';
import type { Question } from '@dg/survey-model';
import { memo, useCallback } from 'react';
import { rubricHint } from '../../../features/answers/describe';
import { fieldName, toAnswer, type FormValue } from '../../../features/answers/form-values';
import { fieldMessage } from '../../../features/answers/messages';
import { useLang } from '../../../i18n';
import { formatDateTime } from '../../../lib/dates';
import { useProblems, useResponse, useVisible } from '../context';
import { Marker } from '../Marker';
import { useResponseText } from '../text';
import { EvidenceField } from './EvidenceField';
import { GroupField } from './GroupField';
import { constraintsOf, MultipleChoiceField, SingleChoiceField, TextField, YesNoField, type FieldProps } from './fields';

/** The anchor of a question on its page (`#q-<id>`): the check-before-sending summary links to it. */
export function questionAnchor(id: string): string {
  return `q-${id}`;
}

/** Brings a question into view and puts focus on its first field (or the question when it has none). */
export function focusQuestion(id: string): boolean {
  const el = document.getElementById(questionAnchor(id));
  if (!el) return false;
  el.scrollIntoView({ block: 'center' });
  const field = el.querySelector<HTMLElement>('input:not([type=hidden]):not([disabled]), textarea, select, button');
  (field ?? el).focus({ preventScroll: true });
  return true;
}

/**
 * One question: its input, what the validators say about its answer, the verifier's verdict after
 * a return, and how it is scored. Shown only while its condition holds (survey-model's own
 * visibility), re-rendered only when its own visibility, problems or choices change.
 */
export const QuestionBlock = memo(function QuestionBlock({ x }: { x: Question }) {
  const ctx = useResponse();
  const { controller, readOnly, verdicts, returned, numbers, cycleId, agencyId } = ctx;
  const s = useResponseText();
  const lang = useLang();
  const visible = useVisible(x.id);
  const problems = useProblems(x.id);
  const name = fieldName(x.id);
  const onAnswer = useCallback((v: FormValue) => controller.edit(x.id, toAnswer(x, v)), [controller, x]);

  if (!visible) return null;

  const number = numbers.get(x.id) ?? '';
  const label = `${number} ${x.text[lang]}`.trim();
  const description = [x.help?.[lang], ...constraintsOf(x, s, lang)].filter(Boolean).join(' · ') || undefined;
  const ownProblems = problems.filter((p) => x.type !== 'repeating_group' || !/\[\d+\]/.test(p.path) || p.path === x.id);
  const error = ownProblems.length ? ownProblems.map((p) => fieldMessage(p, x, lang)).join(' ') : undefined;
  const verdict = verdicts.get(x.id);
  const isReturned = returned.has(x.id);
  const hint = rubricHint(x, lang);

  const props: FieldProps = { x, name, label, required: !!x.required, description, error, readOnly, onAnswer };
  let input;
  switch (x.type) {
    case 'yes_no':
      input = <YesNoField {...props} />;
      break;
    case 'single_choice':
      input = <SingleChoiceField {...props} />;
      break;
    case 'multiple_choice':
      input = <MultipleChoiceField {...props} />;
      break;
    case 'repeating_group':
      input = <GroupField {...props} problems={problems} />;
      break;
    case 'evidence':
      input = <EvidenceField {...props} cycleId={cycleId} agencyId={agencyId} onAnswer={onAnswer} />;
      break;
    case 'number':
    case 'percentage':
    case 'text':
    case 'url':
      input = <TextField {...props} />;
      break;
  }

  return (
    <Paper
      id={questionAnchor(x.id)}
      data-question-id={x.id}
      tabIndex={-1}
      withBorder
      p={{ base: 'sm', sm: 'md' }}
      radius="md"
      style={isReturned ? { borderColor: 'var(--mantine-color-orange-7)', borderWidth: 2 } : undefined}
    >
      <Stack gap="sm">
        {verdict && isReturned && (
          <Alert color="orange" variant="light" title={s.verdictRejected} p="sm">
            {verdict.comment && <Text style={{ whiteSpace: 'pre-wrap' }}>{verdict.comment}</Text>}
            <Text size="sm" c="dimmed">
              {verdict.byName ? s.verdictBy(verdict.byName, formatDateTime(verdict.at, lang)) : s.verdictByUnknown(formatDateTime(verdict.at, lang))}
            </Text>
          </Alert>
        )}
        {verdict?.verdict === 'accepted' && (
          <Box>
            <Marker tone="done">{s.verdictAccepted}</Marker>
          </Box>
        )}
        {input}
        {hint && (
          <Text size="sm" c="dimmed">
            <Text component="span" fw={700} size="sm">
              {s.scoring}:
            </Text>{' '}
            {hint}
          </Text>
        )}
      </Stack>
    </Paper>
  );
});

