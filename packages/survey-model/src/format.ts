import { z } from 'zod';
import { CONDITION_NEEDS_OPERATOR, ID_FORMAT } from './labels';

/**
 * The questionnaire format, version 1. A questionnaire is data that DGA authors per cycle, so the
 * schemas are strict (an unknown or misspelt key is an error, not silently dropped) and carry
 * descriptions that end up in the published JSON Schema for editors.
 *
 * Defaults (required = false, text maxLength 5000, ...) live in the validators, not in the schemas,
 * so a parsed questionnaire is exactly what was authored and the types keep optional keys optional.
 */

/** Ids are used as answer keys and in paths such as `q3[2].name`, so keep them plain. */
const Id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, ID_FORMAT)
  .meta({ description: 'Stable identifier: letters, digits, _ . - ; unique within the questionnaire' });

/** Every text the respondent reads, Thai first, English second. */
export const Text = z
  .strictObject({ th: z.string().min(1), en: z.string().min(1) })
  .meta({ id: 'Text', description: 'Text in Thai (th) and English (en)' });
export type Text = z.infer<typeof Text>;

export const QuestionType = z
  .enum([
    'yes_no',
    'single_choice',
    'multiple_choice',
    'number',
    'percentage',
    'text',
    'url',
    'evidence',
    'repeating_group',
  ])
  .meta({ description: 'Kind of answer the question takes' });
export type QuestionType = z.infer<typeof QuestionType>;

/**
 * When a question is shown. Declared by hand because it is recursive (all / any / not).
 * For a multiple_choice question, `equals: 'x'` means "x is among the chosen" and `in` means
 * "any of these is among the chosen".
 */
export type Condition =
  | { question: string; equals: string | number | boolean }
  | { question: string; in: (string | number)[] }
  | { question: string; answered: boolean }
  | { question: string; gt?: number; gte?: number; lt?: number; lte?: number }
  | { all: Condition[] }
  | { any: Condition[] }
  | { not: Condition };

// Getters make the recursion lazy in a way z.toJSONSchema() turns into a $ref to $defs/Condition.
export const Condition: z.ZodType<Condition> = z
  .union([
    z.strictObject({ question: Id, equals: z.union([z.string(), z.number(), z.boolean()]) }),
    z.strictObject({ question: Id, in: z.array(z.union([z.string(), z.number()])).min(1) }),
    z.strictObject({ question: Id, answered: z.boolean() }),
    z
      .strictObject({
        question: Id,
        gt: z.number().optional(),
        gte: z.number().optional(),
        lt: z.number().optional(),
        lte: z.number().optional(),
      })
      .refine((c) => [c.gt, c.gte, c.lt, c.lte].some((b) => b !== undefined), CONDITION_NEEDS_OPERATOR),
    z.strictObject({
      get all() {
        return z.array(Condition).min(1);
      },
    }),
    z.strictObject({
      get any() {
        return z.array(Condition).min(1);
      },
    }),
    z.strictObject({
      get not() {
        return Condition;
      },
    }),
  ])
  .meta({
    id: 'Condition',
    description: 'Show the question only when this holds (and the questions it names are shown)',
  });

/**
 * How a question earns points (the scoring engine reads this). Kept in the format from the start so
 * a questionnaire authored now can be scored later without a new format version.
 */
export const Rubric = z
  .discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('yes_no'), yes: z.number(), no: z.number() }),
    z.strictObject({
      kind: z.literal('choice'),
      points: z
        .record(z.string(), z.number())
        .meta({ description: 'Points per option value; options not named earn 0' }),
      cap: z
        .number()
        .nonnegative()
        .optional()
        .meta({ description: 'multiple_choice: the sum is capped at this' }),
    }),
    z.strictObject({
      kind: z.literal('range'),
      bands: z
        .array(z.strictObject({ min: z.number().optional(), max: z.number().optional(), points: z.number() }))
        .min(1)
        .meta({
          description:
            'Tried in order; the first band with min <= value < max wins (min inclusive, max exclusive)',
        }),
    }),
    z.strictObject({
      kind: z.literal('count'),
      perItem: z.number(),
      cap: z.number().nonnegative().meta({ description: 'Most points the list can earn' }),
    }),
    z.strictObject({
      kind: z.literal('evidence'),
      points: z.number(),
      requireAccepted: z
        .boolean()
        .optional()
        .meta({ description: 'Only evidence the operator accepted earns the points' }),
    }),
  ])
  .meta({ id: 'Rubric', description: 'How the question is scored' });
export type Rubric = z.infer<typeof Rubric>;

export const Option = z.strictObject({ value: Id, label: Text });
export type Option = z.infer<typeof Option>;

export const EvidenceSpec = z.strictObject({
  accept: z.array(z.string().regex(/^[a-z]+\/[a-z0-9.+-]+$/, 'a MIME type such as application/pdf')).min(1),
  maxFiles: z.int().min(1),
});
export type EvidenceSpec = z.infer<typeof EvidenceSpec>;

/**
 * single_choice: the answer starts as the agency's own record in the registry, so the profile is
 * never asked again in other codes: the options are the registry's codes (kind, ministry code,
 * ISO 3166-2:TH province code). The coordinator may still change it.
 */
export const Prefill = z
  .enum(['agency.kind', 'agency.ministry', 'agency.province'])
  .meta({
    description:
      "single_choice: pre-answered from the agency's registry record (kind, ministry code, province code); the options use the registry's codes",
  });
export type Prefill = z.infer<typeof Prefill>;

/** One flat shape for every type; validateDefinition checks which keys fit which type. */
export const Question = z
  .strictObject({
    id: Id,
    type: QuestionType,
    text: Text,
    help: Text.optional(),
    required: z.boolean().optional().meta({ description: 'Must be answered when shown (default false)' }),
    prefill: Prefill.optional(),
    visibleIf: Condition.optional(),
    options: z.array(Option).optional().meta({ description: 'single_choice / multiple_choice' }),
    unit: Text.optional().meta({ description: 'number / percentage' }),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().optional().meta({ description: 'number: whole numbers only' }),
    maxLength: z.int().min(1).optional().meta({ description: 'text: most characters (default 5000)' }),
    minItems: z.int().min(0).optional().meta({ description: 'repeating_group: fewest rows when answered' }),
    maxItems: z.int().min(1).optional().meta({ description: 'repeating_group: most rows (default 500)' }),
    get fields(): z.ZodOptional<z.ZodArray<typeof Question>> {
      return z
        .array(Question)
        .optional()
        .meta({ description: 'repeating_group: the columns of a row; simple types only' });
    },
    evidence: EvidenceSpec.optional().meta({ description: 'evidence: accepted MIME types and most files' }),
    rubric: Rubric.optional(),
    weight: z.number().optional().meta({ description: 'Weight within its indicator (default 1)' }),
    personalData: z.boolean().optional().meta({
      description:
        'The answer is personal data under the PDPA (a name, phone number, e-mail, LINE id): left out of exports for roles that do not need it',
    }),
  })
  .meta({ id: 'Question' });
export type Question = z.infer<typeof Question>;

export const Indicator = z
  .strictObject({ id: Id, title: Text, weight: z.number().optional(), questions: z.array(Question).min(1) })
  .meta({ id: 'Indicator' });
export type Indicator = z.infer<typeof Indicator>;

export const Pillar = z
  .strictObject({
    id: Id,
    number: z.int().min(1).max(6),
    title: Text,
    weight: z.number().optional(),
    indicators: z.array(Indicator).min(1),
  })
  .meta({ id: 'Pillar' });
export type Pillar = z.infer<typeof Pillar>;

export const Questionnaire = z
  .strictObject({
    $schema: z.string().optional().meta({ description: 'Editors only: where to find this JSON Schema' }),
    formatVersion: z.literal(1),
    id: Id,
    version: z.int().min(1),
    cycleYear: z.int().min(2500).max(2700).meta({ description: 'Buddhist Era year of the cycle, e.g. 2565' }),
    title: Text,
    description: Text.optional(),
    sample: z.boolean().optional().meta({ description: 'A sample, not an official questionnaire' }),
    general: z
      .strictObject({ title: Text, questions: z.array(Question) })
      .meta({ description: 'About the agency and its coordinator; never scored' }),
    pillars: z.array(Pillar).min(1),
  })
  .meta({
    title: 'Digital government readiness questionnaire',
    description:
      'แบบสำรวจระดับความพร้อมรัฐบาลดิจิทัล: one cycle’s questionnaire as data (pillars -> indicators -> questions). ' +
      'Check a file with validateDefinition() from @dg/survey-model: this schema checks the shape, validateDefinition also checks ids, references and rubrics.',
  });
export type Questionnaire = z.infer<typeof Questionnaire>;

/** A repeating-group row: field id -> value (`null` clears the cell). */
export type RowValue = Record<string, boolean | number | string | string[] | null>;
/** repeating_group: rows keyed by field id; evidence: ids (uuid) of the uploaded files. */
export type AnswerValue = boolean | number | string | string[] | RowValue[];
/** Answers keyed by question id; `null` clears an answer. */
export type Answers = Record<string, AnswerValue | null>;
