import { Alert, Container, Stack, Text, Title } from '@mantine/core';
import { isAnswered } from '@dg/survey-model';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo } from 'react';
import { AnchorLink } from '../../components/links';
import { Loading } from '../../components/Loading';
import { ProblemAlert } from '../../components/ProblemAlert';
import { usePageTitle } from '../../lib/title';
import { AnswerPreview } from '../response/check/AnswerPreview';
import { questionNumbers } from '../response/check/summary';
import { EvidenceList } from '../response/evidence/EvidenceList';
import { useEvidenceList } from '../response/evidence/useEvidence';
import { ResponseHeader } from '../response/ResponseHeader';
import { useResponseData } from '../response/useResponseData';
import { useResponseByCode } from './api';
import { QueueNav } from './QueueNav';
import { ReviewActions } from './ReviewActions';
import type { QueueSearch } from './search';
import { useReviewText } from './text';
import { useVerdicts, VerdictControl, VerdictShown } from './verdicts';

const route = getRouteApi('/cycles/$cycleId/review/$agencyCode');

/** Verdicts are taken while the agency's response waits for DGA: sent, or sent again after a return. */
const REVIEWABLE = new Set(['submitted', 'resubmitted']);

/**
 * `/cycles/:cycleId/review/:agencyCode`: one agency's response under verification. Every answer
 * the agency gave (only the questions shown for its answers), each with DGA's verdict (accept,
 * or needs correction with the reason the agency will read), the evidence files to download,
 * and the decisions: save the verdicts, return for correction with a message and a correction
 * deadline, or confirm the verification.
 */
export function ReviewPage() {
  const { cycleId, agencyCode } = route.useParams();
  const search = route.useSearch();
  // A new page state per agency: "next in the queue" keeps this route mounted, and one agency's
  // unsaved verdicts must never show on the next one's questions.
  return (
    <Review key={`${cycleId}/${agencyCode}`} cycleId={cycleId} agencyCode={agencyCode} search={search} />
  );
}

function Review({
  cycleId,
  agencyCode,
  search,
}: {
  cycleId: string;
  agencyCode: string;
  search: QueueSearch;
}) {
  const s = useReviewText();
  usePageTitle(s.pageTitle(agencyCode, cycleId));
  const found = useResponseByCode(cycleId, agencyCode);
  const agencyId = found.data?.agencyId ?? null;
  const { cycle, response, questionnaire } = useResponseData(cycleId, agencyId);
  const evidence = useEvidenceList(cycleId, agencyId);
  const byId = useMemo(() => new Map((evidence.data?.items ?? []).map((e) => [e.id, e])), [evidence.data]);
  const numbers = useMemo(
    () => (questionnaire.data ? questionNumbers(questionnaire.data) : new Map<string, string>()),
    [questionnaire.data],
  );
  const verdicts = useVerdicts(response.data);

  const heading = <Title order={1}>{s.pageTitle(agencyCode, cycleId)}</Title>;
  const back = (
    <AnchorLink to="/cycles/$cycleId/review" params={{ cycleId }} search={search}>
      {s.backToQueue}
    </AnchorLink>
  );
  const failed = [found, cycle, response, questionnaire].find((q) => q.isError);
  let body;
  if (failed) body = <ProblemAlert error={failed.error} onRetry={() => void failed.refetch()} />;
  else if (found.data === null)
    body = (
      <Alert color="orange" variant="light">
        {s.notFound(agencyCode)}
      </Alert>
    );
  else if (!cycle.data || !response.data || !questionnaire.data) body = <Loading />;
  else {
    const r = response.data;
    const open = REVIEWABLE.has(r.status);
    body = (
      <Stack gap="lg">
        <ResponseHeader cycle={cycle.data} response={r} returnedCount={0} />
        <Text>{s.submissions(r.submissionCount)}</Text>
        {!open && <Alert variant="light">{s.notReviewable}</Alert>}
        <ReviewActions cycleId={cycleId} response={r} verdicts={verdicts} open={open} />
        <AnswerPreview
          questionnaire={questionnaire.data}
          answers={r.answers}
          numbers={numbers}
          evidence={evidence.data ? byId : undefined}
          renderExtra={(x, number) =>
            // A verdict is on an answer: a question left unanswered has nothing to accept or reject.
            !isAnswered(r.answers[x.id]) ? null : open ? (
              <VerdictControl questionId={x.id} number={number} verdicts={verdicts} />
            ) : (
              <VerdictShown questionId={x.id} verdicts={verdicts} />
            )
          }
        />
        <EvidenceList cycleId={cycleId} agencyId={r.agencyId} readOnly />
      </Stack>
    );
  }
  return (
    <Container size="lg">
      <Stack gap="md">
        {back}
        {heading}
        <QueueNav
          cycleId={cycleId}
          agencyCode={agencyCode}
          search={search}
          unsaved={verdicts.inputs().length > 0}
        />
        {body}
      </Stack>
    </Container>
  );
}
