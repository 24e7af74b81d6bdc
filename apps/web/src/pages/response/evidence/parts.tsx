import { Alert, Anchor, Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { Evidence } from '@dg/contracts';
import type { ReactNode } from 'react';
import { ProblemAlert } from '../../../components/ProblemAlert';
import type { ActionError } from './useEvidenceActions';
import type { EvidenceText } from './text';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who uploaded a file: the account's name; a removed account is "unknown"; a tool's id as it is. */
export function uploaderName(e: Pick<Evidence, 'uploadedBy' | 'uploadedByName'>, s: EvidenceText): string {
  if (e.uploadedByName) return e.uploadedByName;
  return UUID.test(e.uploadedBy) ? s.unknownUser : e.uploadedBy;
}

/** Asks before a file is deleted (it leaves the answer too, and cannot be restored). */
export function ConfirmDelete({
  file,
  s,
  busy,
  onConfirm,
  onClose,
}: {
  file: Evidence | null;
  s: EvidenceText;
  busy: boolean;
  onConfirm: (file: Evidence) => void;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={!!file}
      onClose={onClose}
      title={s.deleteTitle}
      centered
      closeButtonProps={{ 'aria-label': s.dismissShort }}
    >
      {file && (
        <Stack>
          <Text>{s.deleteConfirm(file.fileName)}</Text>
          <Group justify="flex-end" gap="sm">
            <Button variant="default" onClick={onClose}>
              {s.deleteNo}
            </Button>
            <Button color="red.9" loading={busy} onClick={() => onConfirm(file)}>
              {s.deleteYes}
            </Button>
          </Group>
        </Stack>
      )}
    </Modal>
  );
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
