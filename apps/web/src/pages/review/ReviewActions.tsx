import { Alert, Button, Group, Modal, Paper, Stack, Text, Textarea, TextInput, Title } from '@mantine/core';
import type { ResponseDetail } from '@dg/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { ButtonLink } from '../../components/links';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useLang } from '../../i18n';
import { BANGKOK, formatDate } from '../../lib/dates';
import { responseKey } from '../response/useResponseData';
import { returnForCorrection, saveVerdicts, useQueue, WAITING } from './api';
import { useReviewText } from './text';
import type { Verdicts } from './verdicts';

type Mode = 'verify' | 'return' | null;
type Done = 'saved' | 'verified' | 'returned' | null;

/**
 * The verifier's decisions on a response: save the verdicts so far, return it for correction
 * (the verdicts first, then the return with a message and an optional correction deadline), or
 * confirm the verification. Each confirms in a dialog that says what happens; a refusal from the
 * API (another verifier was quicker: 409) is shown and the response read again.
 */
export function ReviewActions({
  cycleId,
  response,
  verdicts,
  open,
}: {
  cycleId: string;
  response: ResponseDetail;
  verdicts: Verdicts;
  open: boolean;
}) {
  const s = useReviewText();
  const lang = useLang();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<Done>(null);
  const [comment, setComment] = useState('');
  const [until, setUntil] = useState('');
  const [commentMissing, setCommentMissing] = useState(false);
  const doneRef = useRef<HTMLDivElement>(null);
  const next = useQueue(cycleId, { status: WAITING, page: 1 });
  const nextCode = next.data?.items.find((r) => r.agencyCode !== response.agencyCode)?.agencyCode;

  const refresh = async (updated: ResponseDetail) => {
    queryClient.setQueryData(responseKey(cycleId, response.agencyId), updated);
    // Read again too: the return's answer names no verifier (only ids), the response's read does.
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: responseKey(cycleId, response.agencyId) }),
      queryClient.invalidateQueries({ queryKey: ['review-queue', cycleId] }),
    ]);
  };
  /** Verdicts need a reason for each "needs correction": else the fields say so and nothing is sent. */
  const reasonsGiven = () => {
    verdicts.setShowErrors(true);
    const first = verdicts.missingReasons[0];
    if (first) document.getElementById(`verdict-comment-${first}`)?.focus();
    return !first;
  };
  const run = async (action: () => Promise<ResponseDetail>, outcome: Done) => {
    setBusy(true);
    setError(null);
    try {
      const updated = await action();
      verdicts.clear(); // saved: the server has them now
      await refresh(updated);
      setDone(outcome);
      setMode(null);
      // The decision's outcome takes the focus: the buttons that had it are gone after a decision.
      requestAnimationFrame(() => doneRef.current?.focus());
    } catch (e) {
      setError(e);
      await queryClient.invalidateQueries({ queryKey: responseKey(cycleId, response.agencyId) });
    } finally {
      setBusy(false);
    }
  };
  const save = () => {
    if (!reasonsGiven()) return;
    void run(
      () =>
        saveVerdicts(cycleId, response.agencyId, {
          verdicts: verdicts.inputs(),
          complete: false,
          version: response.version,
        }),
      'saved',
    );
  };
  const verify = () =>
    void run(
      () =>
        saveVerdicts(cycleId, response.agencyId, {
          verdicts: verdicts.inputs(),
          complete: true,
          version: response.version,
        }),
      'verified',
    );
  const sendBack = () => {
    if (!comment.trim()) return setCommentMissing(true);
    void run(async () => {
      const withVerdicts = await saveVerdicts(cycleId, response.agencyId, {
        verdicts: verdicts.inputs(),
        complete: false,
        version: response.version,
      });
      return returnForCorrection(cycleId, response.agencyId, {
        comment: comment.trim(),
        extendUntil: until || undefined,
        version: withVerdicts.version,
      });
    }, 'returned');
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="review-actions">
      <Stack gap="sm">
        <Title order={2} id="review-actions">
          {s.actionsTitle}
        </Title>
        <Text aria-live="polite">{s.summary(verdicts.accepted, verdicts.rejected)}</Text>
        {done && (
          <Alert
            ref={doneRef}
            tabIndex={-1}
            color={done === 'returned' ? 'orange' : 'green'}
            variant="light"
            role="status"
          >
            <Stack gap={4}>
              <Text>{done === 'saved' ? s.saved : done === 'verified' ? s.verified : s.returned}</Text>
              {done !== 'saved' &&
                (nextCode ? (
                  <Group>
                    <ButtonLink
                      to="/cycles/$cycleId/review/$agencyCode"
                      params={{ cycleId, agencyCode: nextCode }}
                      variant="light"
                    >
                      {s.next}
                    </ButtonLink>
                  </Group>
                ) : (
                  <Text size="sm">{s.noneLeft}</Text>
                ))}
            </Stack>
          </Alert>
        )}
        {error !== null && !mode && <ProblemAlert error={error} />}
        {open && (
          <Group gap="sm" wrap="wrap">
            <Button variant="default" onClick={save} loading={busy && !mode}>
              {s.save}
            </Button>
            <Button
              variant="outline"
              color="orange"
              onClick={() => {
                if (!reasonsGiven()) return;
                setError(null);
                setMode('return');
              }}
            >
              {s.returnAction}
            </Button>
            <Button
              onClick={() => {
                if (!reasonsGiven()) return;
                setError(null);
                setMode('verify');
              }}
            >
              {s.verify}
            </Button>
          </Group>
        )}
      </Stack>

      <Modal
        opened={mode === 'verify'}
        onClose={() => setMode(null)}
        title={s.verifyTitle}
        centered
        closeButtonProps={{ 'aria-label': s.close }}
      >
        <Stack>
          <Text>{s.verifyText}</Text>
          {verdicts.rejected > 0 && (
            <Alert color="orange" variant="light">
              {s.verifyRejected(verdicts.rejected)}
            </Alert>
          )}
          {error !== null && <ProblemAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setMode(null)} disabled={busy}>
              {s.cancel}
            </Button>
            <Button onClick={verify} loading={busy}>
              {s.verifyYes}
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal
        opened={mode === 'return'}
        onClose={() => setMode(null)}
        title={s.returnTitle}
        centered
        size="lg"
        closeButtonProps={{ 'aria-label': s.close }}
      >
        <Stack>
          {verdicts.rejected === 0 ? (
            <Alert color="orange" variant="light" role="alert">
              {s.returnNeedsRejected}
            </Alert>
          ) : (
            <Text>{s.returnText(verdicts.rejected)}</Text>
          )}
          <Textarea
            label={s.returnComment}
            value={comment}
            onChange={(e) => {
              setComment(e.currentTarget.value);
              setCommentMissing(false);
            }}
            autosize
            minRows={3}
            maxLength={2000}
            withAsterisk
            aria-required
            error={commentMissing ? s.returnCommentRequired : undefined}
            errorProps={{ role: 'alert' }}
          />
          <TextInput
            type="date"
            label={s.returnDeadline}
            description={
              until
                ? s.returnDeadlineShown(formatDate(`${until}T12:00:00+07:00`, lang, 'long'))
                : s.returnDeadlineHint
            }
            value={until}
            min={todayInBangkok()}
            onChange={(e) => setUntil(e.currentTarget.value)}
          />
          {error !== null && <ProblemAlert error={error} />}
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={() => setMode(null)} disabled={busy}>
              {s.cancel}
            </Button>
            <Button color="orange" onClick={sendBack} loading={busy} disabled={verdicts.rejected === 0}>
              {s.returnYes}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </Paper>
  );
}

/** Today's date in Bangkok as `YYYY-MM-DD` (the earliest correction deadline a date field offers). */
function todayInBangkok(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: BANGKOK }).format(new Date());
}
