import { Group, Radio, Stack, Text, Textarea } from '@mantine/core';
import type { ResponseDetail } from '@dg/contracts';
import { useCallback, useMemo, useState } from 'react';
import { useLang } from '../../i18n';
import { formatDateTime } from '../../lib/dates';
import { Marker } from '../response/Marker';
import type { VerdictInput } from './api';
import { useReviewText } from './text';

export type VerdictValue = 'accepted' | 'rejected';

/** A question's verdict on this page: as saved (`by`, `at`) or as the verifier is setting it. */
export interface Draft {
  verdict: VerdictValue | null;
  comment: string;
  by?: string | null;
  at?: string;
}

export interface Verdicts {
  drafts: ReadonlyMap<string, Draft>;
  set: (questionId: string, patch: Partial<Draft>) => void;
  /** Set once the verifier tried to save: rejected verdicts without a reason show their error. */
  showErrors: boolean;
  setShowErrors: (v: boolean) => void;
  /** Questions marked "needs correction" without a reason for the agency. */
  missingReasons: string[];
  accepted: number;
  rejected: number;
  /** What the API takes: every question with a verdict. */
  inputs: () => VerdictInput[];
}

/** The verdicts of a response, starting from the saved ones each time the response changes. */
export function useVerdicts(response: ResponseDetail | undefined): Verdicts {
  const saved = useMemo(() => {
    const m = new Map<string, Draft>();
    for (const v of response?.verdicts ?? []) {
      m.set(v.questionId, { verdict: v.verdict, comment: v.comment ?? '', by: v.byName ?? v.by, at: v.at });
    }
    return m;
  }, [response?.verdicts]);
  // Edits on top of what is saved, reset when a new version of the response arrives.
  const [edits, setEdits] = useState<{ version: number | undefined; map: Map<string, Draft> }>({
    version: undefined,
    map: new Map(),
  });
  const [showErrors, setShowErrors] = useState(false);
  const drafts = useMemo(() => {
    const m = new Map(saved);
    if (edits.version === response?.version) for (const [id, d] of edits.map) m.set(id, d);
    return m;
  }, [saved, edits, response?.version]);
  const set = useCallback(
    (questionId: string, patch: Partial<Draft>) =>
      setEdits((prev) => {
        const map = new Map(prev.version === response?.version ? prev.map : []);
        const before = map.get(questionId) ?? saved.get(questionId) ?? { verdict: null, comment: '' };
        map.set(questionId, { ...before, ...patch, by: undefined, at: undefined });
        return { version: response?.version, map };
      }),
    [response?.version, saved],
  );
  const list = [...drafts.entries()];
  return {
    drafts,
    set,
    showErrors,
    setShowErrors,
    missingReasons: list.filter(([, d]) => d.verdict === 'rejected' && !d.comment.trim()).map(([id]) => id),
    accepted: list.filter(([, d]) => d.verdict === 'accepted').length,
    rejected: list.filter(([, d]) => d.verdict === 'rejected').length,
    inputs: () =>
      list
        .filter(([, d]) => d.verdict)
        .map(([questionId, d]) => ({
          questionId,
          verdict: d.verdict!,
          comment: d.verdict === 'rejected' ? d.comment.trim() : d.comment.trim() || null,
        })),
  };
}

/** The verdict on one question: not checked / accept / needs correction with the reason. */
export function VerdictControl({
  questionId,
  number,
  verdicts,
}: {
  questionId: string;
  number?: string;
  verdicts: Verdicts;
}) {
  const s = useReviewText();
  const lang = useLang();
  const d = verdicts.drafts.get(questionId) ?? { verdict: null, comment: '' };
  const missing = verdicts.showErrors && d.verdict === 'rejected' && !d.comment.trim();
  return (
    <Stack gap={4} mt="xs" p="xs" style={{ background: 'var(--mantine-color-gray-0)', borderRadius: 4 }}>
      <Radio.Group
        label={number ? `${s.verdictLegend} (${number})` : s.verdictLegend}
        value={d.verdict ?? 'none'}
        onChange={(v) => verdicts.set(questionId, { verdict: v === 'none' ? null : (v as VerdictValue) })}
        size="sm"
      >
        <Group gap="md" mt={4}>
          <Radio value="none" label={s.verdictNone} />
          <Radio value="accepted" label={s.verdictAccepted} />
          <Radio value="rejected" label={s.verdictRejected} />
        </Group>
      </Radio.Group>
      {d.verdict === 'rejected' && (
        <Textarea
          label={s.verdictComment}
          id={`verdict-comment-${questionId}`}
          value={d.comment}
          onChange={(e) => verdicts.set(questionId, { comment: e.currentTarget.value })}
          autosize
          minRows={2}
          maxLength={2000}
          withAsterisk
          aria-required
          error={missing ? s.verdictCommentRequired : undefined}
        />
      )}
      {d.by && d.at && (
        <Text size="sm" c="dimmed">
          {s.verdictBy(d.by, formatDateTime(d.at, lang))}
        </Text>
      )}
    </Stack>
  );
}

/** A saved verdict, read only (a response no longer waiting for verification). */
export function VerdictShown({ questionId, verdicts }: { questionId: string; verdicts: Verdicts }) {
  const s = useReviewText();
  const lang = useLang();
  const d = verdicts.drafts.get(questionId);
  if (!d?.verdict) return null;
  return (
    <Stack gap={2} mt={4}>
      <Marker tone={d.verdict === 'accepted' ? 'done' : 'returned'}>
        {d.verdict === 'accepted' ? s.verdictAccepted : s.verdictRejected}
      </Marker>
      {d.comment && (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          {d.comment}
        </Text>
      )}
      {d.by && d.at && (
        <Text size="sm" c="dimmed">
          {s.verdictBy(d.by, formatDateTime(d.at, lang))}
        </Text>
      )}
    </Stack>
  );
}
