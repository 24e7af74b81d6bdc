// Renders a template (Thai or English) with Handlebars, and checks an edited template before it
// is stored. The HTML body is HTML-escaped (Handlebars' default); the subject, the plain text and
// the LINE text are not (they are not HTML, and escaping would show `&amp;` to the reader).
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import type { HelperOptions } from 'handlebars';
import type { TemplateBody, TemplateKey } from '@dg/contracts';
import { sampleVariables, TEMPLATE_VARIABLES } from './defaults';
import { bangkokTime, englishDate, isThaiDateStyle, thaiDate, thaiDigits } from './thai-date';

export type TemplateLanguage = 'th' | 'en';
export type TemplatePart = keyof TemplateBody;

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  line: string;
}

/** One problem in a template; the shape of the contracts' `FieldError` (path, code, message, messageTh). */
export interface TemplateProblem {
  /** `<part>.<language>`, e.g. `html.th`. */
  path: string;
  code:
    | 'TEMPLATE_SYNTAX'
    | 'TEMPLATE_UNKNOWN_HELPER'
    | 'TEMPLATE_UNKNOWN_VARIABLE'
    | 'TEMPLATE_UNSAFE_HTML'
    | 'TEMPLATE_RENDER'
    | 'TEMPLATE_TOO_LONG';
  message: string;
  messageTh: string;
}

/** The most characters LINE accepts in one text message. */
export const LINE_TEXT_MAX = 5000;

const PARTS: readonly TemplatePart[] = ['subject', 'html', 'text', 'line'];
const LANGUAGES: readonly TemplateLanguage[] = ['th', 'en'];
const CACHE_MAX = 500;

/** Handlebars' own block helpers plus ours. */
const BUILT_IN_HELPERS = ['if', 'unless', 'each', 'with', 'lookup', 'log'] as const;
const HELPERS = ['thaiDate', 'enDate', 'time', 'thaiDigits', 'eq'] as const;
const KNOWN_HELPERS: Record<string, boolean> = Object.fromEntries(
  [...BUILT_IN_HELPERS, ...HELPERS].map((h) => [h, true]),
);
/** Helpers whose block runs in another context (`this` changes), so names inside are not template variables. */
const CONTEXT_CHANGING = new Set(['each', 'with']);

type Mode = 'html' | 'plain';
type Compiled = (context: unknown) => string;

const isEmpty = (v: unknown): boolean => v === undefined || v === null || v === '';
const isScalar = (v: unknown): v is string | number | boolean | bigint =>
  typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint';

/** Splits a helper call's arguments from the Handlebars options object it always receives last. */
function split(args: unknown[]): { params: unknown[]; options: HelperOptions } {
  return { params: args.slice(0, -1), options: args[args.length - 1] as HelperOptions };
}

function asDateInput(helper: string, value: unknown): Date | string {
  if (value instanceof Date || typeof value === 'string') return value;
  throw new RangeError(`${helper}: expected a date (ISO 8601 string), got ${typeof value}`);
}

@Injectable()
export class TemplateRenderer {
  private readonly hbs = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();

  constructor() {
    // {{thaiDate deadline}}, {{thaiDate deadline "short"}}, {{thaiDate deadline "long-thai-digits" withTime=true}}
    this.hbs.registerHelper('thaiDate', (...args: unknown[]) => {
      const { params, options } = split(args);
      const [value, style = 'long'] = params;
      if (!isThaiDateStyle(style))
        throw new RangeError(`thaiDate: unknown style "${String(style)}" (long, short, long-thai-digits)`);
      if (isEmpty(value)) return '';
      return thaiDate(asDateInput('thaiDate', value), style, options.hash?.withTime === true);
    });
    // {{enDate deadline}}, {{enDate deadline withTime=true}}
    this.hbs.registerHelper('enDate', (...args: unknown[]) => {
      const { params, options } = split(args);
      if (isEmpty(params[0])) return '';
      return englishDate(asDateInput('enDate', params[0]), options.hash?.withTime === true);
    });
    // {{time briefingEndsAt}} → 12:00 (Bangkok); {{time briefingEndsAt thaiDigits=true}} → ๑๒:๐๐
    this.hbs.registerHelper('time', (...args: unknown[]) => {
      const { params, options } = split(args);
      if (isEmpty(params[0])) return '';
      return bangkokTime(asDateInput('time', params[0]), options.hash?.thaiDigits === true);
    });
    // {{thaiDigits cycleYearBE}} → ๒๕๖๕
    this.hbs.registerHelper('thaiDigits', (...args: unknown[]) => {
      const { params } = split(args);
      const value = params[0];
      if (isEmpty(value)) return '';
      return thaiDigits(typeof value === 'number' ? value : String(value as string));
    });
    // {{#if (eq daysLeft 0)}}: equal, or equal once both are strings (7 and "7").
    this.hbs.registerHelper('eq', (...args: unknown[]) => {
      const [a, b] = split(args).params;
      return a === b || (isScalar(a) && isScalar(b) && String(a) === String(b));
    });
  }

  render(
    body: TemplateBody,
    language: TemplateLanguage,
    variables: Record<string, unknown>,
  ): RenderedMessage {
    return {
      subject: this.subject(body, language, variables),
      html: this.compiled(body.html[language], 'html')(variables),
      text: tidy(this.compiled(body.text[language], 'plain')(variables)),
      line: tidy(this.compiled(body.line[language], 'plain')(variables)),
    };
  }

  /** The subject alone (the delivery log shows it for every row). */
  subject(body: TemplateBody, language: TemplateLanguage, variables: Record<string, unknown>): string {
    return this.compiled(body.subject[language], 'plain')(variables).replace(/\s+/g, ' ').trim();
  }

  /**
   * Every problem of a template, to refuse a bad edit: syntax errors, unknown helpers, raw
   * (`{{{ }}}`) output in the HTML, a rendering failure with sample variables, a LINE text over
   * 5,000 characters, and, when the key is given, variables the key does not provide.
   */
  check(body: TemplateBody, key?: TemplateKey): TemplateProblem[] {
    const problems: TemplateProblem[] = [];
    const known = key ? new Set(Object.keys(TEMPLATE_VARIABLES[key])) : undefined;
    const samples = sampleVariables(key);
    for (const part of PARTS) {
      for (const language of LANGUAGES) {
        const path = `${part}.${language}`;
        const source = body[part][language];
        const mode: Mode = part === 'html' ? 'html' : 'plain';
        let ast: hbs.AST.Program;
        try {
          ast = this.hbs.parse(source);
          this.hbs.precompile(source, {
            strict: false,
            knownHelpers: KNOWN_HELPERS,
            knownHelpersOnly: true,
            noEscape: mode === 'plain',
          });
        } catch (err) {
          problems.push(compileProblem(path, err));
          continue;
        }
        problems.push(...inspect(path, ast, mode, known));
        let output: string;
        try {
          output = this.compiled(source, mode)(samples);
        } catch (err) {
          const message = err instanceof Error ? err.message : String(err);
          problems.push({
            path,
            code: 'TEMPLATE_RENDER',
            message: `${path}: cannot be rendered with sample values: ${message}`,
            messageTh: `แม่แบบ ${path} แสดงผลด้วยข้อมูลตัวอย่างไม่ได้: ${message}`,
          });
          continue;
        }
        if (part === 'line' && tidy(output).length > LINE_TEXT_MAX) {
          problems.push({
            path,
            code: 'TEMPLATE_TOO_LONG',
            message: `${path}: the LINE text is ${tidy(output).length} characters with sample values; LINE accepts at most ${LINE_TEXT_MAX}`,
            messageTh: `ข้อความ LINE (${path}) ยาว ${tidy(output).length} ตัวอักษรเมื่อใส่ข้อมูลตัวอย่าง เกินกว่าที่ LINE รับได้ (${LINE_TEXT_MAX} ตัวอักษร)`,
          });
        }
      }
    }
    return problems;
  }

  private compiled(source: string, mode: Mode): Compiled {
    const hash = createHash('sha256').update(mode).update('\0').update(source).digest('hex');
    let fn = this.cache.get(hash);
    if (!fn) {
      fn = this.hbs.compile(source, {
        strict: false,
        noEscape: mode === 'plain',
        knownHelpers: KNOWN_HELPERS,
      });
      if (this.cache.size >= CACHE_MAX) this.cache.delete(this.cache.keys().next().value as string);
      this.cache.set(hash, fn);
    }
    return fn;
  }
}

/** Blank lines left by empty optional sections: at most one in a row, none at either end. */
function tidy(s: string): string {
  return s
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function compileProblem(path: string, err: unknown): TemplateProblem {
  const message = err instanceof Error ? err.message : String(err);
  const helper = /unknown helper (\S+)/.exec(message);
  if (helper) {
    return {
      path,
      code: 'TEMPLATE_UNKNOWN_HELPER',
      message: `${path}: unknown helper "${helper[1]}" (known: ${HELPERS.join(', ')}, and ${BUILT_IN_HELPERS.join(', ')})`,
      messageTh: `แม่แบบ ${path} เรียกใช้ตัวช่วย "${helper[1]}" ซึ่งไม่มีในระบบ (ใช้ได้: ${HELPERS.join(', ')}, ${BUILT_IN_HELPERS.join(', ')})`,
    };
  }
  const line = /on line (\d+)/.exec(message)?.[1] ?? /- (\d+):\d+$/.exec(message)?.[1];
  return {
    path,
    code: 'TEMPLATE_SYNTAX',
    message: `${path}: ${message}`,
    messageTh: `แม่แบบ ${path} เขียนไม่ถูกต้องตามรูปแบบ Handlebars${line ? ` (บรรทัดที่ ${line})` : ''}: ${message}`,
  };
}

/** Walks the syntax tree for raw HTML output and, when `known` is given, names that are not variables of the key. */
function inspect(
  path: string,
  program: hbs.AST.Program,
  mode: Mode,
  known: Set<string> | undefined,
): TemplateProblem[] {
  const problems: TemplateProblem[] = [];
  const reported = new Set<string>();
  const helpers = new Set<string>([...BUILT_IN_HELPERS, ...HELPERS]);

  const variable = (node: hbs.AST.Node, scoped: boolean): void => {
    if (!known || scoped || node.type !== 'PathExpression') return;
    const p = node as hbs.AST.PathExpression;
    if (p.data || p.depth > 0 || p.parts.length === 0) return; // @index, @root, ../x, this
    const name = p.parts[0];
    if (known.has(name) || reported.has(name)) return;
    reported.add(name);
    problems.push({
      path,
      code: 'TEMPLATE_UNKNOWN_VARIABLE',
      message: `${path}: unknown variable "${name}" (available: ${[...known].join(', ')})`,
      messageTh: `แม่แบบ ${path} ใช้ตัวแปร "${name}" ซึ่งไม่มีในข้อความประเภทนี้ (ใช้ได้: ${[...known].join(', ')})`,
    });
  };
  const args = (params: hbs.AST.Expression[], hash: hbs.AST.Hash | undefined, scoped: boolean): void => {
    for (const param of params) expression(param, scoped);
    for (const pair of hash?.pairs ?? []) expression(pair.value, scoped);
  };
  const expression = (node: hbs.AST.Node, scoped: boolean): void => {
    if (node.type === 'SubExpression') {
      const sub = node as hbs.AST.SubExpression;
      args(sub.params, sub.hash, scoped);
    } else variable(node, scoped);
  };
  const isHelper = (node: hbs.AST.Node): boolean =>
    node.type === 'PathExpression' && helpers.has((node as hbs.AST.PathExpression).original);

  const walk = (prog: hbs.AST.Program | undefined, scoped: boolean): void => {
    for (const statement of prog?.body ?? []) {
      if (statement.type === 'MustacheStatement') {
        const m = statement as hbs.AST.MustacheStatement;
        if (mode === 'html' && !m.escaped) {
          problems.push({
            path,
            code: 'TEMPLATE_UNSAFE_HTML',
            message: `${path}: line ${m.loc.start.line}: {{{ }}} and {{& }} print a value without HTML escaping; use {{ }}`,
            messageTh: `แม่แบบ ${path} บรรทัดที่ ${m.loc.start.line} ใช้ {{{ }}} หรือ {{& }} ซึ่งแสดงค่าโดยไม่กรอง HTML โปรดใช้ {{ }}`,
          });
        }
        if (isHelper(m.path)) args(m.params, m.hash, scoped);
        else variable(m.path, scoped);
      } else if (statement.type === 'BlockStatement') {
        const b = statement as hbs.AST.BlockStatement;
        if (isHelper(b.path)) {
          args(b.params, b.hash, scoped);
          walk(b.program, scoped || CONTEXT_CHANGING.has(b.path.original));
        } else {
          variable(b.path, scoped); // {{#documents}}…{{/documents}}: a section over a variable
          walk(b.program, true);
        }
        walk(b.inverse, scoped);
      }
    }
  };
  walk(program, false);
  return problems;
}
