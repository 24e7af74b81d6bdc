import { Stack, Text } from '@mantine/core';
import type { Question } from '@dg/survey-model';
import { memo, type ReactNode } from 'react';
import { useController, type FieldValues } from 'react-hook-form';
import { useResponseText } from '../text';

export interface EvidenceFieldProps {
  cycleId: string;
  agencyId: string;
  x: Question;
  /** The form field name; its value is the list of evidence ids the answer names. */
  name: string;
  label: ReactNode;
  required: boolean;
  description?: ReactNode;
  error?: string;
  readOnly: boolean;
  /** Called with the new list of evidence ids after an upload or a removal. */
  onAnswer: (ids: string[]) => void;
}

/**
 * An evidence question: the files named by the answer. Uploading, listing and downloading files
 * is the evidence component's (`../evidence/`); it takes these props and reports the answer's new
 * list of ids through `onAnswer`, which autosave then saves like any other answer.
 */
export const EvidenceField = memo(function EvidenceField({ name, label, required, description, error }: EvidenceFieldProps) {
  const s = useResponseText();
  const { field } = useController<FieldValues>({ name });
  const ids = Array.isArray(field.value) ? (field.value as string[]) : [];
  return (
    <Stack gap={4}>
      <Text fw={500}>
        {label}
        {required && (
          <Text component="span" c="red.8" aria-hidden>
            {' *'}
          </Text>
        )}
      </Text>
      {description && (
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      )}
      <Text size="sm">{ids.length ? s.evidenceFiles(ids.length) : s.evidenceNone}</Text>
      {error && (
        <Text size="sm" c="red.8">
          {error}
        </Text>
      )}
    </Stack>
  );
});
