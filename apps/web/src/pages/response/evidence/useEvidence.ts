import type { Evidence, EvidenceList } from '@dg/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client';
import { DEFAULT_LIMITS, type ServerLimits } from './limits';

export const evidenceKey = (cycleId: string, agencyId: string) => ['evidence', cycleId, agencyId] as const;

const listPath = (cycleId: string, agencyId: string) =>
  `/cycles/${encodeURIComponent(cycleId)}/responses/${encodeURIComponent(agencyId)}/evidence`;

/** The response's files (newest first), the quota used and the largest file the server takes. */
export function useEvidenceList(cycleId: string, agencyId: string | null) {
  return useQuery({
    queryKey: evidenceKey(cycleId, agencyId ?? ''),
    enabled: !!agencyId,
    queryFn: ({ signal }) => api.get<EvidenceList>(listPath(cycleId, agencyId!), { signal }),
  });
}

export function limitsOf(list: EvidenceList | undefined): ServerLimits {
  if (!list) return DEFAULT_LIMITS;
  return {
    // An older gateway without maxFileBytes: survey-model's default (intake's default).
    maxFileBytes: list.maxFileBytes ?? DEFAULT_LIMITS.maxFileBytes,
    quotaBytes: list.quotaBytes,
    usedBytes: list.usedBytes,
  };
}

/** Sends one file with upload progress, under the client's 401 → refresh → sign-in handling. */
export function uploadEvidence(
  cycleId: string,
  agencyId: string,
  questionId: string,
  file: File,
  onProgress: (sent: number, total: number) => void,
  signal: AbortSignal,
): Promise<Evidence> {
  const form = new FormData();
  form.append('file', file, file.name);
  return api.upload<Evidence>(listPath(cycleId, agencyId), form, {
    query: { questionId },
    onProgress,
    signal,
  });
}

export function deleteEvidence(id: string): Promise<Evidence> {
  return api.delete<Evidence>(`/evidence/${encodeURIComponent(id)}`);
}

/**
 * Downloads a file: the route needs the bearer token, so a plain link cannot fetch it; the bytes
 * come through the client and the browser saves them under the file's own name.
 */
export async function downloadEvidence(e: Pick<Evidence, 'id' | 'fileName'>): Promise<void> {
  const blob = await api.get<Blob>(`/evidence/${encodeURIComponent(e.id)}`, { as: 'blob' });
  const url = URL.createObjectURL(blob);
  try {
    const a = document.createElement('a');
    a.href = url;
    a.download = e.fileName;
    a.rel = 'noopener';
    document.body.append(a);
    a.click();
    a.remove();
  } finally {
    // Let the browser start the download before the address goes.
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  }
}
