import { applyDecorators, INestApplication } from '@nestjs/common';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  ApiResponse,
  DocumentBuilder,
  getSchemaPath,
  OpenAPIObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { cleanupOpenApiDoc, createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { ErrorCatalog, ErrorCode, FieldError } from '@dg/contracts';

export const OPENAPI_TITLE = 'DG Readiness Platform API';
export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/** The body of every error (RFC 9457 problem details, `application/problem+json`). */
export const Problem = z.object({
  type: z.string(),
  status: z.number().int(),
  code: ErrorCode,
  title: z.string().describe('English'),
  detail: z.string().describe('Thai first, English in brackets'),
  instance: z.string().optional(),
  correlationId: z
    .string()
    .optional()
    .describe('The x-correlation-id of the request; quote it when reporting a problem'),
  errors: z.array(FieldError).optional().describe('Every wrong field (path) or file row (row, column)'),
  currentVersion: z
    .number()
    .int()
    .optional()
    .describe('On *_VERSION_CONFLICT: the version now stored; reload and retry with it'),
});
export class ProblemDto extends createZodDto(Problem) {}

/**
 * Documents error answers as problem+json, one response per status, listing the codes a route can
 * return, e.g. `@ApiProblems('VALIDATION_FAILED', 'EMAIL_TAKEN')`.
 */
export function ApiProblems(...codes: ErrorCode[]) {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) {
    const status = ErrorCatalog[code].status;
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return applyDecorators(
    ApiExtraModels(ProblemDto),
    ...[...byStatus].map(([status, list]) =>
      ApiResponse({
        status,
        description: list
          .map((c) => `\`${c}\`: ${ErrorCatalog[c].title} · ${ErrorCatalog[c].detail}`)
          .join('<br>'),
        content: { 'application/problem+json': { schema: { $ref: getSchemaPath(ProblemDto) } } },
      }),
    ),
  );
}

/** Summaries of the platform's own routes (their controllers live in @dg/platform). */
const PLATFORM_ROUTES: Record<string, { summary: string; tag: string }> = {
  '/health/live': { summary: 'Liveness probe · ตรวจว่าโปรเซสทำงานอยู่', tag: 'ops' },
  '/health/ready': { summary: 'Readiness probe: database and NATS · ตรวจความพร้อมให้บริการ', tag: 'ops' },
  '/metrics': { summary: 'Prometheus metrics · ตัวชี้วัดสำหรับ Prometheus', tag: 'ops' },
};

/** The OpenAPI document of every route the app serves, built from the controllers' decorators. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle(OPENAPI_TITLE)
    .setDescription(
      [
        'The public HTTP API of the digital government readiness survey platform ' +
          '(แพลตฟอร์มสำรวจระดับความพร้อมรัฐบาลดิจิทัล).',
        '',
        '- Log in with `POST /api/v1/auth/login` and send `Authorization: Bearer <accessToken>`.',
        '- Errors are `application/problem+json` with a stable `code`; validation errors list `errors[]`.',
        '- `x-correlation-id` is accepted and echoed (a new one is made when absent).',
        '- Lists take `page` and `pageSize` (at most 500) and answer `{ items, total, page, pageSize }`.',
        '- Writes that can race take the `version` last read (or `If-Match`) and answer 409 with `currentVersion`.',
        '- Not part of this API: the BullMQ queue dashboard at `/admin/queues` (for `dga_admin` in a browser, ' +
          'Basic login or bearer token; แดชบอร์ดคิวงานสำหรับผู้ดูแลระบบ).',
      ].join('\n'),
    )
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: (controller, method) => `${controller.replace(/Controller$/, '')}_${method}`,
    extraModels: [ProblemDto],
  });
  for (const [path, meta] of Object.entries(PLATFORM_ROUTES)) {
    const op = document.paths[path]?.get;
    if (op) Object.assign(op, { summary: meta.summary, tags: [meta.tag] });
  }
  return cleanupOpenApiDoc(document);
}

/** Serves the Swagger UI at /docs and the JSON document at /docs-json (outside /api/v1, no login). */
export function setupOpenApi(app: INestApplication): OpenAPIObject {
  const document = buildOpenApiDocument(app);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: DOCS_JSON_PATH,
    yamlDocumentUrl: 'docs-yaml',
    customSiteTitle: OPENAPI_TITLE,
    swaggerOptions: { persistAuthorization: true },
  });
  return document;
}

/** A route that takes one uploaded file in the multipart field `file`. */
export function ApiFileUpload() {
  return applyDecorators(
    ApiConsumes('multipart/form-data'),
    ApiBody({
      schema: {
        type: 'object',
        required: ['file'],
        properties: { file: { type: 'string', format: 'binary' } },
      },
    }),
  );
}

/** A route that answers with a file as an attachment. */
export function ApiFileDownload(description = 'The file, as an attachment') {
  return ApiOkResponse({ description, schema: { type: 'string', format: 'binary' } });
}
