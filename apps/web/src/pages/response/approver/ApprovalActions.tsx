import { Alert, Button, Group, Modal, Paper, Stack, Text, Textarea, Title } from '@mantine/core';
import type { ResponseDetail } from '@dg/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { api } from '../../../api/client';
import { ApiProblem } from '../../../api/problem';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { adoptResponse, completenessKey, responsePath } from '../check/useCompleteness';
import { responseKey } from '../useResponseData';
import { useApproverText, type ApproverText } from './text';

/** Intake keeps at most this many characters of an approval's or a send-back's comment. */
export const COMMENT_MAX = 2000;

/** What is wrong with a send-back's comment: required (blank-only counts as none), and not too long. */
export function sendBackCommentProblem(comment: string, s: ApproverText): string | null {
  const trimmed = comment.trim();
  if (!trimmed) return s.commentRequired;
  if (trimmed.length > COMMENT_MAX) return s.commentTooLong(COMMENT_MAX);
  return null;
}

type Mode = 'approve' | 'reject' | null;

/**
 * The head's decision on a response awaiting approval (`POST …/approve`): approve (the response
 * is submitted to DGA as it is), or send back with a required comment that the coordinators
 * read. Refusals (segregation of duties `SELF_APPROVAL_FORBIDDEN`, a past deadline, a response
 * that changed) are shown in Thai with their code.
 */
export function ApprovalActions({ response }: { response: ResponseDetail }) {
  const s = useApproverText();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>(null);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<'approve' | 'reject' | null>(null);
  const form = useForm<{ comment: string }>({ defaultValues: { comment: '' } });
  const { register, handleSubmit, formState, reset, setError: setFieldError } = form;

  const close = () => {
    if (formState.isSubmitting) return;
    setMode(null);
    reset({ comment: '' });
  };

  const decide = handleSubmit(async ({ comment }) => {
    if (!mode) return;
    setError(null);
    const trimmed = comment.trim();
    try {
      const detail = await api.post<ResponseDetail>(
        `${responsePath(response.cycleId, response.agencyId)}/approve`,
        {
          version: response.version,
          decision: mode,
          ...(trimmed ? { comment: trimmed } : {}),
        },
      );
      adoptResponse(queryClient, detail);
      setDone(mode);
      setMode(null);
      reset({ comment: '' });
    } catch (e) {
      // The server's own word on the comment goes to the field; everything else above the buttons.
      const onComment =
        e instanceof ApiProblem && e.code === 'VALIDATION_FAILED'
          ? e.errors.find((x) => x.path === 'comment')
          : undefined;
      if (onComment) {
        setFieldError('comment', { message: onComment.messageTh ?? onComment.message });
        return;
      }
      setError(e);
      setMode(null);
      if (
        e instanceof ApiProblem &&
        (e.code === 'RESPONSE_VERSION_CONFLICT' || e.code === 'RESPONSE_LOCKED')
      ) {
        void queryClient.invalidateQueries({ queryKey: responseKey(response.cycleId, response.agencyId) });
        void queryClient.invalidateQueries({
          queryKey: completenessKey(response.cycleId, response.agencyId),
        });
      }
    }
  });

  if (done) {
    return (
      <Alert
        color={done === 'approve' ? 'teal' : 'orange'}
        variant="light"
        role="status"
        title={done === 'approve' ? s.approved : s.sentBack}
      />
    );
  }
  if (response.status !== 'awaiting_approval') return null;

  const problem = error instanceof ApiProblem ? error : null;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="approval-title">
      <Stack gap="sm">
        <Title order={2} id="approval-title">
          {s.actionsTitle}
        </Title>
        {error !== null && (
          <Stack gap={4}>
            <ProblemAlert error={error} title={s.refused} />
            {problem?.code === 'SELF_APPROVAL_FORBIDDEN' && <Text size="sm">{s.selfApproval}</Text>}
            {problem?.code === 'RESPONSE_VERSION_CONFLICT' && <Text size="sm">{s.conflict}</Text>}
            {problem && (
              <Text size="sm" c="dimmed">
                {s.code(problem.code)}
              </Text>
            )}
          </Stack>
        )}
        <Group gap="sm">
          <Button size="md" onClick={() => setMode('approve')}>
            {s.approve}
          </Button>
          <Button size="md" variant="outline" color="red.9" onClick={() => setMode('reject')}>
            {s.sendBack}
          </Button>
        </Group>
      </Stack>

      <Modal
        opened={mode !== null}
        onClose={close}
        title={mode === 'reject' ? s.sendBackTitle : s.approveTitle}
        centered
        size="lg"
        closeButtonProps={{ 'aria-label': s.close }}
      >
        <form noValidate onSubmit={(e) => void decide(e)}>
          <Stack>
            <Text>{mode === 'reject' ? s.sendBackText : s.approveText}</Text>
            <Textarea
              label={mode === 'reject' ? s.comment : s.approveComment}
              description={mode === 'reject' ? s.commentHint : s.approveCommentHint}
              withAsterisk={mode === 'reject'}
              autosize
              minRows={3}
              maxRows={10}
              error={formState.errors.comment?.message}
              errorProps={{ role: 'alert' }}
              {...register('comment', {
                validate: (v) =>
                  mode === 'reject'
                    ? (sendBackCommentProblem(v, s) ?? true)
                    : v.trim().length <= COMMENT_MAX || s.commentTooLong(COMMENT_MAX),
              })}
              aria-required={mode === 'reject'}
            />
            <Group justify="flex-end" gap="sm">
              <Button variant="default" onClick={close} disabled={formState.isSubmitting}>
                {s.cancel}
              </Button>
              <Button
                type="submit"
                loading={formState.isSubmitting}
                color={mode === 'reject' ? 'red.8' : undefined}
              >
                {mode === 'reject' ? s.sendBackYes : s.approveYes}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </Paper>
  );
}
