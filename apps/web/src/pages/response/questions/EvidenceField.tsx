import { Stack, Text } from '@mantine/core';
import type { Question } from '@dg/survey-model';
import { memo, useId, type ReactNode } from 'react';
import { useController, type FieldValues } from 'react-hook-form';
import { EvidenceFiles } from '../evidence/EvidenceFiles';

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
  /** The upload and file list (`../evidence/`), when there is one. */
  children?: ReactNode;
}

/**
 * An evidence question: the files named by the answer. Uploading, listing and downloading files
 * is the evidence component's (`../evidence/`); it takes these props and reports the answer's new
 * list of ids through `onAnswer`, which autosave then saves like any other answer.
 */
export const EvidenceField = memo(function EvidenceField({
  cycleId,
  agencyId,
  x,
  name,
  label,
  required,
  description,
  error,
  readOnly,
  onAnswer,
  children,
}: EvidenceFieldProps) {
  const id = useId();
  const { field } = useController<FieldValues>({ name });
  const ids = Array.isArray(field.value) ? (field.value as string[]) : [];
  return (
    <Stack gap={4} role="group" aria-labelledby={`${id}-label`} aria-describedby={error ? `${id}-error` : undefined}>
      <Text fw={500} id={`${id}-label`}>
        {label}
        {required && (
          <Text component="span" c="red.9" aria-hidden>
            {' *'}
          </Text>
        )}
      </Text>
      {description && (
        <Text size="sm" c="dimmed">
          {description}
        </Text>
      )}
      {children ?? (
        <EvidenceFiles
          cycleId={cycleId}
          agencyId={agencyId}
          question={x}
          ids={ids}
          readOnly={readOnly}
          questionLabel={typeof label === 'string' ? label : undefined}
          onAnswer={(next) => {
            field.onChange(next);
            onAnswer(next);
          }}
        />
      )}
      {error && (
        <Text size="sm" c="red.9" id={`${id}-error`}>
          {error}
        </Text>
      )}
    </Stack>
  );
});
