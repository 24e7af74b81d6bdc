import { applyDecorators, Injectable, PipeTransform } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import type { z } from 'zod';
import { Channel, DomainError, TemplateKey } from '@dg/contracts';

/**
 * Validates a path segment against one of the contract's enums. Unlike a malformed id (which is
 * 404: no such resource can exist), a template key or channel outside the list is a wrong input:
 * 400 VALIDATION_FAILED naming the segment, before the notifications service is asked.
 */
@Injectable()
export class ParseEnumParamPipe<T extends string> implements PipeTransform<unknown, T> {
  constructor(
    private readonly name: string,
    private readonly schema: z.ZodEnum<Record<T, T>>,
  ) {}

  transform(value: unknown): T {
    const parsed = this.schema.safeParse(value);
    if (!parsed.success) {
      throw new DomainError('VALIDATION_FAILED', undefined, [
        {
          path: this.name,
          code: 'INVALID_VALUE',
          message: `${this.name} must be one of: ${this.schema.options.join(', ')}`,
          messageTh: `${this.name} ต้องเป็นค่าใดค่าหนึ่งต่อไปนี้: ${this.schema.options.join(', ')}`,
          value: typeof value === 'string' ? value.slice(0, 100) : undefined,
        },
      ]);
    }
    return parsed.data as T;
  }
}

export const ParseTemplateKeyPipe = new ParseEnumParamPipe('key', TemplateKey);
export const ParseChannelPipe = new ParseEnumParamPipe('channel', Channel);

export const ApiTemplateKeyParam = () =>
  applyDecorators(
    ApiParam({ name: 'key', enum: TemplateKey.options, description: 'Template key · ชื่อแม่แบบข้อความ' }),
  );

export const ApiChannelParam = () =>
  applyDecorators(
    ApiParam({ name: 'channel', enum: Channel.options, description: 'Channel · ช่องทาง (e-mail or LINE)' }),
  );
