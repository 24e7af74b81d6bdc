import { Button, Group, Modal, Stack, Text } from '@mantine/core';
import type { ConfirmDeleteProps } from './parts';

/** Asks before a file is deleted (it leaves the answer too, and cannot be restored). */
export function ConfirmDeleteModal({
  file,
  s,
  busy,
  onConfirm,
  onClose,
}: ConfirmDeleteProps) {
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
