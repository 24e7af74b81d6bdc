import { Alert, Box, Container, Grid, Stack, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { Cycle, ResponseDetail } from '@dg/contracts';
import type { Answers, Question, Questionnaire as Definition } from '@dg/survey-model';
import { getRouteApi, useRouterState } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState } from 'react';
import { FormProvider, useForm } from 'react-hook-form';
import { isApiProblem } from '../../api/problem';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import type { AutosaveController } from '../../features/answers/autosave';
import { fieldName, formValuesOf, toFormValue, type FormValues } from '../../features/answers/form-values';
import { fieldMessage } from '../../features/answers/messages';
import { GENERAL, returnedIds, sectionsOf, type Filter } from '../../features/answers/progress';
import { useLang } from '../../i18n';
import { deferred } from '../../lib/deferred';
import { useReturnFocus } from '../../lib/useReturnFocus';
import { usePageTitle } from '../../lib/title';
import {
  ResponseContext,
  useResponse,
  useSaveState,
  type ResponseContextValue,
  type VerdictView,
} from './context';
import { ResponseActions } from './check/ResponseActions';
import { QuestionIndex } from './QuestionIndex';
import { focusQuestion } from './questions/QuestionBlock';
import { EDITABLE, ResponseHeader } from './ResponseHeader';
import { SaveStatus } from './SaveStatus';
import { SectionNav } from './SectionNav';
import { SectionPage } from './SectionPage';
import { useResponseText } from './text';
import { useAutosave, useResponseData } from './useResponseData';
import { ProgressProvider, useProgressOf } from './useProgress';

const route = getRouteApi('/cycles/$cycleId/response');

/** The coordinator's questionnaire: loads the cycle, the response and its questionnaire, then the form. */
export function CoordinatorResponse({ cycleId, agencyId }: { cycleId: string; agencyId: string | null }) {
  const s = useResponseText();
  const { cycle, response, questionnaire } = useResponseData(cycleId, agencyId);
  const { controller, applyRef } = useAutosave(cycleId, agencyId, response.data, questionnaire.data);

  if (!agencyId) return <Notice text={s.noAgency} />;
  const failed = [cycle, response, questionnaire].find((q) => q.isError);
  if (failed) {
    if (failed === response && isApiProblem(failed.error) && failed.error.status === 404)
      return <Notice text={s.notInCycle} />;
    return (
      <Container size="lg">
        <ProblemAlert error={failed.error} onRetry={() => void failed.refetch()} />
      </Container>
    );
  }
  if (!cycle.data || !response.data || !questionnaire.data || !controller) {
    return (
      <Container size="lg">
        <Loading label={s.loadingQuestionnaire} />
      </Container>
    );
  }
  return (
    <Questionnaire
      cycle={cycle.data}
      response={response.data}
      questionnaire={questionnaire.data}
      controller={controller}
      applyRef={applyRef}
    />
  );
}

function Notice({ text }: { text: string }) {
  return (
    <Container size="lg">
      <Alert color="blue" variant="light">
        {text}
      </Alert>
    </Container>
  );
}

interface QuestionnaireProps {
  cycle: Cycle;
  response: ResponseDetail;
  questionnaire: Definition;
  controller: AutosaveController;
  applyRef: React.RefObject<((answers: Answers) => void) | null>;
}

function Questionnaire({ cycle, response, questionnaire, controller, applyRef }: QuestionnaireProps) {
  const s = useResponseText();
  const search = route.useSearch();
  const sections = useMemo(() => sectionsOf(questionnaire), [questionnaire]);
  const index = Math.max(
    0,
    sections.findIndex((x) => x.id === (search.pillar ?? GENERAL)),
  );
  const filter: Filter = search.filter ?? 'all';
  const wide = useMediaQuery('(min-width: 62em)', true);

  const { numbers, questions } = useMemo(() => numberQuestions(questionnaire), [questionnaire]);
  const verdicts = useMemo(() => lastVerdicts(response.verdicts), [response.verdicts]);
  const returned = useMemo(
    () => (response.status === 'returned' ? returnedIds(response.verdicts) : new Set<string>()),
    [response.status, response.verdicts],
  );
  const pastDeadline = usePastDeadline(response.deadline);
  const readOnly = !EDITABLE.has(response.status) || pastDeadline;

  const context = useMemo<ResponseContextValue>(
    () => ({
      cycleId: cycle.id,
      agencyId: response.agencyId,
      questionnaire,
      controller,
      readOnly,
      verdicts,
      returned,
      numbers,
      questions,
    }),
    [
      cycle.id,
      response.agencyId,
      questionnaire,
      controller,
      readOnly,
      verdicts,
      returned,
      numbers,
      questions,
    ],
  );

  // The form starts from what autosave holds: the server's answers with this browser's unsent edits.
  const [defaults] = useState<FormValues>(() =>
    formValuesOf(questionnaire, controller.getSnapshot().answers),
  );
  const form = useForm<FormValues>({ defaultValues: defaults, shouldUnregister: false });
  const { setValue } = form;
  useEffect(() => {
    applyRef.current = (answers) => {
      for (const [id, value] of Object.entries(answers)) {
        const x = questions.get(id);
        if (x) setValue(fieldName(id), toFormValue(x, value), { shouldDirty: false });
      }
    };
    return () => {
      applyRef.current = null;
    };
  }, [applyRef, questions, setValue]);

  const section = sections[index]!;
  const lang = useLang();
  const sectionName =
    section.id === GENERAL ? s.general : `${s.pillarLabel(section.number ?? 0)} ${section.title[lang]}`;
  usePageTitle(`${sectionName} · ${s.pageTitle(cycle.yearBE)}`);

  // Another section chosen (a link, next / previous): start at its heading, as a new page would.
  const shownSection = useRef(section.id);
  useEffect(() => {
    if (shownSection.current === section.id) return;
    shownSection.current = section.id;
    if (window.location.hash) return; // a link to a question: HashFocus takes it there
    window.scrollTo({ top: 0 });
    document.getElementById('section-title')?.focus({ preventScroll: true });
  }, [section.id]);

  return (
    <ResponseContext value={context}>
      <FormProvider {...form}>
        <ProgressProvider>
          <Container size="lg">
            <Stack gap="md">
              <ResponseHeader cycle={cycle} response={response} returnedCount={returned.size} />
              {readOnly && (
                <Alert color="gray" variant="light">
                  {EDITABLE.has(response.status) ? s.readOnlyDeadline : s.readOnlyStatus}
                </Alert>
              )}
              <SaveStatus />
              <ResponseActions />
              <ProblemAnnouncer />
              <Grid gap="lg">
                <Grid.Col span={{ base: 12, md: 4, lg: 3 }}>
                  <Stack
                    gap="md"
                    // Beside the questions on a wide screen, scrolling on its own when taller than the window.
                    style={
                      wide
                        ? {
                            position: 'sticky',
                            top: '3.5rem',
                            maxHeight: 'calc(100vh - 4.5rem)',
                            overflowY: 'auto',
                            paddingRight: 4,
                          }
                        : undefined
                    }
                  >
                    {wide ? (
                      <SectionNav current={section.id} filter={filter} />
                    ) : (
                      // On a phone the sections fold away: the questions come first.
                      <Box component="details" className="no-print">
                        <Text component="summary" fw={700} size="sm" style={{ cursor: 'pointer' }}>
                          <SectionSummary sectionId={section.id} />
                        </Text>
                        <Box mt="xs">
                          <SectionNav current={section.id} filter={filter} />
                        </Box>
                      </Box>
                    )}
                    <Box component="details" open={wide || undefined} className="no-print">
                      <Text component="summary" fw={700} size="sm" style={{ cursor: 'pointer' }}>
                        {s.questionIndex}
                      </Text>
                      <Box mt="xs">
                        <QuestionIndex section={section} />
                      </Box>
                    </Box>
                  </Stack>
                </Grid.Col>
                <Grid.Col span={{ base: 12, md: 8, lg: 9 }}>
                  <form noValidate onSubmit={(e) => e.preventDefault()} aria-labelledby="section-title">
                    <HashFocus sectionId={section.id} />
                    <SectionPage key={section.id} sections={sections} index={index} filter={filter} />
                  </form>
                </Grid.Col>
              </Grid>
            </Stack>
          </Container>
          <MergeDialogHost />
        </ProgressProvider>
      </FormProvider>
    </ResponseContext>
  );
}

/** "ส่วนของแบบสำรวจ: มิติที่ 3 (ตอบแล้ว 2/7)": the folded sections' summary on a phone. */
function SectionSummary({ sectionId }: { sectionId: string }) {
  const s = useResponseText();
  const section = useProgressOf().sections.find((x) => x.id === sectionId);
  if (!section) return null;
  const name = section.id === GENERAL ? s.general : s.pillarLabel(section.number ?? 0);
  return (
    <>
      {s.sectionsNav}: {name} ({s.answeredOf(section.answered, section.required)})
    </>
  );
}

/** Whether the deadline has passed, turning true at the deadline while the page is open. */
function usePastDeadline(deadline: string): boolean {
  const at = Date.parse(deadline);
  const [past, setPast] = useState(() => at <= Date.now());
  useEffect(() => {
    const wait = Math.max(0, at - Date.now());
    if (wait > 2 ** 31 - 1) return;
    const id = window.setTimeout(() => setPast(true), wait);
    return () => window.clearTimeout(id);
  }, [at]);
  return past;
}

/** "3.2" for the second question of pillar 3; "5" for the fifth of the general block. */
function numberQuestions(q: Definition): { numbers: Map<string, string>; questions: Map<string, Question> } {
  const numbers = new Map<string, string>();
  const questions = new Map<string, Question>();
  q.general.questions.forEach((x, i) => {
    numbers.set(x.id, `${i + 1}.`);
    questions.set(x.id, x);
  });
  for (const p of q.pillars) {
    let n = 0;
    for (const ind of p.indicators) {
      for (const x of ind.questions) {
        numbers.set(x.id, `${p.number}.${++n}`);
        questions.set(x.id, x);
      }
    }
  }
  return { numbers, questions };
}

function lastVerdicts(verdicts: readonly VerdictView[]): Map<string, VerdictView> {
  const out = new Map<string, VerdictView>();
  for (const v of verdicts) {
    const prev = out.get(v.questionId);
    if (!prev || prev.at <= v.at) out.set(v.questionId, v);
  }
  return out;
}

/**
 * A link such as `?pillar=p3#q-p3_e2e_share` (from the check before sending, or a message) lands
 * on the question once the section has rendered, with focus on it.
 */
function HashFocus({ sectionId }: { sectionId: string }) {
  const hash = useRouterState({ select: (st) => st.location.hash });
  useEffect(() => {
    if (!hash.startsWith('q-')) return;
    const id = window.setTimeout(() => focusQuestion(hash.slice(2)), 60);
    return () => window.clearTimeout(id);
  }, [hash, sectionId]);
  return null;
}

/**
 * Says a new problem at a field aloud (polite live region): the field's own message is under it,
 * but a screen reader user typing elsewhere would not hear it otherwise.
 */
function ProblemAnnouncer() {
  const { controller, questions, numbers } = useResponse();
  const s = useResponseText();
  const lang = useLang();
  const [text, setText] = useState('');
  const seen = useRef(controller.getSnapshot().problems);
  useEffect(
    () =>
      controller.subscribe(() => {
        const now = controller.getSnapshot().problems;
        if (now === seen.current) return;
        const before = seen.current;
        seen.current = now;
        const fresh = Object.entries(now).filter(([id, list]) => before[id] !== list);
        if (!fresh.length) return;
        setText(
          fresh
            .map(([id, list]) => {
              const x = questions.get(id);
              const name = `${numbers.get(id) ?? ''} ${x?.text[lang] ?? id}`.trim();
              return s.announceProblem(name, list.map((p) => fieldMessage(p, x, lang)).join(' '));
            })
            .join(' · '),
        );
      }),
    [controller, questions, numbers, s, lang],
  );
  return (
    <div className="visually-hidden" aria-live="polite" role="log">
      {text}
    </div>
  );
}

const MergeDialog = deferred(() => import('./MergeDialog').then((m) => m.MergeDialog));

/** The merge dialog, drawn (and its chunk needed) only while some answer is in conflict. */
function MergeDialogHost() {
  const conflicts = useSaveState((x) => x.conflicts.length);
  useReturnFocus(conflicts > 0);
  if (!conflicts) return null;
  return <MergeDialog />;
}
