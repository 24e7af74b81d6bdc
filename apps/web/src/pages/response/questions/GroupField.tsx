import { Button, Group, Paper, Stack, Text } from '@mantine/core';
import type { Question } from '@dg/survey-model';
import { memo, useCallback, useRef, type ReactNode } from 'react';
import { useFieldArray, useFormContext, type FieldValues } from 'react-hook-form';
import { cellName, toFormValue, type FormRow, type FormValue } from '../../../features/answers/form-values';
import { fieldMessage } from '../../../features/answers/messages';
import type { FieldProblem } from '../../../features/answers/queue';
import { useLang } from '../../../i18n';
import { useResponseText } from '../text';
import { constraintsOf, MultipleChoiceField, SingleChoiceField, TextField, YesNoField, type FieldProps } from './fields';

interface GroupFieldProps {
  x: Question;
  name: string;
  label: ReactNode;
  required: boolean;
  description?: ReactNode;
  /** Problems of the whole list and of its cells (paths `id[row].field`). */
  problems: readonly FieldProblem[];
  readOnly: boolean;
  onAnswer: (value: FormValue) => void;
}

/**
 * A repeating group: one fieldset per row ("แถวที่ 2"), its cells the simple inputs of their
 * types, rows added and removed with buttons. Rows are cards, not a table, so a row of five
 * fields still reads on a 360 px phone.
 */
export const GroupField = memo(function GroupField({ x, name, label, required, description, problems, readOnly, onAnswer }: GroupFieldProps) {
  const s = useResponseText();
  const lang = useLang();
  const { control, getValues } = useFormContext<FieldValues>();
  const { fields, append, remove } = useFieldArray({ control, name });
  const addRef = useRef<HTMLButtonElement>(null);
  const maxItems = x.maxItems ?? 500;
  const cells = x.fields ?? [];

  const notify = useCallback(() => onAnswer(getValues(name) as FormRow[]), [getValues, name, onAnswer]);
  // A cell reports its own value; the answer is the whole list as the form now holds it.
  const onCell = useCallback(() => notify(), [notify]);

  const listErrors = problems.filter((p) => !/\[\d+\]\./.test(p.path));
  const cellError = (row: number, fieldId: string): string | undefined => {
    const mine = problems.filter((p) => p.path === `${x.id}[${row}].${fieldId}`);
    return mine.length ? mine.map((p) => fieldMessage(p, x, lang, 'cell')).join(' ') : undefined;
  };
  const errorId = `${name}-error`;

  return (
    <Stack gap="sm" component="fieldset" style={{ border: 0, padding: 0, margin: 0, minWidth: 0 }} aria-describedby={listErrors.length ? errorId : undefined}>
      <Text component="legend" fw={500} style={{ padding: 0 }}>
        {label}
        {required && (
          <Text component="span" c="red.9" aria-hidden>
            {' *'}
          </Text>
        )}
      </Text>
      {description && (
        <Text size="sm" c="dimmed" mt={-6}>
          {description}
        </Text>
      )}
      {fields.length === 0 && <Text size="sm">{s.noRows}</Text>}
      {fields.map((row, i) => (
        <Paper key={row.id} withBorder p="sm" radius="sm" component="fieldset" style={{ minWidth: 0 }}>
          <Text component="legend" fw={700} size="sm" px={4}>
            {s.rowLegend(i + 1)}
          </Text>
          <Stack gap="sm">
            {cells.map((f) => {
              const props: FieldProps = {
                x: f,
                name: `${name}.${i}.${cellName(f.id)}`,
                label: f.text[lang],
                required: !!f.required,
                description: constraintsOf(f, s, lang).join(' · ') || undefined,
                error: cellError(i, f.id),
                readOnly,
                onAnswer: onCell,
              };
              return <Cell key={f.id} {...props} />;
            })}
            {!readOnly && (
              <Group justify="flex-end">
                <Button
                  variant="subtle"
                  color="red"
                  c="red.9"
                  size="compact-sm"
                  onClick={() => {
                    remove(i);
                    notify();
                    addRef.current?.focus();
                  }}
                >
                  {s.removeRow(i + 1)}
                </Button>
              </Group>
            )}
          </Stack>
        </Paper>
      ))}
      {!readOnly && (
        <Group>
          <Button
            ref={addRef}
            variant="light"
            disabled={fields.length >= maxItems}
            onClick={() => {
              const empty: FormRow = {};
              for (const f of cells) empty[cellName(f.id)] = toFormValue(f, null) as string | string[];
              append(empty, { shouldFocus: true });
              notify();
            }}
          >
            {s.addRow}
          </Button>
          <Text size="sm" c="dimmed">
            {fields.length >= maxItems ? s.maxRowsReached(maxItems) : s.rowsCount(fields.length)}
          </Text>
        </Group>
      )}
      {listErrors.length > 0 && (
        <Text id={errorId} size="sm" c="red.9">
          {listErrors.map((p) => fieldMessage(p, x, lang)).join(' ')}
        </Text>
      )}
    </Stack>
  );
});

function Cell(props: FieldProps) {
  switch (props.x.type) {
    case 'yes_no':
      return <YesNoField {...props} />;
    case 'single_choice':
      return <SingleChoiceField {...props} />;
    case 'multiple_choice':
      return <MultipleChoiceField {...props} />;
    case 'number':
    case 'percentage':
    case 'text':
    case 'url':
      return <TextField {...props} />;
    case 'evidence':
    case 'repeating_group':
      return null; // not a field of a list (validateDefinition refuses it)
  }
}
