import { Badge, Box, List, Stack, Table, Text, Title } from '@mantine/core';
import type { Evidence } from '@dg/contracts';
import { isAnswered, isVisible, type Answers, type Question, type Questionnaire } from '@dg/survey-model';
import { memo, type ReactNode } from 'react';
import { describeAnswer } from '../../../features/answers/describe';
import { useLang } from '../../../i18n';
import type { Lang } from '../../../lib/dates';
import { formatBytes } from '../evidence/limits';
import { useCheckText, type CheckText } from './text';
import { ScrollTable } from '../../../components/ScrollTable';

export interface AnswerPreviewProps {
  questionnaire: Questionnaire;
  /** The response's answers as the API sent them (any shape: they are only shown). */
  answers: Readonly<Record<string, unknown>>;
  numbers: ReadonlyMap<string, string>;
  /** The response's files by id, to name the files an evidence answer points to. */
  evidence?: ReadonlyMap<string, Evidence>;
  /** Heading level of each section (the page's own h1 sits above). */
  headingOrder?: 2 | 3;
  /** Drawn under each question's answer (DGA's verdict on it, on the review page). */
  renderExtra?: (question: Question, number: string | undefined) => ReactNode;
}

/**
 * Every answer, read only, section by section (general, then each pillar and its indicators), as
 * the person gave it: option labels, numbers with units, lists as tables, evidence by file name.
 * Only the questions shown for these answers appear (survey-model's visibility), as on the pages.
 * Each section is a `.dg-section` (the print view starts each pillar on a new page).
 */
export const AnswerPreview = memo(function AnswerPreview({
  questionnaire: q,
  answers,
  numbers,
  evidence,
  headingOrder = 2,
  renderExtra,
}: AnswerPreviewProps) {
  const s = useCheckText();
  const lang = useLang();
  const shown = (x: Question) => isVisible(q, x.id, answers as Answers);
  const sections = [
    {
      id: 'general',
      title: s.general,
      groups: [{ id: 'general', title: null as string | null, questions: q.general.questions }],
    },
    ...q.pillars.map((p) => ({
      id: p.id,
      title: `${s.pillar(p.number)} ${p.title[lang]}`,
      groups: p.indicators.map((i) => ({
        id: i.id,
        title: i.title[lang] as string | null,
        questions: i.questions,
      })),
    })),
  ];
  const sub = (headingOrder + 1) as 3 | 4;
  return (
    <Stack gap="xl">
      {sections.map((section) => {
        const groups = section.groups
          .map((g) => ({ ...g, questions: g.questions.filter(shown) }))
          .filter((g) => g.questions.length);
        return (
          <Box
            component="section"
            key={section.id}
            className="dg-section"
            aria-labelledby={`preview-${section.id}`}
          >
            <Title order={headingOrder} id={`preview-${section.id}`} mb="sm">
              {section.title}
            </Title>
            {groups.length === 0 && <Text c="dimmed">{s.noQuestions}</Text>}
            {groups.map((g) => (
              <Box key={g.id} mb="md">
                {g.title && (
                  <Title order={sub} mb="xs">
                    {g.title}
                  </Title>
                )}
                <Box component="dl" m={0}>
                  {g.questions.map((x) => (
                    <PreviewQuestion
                      key={x.id}
                      x={x}
                      value={answers[x.id]}
                      number={numbers.get(x.id)}
                      evidence={evidence}
                      s={s}
                      lang={lang}
                      extra={renderExtra?.(x, numbers.get(x.id))}
                    />
                  ))}
                </Box>
              </Box>
            ))}
          </Box>
        );
      })}
    </Stack>
  );
});

function PreviewQuestion({
  x,
  value,
  number,
  evidence,
  s,
  lang,
  extra,
}: {
  x: Question;
  value: unknown;
  number: string | undefined;
  evidence: ReadonlyMap<string, Evidence> | undefined;
  s: CheckText;
  lang: Lang;
  extra?: ReactNode;
}) {
  const answered = isAnswered(value);
  return (
    <Box
      className="dg-preview-q"
      py="xs"
      style={{ borderTop: '1px solid var(--mantine-color-gray-3)', breakInside: 'avoid' }}
    >
      <Text component="dt" fw={700}>
        {number ? `${number} ` : ''}
        {x.text[lang]}
        {x.required && (
          <Badge
            component="span"
            ml="xs"
            size="sm"
            variant="outline"
            color="gray.7"
            style={{ verticalAlign: 'middle' }}
          >
            {s.required}
          </Badge>
        )}
      </Text>
      <Box component="dd" ms={0} mt={4}>
        {!answered ? (
          <Text c={x.required ? 'red.8' : 'dimmed'}>{x.type === 'evidence' ? s.noFile : s.noAnswer}</Text>
        ) : (
          <AnswerValue x={x} value={value} evidence={evidence} s={s} lang={lang} />
        )}
        {extra}
      </Box>
    </Box>
  );
}

function AnswerValue({
  x,
  value,
  evidence,
  s,
  lang,
}: {
  x: Question;
  value: unknown;
  evidence: ReadonlyMap<string, Evidence> | undefined;
  s: CheckText;
  lang: Lang;
}) {
  if (x.type === 'evidence' && Array.isArray(value)) {
    return (
      <List size="sm" spacing={2}>
        {value.map((id) => {
          const f = typeof id === 'string' ? evidence?.get(id) : undefined;
          return (
            <List.Item key={String(id)} style={{ overflowWrap: 'anywhere' }}>
              {f ? `${f.fileName} (${formatBytes(f.size)})` : evidence ? s.fileGone : String(id)}
            </List.Item>
          );
        })}
      </List>
    );
  }
  if (x.type === 'repeating_group' && Array.isArray(value) && x.fields?.length) {
    const fields = x.fields;
    return (
      <Stack gap={4}>
        <Text size="sm" c="dimmed">
          {s.rows(value.length)}
        </Text>
        <ScrollTable
          minWidth={Math.min(720, 160 * (fields.length + 1))}
          className="dg-preview-table"
          label={x.text[lang]}
        >
          <Table withTableBorder withColumnBorders verticalSpacing={4} fz="sm">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{s.rowNo}</Table.Th>
                {fields.map((f) => (
                  <Table.Th key={f.id} scope="col">
                    {f.text[lang]}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {value.map((row, i) => {
                const cells = row && typeof row === 'object' ? (row as Record<string, unknown>) : {};
                return (
                  <Table.Tr key={i}>
                    <Table.Th scope="row">{i + 1}</Table.Th>
                    {fields.map((f) => (
                      <Table.Td key={f.id} style={{ overflowWrap: 'anywhere' }}>
                        {isAnswered(cells[f.id]) ? describeAnswer(f, cells[f.id], lang) : '–'}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                );
              })}
            </Table.Tbody>
          </Table>
        </ScrollTable>
      </Stack>
    );
  }
  return (
    <Text style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>{describeAnswer(x, value, lang)}</Text>
  );
}
