import { Alert, Badge, Container, Group, Stack, Table, Text, Title } from '@mantine/core';
import type { Completeness, ResponseDetail } from '@dg/contracts';
import { isApiProblem } from '../../../api/problem';
import { ButtonLink } from '../../../components/links';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useLang } from '../../../i18n';
import { formatDateTime } from '../../../lib/dates';
import { usePageTitle } from '../../../lib/title';
import { useCompleteness } from '../check/useCompleteness';
import { EvidenceList } from '../evidence/EvidenceList';
import { ResponseHeader } from '../ResponseHeader';
import { useResponseData } from '../useResponseData';
import { ApprovalActions } from './ApprovalActions';
import { useApproverText, type ApproverText } from './text';
import { ScrollTable } from '../../../components/ScrollTable';

/**
 * The agency head's view of `/cycles/:cycleId/response`: read only. The status in Thai and the
 * deadline in B.E. (the questionnaire's own header), what the status means for the head, how
 * complete the answers are per pillar, the way to every answer (the print view), the evidence
 * files, and, while the response awaits approval, approve or send back with a comment.
 */
export function ApproverView({ cycleId, agencyId }: { cycleId: string; agencyId: string | null }) {
  const s = useApproverText();
  const { cycle, response, questionnaire } = useResponseData(cycleId, agencyId);
  const completeness = useCompleteness(cycleId, agencyId, response.data?.version);
  usePageTitle(cycle.data ? s.pageTitle(cycle.data.yearBE) : undefined);

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
  if (!cycle.data || !response.data) {
    return (
      <Container size="lg">
        <Loading label={s.loading} />
      </Container>
    );
  }
  const r = response.data;
  return (
    <Container size="lg">
      <Stack gap="lg">
        <ResponseHeader cycle={cycle.data} response={r} returnedCount={0} />
        <Stack gap={0}>
          <Title order={1}>{s.pageTitle(cycle.data.yearBE)}</Title>
          <Text c="dimmed" size="sm">
            {s.role}
          </Text>
        </Stack>
        <StatusNote response={r} s={s} />
        <ApprovalActions response={r} />
        <Stack gap="xs" component="section" aria-labelledby="completeness-title">
          <Title order={2} id="completeness-title">
            {s.completenessTitle}
          </Title>
          {completeness.isPending ? (
            <Loading />
          ) : completeness.isError ? (
            <ProblemAlert error={completeness.error} onRetry={() => void completeness.refetch()} />
          ) : (
            <CompletenessTable c={completeness.data} s={s} />
          )}
        </Stack>
        <Stack gap={4}>
          <Group>
            <ButtonLink to="/cycles/$cycleId/response/print" params={{ cycleId }} variant="light" size="md">
              {s.print}
            </ButtonLink>
          </Group>
          <Text size="sm" c="dimmed">
            {s.printHint}
          </Text>
        </Stack>
        <EvidenceList cycleId={cycleId} agencyId={agencyId} readOnly />
      </Stack>
    </Container>
  );
}

function StatusNote({ response, s }: { response: ResponseDetail; s: ApproverText }) {
  const lang = useLang();
  const text = s.statusText[response.status];
  if (!text) return null;
  const color =
    response.status === 'awaiting_approval' ? 'violet' : response.status === 'returned' ? 'orange' : 'blue';
  return (
    <Alert color={color} variant="light">
      <Text>{text}</Text>
      {response.submittedAt &&
        (response.status === 'submitted' ||
          response.status === 'resubmitted' ||
          response.status === 'verified') && (
          <Text size="sm" mt={4}>
            {s.submittedAt(formatDateTime(response.submittedAt, lang))}
          </Text>
        )}
    </Alert>
  );
}

/** Answered / required and what is missing, per section, as a table with a caption and a total. */
export function CompletenessTable({ c, s }: { c: Completeness; s: ApproverText }) {
  const lang = useLang();
  const missingTotal = c.sections.reduce((n, x) => n + new Set(x.missing.map((m) => m.questionId)).size, 0);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <Badge color={c.complete ? 'teal' : 'orange'} variant="light" size="lg">
          {c.complete ? s.complete : s.incomplete(missingTotal)}
        </Badge>
      </Group>
      <ScrollTable minWidth={420} label={s.completenessCaption}>
        <Table withTableBorder striped verticalSpacing="xs">
          <Table.Caption>{s.completenessCaption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{s.colSection}</Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'end' }}>
                {s.colAnswered}
              </Table.Th>
              <Table.Th scope="col" style={{ textAlign: 'end' }}>
                {s.colMissing}
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {c.sections.map((x) => {
              const missing = new Set(x.missing.map((m) => m.questionId)).size;
              return (
                <Table.Tr key={x.pillarId ?? 'general'}>
                  <Table.Th scope="row" fw={400}>
                    {x.number === null ? s.general : `${s.pillar(x.number)} ${x.title[lang]}`}
                  </Table.Th>
                  <Table.Td style={{ textAlign: 'end', whiteSpace: 'nowrap' }}>
                    {s.of(x.answered, x.required)}
                  </Table.Td>
                  <Table.Td
                    style={{ textAlign: 'end', whiteSpace: 'nowrap' }}
                    c={missing ? 'red.8' : undefined}
                  >
                    {s.missing(missing)}
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
          <Table.Tfoot>
            <Table.Tr>
              <Table.Th scope="row">{s.total}</Table.Th>
              <Table.Th style={{ textAlign: 'end' }}>{s.of(c.answered, c.required)}</Table.Th>
              <Table.Th style={{ textAlign: 'end' }}>{s.missing(missingTotal)}</Table.Th>
            </Table.Tr>
          </Table.Tfoot>
        </Table>
      </ScrollTable>
    </Stack>
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
