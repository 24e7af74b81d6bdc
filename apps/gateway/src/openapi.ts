import { applyDecorators, INestApplication, PipeTransform, Type } from '@nestjs/common';
import { METHOD_METADATA, ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import {
  ApiBody,
  ApiConsumes,
  ApiExtraModels,
  ApiOkResponse,
  DocumentBuilder,
  getSchemaPath,
  OpenAPIObject,
  type OperationObject,
  type PathItemObject,
  SwaggerModule,
} from '@nestjs/swagger';
import { cleanupOpenApiDoc, createZodDto } from 'nestjs-zod';
import { z } from 'zod';
import { DomainError, ErrorCatalog, ErrorCode, FieldError, rpcErrorCodes, RpcSubject } from '@dg/contracts';
import { problemOf } from '@dg/platform';

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
  responseStatus: z
    .string()
    .optional()
    .describe('On RESPONSE_VERSION_CONFLICT: the status of the response now stored (`status` is the HTTP one)'),
  answers: z
    .record(z.string(), z.unknown())
    .optional()
    .describe(
      'On RESPONSE_VERSION_CONFLICT: the whole answer map now stored (question id → value), to merge per question',
    ),
  updatedAt: z.string().optional().describe('On RESPONSE_VERSION_CONFLICT: when the current version was made'),
  updatedBy: z
    .string()
    .nullable()
    .optional()
    .describe('On RESPONSE_VERSION_CONFLICT: who made it (user id); null when nobody changed it since the cycle opened'),
  updatedByName: z
    .string()
    .nullable()
    .optional()
    .describe('On RESPONSE_VERSION_CONFLICT: their display name (null for a removed account)'),
  accepted: z
    .array(z.string())
    .optional()
    .describe('On UNKNOWN_QUERY_PARAMETER: the query parameters the route takes'),
});
export class ProblemDto extends createZodDto(Problem) {}

const PROBLEM_CODES = 'dg:problem-codes';
const PROBLEM_RPCS = 'dg:problem-rpcs';

/** Adds `values` to the list kept under `key` on a controller class or a route method. */
function record(key: string, values: readonly string[]) {
  return (target: object, _property?: string | symbol, descriptor?: PropertyDescriptor): void => {
    const on = (descriptor?.value ?? target) as object;
    const before = (Reflect.getOwnMetadata(key, on) as string[] | undefined) ?? [];
    Reflect.defineMetadata(key, [...before, ...values], on);
  };
}

/**
 * The problems a route (or every route of a controller) answers of its own, in the gateway: its
 * login and role check (`@Allow` adds UNAUTHENTICATED and FORBIDDEN), uploads, rate limits, the
 * users it keeps. What a route's RPCs answer comes from `@ApiProblemsOf`, never from here.
 */
export function ApiProblems(...codes: ErrorCode[]) {
  return applyDecorators(ApiExtraModels(ProblemDto), record(PROBLEM_CODES, codes));
}

/**
 * The RPCs a route calls: its problem responses then list every code those subjects may answer
 * (`rpcErrorCodes` in @dg/contracts, the list the services are held to), except UNAUTHENTICATED and
 * ACTOR_UNVERIFIED — the gateway always sends an actor it signed (ADR 0017), and a route's 401 is
 * its own login check.
 */
export function ApiProblemsOf(...subjects: [RpcSubject, ...RpcSubject[]]) {
  return applyDecorators(ApiExtraModels(ProblemDto), record(PROBLEM_RPCS, subjects));
}

/** A pipe that refuses with codes of its own (a malformed id as its resource's not-found code). */
export interface ProblemSource {
  readonly problemCodes: readonly ErrorCode[];
}

/** RPC codes about the caller's actor: the gateway's own doing, never a route's answer. */
const GATEWAY_ANSWERED = new Set<ErrorCode>(['UNAUTHENTICATED', 'ACTOR_UNVERIFIED']);

type ParamMetadata = Record<string, { pipes?: (PipeTransform | Type<PipeTransform>)[] }>;

function codesOf(target: object): ErrorCode[] {
  const own = (Reflect.getOwnMetadata(PROBLEM_CODES, target) as ErrorCode[] | undefined) ?? [];
  const subjects = (Reflect.getOwnMetadata(PROBLEM_RPCS, target) as RpcSubject[] | undefined) ?? [];
  return [...own, ...subjects.flatMap((s) => rpcErrorCodes(s).filter((c) => !GATEWAY_ANSWERED.has(c)))];
}

/** Every problem code of one route: the controller's, the method's, and its parameters' pipes'. */
function routeProblemCodes(controller: Type, method: string): ErrorCode[] {
  const handler = (controller.prototype as Record<string, object>)[method];
  const params =
    (Reflect.getMetadata(ROUTE_ARGS_METADATA, controller, method) as ParamMetadata | undefined) ?? {};
  const fromPipes = Object.values(params).flatMap(({ pipes = [] }) =>
    pipes.flatMap((pipe) => (pipe as Partial<ProblemSource>).problemCodes ?? []),
  );
  return sortCodes([...codesOf(controller), ...codesOf(handler), ...fromPipes]);
}

/** Once each, in the catalog's order. */
function sortCodes(codes: ErrorCode[]): ErrorCode[] {
  const order = Object.keys(ErrorCatalog);
  return [...new Set(codes)].sort((a, b) => order.indexOf(a) - order.indexOf(b));
}

/** `operationId` of a route: `Cycles_open` for `CyclesController.open`. */
const operationIdOf = (controller: string, method: string) =>
  `${controller.replace(/Controller$/, '')}_${method}`;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

/** The problem+json body the app sends for `code` (its `instance` and `correlationId` vary). */
function exampleOf(code: ErrorCode) {
  const { instance: _instance, correlationId: _correlationId, ...body } = problemOf(new DomainError(code));
  return body;
}

/**
 * Writes each operation's error responses: one `application/problem+json` response per status,
 * naming every code of the route (`routeProblemCodes`) with its title and Thai detail, and one
 * example body per code. An operation without a security requirement gets `security: []`: public.
 */
function documentProblems(app: INestApplication, document: OpenAPIObject): void {
  const operations = new Map<string, OperationObject>();
  const api = new Set<OperationObject>();
  for (const [path, item] of Object.entries(document.paths) as [string, PathItemObject][]) {
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (op?.operationId) operations.set(op.operationId, op);
      if (op && path.startsWith('/api/')) api.add(op);
    }
  }
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controller = wrapper.metatype as Type | null;
      if (!controller) continue;
      for (const method of Object.getOwnPropertyNames(controller.prototype)) {
        const handler = (controller.prototype as Record<string, unknown>)[method];
        if (method === 'constructor' || typeof handler !== 'function') continue;
        if (Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
        const op = operations.get(operationIdOf(controller.name, method));
        if (!op) continue;
        const byStatus = new Map<number, ErrorCode[]>();
        // Every API route refuses a query parameter it does not take (QueryParamsInterceptor).
        const extra: ErrorCode[] = api.has(op) ? ['UNKNOWN_QUERY_PARAMETER'] : [];
        for (const code of sortCodes([...routeProblemCodes(controller, method), ...extra])) {
          const status = ErrorCatalog[code].status;
          byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
        }
        for (const [status, codes] of byStatus) {
          op.responses[String(status)] = {
            description: codes
              .map((c) => `- \`${c}\`: ${ErrorCatalog[c].title} · ${ErrorCatalog[c].detail}`)
              .join('\n'),
            content: {
              'application/problem+json': {
                schema: { $ref: getSchemaPath(ProblemDto) },
                examples: Object.fromEntries(
                  codes.map((c) => [c, { summary: ErrorCatalog[c].title, value: exampleOf(c) }]),
                ),
              },
            },
          };
        }
        op.responses = Object.fromEntries(
          Object.entries(op.responses).sort(([a], [b]) => a.localeCompare(b)),
        ) as OperationObject['responses'];
      }
    }
  }
  for (const op of operations.values()) op.security ??= [];
}

/** Summaries of the platform's own routes (their controllers live in @dg/platform). */
const PLATFORM_ROUTES: Record<string, { summary: string; tag: string }> = {
  '/health/live': { summary: 'Liveness probe · ตรวจว่าโปรเซสทำงานอยู่', tag: 'ops' },
  '/health/ready': { summary: 'Readiness probe: database and NATS · ตรวจความพร้อมให้บริการ', tag: 'ops' },
  '/metrics': { summary: 'Prometheus metrics · ตัวชี้วัดสำหรับ Prometheus', tag: 'ops' },
};

/**
 * The OpenAPI 3.1 document of every route the app serves, built from the controllers' decorators;
 * schemas are JSON Schema 2020-12 (zod 4 through nestjs-zod: `null` as a type, `const`).
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setOpenAPIVersion('3.1.0')
    .setTitle(OPENAPI_TITLE)
    .setDescription(
      [
        'The public HTTP API of the digital government readiness survey platform ' +
          '(แพลตฟอร์มสำรวจระดับความพร้อมรัฐบาลดิจิทัล).',
        '',
        '- Log in with `POST /api/v1/auth/login` and send `Authorization: Bearer <accessToken>`.',
        '- Errors are `application/problem+json` with a stable `code`; validation errors list `errors[]`. ' +
          'Each operation lists the codes it may answer, per status.',
        '- `x-correlation-id` is accepted and echoed (a new one is made when absent).',
        '- Lists take `page` and `pageSize` (at most 500) and answer `{ items, total, page, pageSize }`.',
        '- Writes that can race take the `version` last read (or `If-Match`) and answer 409 with `currentVersion`.',
        '- Not part of this API: the BullMQ queue dashboard at `/admin/queues` (for `dga_admin` in a browser, ' +
          'Basic login or bearer token; แดชบอร์ดคิวงานสำหรับผู้ดูแลระบบ).',
      ].join('\n'),
    )
    .setVersion('1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('/', 'The server that serves this document')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' })
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    operationIdFactory: operationIdOf,
    extraModels: [ProblemDto],
  });
  for (const [path, meta] of Object.entries(PLATFORM_ROUTES)) {
    const op = document.paths[path]?.get;
    if (op) Object.assign(op, { summary: meta.summary, tags: [meta.tag] });
  }
  documentProblems(app, document);
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
