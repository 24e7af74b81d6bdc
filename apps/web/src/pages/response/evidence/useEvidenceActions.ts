import type { Evidence, EvidenceList } from '@dg/contracts';
import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import { ApiProblem } from '../../../api/problem';
import { deleteEvidence, downloadEvidence, evidenceKey } from './useEvidence';

export interface ActionError {
  fileId: string;
  kind: 'download' | 'delete';
  fileName: string;
  problem: unknown;
}

/**
 * Download and delete for a response's files, with the file being worked on and the last error,
 * shared by a question's files and the page's list. A deletion updates the cached list at once
 * (the server has freed the quota) and then reads it again.
 */
export function useEvidenceActions(cycleId: string, agencyId: string) {
  const queryClient = useQueryClient();
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<ActionError | null>(null);
  const [announcement, setAnnouncement] = useState('');

  const download = useCallback(async (file: Pick<Evidence, 'id' | 'fileName'>) => {
    setError(null);
    setBusy(file.id);
    try {
      await downloadEvidence(file);
    } catch (e) {
      setError({ fileId: file.id, kind: 'download', fileName: file.fileName, problem: e });
    } finally {
      setBusy(null);
    }
  }, []);

  /** Resolves true once the server deleted it (or it was already gone). */
  const remove = useCallback(
    async (file: Evidence, deletedText: string): Promise<boolean> => {
      setError(null);
      setBusy(file.id);
      const key = evidenceKey(cycleId, agencyId);
      try {
        await deleteEvidence(file.id);
      } catch (e) {
        // Already gone (deleted in another tab): what the person wanted.
        if (!(e instanceof ApiProblem && e.code === 'EVIDENCE_NOT_FOUND')) {
          setError({ fileId: file.id, kind: 'delete', fileName: file.fileName, problem: e });
          setBusy(null);
          return false;
        }
      }
      queryClient.setQueryData<EvidenceList>(key, (list) =>
        list
          ? {
              ...list,
              items: list.items.filter((x) => x.id !== file.id),
              usedBytes: Math.max(0, list.usedBytes - file.size),
            }
          : list,
      );
      void queryClient.invalidateQueries({ queryKey: key });
      setAnnouncement(deletedText);
      setBusy(null);
      return true;
    },
    [cycleId, agencyId, queryClient],
  );

  return { busy, error, clearError: () => setError(null), download, remove, announcement };
}
