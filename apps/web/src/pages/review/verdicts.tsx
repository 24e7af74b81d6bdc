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
  /** Questions with a verdict saved on the server (it merges verdicts and cannot remove one). */
  saved: ReadonlySet<string>;
  set: (questionId: string, patch: Partial<Draft>) => void;
  /** After a successful save: the edits are on the server now. */
  clear: () => void;
  /** Set once the verifier tried to save: rejected verdicts without a reason show their error. */
  showErrors: boolean;
  setShowErrors: (v: boolean) => void;
  /** Questions marked "needs correction" without a reason for the agency. */
  missingReasons: string[];
  accepted: number;
  rejected: number;
  /** What the API takes: the verdicts changed on this page only (the saved ones keep who gave them). */
  inputs: () => VerdictInput[];
}

/**
 * The verdicts of a response: the saved ones, with this page's edits on top. The edits belong to
 * the response (its id), not to a version of it: when the response is read again (after a save,
 * or after a 409 because another verifier saved first) what the verifier set and typed stays.
 */
export function useVerdicts(response: ResponseDetail | undefined): Verdicts {
  const saved = useMemo(() => {
    const m = new Map<string, Draft>();
    for (const v of response?.verdicts ?? []) {
      m.set(v.questionId, { verdict: v.verdict, comment: v.comment ?? '', by: v.byName ?? v.by, at: v.at });
    }
    return m;
  }, [response?.verdicts]);
  const id = response?.id;
  const [edits, setEdits] = useState<{ id: string | undefined; map: Map<string, Draft> }>({
    id: undefined,
    map: new Map(),
  });
  const own = edits.id === id ? edits.map : null;
  const [showErrors, setShowErrors] = useState(false);
  const drafts = useMemo(() => {
    const m = new Map(saved);
    if (own) for (const [q, d] of own) m.set(q, d);
    return m;
  }, [saved, own]);
  const set = useCallback(
    (questionId: string, patch: Partial<Draft>) =>
      setEdits((prev) => {
        const map = new Map(prev.id === id ? prev.map : []);
        const before = map.get(questionId) ?? saved.get(questionId) ?? { verdict: null, comment: '' };
        map.set(questionId, { ...before, ...patch, by: undefined, at: undefined });
        return { id, map };
      }),
    [id, saved],
  );
  const clear = useCallback(() => setEdits({ id, map: new Map() }), [id]);
  const list = [...drafts.entries()];
  return {
    drafts,
    saved: new Set(saved.keys()),
    set,
    clear,
    showErrors,
    setShowErrors,
    missingReasons: list.filter(([, d]) => d.verdict === 'rejected' && !d.comment.trim()).map(([q]) => q),
    accepted: list.filter(([, d]) => d.verdict === 'accepted').length,
    rejected: list.filter(([, d]) => d.verdict === 'rejected').length,
    inputs: () =>
      [...(own ?? new Map<string, Draft>()).entries()]
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
          {/* A saved verdict can be changed, not taken back (the API keeps every verdict given). */}
          {!verdicts.saved.has(questionId) && <Radio value="none" label={s.verdictNone} />}
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
