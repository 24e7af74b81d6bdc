import { Alert, Button, Group, Modal, Paper, Stack, Text, Title } from '@mantine/core';
import type { ResponseDetail } from '@dg/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { adoptResponse, completenessKey, responsePath } from './useCompleteness';
import { useCheckText } from './text';
import { responseKey } from '../useResponseData';

export interface RequestApprovalProps {
  response: ResponseDetail;
  /** Why the button is off (incomplete, unsent edits, past the deadline); null when it may be sent. */
  blocked: string | null;
}

/**
 * "Send for approval" (`POST …/submit`, intake's submit: the response moves to
 * `awaiting_approval` and the agency's approvers are told), after a Thai confirmation. A refusal
 * is shown with its code; a version conflict or missing answers read the checks again.
 */
export function RequestApproval({ response, blocked }: RequestApprovalProps) {
  const s = useCheckText();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [sent, setSent] = useState(false);
  const blockedId = useId();

  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      const detail = await api.post<ResponseDetail>(
        `${responsePath(response.cycleId, response.agencyId)}/submit`,
        {
          version: response.version,
        },
      );
      adoptResponse(queryClient, detail);
      setSent(true);
      setOpen(false);
    } catch (e) {
      setError(e);
      setOpen(false);
      if (
        e instanceof ApiProblem &&
        (e.code === 'RESPONSE_VERSION_CONFLICT' ||
          e.code === 'ANSWERS_INVALID' ||
          e.code === 'RESPONSE_LOCKED')
      ) {
        void queryClient.invalidateQueries({ queryKey: responseKey(response.cycleId, response.agencyId) });
        void queryClient.invalidateQueries({
          queryKey: completenessKey(response.cycleId, response.agencyId),
        });
      }
    } finally {
      setBusy(false);
    }
  };

  if (sent || response.status === 'awaiting_approval') {
    return (
      <Alert color="teal" variant="light" title={s.sent} role="status">
        {s.sentText}
      </Alert>
    );
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="request-title">
      <Stack gap="sm">
        <Title order={2} id="request-title">
          {s.requestTitle}
        </Title>
        <Text>{s.requestText}</Text>
        {error !== null && (
          <Stack gap={4}>
            <ProblemAlert error={error} title={s.refused} />
            {error instanceof ApiProblem && (
              <Text size="sm" c="dimmed">
                {error.code === 'RESPONSE_VERSION_CONFLICT' ? s.refusedConflict + ' · ' : ''}
                {s.code(error.code)}
              </Text>
            )}
          </Stack>
        )}
        <Group>
          <Button
            size="md"
            onClick={() => setOpen(true)}
            disabled={!!blocked}
            aria-describedby={blocked ? blockedId : undefined}
          >
            {s.requestButton}
          </Button>
        </Group>
        {blocked && (
          <Text id={blockedId} size="sm" c="red.8">
            {blocked}
          </Text>
        )}
      </Stack>
      <Modal
        opened={open}
        onClose={() => !busy && setOpen(false)}
        title={s.confirmTitle}
        centered
        closeButtonProps={{ 'aria-label': s.close }}
      >
        <Stack>
          <Text>{s.confirmText(response.agencyName)}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setOpen(false)} disabled={busy}>
              {s.confirmNo}
            </Button>
            <Button loading={busy} onClick={() => void submit()}>
              {s.confirmYes}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}
