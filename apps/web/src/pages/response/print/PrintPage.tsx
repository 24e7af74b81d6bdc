import './print.css';
import { Box, Button, Container, Group, Stack, Text, Title } from '@mantine/core';
import { getRouteApi } from '@tanstack/react-router';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isApiProblem } from '../../../api/problem';
import { useSession } from '../../../auth/session';
import { AnchorLink } from '../../../components/links';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useLang } from '../../../i18n';
import { formatDateTime } from '../../../lib/dates';
import { usePageTitle } from '../../../lib/title';
import { AnswerPreview } from '../check/AnswerPreview';
import { questionNumbers } from '../check/summary';
import { useCompleteness } from '../check/useCompleteness';
import { EvidenceList } from '../evidence/EvidenceList';
import { useEvidenceList } from '../evidence/useEvidence';
import { EDITABLE } from '../ResponseHeader';
import { useResponseData } from '../useResponseData';
import { usePrintText } from './text';

const route = getRouteApi('/cycles/$cycleId/response/print');

/**
 * `/cycles/:cycleId/response/print`: the filled questionnaire as a document (agency, status,
 * deadline and when it was printed, every answer shown for the answers given, the evidence files),
 * with "print / save as PDF" (the browser's own print, A4, each pillar on a new page).
 */
export function PrintPage() {
  const { cycleId } = route.useParams();
  const { user } = useSession();
  const s = usePrintText();
  const lang = useLang();
  const { t } = useTranslation();
  const agencyId = user?.agencyId ?? null;
  const { cycle, response, questionnaire } = useResponseData(cycleId, agencyId);
  const evidence = useEvidenceList(cycleId, agencyId);
  const completeness = useCompleteness(cycleId, agencyId, response.data?.version);
  const numbers = useMemo(
    () => (questionnaire.data ? questionNumbers(questionnaire.data) : new Map<string, string>()),
    [questionnaire.data],
  );
  const byId = useMemo(() => new Map((evidence.data?.items ?? []).map((e) => [e.id, e])), [evidence.data]);
  const [printedAt] = useState(() => new Date());
  usePageTitle(
    cycle.data && response.data ? s.pageTitle(cycle.data.yearBE, response.data.agencyName) : s.title,
  );

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
  const r = response.data;
  const c = cycle.data;
  const canCheck = EDITABLE.has(r.status) && !!user?.roles.includes('coordinator');
  return (
    <Container size="lg">
      <Box className="dg-print">
        <Stack gap="lg">
          <Stack gap="xs" className="no-print">
            <Group gap="md">
              <AnchorLink to="/cycles/$cycleId/response" params={{ cycleId }}>
                ← {s.back}
              </AnchorLink>
              {canCheck && (
                <AnchorLink to="/cycles/$cycleId/response/check" params={{ cycleId }}>
                  {s.check}
                </AnchorLink>
              )}
            </Group>
            <Group>
              <Button size="md" onClick={() => window.print()}>
                {s.print}
              </Button>
            </Group>
            <Text size="sm" c="dimmed">
              {s.printHint}
            </Text>
          </Stack>

          <Stack gap="xs">
            <Text size="sm" c="dimmed">
              {s.title}
            </Text>
            <Title order={1}>{lang === 'th' ? c.title.th : c.title.en}</Title>
            <Box component="table" className="dg-print-meta">
              <tbody>
                <Meta label={s.agency} value={r.agencyName} />
                <Meta label={s.code} value={r.agencyCode} />
                <Meta label={s.status} value={t(`status.${r.status}`)} />
                <Meta label={s.deadline} value={formatDateTime(r.deadline, lang)} />
                {r.submittedAt && <Meta label={s.submittedAt} value={formatDateTime(r.submittedAt, lang)} />}
                {completeness.data && (
                  <Meta
                    label={s.completeness}
                    value={s.answeredOf(completeness.data.answered, completeness.data.required)}
                  />
                )}
                <Meta label={s.version} value={String(r.version)} />
                <Meta label={s.printedAt} value={formatDateTime(printedAt, lang)} />
              </tbody>
            </Box>
          </Stack>

          {evidence.isError && (
            <ProblemAlert error={evidence.error} onRetry={() => void evidence.refetch()} />
          )}
          <AnswerPreview
            questionnaire={questionnaire.data}
            answers={r.answers}
            numbers={numbers}
            evidence={evidence.data ? byId : undefined}
          />
          <Box className="dg-evidence">
            <EvidenceList
              cycleId={cycleId}
              agencyId={agencyId}
              readOnly
              print
              questionLabel={(id) => numbers.get(id)}
            />
          </Box>
        </Stack>
      </Box>
    </Container>
  );
}

function Meta({ label, value }: { label: string; value: string }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>{value}</td>
    </tr>
  );
}
