import type { LRParser } from '@lezer/lr' with { 'resolution-mode': 'import' };
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml, parseAllDocuments } from 'yaml';
import { api, PlatformUnderTest } from './platform';

// Prometheus's PromQL grammar. The package is typed as an ES module but ships a CommonJS build
// (its "require" export), which is what Jest loads here.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parser } = require('@prometheus-io/lezer-promql') as { parser: LRParser };

const ROOT = join(__dirname, '../..');
const MONITORING = join(ROOT, 'monitoring');
const read = (...parts: string[]) => readFileSync(join(...parts), 'utf8');

// ---------------------------------------------------------------------------------------------
// The checker: PromQL parsed with Prometheus's own grammar (lezer-promql, as in Prometheus's UI),
// metric names taken from the vector selectors, compared with what the services expose.

export interface ParsedExpr {
  metrics: string[];
  /** Label names used in matchers, by/without and on/ignoring, less those label_replace/label_join make. */
  labels: string[];
  /** Syntax errors, as "position: text around it"; empty when the expression parses. */
  errors: string[];
}

/** Parses one PromQL expression; the grammar is error-tolerant, so errors are the tree's error nodes. */
export function parsePromQL(expr: string): ParsedExpr {
  const metrics = new Set<string>();
  const labels = new Set<string>();
  const created = new Set<string>();
  const errors: string[] = [];
  const text = (from: number, to: number) => expr.slice(from, to);
  const unquote = (s: string) => s.replace(/^["'`]|["'`]$/g, '');
  parser.parse(expr).iterate({
    enter(node) {
      if (node.type.isError) {
        errors.push(`${node.from}: …${expr.slice(Math.max(0, node.from - 20), node.from + 20)}…`);
        return;
      }
      if (node.name === 'LabelName' && text(node.from, node.to) !== '__name__')
        labels.add(text(node.from, node.to));
      if (node.name === 'FunctionCall') {
        const fn = node.node.getChild('FunctionIdentifier');
        const made = node.node.getChild('FunctionCallBody')?.getChild('StringLiteral');
        if (fn && made && /^label_(replace|join)$/.test(text(fn.from, fn.to)))
          created.add(unquote(text(made.from, made.to)));
      }
      if (node.name !== 'VectorSelector') return;
      const id = node.node.getChild('Identifier');
      if (id) metrics.add(text(id.from, id.to));
      const matchers = node.node.getChild('LabelMatchers');
      if (!matchers) return;
      // {__name__="x"} and the UTF-8 form {"x"} name the metric too.
      for (const m of matchers.getChildren('UnquotedLabelMatcher')) {
        const name = m.getChild('LabelName');
        const op = m.getChild('MatchOp');
        const value = m.getChild('StringLiteral');
        if (name && op && value && text(name.from, name.to) === '__name__' && text(op.from, op.to) === '=') {
          metrics.add(unquote(text(value.from, value.to)));
        }
      }
      for (const q of matchers.getChildren('QuotedLabelName')) metrics.add(unquote(text(q.from, q.to)));
    },
  });
  if (expr.trim() === '') errors.push('0: empty expression');
  return { metrics: [...metrics], labels: [...labels].filter((l) => !created.has(l)), errors };
}

/**
 * Every series name a /metrics text exposes: the declared families (`# TYPE`), with a histogram's
 * _bucket/_count/_sum and a summary's _count/_sum, and every sample line's name.
 */
export function exportedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)/.exec(line);
    if (type) {
      const [, name, kind] = type;
      names.add(name);
      if (kind === 'histogram') for (const s of ['_bucket', '_count', '_sum']) names.add(name + s);
      if (kind === 'summary') for (const s of ['_count', '_sum']) names.add(name + s);
      continue;
    }
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]/.exec(line);
    if (sample) names.add(sample[1]);
  }
  return names;
}

/** Labels every series gets from its target (prometheus.yml, prometheus-k8s.yml). */
const TARGET_LABELS = ['job', 'instance', 'app', 'component', 'namespace', 'pod'];

/**
 * The label names of each exposed series name, from its sample lines, plus the target labels, and
 * exported_<name> for a series' own job or instance label (Prometheus keeps those names for the
 * target and renames the series' ones). A metric without samples has no entry: its labels are unknown.
 */
export function exportedLabels(exposition: string): Map<string, Set<string>> {
  const byMetric = new Map<string, Set<string>>();
  for (const line of exposition.split('\n')) {
    const name = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\{/.exec(line)?.[1];
    if (!name) continue;
    const labels = byMetric.get(name) ?? new Set(TARGET_LABELS);
    byMetric.set(name, labels);
    for (const m of line.matchAll(/[{,]([a-zA-Z_]\w*)="/g)) {
      labels.add(m[1]);
      if (m[1] === 'job' || m[1] === 'instance') labels.add(`exported_${m[1]}`);
    }
  }
  return byMetric;
}

/**
 * Labels an expression uses that none of its metrics has. Expressions whose metrics have no
 * samples at all cannot be checked: they are returned in `unchecked` (by metric).
 */
export function unknownLabels(
  expr: string,
  byMetric: Map<string, Set<string>>,
): { unknown: string[]; unchecked: string[] } {
  const parsed = parsePromQL(expr);
  const known = parsed.metrics.filter((m) => byMetric.has(m) || PROMETHEUS_OWN.has(m));
  if (known.length === 0) return { unknown: [], unchecked: parsed.metrics };
  const labels = new Set(known.flatMap((m) => [...(byMetric.get(m) ?? TARGET_LABELS)]));
  return { unknown: parsed.labels.filter((l) => !labels.has(l)), unchecked: [] };
}

/** Series Prometheus makes itself for each target: usable without any service exporting them. */
const PROMETHEUS_OWN = new Set(['up']);

/** Metric names used and not exported, with where each is used. */
export function missingMetrics(used: Map<string, string[]>, exported: Set<string>): string[] {
  return [...used.entries()]
    .filter(([name]) => !exported.has(name) && !PROMETHEUS_OWN.has(name))
    .map(([name, where]) => `${name} (used in ${where.join(', ')})`);
}

// ---------------------------------------------------------------------------------------------
// The files under monitoring/.

interface AlertRule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}
interface PanelTarget {
  expr?: string;
  refId: string;
}
interface Panel {
  id: number;
  type: string;
  title: string;
  targets?: PanelTarget[];
  panels?: Panel[];
}
interface TemplateVariable {
  name: string;
  type: string;
  query?: string | { query: string };
}
interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: Panel[];
  templating: { list: TemplateVariable[] };
}
interface ScrapeConfig {
  job_name: string;
  metrics_path?: string;
  static_configs?: { targets: string[]; labels?: Record<string, string> }[];
  kubernetes_sd_configs?: { role: string; namespaces?: { names: string[] } }[];
  relabel_configs?: {
    source_labels?: string[];
    action?: string;
    regex?: string;
    replacement?: string;
    target_label?: string;
  }[];
}
interface PrometheusConfig {
  rule_files: string[];
  scrape_configs: ScrapeConfig[];
}

const alertGroups = (
  parseYaml(read(MONITORING, 'prometheus/alerts.yml')) as { groups: { name: string; rules: AlertRule[] }[] }
).groups;
const rules = alertGroups.flatMap((g) => g.rules);
const dashboardFiles = readdirSync(join(MONITORING, 'grafana/dashboards')).filter((f) => f.endsWith('.json'));
const dashboards = dashboardFiles.map((f) => ({
  file: f,
  board: JSON.parse(read(MONITORING, 'grafana/dashboards', f)) as Dashboard,
}));
const readme = read(MONITORING, 'README.md');

/** Every panel, rows' nested panels included. */
const allPanels = (panels: Panel[]): Panel[] => panels.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);

/** Grafana's built-in variables, replaced by what Grafana would put there. */
const GRAFANA_BUILTINS: Record<string, string> = {
  __rate_interval: '5m',
  __interval: '1m',
  __range: '1h',
  __range_s: '3600',
  __interval_ms: '60000',
};

/** Replaces $var / ${var} / [[var]] with a plausible value; lists the variables the dashboard does not define. */
function substitute(expr: string, defined: Set<string>): { expr: string; undefinedVars: string[] } {
  const undefinedVars: string[] = [];
  const out = expr.replace(
    /\$\{(\w+)(?::\w+)?\}|\$(\w+)|\[\[(\w+)\]\]/g,
    (_, a?: string, b?: string, c?: string) => {
      const name = (a ?? b ?? c)!;
      if (name in GRAFANA_BUILTINS) return GRAFANA_BUILTINS[name];
      if (!defined.has(name)) undefinedVars.push(name);
      return '2565';
    },
  );
  return { expr: out, undefinedVars };
}

/** Every PromQL expression of the alerts and dashboards (variables substituted), with where it is. */
function allExpressions(): { where: string; expr: string; undefinedVars: string[] }[] {
  const out: { where: string; expr: string; undefinedVars: string[] }[] = rules.map((r) => ({
    where: `alerts.yml ${r.alert ?? r.record}`,
    expr: r.expr,
    undefinedVars: [],
  }));
  for (const { file, board } of dashboards) {
    const defined = new Set(board.templating.list.map((v) => v.name));
    for (const v of board.templating.list) {
      const q = typeof v.query === 'string' ? v.query : v.query?.query;
      // label_values(<selector>, label): the selector is PromQL.
      const m = v.type === 'query' && q ? /^label_values\((.+),\s*\w+\)$/.exec(q.trim()) : null;
      if (m) out.push({ where: `${file} variable ${v.name}`, ...substitute(m[1], defined) });
    }
    for (const p of allPanels(board.panels)) {
      for (const t of p.targets ?? []) {
        if (t.expr !== undefined)
          out.push({
            where: `${file} panel ${p.id} "${p.title}" ${t.refId}`,
            ...substitute(t.expr, defined),
          });
      }
    }
  }
  return out;
}

function usedMetrics(): Map<string, string[]> {
  const used = new Map<string, string[]>();
  for (const { where, expr } of allExpressions()) {
    for (const name of parsePromQL(expr).metrics) used.set(name, [...(used.get(name) ?? []), where]);
  }
  return used;
}

const hasThai = (s: string) => /[\u0E00-\u0E7F]/.test(s);
const hasEnglish = (s: string) => /\b[A-Za-z]{3,}\b.*\b[A-Za-z]{3,}\b/.test(s.replace(/\{\{[^}]*\}\}/g, ''));

// ---------------------------------------------------------------------------------------------

describe('monitoring: the checker itself', () => {
  it('finds metric names in selectors, ranges, subqueries and __name__ matchers, and nothing else', () => {
    const parsed = parsePromQL(
      'histogram_quantile(0.99, sum by (service, le) (rate(http_request_duration_seconds_bucket{route!~"/metrics"}[5m]))) > 2' +
        ' and on (cycle) max_over_time(outbox_lag_seconds[30m:1m] offset 5m) - time() < 7 * 86400' +
        ' or label_replace({__name__="scoring_queue_jobs", state="waiting"}, "queue", "scoring", "", "")',
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.metrics.sort()).toEqual([
      'http_request_duration_seconds_bucket',
      'outbox_lag_seconds',
      'scoring_queue_jobs',
    ]);
  });

  it('takes label names from matchers and groupings, but not those label_replace makes', () => {
    const parsed = parsePromQL(
      'max by (queue) (label_replace(a{state="x"}, "queue", "n-$1", "channel", "(.+)")) / on (cycle) sum without (instance) (b{__name__="b"})',
    );
    expect(parsed.labels.sort()).toEqual(['cycle', 'instance', 'state']);
    const byMetric = exportedLabels(
      '# TYPE scoring_jobs_total counter\nscoring_jobs_total{job="score",outcome="scored",service="scoring"} 1',
    );
    expect(
      unknownLabels('sum by (ministy, exported_job, job, app) (scoring_jobs_total{outcome="x"})', byMetric),
    ).toEqual({
      unknown: ['ministy'],
      unchecked: [],
    });
    expect(unknownLabels('sum by (code) (scoring_failures_open)', byMetric)).toEqual({
      unknown: [],
      unchecked: ['scoring_failures_open'],
    });
  });

  it('reports a syntax error', () => {
    expect(parsePromQL('sum by (service (rate(x[5m]))').errors).not.toEqual([]);
    expect(parsePromQL('rate(x[$__rate_interval])').errors).not.toEqual([]); // unsubstituted variable
    expect(parsePromQL('').errors).not.toEqual([]);
  });

  it('reports a made-up metric as missing, and takes histogram series and up as exported', () => {
    const exposition = [
      '# HELP http_request_duration_seconds HTTP request duration',
      '# TYPE http_request_duration_seconds histogram',
      'http_request_duration_seconds_bucket{le="0.1",service="gateway"} 3',
      '# TYPE intake_responses gauge',
      '# TYPE events_consumed_total counter',
    ].join('\n');
    const exported = exportedNames(exposition);
    const used = new Map([
      ['http_request_duration_seconds_count', ['a']],
      ['http_request_duration_seconds_bucket', ['a']],
      ['intake_responses', ['b']],
      ['events_consumed_total', ['b']],
      ['up', ['c']],
      ['intake_responses_total', ['d']],
      ['made_up_metric_that_nobody_exports', ['e']],
    ]);
    expect(missingMetrics(used, exported)).toEqual([
      'intake_responses_total (used in d)',
      'made_up_metric_that_nobody_exports (used in e)',
    ]);
  });

  it('flags a dashboard variable that the dashboard does not define', () => {
    expect(substitute('sum(x{cycle="$cycle", a="${nope}"}[$__rate_interval])', new Set(['cycle']))).toEqual({
      expr: 'sum(x{cycle="2565", a="2565"}[5m])',
      undefinedVars: ['nope'],
    });
  });
});

describe('monitoring: Prometheus configuration, alert rules, dashboards and provisioning', () => {
  it('parses every PromQL expression of the alerts and dashboards, with only defined variables', () => {
    const exprs = allExpressions();
    expect(exprs.length).toBeGreaterThan(50);
    const problems = exprs.flatMap(({ where, expr, undefinedVars }) => [
      ...parsePromQL(expr).errors.map((e) => `${where}: syntax error at ${e}`),
      ...undefinedVars.map((v) => `${where}: undefined variable $${v}`),
    ]);
    expect(problems).toEqual([]);
  });

  it('loads alerts.yml from both Prometheus configs', () => {
    for (const file of ['prometheus.yml', 'prometheus-k8s.yml']) {
      const config = parseYaml(read(MONITORING, 'prometheus', file)) as PrometheusConfig;
      expect(config.rule_files).toContain('/etc/prometheus/alerts.yml');
      expect(config.scrape_configs.map((s) => s.job_name)).toContain('dg-platform');
    }
  });

  it('scrapes every service of docker-compose.yml on its HTTP port (the gateway on its METRICS_PORT), and each worker on its API twin port', () => {
    const compose = parseYaml(read(ROOT, 'docker-compose.yml'), { merge: true }) as {
      services: Record<string, { environment?: Record<string, string> }>;
    };
    const ports = new Map<string, string>();
    for (const [name, s] of Object.entries(compose.services)) {
      // The gateway's metrics have their own port (METRICS_PORT), not the public one.
      const port = s.environment?.METRICS_PORT ?? s.environment?.HTTP_PORT ?? s.environment?.PORT;
      if (port && !name.endsWith('-migrate')) ports.set(name, String(port));
    }
    expect([...ports.keys()]).toEqual(
      expect.arrayContaining(['gateway', 'registry', 'intake', 'scoring', 'notifications', 'awards']),
    );
    const config = parseYaml(read(MONITORING, 'prometheus/prometheus.yml')) as PrometheusConfig;
    const job = config.scrape_configs.find((s) => s.job_name === 'dg-platform')!;
    const targets = job.static_configs!.flatMap((c) =>
      c.targets.map((t) => ({ target: t, labels: c.labels ?? {} })),
    );
    const byHost = new Map(targets.map((t) => [t.target.split(':')[0], t]));
    for (const [name, port] of ports) expect(byHost.get(name)?.target).toBe(`${name}:${port}`);
    for (const { target, labels } of targets) {
      const [host, port] = target.split(':');
      expect(labels).toMatchObject({ app: host });
      if (ports.has(host)) continue;
      // A worker not (yet) in docker-compose.yml: on the same port as its API twin.
      expect(host).toMatch(/-worker$/);
      expect(port).toBe(ports.get(host.replace(/-worker$/, '')));
      expect(labels.component).toBe('worker');
    }
    for (const svc of ['scoring', 'notifications', 'awards']) expect(byHost.has(`${svc}-worker`)).toBe(true);
  });

  it('scrapes in Kubernetes the pods of dg-platform by their prometheus.io annotations, which every Deployment has', () => {
    const config = parseYaml(read(MONITORING, 'prometheus/prometheus-k8s.yml')) as PrometheusConfig;
    const job = config.scrape_configs.find((s) => s.job_name === 'dg-platform')!;
    expect(job.kubernetes_sd_configs).toEqual([{ role: 'pod', namespaces: { names: ['dg-platform'] } }]);
    const relabel = job.relabel_configs!;
    expect(relabel).toContainEqual(
      expect.objectContaining({
        source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_scrape'],
        action: 'keep',
        regex: 'true',
      }),
    );
    expect(relabel).toContainEqual(
      expect.objectContaining({
        source_labels: ['__meta_kubernetes_pod_annotation_prometheus_io_path'],
        target_label: '__metrics_path__',
      }),
    );
    const address = relabel.find((r) => r.target_label === '__address__')!;
    expect(address.source_labels).toEqual([
      '__address__',
      '__meta_kubernetes_pod_annotation_prometheus_io_port',
    ]);
    // The address rewrite as Prometheus applies it (Go's RE2 anchors the regex on both ends).
    const rewrite = (value: string) =>
      value.replace(new RegExp(`^(?:${address.regex!})$`), address.replacement!.replace(/\$(\d)/g, '$$$1'));
    expect(rewrite('10.1.2.3:8080;3103')).toBe('10.1.2.3:3103');
    expect(rewrite('10.1.2.3;3103')).toBe('10.1.2.3:3103');
    for (const label of ['app', 'component']) expect(relabel.map((r) => r.target_label)).toContain(label);

    const files = readdirSync(join(ROOT, 'k8s/base'), { recursive: true, encoding: 'utf8' }).filter((f) =>
      f.endsWith('.yaml'),
    );
    const deployments = files.flatMap((f) =>
      parseAllDocuments(read(ROOT, 'k8s/base', f))
        .map((d) => d.toJS() as { kind?: string; metadata: { name: string }; spec: Record<string, unknown> })
        .filter((d) => d?.kind === 'Deployment'),
    );
    expect(deployments.length).toBeGreaterThanOrEqual(6);
    for (const d of deployments) {
      const template = (
        d.spec as {
          template: {
            metadata: { annotations?: Record<string, string> };
            spec: { containers: { ports?: { containerPort: number }[] }[] };
          };
        }
      ).template;
      const a = template.metadata.annotations ?? {};
      expect({
        name: d.metadata.name,
        scrape: a['prometheus.io/scrape'],
        path: a['prometheus.io/path'],
      }).toEqual({
        name: d.metadata.name,
        scrape: 'true',
        path: '/metrics',
      });
      const ports = template.spec.containers.flatMap((c) =>
        (c.ports ?? []).map((p) => String(p.containerPort)),
      );
      expect(ports).toContain(a['prometheus.io/port']);
    }
  });

  it('gives every alert a severity, Thai and English summary and description, and a runbook section that exists', () => {
    const names = rules.map((r) => r.alert);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        'ServiceDown',
        'HighErrorRate',
        'HighP99Latency',
        'QueueBacklog',
        'FailedJobs',
        'ScoringFailuresOpen',
        'OutboxLag',
        'JetStreamConsumerLag',
        'NotificationsFailing',
        'DeadlineApproachingLowResponse',
      ]),
    );
    const anchors = new Set(
      [...readme.matchAll(/^#+ (.+)$/gm)].map((m) =>
        m[1]
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    const problems: string[] = [];
    for (const r of rules) {
      const a = r.annotations ?? {};
      if (!['critical', 'warning', 'info'].includes(r.labels?.severity ?? ''))
        problems.push(`${r.alert}: severity`);
      for (const key of ['summary', 'description']) {
        if (!a[key] || !hasThai(a[key]) || !hasEnglish(a[key]))
          problems.push(`${r.alert}: ${key} needs Thai and English`);
      }
      const anchor = /^monitoring\/README\.md#([\w-]+)$/.exec(a.runbook ?? '')?.[1];
      if (!anchor || !anchors.has(anchor))
        problems.push(`${r.alert}: runbook ${a.runbook} is not a section of monitoring/README.md`);
      if (r.for !== undefined && !/^\d+[smhd]$/.test(r.for)) problems.push(`${r.alert}: for ${r.for}`);
    }
    expect(problems).toEqual([]);
  });

  it('gives every dashboard a unique uid, unique panel ids, a datasource variable, and the survey dashboard a cycle variable', () => {
    expect(dashboardFiles.sort()).toEqual([
      'queues-messaging.json',
      'service-health.json',
      'survey-progress.json',
    ]);
    const uids = dashboards.map((d) => d.board.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { file, board } of dashboards) {
      expect({
        file,
        schemaVersion: board.schemaVersion >= 36,
        title: hasThai(board.title) && hasEnglish(board.title),
      }).toEqual({
        file,
        schemaVersion: true,
        title: true,
      });
      const ids = allPanels(board.panels).map((p) => p.id);
      expect({ file, duplicates: ids.filter((id, i) => ids.indexOf(id) !== i) }).toEqual({
        file,
        duplicates: [],
      });
      expect(board.templating.list.find((v) => v.name === 'datasource')?.type).toBe('datasource');
      for (const p of allPanels(board.panels).filter((x) => x.type !== 'row')) {
        expect({ file, panel: p.title, targets: (p.targets ?? []).length > 0 }).toEqual({
          file,
          panel: p.title,
          targets: true,
        });
      }
    }
    const survey = dashboards.find((d) => d.file === 'survey-progress.json')!.board;
    expect(survey.templating.list.find((v) => v.name === 'cycle')).toMatchObject({ type: 'query' });
  });

  // promtool ships with Prometheus (Debian: apt-get install prometheus); without it this is skipped
  // with a warning, as the deploy tests do without kubectl.
  const promtool = spawnSync('promtool', ['--version']).status === 0;
  it('passes promtool check rules and the alert unit tests in alerts.test.yml (where promtool is installed)', () => {
    if (!promtool) {
      console.warn(
        'promtool not found: alerts.yml not checked by promtool (apt-get install prometheus to run it)',
      );
      return;
    }
    const dir = join(MONITORING, 'prometheus');
    const check = spawnSync('promtool', ['check', 'rules', 'alerts.yml'], { cwd: dir, encoding: 'utf8' });
    expect({ status: check.status, out: check.stdout + check.stderr }).toEqual({
      status: 0,
      out: expect.stringContaining('SUCCESS'),
    });
    const unit = spawnSync('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: dir, encoding: 'utf8' });
    expect({ status: unit.status, out: unit.stdout + unit.stderr }).toEqual({
      status: 0,
      out: expect.stringContaining('SUCCESS'),
    });
    // Every alert has at least one unit test where it fires.
    const tested = new Set(
      (
        parseYaml(read(dir, 'alerts.test.yml')) as {
          tests: { alert_rule_test: { alertname: string; exp_alerts: unknown[] }[] }[];
        }
      ).tests
        .flatMap((t) => t.alert_rule_test)
        .filter((t) => t.exp_alerts.length > 0)
        .map((t) => t.alertname),
    );
    expect(rules.map((r) => r.alert).filter((a) => !tested.has(a!))).toEqual([]);
  });

  it('provisions the Prometheus datasource and the dashboards folder docker-compose mounts', () => {
    const ds = parseYaml(read(MONITORING, 'grafana/provisioning/datasources/prometheus.yml')) as {
      datasources: { type: string; url: string; uid: string }[];
    };
    expect(ds.datasources).toContainEqual(
      expect.objectContaining({ type: 'prometheus', url: 'http://prometheus:9090', uid: 'dg-prometheus' }),
    );
    const provider = parseYaml(read(MONITORING, 'grafana/provisioning/dashboards/dg-platform.yml')) as {
      providers: { type: string; options: { path: string } }[];
    };
    expect(provider.providers).toContainEqual(
      expect.objectContaining({
        type: 'file',
        options: expect.objectContaining({ path: '/var/lib/grafana/dashboards' }),
      }),
    );
    // The dashboards' datasource variable defaults to the provisioned datasource.
    for (const { board } of dashboards) {
      expect(board.templating.list.find((v) => v.name === 'datasource')).toMatchObject({
        current: { value: 'dg-prometheus' },
      });
    }
  });
});

describe('monitoring: every metric the alerts and dashboards use is exported by the running platform', () => {
  const platform = new PlatformUnderTest();
  const scraped = new Map<string, string>();

  beforeAll(async () => {
    await platform.start();
    await platform.loadSample();
    for (const s of platform.services) {
      const res = await fetch(`${s.metricsUrl ?? s.url}/metrics`);
      expect({ service: s.name, status: res.status }).toEqual({ service: s.name, status: 200 });
      scraped.set(s.name, await res.text());
    }
  });
  afterAll(async () => platform.stop());

  const all = () => [...scraped.values()].join('\n');
  const samples = (name: string) =>
    all()
      .split('\n')
      .filter((l) => l.startsWith(`${name}{`))
      .map((l) => ({
        labels: Object.fromEntries([...l.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]])),
        value: Number(l.slice(l.lastIndexOf(' ') + 1)),
      }));

  it('scrapes /metrics of every service', () => {
    expect([...scraped.keys()].sort()).toEqual(
      expect.arrayContaining(['awards', 'gateway', 'intake', 'notifications', 'registry', 'scoring']),
    );
  });

  it('finds every metric used in alerts.yml and the dashboards in what the services export', () => {
    const used = usedMetrics();
    expect(used.size).toBeGreaterThan(25);
    expect(missingMetrics(used, exportedNames(all()))).toEqual([]);
  });

  it('finds every label name they match or group by on the exported series (or among the target labels)', () => {
    const byMetric = exportedLabels(all());
    const unknown: string[] = [];
    const unchecked = new Set<string>();
    for (const { where, expr } of allExpressions()) {
      const r = unknownLabels(expr, byMetric);
      unknown.push(...r.unknown.map((l) => `${l} (${where})`));
      r.unchecked.forEach((m) => unchecked.add(m));
    }
    expect(unknown).toEqual([]);
    // Only these have no series until something fails (the deadline gauge has the sample's open
    // 2566 cycle, which the loader opens for the portal beside the closed 2565).
    expect([...unchecked].sort()).toEqual([
      'jetstream_consumer_info_failures_total',
      'scoring_failures_open',
    ]);
    // A series' own `job` label arrives as exported_job (scoring_jobs_total{job}); `job` there is the target's.
    const withOwnJob = new Set(
      all()
        .split('\n')
        .filter((l) => /^\w+\{(.*,)?job="/.test(l))
        .map((l) => l.slice(0, l.indexOf('{'))),
    );
    expect(withOwnJob.size).toBeGreaterThan(0);
    const confused = allExpressions()
      .filter(({ expr }) => {
        const parsed = parsePromQL(expr);
        return parsed.labels.includes('job') && parsed.metrics.some((m) => withOwnJob.has(m));
      })
      .map(({ where }) => where);
    expect(confused).toEqual([]);
  });

  it('exports survey progress by group, ministry and province that adds up to the progress staff see', async () => {
    const login = await api<{ accessToken: string }>(platform.gateway.url, 'POST', '/auth/login', {
      body: { email: 'admin@dga.or.th', password: 'admin-2565' },
    });
    const progress = await api<{ total: number; submitted: number; byStatus: Record<string, number> }>(
      platform.gateway.url,
      'GET',
      '/cycles/2565/progress',
      { token: login.body.accessToken },
    );
    expect(progress.status).toBe(200);
    const total = (name: string) =>
      samples(name)
        .filter((s) => s.labels.cycle === '2565')
        .reduce((n, s) => n + s.value, 0);
    expect(total('intake_responses')).toBe(progress.body.total);
    expect(total('intake_responses_by_ministry')).toBe(progress.body.total);
    expect(total('intake_responses_by_province')).toBe(progress.body.total);
    // The sample cohort: 20 ministries and 77 provinces, as codes; agencies without one are 'unknown'.
    const ministries = new Set(samples('intake_responses_by_ministry').map((s) => s.labels.ministry));
    const provinces = new Set(samples('intake_responses_by_province').map((s) => s.labels.province));
    expect(ministries.has('OPM')).toBe(true);
    expect([...ministries].every((m) => /^[A-Z]{2,6}$|^unknown$/.test(m))).toBe(true);
    expect(ministries.size).toBeLessThanOrEqual(21);
    expect(provinces.has('TH-10')).toBe(true);
    expect([...provinces].every((p) => /^TH-\w{1,2}$|^unknown$/.test(p))).toBe(true);
    expect(provinces.size).toBeLessThanOrEqual(78);
    // The statuses the alert counts as responded are the ones the progress counts as submitted.
    const responded = samples('intake_responses')
      .filter(
        (s) =>
          s.labels.cycle === '2565' && /^(submitted|resubmitted|verified|returned)$/.test(s.labels.status),
      )
      .reduce((n, s) => n + s.value, 0);
    expect(responded).toBeGreaterThan(0);
    // The one difference: a resubmission awaiting approval is counted by the progress, not here.
    expect(responded).toBeLessThanOrEqual(progress.body.submitted);
    expect(progress.body.submitted - responded).toBeLessThanOrEqual(
      progress.body.byStatus.awaiting_approval ?? 0,
    );
    // Deadlines are of open cycles only: the sample closes 2565 after answering (the real order:
    // close, verify, publish, award), so it has none.
    expect(
      samples('intake_cycle_deadline_timestamp_seconds').filter((s) => s.labels.cycle === '2565'),
    ).toEqual([]);
  });

  it('exports the backlog of each durable JetStream consumer and the depth of every BullMQ queue', () => {
    const consumers = samples('jetstream_consumer_pending_messages').map(
      (s) => `${s.labels.service}:${s.labels.stream}/${s.labels.consumer}`,
    );
    expect(consumers).toEqual(
      expect.arrayContaining([
        'scoring:INTAKE/scoring',
        'notifications:INTAKE/notifications',
        'notifications:SCORING/notifications',
        'notifications:AWARDS/notifications',
        'notifications:REGISTRY/notifications',
      ]),
    );
    expect(samples('jetstream_consumer_ack_pending_messages').length).toBe(consumers.length);
    for (const [name, extra] of [
      ['scoring_queue_jobs', {}],
      ['notifications_queue_jobs', { channel: 'email' }],
      ['awards_queue_jobs', {}],
    ] as const) {
      const states = samples(name)
        .filter((s) => Object.entries(extra).every(([k, v]) => s.labels[k] === v))
        .map((s) => s.labels.state);
      expect({ name, states: states.sort() }).toEqual({
        name,
        states: expect.arrayContaining(['active', 'delayed', 'failed', 'waiting']),
      });
    }
    // The sample award round made certificates.
    expect(samples('awards_winners').some((s) => s.labels.cycle === '2565')).toBe(true);
  });
});
