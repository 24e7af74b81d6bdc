import type { Cycle, ResponseDetail, SaveResult } from '@dg/contracts';
import { splitPatch, type Answers, type Questionnaire } from '@dg/survey-model';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api } from '../../api/client';
import { AutosaveController } from '../../features/answers/autosave';
import { openPendingStore } from '../../features/answers/pending-store';

export const responseKey = (cycleId: string, agencyId: string) => ['responses', cycleId, agencyId] as const;
const base = (cycleId: string, agencyId: string) =>
  `/cycles/${encodeURIComponent(cycleId)}/responses/${encodeURIComponent(agencyId)}`;

interface QuestionnaireRecord {
  id: string;
  version: number;
  definition: unknown;
}

/** The cycle, the agency's response and the cycle's questionnaire (stored once, never changed). */
export function useResponseData(cycleId: string, agencyId: string | null) {
  const cycle = useQuery({
    queryKey: ['cycles', cycleId],
    queryFn: ({ signal }) => api.get<Cycle>(`/cycles/${encodeURIComponent(cycleId)}`, { signal }),
  });
  const response = useQuery({
    queryKey: responseKey(cycleId, agencyId ?? ''),
    enabled: !!agencyId,
    queryFn: ({ signal }) => api.get<ResponseDetail>(base(cycleId, agencyId!), { signal }),
  });
  const questionnaireId = response.data?.questionnaireId ?? null;
  const questionnaire = useQuery({
    queryKey: ['questionnaires', questionnaireId],
    enabled: !!questionnaireId,
    staleTime: Infinity,
    queryFn: async ({ signal }) => {
      const record = await api.get<QuestionnaireRecord>(`/questionnaires/${questionnaireId}`, { signal });
      // Validated by intake when it was stored; the page reads it as it is.
      return record.definition as Questionnaire;
    },
  });
  return { cycle, response, questionnaire };
}

/**
 * The page's autosave, built once from the first response read and the edits this browser kept
 * (IndexedDB), torn down with the page. `applyRef` is set by the form: answers it must show.
 */
export function useAutosave(
  cycleId: string,
  agencyId: string | null,
  first: ResponseDetail | undefined,
  questionnaire: Questionnaire | undefined,
) {
  const queryClient = useQueryClient();
  const [controller, setController] = useState<AutosaveController | null>(null);
  const applyRef = useRef<((answers: Answers) => void) | null>(null);
  const ready = !!first && !!questionnaire && !!agencyId;

  useEffect(() => {
    if (!ready) return;
    let cancelled = false;
    let made: AutosaveController | null = null;
    const path = base(cycleId, agencyId);
    void (async () => {
      const store = await openPendingStore(cycleId, agencyId);
      if (cancelled) return;
      made = await AutosaveController.open(
        { version: first.version, answers: first.answers },
        {
          store,
          split: (server, patch) => splitPatch(questionnaire, server, patch),
          transport: {
            save: async (version, answers) => {
              const result = await api.patch<SaveResult>(`${path}/answers`, { version, answers });
              return result;
            },
            load: async () => {
              const r = await api.get<ResponseDetail>(path);
              return { version: r.version, answers: r.answers };
            },
          },
          onApply: (answers) => applyRef.current?.(answers),
          onSaved: (result) => {
            // The landing and the header show the status the save moved the response to.
            const { rejected: _rejected, ...detail } = result as SaveResult;
            queryClient.setQueryData(responseKey(cycleId, agencyId), detail);
          },
          events: window,
        },
      );
      if (cancelled) {
        made.dispose();
        return;
      }
      setController(made);
    })();
    return () => {
      cancelled = true;
      made?.dispose();
      setController(null);
    };
    // Built once per response: later reads of the response must not rebuild it (it owns the edits).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [ready, cycleId, agencyId]);

  return { controller, applyRef };
}
