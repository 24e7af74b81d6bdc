import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import {
  DomainError,
  type RpcRequestParsed,
  Rpc,
  type Template,
  type TemplateBody,
  type TemplateKey,
} from '@dg/contracts';
import { type CallContext, requireRole } from '@dg/platform';
import { DEFAULT_TEMPLATES, sampleVariables, TEMPLATE_VARIABLES } from './defaults';
import { TemplateRenderer } from './renderer';

const CACHE_MS = 5_000;
const LINE_MAX = 5000;

export interface RenderedMessage {
  subject: string;
  html: string;
  text: string;
  line: string;
}

/**
 * Message templates: the shipped defaults until DGA edits one (then versioned, history kept).
 * Messages go out Thai first, English second, in one e-mail or LINE message.
 */
@Injectable()
export class TemplatesService {
  private readonly cache = new Map<TemplateKey, { at: number; template: Template }>();

  constructor(
    private readonly ds: DataSource,
    private readonly renderer: TemplateRenderer,
  ) {}

  async get(key: TemplateKey, ctx: CallContext): Promise<Template> {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    return this.current(key);
  }

  async put(
    key: TemplateKey,
    input: RpcRequestParsed<typeof Rpc.TemplatePut>['template'],
    ctx: CallContext,
  ): Promise<Template> {
    requireRole(ctx.actor, 'dga_admin');
    const { version, ...body } = input;
    const problems = this.renderer.check(body, key);
    if (problems.length) throw new DomainError('TEMPLATE_INVALID', undefined, problems);
    const saved = await this.ds.transaction(async (m) => {
      // The first edit of a default has no row to lock: serialise edits of a key explicitly.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('template:' || $1))`, [key]);
      const rows = (await m.query(`SELECT version FROM templates WHERE key = $1`, [key])) as {
        version: number;
      }[];
      const current = rows[0]?.version ?? 1;
      if (version !== current) {
        throw new DomainError('TEMPLATE_VERSION_CONFLICT', undefined, undefined, { currentVersion: current });
      }
      const next = current + 1;
      await m.query(
        `INSERT INTO templates (key, version, body, updated_by) VALUES ($1, $2, $3, $4)
         ON CONFLICT (key) DO UPDATE SET version = $2, body = $3, updated_by = $4, updated_at = now()`,
        [key, next, JSON.stringify(body), ctx.actor.id],
      );
      await m.query(`INSERT INTO template_history (key, version, body, updated_by) VALUES ($1, $2, $3, $4)`, [
        key,
        next,
        JSON.stringify(body),
        ctx.actor.id,
      ]);
      return next;
    });
    this.cache.delete(key);
    const template = await this.current(key);
    if (template.version !== saved) throw new DomainError('TEMPLATE_VERSION_CONFLICT');
    return template;
  }

  async preview(req: RpcRequestParsed<typeof Rpc.TemplatePreview>, ctx: CallContext) {
    requireRole(ctx.actor, 'dga_admin', 'operator');
    const body = req.template ?? (await this.current(req.key));
    if (req.template) {
      const problems = this.renderer.check(req.template, req.key);
      if (problems.length) throw new DomainError('TEMPLATE_INVALID', undefined, problems);
    }
    return this.renderer.render(body, req.language, { ...sampleVariables(req.key), ...req.variables });
  }

  /** What a delivery sends: the Thai text, then the English. */
  async render(key: TemplateKey, variables: Record<string, unknown>): Promise<RenderedMessage> {
    const body = await this.current(key);
    const th = this.renderer.render(body, 'th', variables);
    const en = this.renderer.render(body, 'en', variables);
    const line = `${th.line}\n\n${en.line}`;
    return {
      subject: `${th.subject} | ${en.subject}`,
      html: `${th.html}\n<hr style="margin:24px 0;border:none;border-top:1px solid #ccc">\n${en.html}`,
      text: `${th.text}\n\n----------\n\n${en.text}`,
      line: line.length <= LINE_MAX ? line : th.line.slice(0, LINE_MAX),
    };
  }

  /** A message's e-mail subject alone (Thai | English), for the delivery log. */
  async subject(key: TemplateKey, variables: Record<string, unknown>): Promise<string> {
    const body = await this.current(key);
    return `${this.renderer.subject(body, 'th', variables)} | ${this.renderer.subject(body, 'en', variables)}`;
  }

  private async current(key: TemplateKey): Promise<Template> {
    const hit = this.cache.get(key);
    if (hit && Date.now() - hit.at < CACHE_MS) return hit.template;
    const rows = (await this.ds.query(
      `SELECT version, body, updated_by AS "updatedBy", updated_at AS "updatedAt" FROM templates WHERE key = $1`,
      [key],
    )) as { version: number; body: TemplateBody; updatedBy: string; updatedAt: Date }[];
    const row = rows[0];
    const template: Template = {
      key,
      ...(row ? row.body : DEFAULT_TEMPLATES[key]),
      version: row?.version ?? 1,
      isDefault: !row,
      variables: TEMPLATE_VARIABLES[key],
      updatedBy: row?.updatedBy ?? null,
      updatedAt: row ? new Date(row.updatedAt).toISOString() : null,
    };
    this.cache.set(key, { at: Date.now(), template });
    return template;
  }
}
