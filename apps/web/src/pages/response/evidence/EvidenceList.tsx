import { Button, Stack, Table, Text, Title } from '@mantine/core';
import type { Evidence } from '@dg/contracts';
import { mimeTh } from '@dg/survey-model';
import { useState } from 'react';
import { Loading } from '../../../components/Loading';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { useLang } from '../../../i18n';
import { formatDate, formatDateTime } from '../../../lib/dates';
import { formatBytes } from './limits';
import { ActionErrorAlert, Announcer, ConfirmDelete, DownloadLink, uploaderName } from './parts';
import { useEvidenceText } from './text';
import { useEvidenceList } from './useEvidence';
import { useEvidenceActions } from './useEvidenceActions';
import { ScrollTable } from '../../../components/ScrollTable';

export interface EvidenceListProps {
  cycleId: string;
  agencyId: string;
  /** `2.3 มีแผนดิจิทัล…` for a question id, so a file says which question it belongs to. */
  questionLabel?: (questionId: string) => string | undefined;
  /**
   * Called after a file was deleted, so the page takes its id out of the answer as the server did.
   * Without it (or `readOnly`), the list offers downloads only.
   */
  onDeleted?: (file: Evidence) => void;
  readOnly?: boolean;
  /** Heading level of the list's title (2 on the questionnaire, 3 inside a section). */
  headingOrder?: 2 | 3;
  /** For print: no buttons, dates with the time. */
  print?: boolean;
}

/**
 * Every file the agency uploaded for the response: name (a download), question, size, who
 * uploaded it and when (B.E.), and delete while the answers may change.
 */
export function EvidenceList({
  cycleId,
  agencyId,
  questionLabel,
  onDeleted,
  readOnly = false,
  headingOrder = 2,
  print = false,
}: EvidenceListProps) {
  const s = useEvidenceText();
  const lang = useLang();
  const list = useEvidenceList(cycleId, agencyId);
  const actions = useEvidenceActions(cycleId, agencyId);
  const [confirm, setConfirm] = useState<Evidence | null>(null);
  const canDelete = !readOnly && !print && !!onDeleted;

  let body;
  if (list.isPending) body = <Loading label={s.loading} />;
  else if (list.isError) body = <ProblemAlert error={list.error} onRetry={() => void list.refetch()} />;
  else if (list.data.items.length === 0) body = <Text>{s.listEmpty}</Text>;
  else
    body = (
      <ScrollTable minWidth={print ? 0 : 640} label={s.caption}>
        <Table striped withTableBorder verticalSpacing="xs" className="dg-evidence-table">
          <Table.Caption className="visually-hidden">{s.caption}</Table.Caption>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{s.colName}</Table.Th>
              <Table.Th scope="col">{s.colQuestion}</Table.Th>
              <Table.Th scope="col">{s.colSize}</Table.Th>
              <Table.Th scope="col">{s.colBy}</Table.Th>
              <Table.Th scope="col">{s.colAt}</Table.Th>
              {!print && <Table.Th scope="col">{s.colActions}</Table.Th>}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {list.data.items.map((f) => (
              <Table.Tr key={f.id}>
                <Table.Td style={{ overflowWrap: 'anywhere' }}>
                  {f.fileName}
                  <Text size="xs" c="dimmed">
                    {mimeTh(f.contentType)}
                  </Text>
                </Table.Td>
                <Table.Td>{questionLabel?.(f.questionId) ?? f.questionId}</Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatBytes(f.size)}</Table.Td>
                <Table.Td>{uploaderName(f, s)}</Table.Td>
                <Table.Td>
                  {print ? formatDateTime(f.uploadedAt, lang) : formatDate(f.uploadedAt, lang)}
                </Table.Td>
                {!print && (
                  <Table.Td>
                    <Stack gap={2} align="flex-start">
                      <DownloadLink file={f} label={s.download(f.fileName)} onDownload={actions.download}>
                        {s.downloadShort}
                      </DownloadLink>
                      {canDelete && (
                        <Button
                          size="compact-sm"
                          variant="subtle"
                          color="red.9"
                          px={0}
                          aria-label={s.delete(f.fileName)}
                          onClick={() => setConfirm(f)}
                        >
                          {s.deleteShort}
                        </Button>
                      )}
                    </Stack>
                  </Table.Td>
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollTable>
    );

  return (
    <Stack gap="xs" component="section" aria-labelledby={`evidence-title-${headingOrder}`}>
      <Title order={headingOrder} id={`evidence-title-${headingOrder}`}>
        {s.title}
      </Title>
      {!print && <Text size="sm">{s.listIntro}</Text>}
      {body}
      {list.data && !print && (
        <Text size="xs" c="dimmed">
          {s.quota(formatBytes(list.data.usedBytes), formatBytes(list.data.quotaBytes))}
        </Text>
      )}
      {actions.error && <ActionErrorAlert error={actions.error} s={s} onClose={actions.clearError} />}
      <Announcer text={actions.announcement} />
      <ConfirmDelete
        file={confirm}
        s={s}
        busy={!!confirm && actions.busy === confirm.id}
        onClose={() => setConfirm(null)}
        onConfirm={(file) =>
          void actions.remove(file, s.deleted(file.fileName)).then((ok) => {
            setConfirm(null);
            if (ok) onDeleted?.(file);
          })
        }
      />
    </Stack>
  );
}
