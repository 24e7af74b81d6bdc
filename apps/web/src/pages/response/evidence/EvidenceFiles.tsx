import { Alert, Button, Group, Input, List, Progress, Stack, Text } from '@mantine/core';
import type { Evidence, EvidenceList } from '@dg/contracts';
import { acceptAttribute, evidenceSpec, type Question } from '@dg/survey-model';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type ChangeEvent } from 'react';
import { ApiProblem } from '../../../api/problem';
import { useLang } from '../../../i18n';
import { formatDate } from '../../../lib/dates';
import { acceptedTypesText, checkFile, formatBytes, problemText, readHead } from './limits';
import { ActionErrorAlert, Announcer, ConfirmDelete, DownloadLink, uploaderName } from './parts';
import { useEvidenceText } from './text';
import { evidenceKey, limitsOf, uploadEvidence, useEvidenceList } from './useEvidence';
import { useEvidenceActions } from './useEvidenceActions';

export interface EvidenceFilesProps {
  cycleId: string;
  agencyId: string;
  /** The evidence question (its `evidence` says which types and how many files). */
  question: Question;
  /** The evidence ids the answer names now. */
  ids: readonly string[];
  /** True once the answers cannot change (awaiting approval, submitted, past the deadline). */
  readOnly: boolean;
  /** The answer's new list of ids after an upload, an attach or a delete; autosave saves it. */
  onAnswer: (ids: string[]) => void;
  /** `2.3 มีแผนดิจิทัล…`: names the file input (several evidence questions share a page). */
  questionLabel?: string;
}

interface Upload {
  key: number;
  file: File;
  phase: 'checking' | 'uploading' | 'refused' | 'failed';
  sent: number;
  total: number;
  /** Thai (or English) reason when refused or failed; `code` the API's problem code when it gave one. */
  message?: string;
  code?: string;
  abort?: AbortController;
}

/** Failures worth trying again: the network, the server's own trouble, a session that could not be renewed. */
function retriable(e: unknown): boolean {
  if (!(e instanceof ApiProblem)) return true;
  return e.status === 0 || e.status === 401 || e.status === 408 || e.status === 429 || e.status >= 500;
}

let nextKey = 1;

/**
 * One evidence question's files: upload with a progress bar (checked first against intake's own
 * rules: type from the content, size, quota, number of files), the files the answer names with
 * download and delete, files uploaded but not attached, and each failure in Thai with a retry.
 * A failed upload never touches the answers: only a finished upload adds its id, through
 * `onAnswer`, like any other answer that autosave then saves.
 */
export function EvidenceFiles({
  cycleId,
  agencyId,
  question,
  ids,
  readOnly,
  onAnswer,
  questionLabel,
}: EvidenceFilesProps) {
  const s = useEvidenceText();
  const lang = useLang();
  const inputId = useId();
  const hintId = useId();
  const queryClient = useQueryClient();
  const list = useEvidenceList(cycleId, agencyId);
  const actions = useEvidenceActions(cycleId, agencyId);
  const [uploads, setUploads] = useState<Upload[]>([]);
  const [announcement, setAnnouncement] = useState('');
  const [confirm, setConfirm] = useState<Evidence | null>(null);
  const spec = evidenceSpec(question);

  // Uploads finish one after another while the answer moves on: each adds to the latest list.
  const latest = useRef<readonly string[]>(ids);
  useEffect(() => {
    latest.current = ids;
  }, [ids]);
  const aborts = useRef(new Set<AbortController>());
  useEffect(() => {
    const set = aborts.current;
    return () => set.forEach((a) => a.abort());
  }, []);

  const patch = (key: number, change: Partial<Upload>) =>
    setUploads((all) => all.map((u) => (u.key === key ? { ...u, ...change } : u)));
  const drop = (key: number) => setUploads((all) => all.filter((u) => u.key !== key));

  const byId = new Map((list.data?.items ?? []).map((e) => [e.id, e]));
  const attached = ids.map((id) => ({ id, file: byId.get(id) }));
  const loose = (list.data?.items ?? []).filter((e) => e.questionId === question.id && !ids.includes(e.id));
  const full = ids.length >= spec.maxFiles;
  const limits = limitsOf(list.data);

  async function send(u: Upload): Promise<void> {
    const abort = new AbortController();
    aborts.current.add(abort);
    patch(u.key, {
      phase: 'uploading',
      sent: 0,
      total: u.file.size,
      abort,
      message: undefined,
      code: undefined,
    });
    try {
      const saved = await uploadEvidence(
        cycleId,
        agencyId,
        question.id,
        u.file,
        (sent, total) => patch(u.key, { sent, total: total || u.file.size }),
        abort.signal,
      );
      const next = [...latest.current, saved.id];
      latest.current = next;
      onAnswer(next);
      queryClient.setQueryData<EvidenceList>(evidenceKey(cycleId, agencyId), (l) =>
        l ? { ...l, items: [saved, ...l.items], usedBytes: l.usedBytes + saved.size } : l,
      );
      void queryClient.invalidateQueries({ queryKey: evidenceKey(cycleId, agencyId) });
      drop(u.key);
      setAnnouncement(s.uploaded(u.file.name));
    } catch (e) {
      if (e instanceof DOMException && e.name === 'AbortError') {
        drop(u.key);
        return;
      }
      const problem = e instanceof ApiProblem ? e : null;
      patch(u.key, {
        phase: retriable(e) ? 'failed' : 'refused',
        message: problem?.detail,
        code: problem?.code,
        abort: undefined,
      });
    } finally {
      aborts.current.delete(abort);
    }
  }

  async function choose(e: ChangeEvent<HTMLInputElement>): Promise<void> {
    const files = [...(e.target.files ?? [])];
    e.target.value = ''; // the same file can be chosen again after a refusal
    let pendingBytes = 0;
    let pendingFiles = 0;
    for (const file of files) {
      const u: Upload = { key: nextKey++, file, phase: 'checking', sent: 0, total: file.size };
      setUploads((all) => [...all, u]);
      const head = await readHead(file);
      const current = limitsOf(queryClient.getQueryData<EvidenceList>(evidenceKey(cycleId, agencyId)));
      const problem = checkFile(
        { size: file.size, head },
        question,
        { ...current, usedBytes: current.usedBytes + pendingBytes },
        latest.current.length + pendingFiles,
      );
      if (problem) {
        patch(u.key, {
          phase: 'refused',
          message: problemText(problem, lang, s.tooManyFiles),
          code: problem.reason === 'max_files' ? undefined : problem.code,
        });
        continue;
      }
      pendingBytes += file.size;
      pendingFiles++;
      await send(u);
      pendingBytes -= file.size;
      pendingFiles--;
    }
  }

  const removeFromAnswer = (id: string) => {
    const next = latest.current.filter((x) => x !== id);
    latest.current = next;
    onAnswer(next);
  };

  const attachAgain = (id: string) => {
    const next = [...latest.current, id];
    latest.current = next;
    onAnswer(next);
  };

  const fileLine = (f: Evidence) => (
    <Text component="span" size="sm" c="dimmed">
      {' · '}
      {formatBytes(f.size)} · {uploaderName(f, s)} · {formatDate(f.uploadedAt, lang)}
    </Text>
  );

  return (
    <Stack gap="xs">
      <Text size="sm" fw={700}>
        {s.attached}
      </Text>
      {attached.length === 0 ? (
        <Text size="sm">{s.none}</Text>
      ) : (
        <List spacing={4} size="sm" listStyleType="disc">
          {attached.map(({ id, file }) => (
            <List.Item key={id}>
              {file ? (
                <Group gap="xs" wrap="wrap" component="span">
                  <DownloadLink file={file} label={s.download(file.fileName)} onDownload={actions.download}>
                    {file.fileName}
                  </DownloadLink>
                  {fileLine(file)}
                  {!readOnly && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red.9"
                      aria-label={s.delete(file.fileName)}
                      onClick={() => setConfirm(file)}
                    >
                      {s.deleteShort}
                    </Button>
                  )}
                </Group>
              ) : list.isSuccess ? (
                <Group gap="xs" wrap="wrap" component="span">
                  <Text component="span" size="sm" c="red.8">
                    {s.missingFile}
                  </Text>
                  {!readOnly && (
                    <Button size="compact-sm" variant="subtle" onClick={() => removeFromAnswer(id)}>
                      {s.dismissShort}
                    </Button>
                  )}
                </Group>
              ) : (
                <Text component="span" size="sm" c="dimmed">
                  {s.loading}
                </Text>
              )}
            </List.Item>
          ))}
        </List>
      )}

      {loose.length > 0 && (
        <Stack gap={4}>
          <Text size="sm" fw={700}>
            {s.notAttached}
          </Text>
          <List spacing={4} size="sm" listStyleType="circle">
            {loose.map((file) => (
              <List.Item key={file.id}>
                <Group gap="xs" wrap="wrap" component="span">
                  <DownloadLink file={file} label={s.download(file.fileName)} onDownload={actions.download}>
                    {file.fileName}
                  </DownloadLink>
                  {fileLine(file)}
                  {!readOnly && !full && (
                    <Button
                      size="compact-sm"
                      variant="light"
                      aria-label={s.attachAgain(file.fileName)}
                      onClick={() => attachAgain(file.id)}
                    >
                      {s.attachAgainShort}
                    </Button>
                  )}
                  {!readOnly && (
                    <Button
                      size="compact-sm"
                      variant="subtle"
                      color="red.9"
                      aria-label={s.delete(file.fileName)}
                      onClick={() => setConfirm(file)}
                    >
                      {s.deleteShort}
                    </Button>
                  )}
                </Group>
              </List.Item>
            ))}
          </List>
        </Stack>
      )}

      {uploads.map((u) => (
        <UploadRow
          key={u.key}
          u={u}
          onRetry={() => void send(u)}
          onDismiss={() => drop(u.key)}
          onCancel={() => u.abort?.abort()}
        />
      ))}

      {actions.error && <ActionErrorAlert error={actions.error} s={s} onClose={actions.clearError} />}

      {readOnly ? (
        <Text size="sm" c="dimmed">
          {s.readOnly}
        </Text>
      ) : (
        <Input.Wrapper
          id={inputId}
          label={questionLabel ? s.attachFor(questionLabel) : s.attachLabel}
          description={
            full
              ? s.full(spec.maxFiles)
              : s.hint(acceptedTypesText(question, lang), formatBytes(limits.maxFileBytes), spec.maxFiles)
          }
          styles={{ label: { fontWeight: 500 } }}
        >
          <input
            id={inputId}
            className="dg-file-input"
            type="file"
            multiple={spec.maxFiles - ids.length > 1}
            accept={acceptAttribute(spec.accept)}
            disabled={full}
            aria-describedby={list.data ? `${inputId}-description ${hintId}` : `${inputId}-description`}
            onChange={(e) => void choose(e)}
          />
        </Input.Wrapper>
      )}
      {!readOnly && list.data && (
        <Text id={hintId} size="xs" c="dimmed">
          {s.quota(formatBytes(list.data.usedBytes), formatBytes(list.data.quotaBytes))}
        </Text>
      )}
      <Announcer text={announcement || actions.announcement} />
      <ConfirmDelete
        file={confirm}
        s={s}
        busy={!!confirm && actions.busy === confirm.id}
        onClose={() => setConfirm(null)}
        onConfirm={(file) =>
          void actions.remove(file, s.deleted(file.fileName)).then((ok) => {
            setConfirm(null);
            // The server takes the id out of the answer too; the page's answer follows.
            if (ok && latest.current.includes(file.id)) removeFromAnswer(file.id);
          })
        }
      />
    </Stack>
  );
}

function UploadRow({
  u,
  onRetry,
  onDismiss,
  onCancel,
}: {
  u: Upload;
  onRetry: () => void;
  onDismiss: () => void;
  onCancel: () => void;
}) {
  const s = useEvidenceText();
  if (u.phase === 'checking' || u.phase === 'uploading') {
    const pct = u.total > 0 ? Math.min(100, Math.round((u.sent / u.total) * 100)) : 0;
    const label = u.phase === 'checking' ? s.checking(u.file.name) : s.uploading(u.file.name);
    return (
      <Stack gap={2}>
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
            {label}
          </Text>
          <Group gap="xs" wrap="nowrap">
            <Text size="sm" aria-hidden>
              {s.percent(pct)}
            </Text>
            {u.phase === 'uploading' && (
              <Button
                size="compact-sm"
                variant="subtle"
                aria-label={s.cancel(u.file.name)}
                onClick={onCancel}
              >
                {s.cancelShort}
              </Button>
            )}
          </Group>
        </Group>
        <Progress value={pct} aria-label={label} size="lg" animated={u.phase === 'uploading' && pct < 100} />
      </Stack>
    );
  }
  return (
    <Alert
      color={u.phase === 'refused' ? 'red' : 'orange'}
      variant="light"
      role="alert"
      title={u.phase === 'refused' ? s.refused(u.file.name) : s.failed(u.file.name)}
    >
      <Stack gap={4}>
        {u.message && <Text size="sm">{u.message}</Text>}
        {u.code && (
          <Text size="xs" c="dimmed">
            {u.code}
          </Text>
        )}
        <Text size="sm">{s.keptNote}</Text>
        <Group gap="xs">
          {u.phase === 'failed' && (
            <Button size="compact-sm" aria-label={s.retry(u.file.name)} onClick={onRetry}>
              {s.retryShort}
            </Button>
          )}
          <Button size="compact-sm" variant="default" aria-label={s.dismiss(u.file.name)} onClick={onDismiss}>
            {s.dismissShort}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
