import { Checkbox, Group, NativeSelect, Radio, Stack, Textarea, TextInput } from '@mantine/core';
import type { Question } from '@dg/survey-model';
import { memo, type ReactNode } from 'react';
import { useController, useFormContext, type FieldValues } from 'react-hook-form';
import type { FormValue } from '../../../features/answers/form-values';
import { useLang } from '../../../i18n';
import type { Lang } from '../../../lib/dates';
import { useResponseText, type ResponseText } from '../text';

/**
 * One input per question type, each the accessible control of its kind (a labelled text input, a
 * radio group, a group of checkboxes, a select), each reporting its own changes with `onAnswer`.
 * Text and numbers are uncontrolled (react-hook-form `register`): typing re-renders nothing.
 * Choices are controlled (`useController`) and re-render only themselves.
 */
export interface FieldProps {
  x: Question;
  /** The form field name (`q_<id>`, or `q_<group>.<row>.f_<field>` in a list). */
  name: string;
  label: ReactNode;
  required: boolean;
  description?: ReactNode;
  error?: string;
  readOnly: boolean;
  /** Called after every change with the input's new value. */
  onAnswer: (value: FormValue) => void;
}

const NUMBER = new Intl.NumberFormat('en-US', { maximumFractionDigits: 6 });

/** The constraints a person needs to answer right the first time: unit, range, length. */
export function constraintsOf(x: Question, s: ResponseText, lang: Lang): string[] {
  const out: string[] = [];
  if (x.type === 'number' || x.type === 'percentage') {
    const min = x.type === 'percentage' ? Math.max(0, x.min ?? 0) : x.min;
    const max = x.type === 'percentage' ? Math.min(100, x.max ?? 100) : x.max;
    if (x.unit) out.push(s.unit(x.unit[lang]));
    if (min !== undefined && max !== undefined) out.push(s.range(NUMBER.format(min), NUMBER.format(max)));
    else if (min !== undefined) out.push(s.atLeast(NUMBER.format(min)));
    else if (max !== undefined) out.push(s.atMost(NUMBER.format(max)));
    if (x.integer) out.push(s.wholeNumber);
  } else if (x.type === 'text' && x.maxLength !== undefined) {
    out.push(s.maxLength(NUMBER.format(x.maxLength)));
  } else if (x.type === 'url') {
    out.push(s.urlHint);
  } else if (x.type === 'multiple_choice') {
    out.push(s.chooseMany);
  }
  return out;
}

/** Text, URL, number and percentage: uncontrolled inputs. */
export const TextField = memo(function TextField({ x, name, label, required, description, error, readOnly, onAnswer }: FieldProps) {
  const { register } = useFormContext<FieldValues>();
  const reg = register(name);
  const common = {
    ...reg,
    label,
    description,
    error,
    withAsterisk: required,
    'aria-required': required || undefined,
    readOnly,
    onChange: async (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => {
      await reg.onChange(e);
      onAnswer(e.target.value);
    },
  };
  // Long answers get a box that grows; names, e-mails and phone numbers stay one line.
  if (x.type === 'text' && (x.maxLength ?? 5000) > 300) {
    return <Textarea {...common} autosize minRows={2} maxRows={12} />;
  }
  if (x.type === 'number' || x.type === 'percentage') {
    const decimals = !(x.type === 'number' && x.integer);
    // A short box for a number; its label and description keep the full width.
    return <TextInput {...common} inputMode={decimals ? 'decimal' : 'numeric'} autoComplete="off" styles={{ input: { maxWidth: 320 } }} />;
  }
  if (x.type === 'url') {
    return <TextInput {...common} type="url" inputMode="url" placeholder="https://" autoComplete="url" />;
  }
  return <TextInput {...common} />;
});

/** Yes / no: two radios. */
export const YesNoField = memo(function YesNoField({ name, label, required, description, error, readOnly, onAnswer }: FieldProps) {
  const s = useResponseText();
  const { field } = useController<FieldValues>({ name });
  return (
    <Radio.Group
      name={name}
      label={label}
      description={description}
      error={error}
      withAsterisk={required}
      value={(field.value as string) ?? ''}
      readOnly={readOnly}
      onChange={(v) => {
        field.onChange(v);
        onAnswer(v);
      }}
    >
      <Group gap="xl" mt={6}>
        <Radio value="yes" label={s.yes} ref={field.ref} onBlur={field.onBlur} disabled={readOnly} />
        <Radio value="no" label={s.no} onBlur={field.onBlur} disabled={readOnly} />
      </Group>
    </Radio.Group>
  );
});

/** Options a person can read at a glance are radios; a long list (ministries, provinces) is a select. */
const RADIO_LIMIT = 7;

export const SingleChoiceField = memo(function SingleChoiceField(props: FieldProps) {
  const { x, name, label, required, description, error, readOnly, onAnswer } = props;
  const s = useResponseText();
  const lang = useLang();
  const { field } = useController<FieldValues>({ name });
  const options = x.options ?? [];
  const value = (field.value as string) ?? '';
  if (options.length > RADIO_LIMIT) {
    return (
      <NativeSelect
        label={label}
        description={description}
        error={error}
        withAsterisk={required}
        aria-required={required || undefined}
        name={name}
        ref={field.ref}
        value={value}
        disabled={readOnly}
        onBlur={field.onBlur}
        onChange={(e) => {
          field.onChange(e.currentTarget.value);
          onAnswer(e.currentTarget.value);
        }}
        data={[{ value: '', label: s.choose }, ...options.map((o) => ({ value: o.value, label: o.label[lang] }))]}
        styles={{ input: { maxWidth: 560 } }}
      />
    );
  }
  return (
    <Radio.Group
      name={name}
      label={label}
      description={description}
      error={error}
      withAsterisk={required}
      value={value}
      readOnly={readOnly}
      onChange={(v) => {
        field.onChange(v);
        onAnswer(v);
      }}
    >
      <Stack gap={8} mt={6}>
        {options.map((o, i) => (
          <Radio
            key={o.value}
            value={o.value}
            label={o.label[lang]}
            ref={i === 0 ? field.ref : undefined}
            onBlur={field.onBlur}
            disabled={readOnly}
          />
        ))}
      </Stack>
    </Radio.Group>
  );
});

export const MultipleChoiceField = memo(function MultipleChoiceField(props: FieldProps) {
  const { x, name, label, required, description, error, readOnly, onAnswer } = props;
  const lang = useLang();
  const { field } = useController<FieldValues>({ name });
  const value = Array.isArray(field.value) ? (field.value as string[]) : [];
  return (
    <Checkbox.Group
      label={label}
      description={description}
      error={error}
      withAsterisk={required}
      value={value}
      readOnly={readOnly}
      onChange={(v) => {
        // In the questionnaire's order, whatever order they were ticked in.
        const order = (x.options ?? []).map((o) => o.value);
        const sorted = [...v].sort((a, b) => order.indexOf(a) - order.indexOf(b));
        field.onChange(sorted);
        onAnswer(sorted);
      }}
    >
      <Stack gap={8} mt={6}>
        {(x.options ?? []).map((o, i) => (
          <Checkbox
            key={o.value}
            value={o.value}
            label={o.label[lang]}
            ref={i === 0 ? field.ref : undefined}
            onBlur={field.onBlur}
            disabled={readOnly}
          />
        ))}
      </Stack>
    </Checkbox.Group>
  );
});
