import { Alert, Badge, Box, Container, Group, List, Stack, Text, Title } from '@mantine/core';
import type { Cycle, Evidence, ResponseDetail } from '@dg/contracts';
import type { Questionnaire } from '@dg/survey-model';
import { getRouteApi } from '@tanstack/react-router';
import { useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiProblem } from '../../../api/problem';
import { useSession } from '../../../auth/session';
import { AnchorLink } from '../../../components/links';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import type { AutosaveController, AutosaveSnapshot } from '../../../features/answers/autosave';
import { useLang } from '../../../i18n';
import { daysLeft, daysLeftText, formatDateTime } from '../../../lib/dates';
import { usePageTitle } from '../../../lib/title';
import { ApprovalActions } from '../approver/ApprovalActions';
import { EvidenceList } from '../evidence/EvidenceList';
import { useEvidenceList } from '../evidence/useEvidence';
import { EDITABLE, STATUS_COLOR } from '../ResponseHeader';
import { useAutosave, useResponseData } from '../useResponseData';
import { AnswerPreview } from './AnswerPreview';
import { RequestApproval } from './RequestApproval';
import { questionNumbers, summaryOf, type Summary } from './summary';
import { useCheckText, type CheckText } from './text';
import { useCompleteness } from './useCompleteness';

const route = getRouteApi('/cycles/$cycleId/response/check');

/**
 * `/cycles/:cycleId/response/check`, "check before sending": what still stops the submission as
 * an error summary at the top (each question linked to where it is asked), the way to send for
 * approval, then every answer read only. Edits this browser still holds are saved here first
 * (the questionnaire's autosave, replayed), so nothing typed is left behind by the submission.
 */
export function CheckPage() {
  const { cycleId } = route.useParams();
  const { user } = useSession();
  const s = useCheckText();
  const agencyId = user?.agencyId ?? null;
  const isCoordinator = !!user?.roles.includes('coordinator');
  const { cycle, response, questionnaire } = useResponseData(cycleId, agencyId);
  // Only a coordinator has edits to replay; the controller also keeps the response cache current.
  const { controller } = useAutosave(
    cycleId,
    isCoordinator ? agencyId : null,
    response.data,
    questionnaire.data,
  );
  const completeness = useCompleteness(cycleId, agencyId, response.data?.version);
  const evidence = useEvidenceList(cycleId, agencyId);
  usePageTitle(cycle.data ? s.pageTitle(cycle.data.yearBE) : s.title);

  if (!agencyId) return null;
  const failed = [cycle, response, questionnaire].find((q) => q.isError);
  if (failed) {
    return (
      <Container size="lg">
        <Stack>
          <Title order={1}>{s.title}</Title>
          <ProblemAlert
            error={failed.error}
            onRetry={
              isApiProblem(failed.error) && failed.error.status === 404
                ? undefined
                : () => void failed.refetch()
            }
          />
        </Stack>
      </Container>
    );
  }
  if (!cycle.data || !response.data || !questionnaire.data) {
    return (
      <Container size="lg">
        <Stack>
          <Title order={1}>{s.title}</Title>
          <Loading label={s.loading} />
        </Stack>
      </Container>
    );
  }
  return (
    <Check
      cycle={cycle.data}
      response={response.data}
      questionnaire={questionnaire.data}
      completeness={completeness}
      evidence={evidence.data?.items}
      controller={controller}
      isCoordinator={isCoordinator}
      isApprover={!!user?.roles.includes('approver')}
    />
  );
}

interface CheckProps {
  cycle: Cycle;
  response: ResponseDetail;
  questionnaire: Questionnaire;
  completeness: ReturnType<typeof useCompleteness>;
  evidence: Evidence[] | undefined;
  controller: AutosaveController | null;
  isCoordinator: boolean;
  isApprover: boolean;
}

const NO_SNAPSHOT = () => null;
const noSubscribe = () => () => undefined;

function Check({
  cycle,
  response,
  questionnaire,
  completeness,
  evidence,
  controller,
  isCoordinator,
  isApprover,
}: CheckProps) {
  const s = useCheckText();
  const lang = useLang();
  const { t } = useTranslation();
  const numbers = useMemo(() => questionNumbers(questionnaire), [questionnaire]);
  const summary = useMemo(
    () => (completeness.data ? summaryOf(completeness.data, numbers, lang, s.question) : null),
    [completeness.data, numbers, lang, s],
  );
  const byId = useMemo(() => new Map((evidence ?? []).map((e) => [e.id, e])), [evidence]);
  const snap = useSyncExternalStore<AutosaveSnapshot | null>(
    controller?.subscribe ?? noSubscribe,
    controller?.getSnapshot ?? NO_SNAPSHOT,
  );
  // While this browser still holds edits, show what it holds, not the server's older answers.
  const answers = snap?.answers ?? response.answers;
  const unsent = snap ? snap.unsent : 0;
  const editable = EDITABLE.has(response.status);
  const pastDeadline = usePastDeadline(response.deadline);
  const left = daysLeft(response.deadline);

  let blocked: string | null = null;
  if (pastDeadline) blocked = s.requestBlockedDeadline;
  else if (unsent > 0 || snap?.phase === 'conflict') blocked = s.requestBlockedUnsent;
  else if (!summary || !summary.complete) blocked = s.requestBlockedIncomplete;

  return (
    <Container size="lg">
      <Stack gap="lg">
        <Group gap="md" className="no-print">
          <AnchorLink to="/cycles/$cycleId/response" params={{ cycleId: cycle.id }}>
            ← {s.back}
          </AnchorLink>
          <AnchorLink to="/cycles/$cycleId/response/print" params={{ cycleId: cycle.id }}>
            {s.print}
          </AnchorLink>
        </Group>
        <Stack gap={4}>
          <Title order={1}>{s.title}</Title>
          <Text>
            {lang === 'th' ? cycle.title.th : cycle.title.en} · {response.agencyName} ({response.agencyCode})
          </Text>
          <Group gap="sm" wrap="wrap">
            <Badge color={STATUS_COLOR[response.status]} variant="light" size="lg">
              {t(`status.${response.status}`)}
            </Badge>
            <Text size="sm">
              {formatDateTime(response.deadline, lang)}
              {editable && left !== null ? ` · ${daysLeftText(left, lang)}` : ''}
            </Text>
          </Group>
          <Text c="dimmed">{s.intro}</Text>
        </Stack>

        <UnsentNotice snap={snap} s={s} />

        {completeness.isPending ? (
          <Loading label={s.loading} />
        ) : completeness.isError ? (
          <ProblemAlert error={completeness.error} onRetry={() => void completeness.refetch()} />
        ) : summary && !summary.complete ? (
          <ErrorSummary summary={summary} cycleId={cycle.id} s={s} />
        ) : summary ? (
          <Alert color="teal" variant="light" title={s.complete}>
            {s.completeText(summary.required)}
          </Alert>
        ) : null}

        {editable && isCoordinator && <RequestApproval response={response} blocked={blocked} />}
        {editable && !isCoordinator && <Text c="dimmed">{s.notCoordinator}</Text>}
        {response.status === 'awaiting_approval' &&
          (isApprover ? (
            <ApprovalActions response={response} />
          ) : (
            <Alert color="violet" variant="light">
              {s.statusAwaiting}
            </Alert>
          ))}
        {(response.status === 'submitted' || response.status === 'resubmitted') && (
          <Alert color="teal" variant="light">
            {s.statusSubmitted}
          </Alert>
        )}
        {response.status === 'verified' && (
          <Alert color="green" variant="light">
            {s.statusVerified}
          </Alert>
        )}

        <Box component="section" aria-labelledby="preview-title">
          <Title order={2} id="preview-title">
            {s.previewTitle}
          </Title>
          <Text c="dimmed" size="sm" mb="md">
            {s.previewIntro}
          </Text>
          <AnswerPreview
            questionnaire={questionnaire}
            answers={answers}
            numbers={numbers}
            evidence={evidence ? byId : undefined}
            headingOrder={3}
          />
        </Box>
        <EvidenceList
          cycleId={cycle.id}
          agencyId={response.agencyId}
          readOnly
          questionLabel={(id) => (numbers.has(id) ? s.question(numbers.get(id)!) : undefined)}
        />
      </Stack>
    </Container>
  );
}

/** Whether the deadline has passed, turning true at the deadline while the page is open. */
function usePastDeadline(deadline: string): boolean {
  const at = Date.parse(deadline);
  const [past, setPast] = useState(() => at <= Date.now());
  useEffect(() => {
    const wait = at - Date.now();
    if (wait <= 0 || wait > 2 ** 31 - 1) return;
    const id = window.setTimeout(() => setPast(true), wait);
    return () => window.clearTimeout(id);
  }, [at]);
  return past;
}

/** The edits this browser holds, being saved here (or waiting for the network, or a choice). */
function UnsentNotice({ snap, s }: { snap: AutosaveSnapshot | null; s: CheckText }) {
  if (!snap) return null;
  const held = Object.keys(snap.problems).length;
  if (snap.phase === 'conflict') {
    return (
      <Alert color="orange" variant="light" role="alert">
        {s.unsentConflict}
      </Alert>
    );
  }
  if (snap.unsent > 0) {
    const offline = snap.phase === 'offline' || snap.phase === 'retrying' || snap.phase === 'locked';
    return (
      <Alert color={offline ? 'orange' : 'blue'} variant="light" role="status">
        {offline ? s.unsentOffline(snap.unsent) : s.unsentSaving(snap.unsent)}
      </Alert>
    );
  }
  if (held > 0) {
    return (
      <Alert color="orange" variant="light" role="alert">
        {s.unsentProblems(held)}
      </Alert>
    );
  }
  return null;
}

/**
 * The error summary (GOV.UK's pattern): announced at once (role="alert"), focused when it first
 * appears so keyboard and screen reader users start there, each question a link to its anchor
 * (`#q-<id>`) on its section's page (`?pillar=`).
 */
function ErrorSummary({ summary, cycleId, s }: { summary: Summary; cycleId: string; s: CheckText }) {
  const ref = useRef<HTMLDivElement>(null);
  const [focused, setFocused] = useState(false);
  useEffect(() => {
    if (focused) return;
    // After the layout's own focus on the page heading (50 ms after a navigation).
    const id = window.setTimeout(() => {
      ref.current?.focus();
      setFocused(true);
    }, 120);
    return () => window.clearTimeout(id);
  }, [focused]);
  return (
    <Box
      ref={ref}
      tabIndex={-1}
      role="alert"
      aria-labelledby="error-summary-title"
      p="md"
      className="dg-error-summary"
      style={{ border: '4px solid var(--mantine-color-red-8)', borderRadius: 4 }}
    >
      <Title order={2} id="error-summary-title" size="h3">
        {s.summaryTitle(summary.count)}
      </Title>
      <Text size="sm" mb="sm">
        {s.summaryIntro}
      </Text>
      <Stack gap="sm">
        {summary.sections
          .filter((x) => x.items.length > 0)
          .map((x) => (
            <Box key={x.section}>
              <Text fw={700}>
                {x.number === null ? s.general : `${s.pillar(x.number)} ${x.title}`}
                <Text component="span" size="sm" c="dimmed" fw={400}>
                  {' · '}
                  {s.sectionProgress(x.answered, x.required)}
                </Text>
              </Text>
              <List spacing={4} size="sm">
                {x.items.map((item) => (
                  <List.Item key={item.questionId}>
                    <AnchorLink
                      to="/cycles/$cycleId/response"
                      params={{ cycleId }}
                      search={{ pillar: item.section }}
                      hash={item.anchor}
                      c="red.9"
                      fw={700}
                      underline="always"
                    >
                      {item.label}
                    </AnchorLink>
                    <Text size="sm">{item.messages.join(' · ')}</Text>
                  </List.Item>
                ))}
              </List>
            </Box>
          ))}
      </Stack>
    </Box>
  );
}
