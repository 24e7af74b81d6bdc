import { Alert, Anchor, Button, Group, Stack, Text } from '@mantine/core';
import type { Evidence } from '@dg/contracts';
import type { ReactNode } from 'react';
import { ProblemAlert } from '../../../components/ProblemAlert';
import { deferred } from '../../../lib/deferred';
import { useReturnFocus } from '../../../lib/useReturnFocus';
import type { ActionError } from './useEvidenceActions';
import type { EvidenceText } from './text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who uploaded a file: the account's name; a removed account is "unknown"; a tool's id as it is. */
export function uploaderName(e: Pick<Evidence, 'uploadedBy' | 'uploadedByName'>, s: EvidenceText): string {
  if (e.uploadedByName) return e.uploadedByName;
  return UUID.test(e.uploadedBy) ? s.unknownUser : e.uploadedBy;
}

export interface ConfirmDeleteProps {
  file: Evidence | null;
  s: EvidenceText;
  busy: boolean;
  onConfirm: (file: Evidence) => void;
  onClose: () => void;
}

const ConfirmDeleteModal = deferred(() => import('./ConfirmDeleteModal').then((m) => m.ConfirmDeleteModal));

/** Asks before a file is deleted; the dialog's code loads apart from the page (lib/deferred). */
export function ConfirmDelete(props: ConfirmDeleteProps) {
  useReturnFocus(!!props.file);
  if (!props.file) return null;
  return <ConfirmDeleteModal {...props} />;
}

/** A failed download or delete, in Thai, with the file's name; the answers are untouched. */
export function ActionErrorAlert({
  error,
  s,
  onClose,
}: {
  error: ActionError;
  s: EvidenceText;
  onClose: () => void;
}) {
  return (
    <Stack gap={4}>
      <ProblemAlert
        error={error.problem}
        title={error.kind === 'download' ? s.downloadFailed(error.fileName) : s.deleteFailed(error.fileName)}
      />
      <Group>
        <Button size="compact-sm" variant="subtle" onClick={onClose}>
          {s.dismissShort}
        </Button>
      </Group>
    </Stack>
  );
}

/** Said aloud (polite) when a file is uploaded or deleted. */
export function Announcer({ text }: { text: string }) {
  return (
    <div className="visually-hidden" role="status" aria-live="polite">
      {text}
    </div>
  );
}

export function Note({ children }: { children: React.ReactNode }) {
  return (
    <Alert color="gray" variant="light" p="xs">
      <Text size="sm">{children}</Text>
    </Alert>
  );
}

/**
 * A file's download: a real link to `GET /evidence/:id` (a link is what a download is, and what
 * assistive technology lists as one), whose click fetches the bytes with the session's token,
 * since the route needs the bearer token a plain navigation would not send.
 */
export function DownloadLink({
  file,
  label,
  onDownload,
  children,
}: {
  file: Pick<Evidence, 'id' | 'fileName'>;
  label: string;
  onDownload: (file: Pick<Evidence, 'id' | 'fileName'>) => Promise<void>;
  children: ReactNode;
}) {
  return (
    <Anchor
      href={`/api/v1/evidence/${encodeURIComponent(file.id)}`}
      download={file.fileName}
      size="sm"
      aria-label={label}
      onClick={(e) => {
        e.preventDefault();
        void onDownload(file);
      }}
      style={{ overflowWrap: 'anywhere' }}
    >
      {children}
    </Anchor>
  );
}
