import { stat } from 'node:fs/promises';
import {
  DOMAIN_LABELS,
  DatasetLayoutError,
  MissingCaseFileError,
  concatSliceSets,
  extractSlices,
  generateCohort,
  loadCase,
  openFolderDatasets,
  openMsdDataset,
} from '@pedseg/data';
import type { Phantom, PhantomDomain, SegmentationDataset, SliceSet } from '@pedseg/data';
import type { Volume } from '@pedseg/volume';
import { TrainConfigError } from '../errors.js';
import type { ResolvedExperimentConfig } from './config.js';

/**
 * One case as the runner's folds see it, whether a generated phantom or a case read from disk: the
 * image and label map share one grid of any shape and spacing.
 */
export interface ExperimentCase {
  /** Case id (unique within its domain). */
  readonly id: string;
  /** Domain (joint or domain folder name). */
  readonly domain: string;
  /** The image. */
  readonly image: Volume;
  /** The label map on the image's grid (values 0..labels.length − 1). */
  readonly label: Volume;
  /** Label names indexed by label value (0 = background). */
  readonly labels: readonly string[];
}

/**
 * The cases of an experiment, per domain. On-disk cases are read on each {@link ExperimentCohort.load}
 * and not kept, so a fold holds one volume at a time besides its 2D slice pools.
 */
export interface ExperimentCohort {
  /** Domains, in domain-index order (the order of `data.domains`). */
  readonly domains: readonly string[];
  /** Label names of each domain, indexed by label value. */
  readonly labels: Readonly<Record<string, readonly string[]>>;
  /** Case ids of each domain used by the run, sorted (the leave-one-out order). */
  readonly caseIds: Readonly<Record<string, readonly string[]>>;
  /**
   * Reads (or returns) one case.
   * @throws the `@pedseg/data` errors of `loadCase` for an unreadable or inconsistent case file.
   */
  load(domain: string, id: string): Promise<ExperimentCase>;
}

function phantomCohort(cfg: ResolvedExperimentConfig): ExperimentCohort {
  const byDomain = new Map<string, Map<string, Phantom>>();
  for (const d of cfg.data.domains) {
    const phantoms = generateCohort(d as PhantomDomain, {
      seed: cfg.seed,
      count: cfg.data.cases as number,
      landmarksPerBone: 0,
      ...(cfg.data.shape !== null ? { size: { shape: cfg.data.shape } } : {}),
    });
    byDomain.set(d, new Map([...phantoms].map((p) => [p.caseId, p])));
  }
  return {
    domains: cfg.data.domains,
    labels: Object.fromEntries(cfg.data.domains.map((d) => [d, DOMAIN_LABELS[d as PhantomDomain]])),
    caseIds: Object.fromEntries([...byDomain].map(([d, m]) => [d, [...m.keys()]])),
    load: (domain, id) => {
      const p = byDomain.get(domain)?.get(id);
      if (p === undefined) return Promise.reject(new TrainConfigError(`experiment cohort: no phantom case '${id}' in domain '${domain}'`));
      return Promise.resolve({ id, domain, image: p.image, label: p.label, labels: p.labels });
    },
  };
}

/** Label names by value of a dataset's declaration, which must be the consecutive values 0..K (K ≥ 1). */
function labelNames(ds: SegmentationDataset): string[] {
  const values = Object.keys(ds.labels)
    .map(Number)
    .sort((a, b) => a - b);
  if (values.length < 2 || values.some((v, i) => v !== i)) {
    throw new TrainConfigError(
      `experiment config: data.dir domain '${ds.domain}' (${ds.root}) declares labels [${values.join(', ')}]; the runner needs consecutive values 0..K with K ≥ 1`,
    );
  }
  return values.map((v) => ds.labels[v] as string);
}

/** Opens the on-disk datasets with the reader of the layout; layout problems become config errors. */
async function openDatasets(cfg: ResolvedExperimentConfig, dir: string): Promise<SegmentationDataset[]> {
  const isDir = await stat(dir).then(
    (s) => s.isDirectory(),
    () => false,
  );
  if (!isDir) throw new TrainConfigError(`experiment config: data.dir ${dir} is not a folder`);
  try {
    if (cfg.data.layout === 'msd') return [await openMsdDataset(dir, { domain: cfg.data.domain })];
    const all = await openFolderDatasets(dir);
    return cfg.data.domains.map((d) => {
      const ds = all.find((x) => x.domain === d);
      if (ds === undefined) {
        const field = cfg.data.multiDomain ? 'data.domains' : 'data.domain';
        throw new TrainConfigError(`experiment config: ${field}: no domain folder '${d}' with cases in data.dir ${dir} (found: ${all.map((x) => x.domain).join(', ')})`);
      }
      return ds;
    });
  } catch (error) {
    if (error instanceof DatasetLayoutError || error instanceof MissingCaseFileError) {
      throw new TrainConfigError(`experiment config: data.dir (layout '${cfg.data.layout}'): ${error.message}`, { cause: error });
    }
    throw error;
  }
}

async function diskCohort(cfg: ResolvedExperimentConfig, dir: string): Promise<ExperimentCohort> {
  const datasets = await openDatasets(cfg, dir);
  const domains = cfg.data.domains;
  const labels: Record<string, readonly string[]> = {};
  const caseIds: Record<string, readonly string[]> = {};
  datasets.forEach((ds, k) => {
    const d = domains[k] as string;
    labels[d] = labelNames(ds);
    const all = ds.cases.map((c) => c.id);
    const want = cfg.data.cases;
    if (want !== null && all.length < want) {
      throw new TrainConfigError(`experiment config: data.cases is ${want} but domain '${d}' in data.dir has ${all.length} case(s)`);
    }
    if (all.length < 3) throw new TrainConfigError(`experiment config: domain '${d}' in data.dir has ${all.length} case(s); leave-one-out needs at least 3`);
    caseIds[d] = want === null ? all : all.slice(0, want);
  });
  const byDomain = new Map(domains.map((d, k) => [d, datasets[k] as SegmentationDataset]));
  return {
    domains,
    labels,
    caseIds,
    load: async (domain, id) => {
      const ds = byDomain.get(domain);
      if (ds === undefined) throw new TrainConfigError(`experiment cohort: unknown domain '${domain}'`);
      const c = await loadCase(ds, id);
      return { id, domain, image: c.image, label: c.label, labels: labels[domain] as readonly string[] };
    },
  };
}

/**
 * The cohort of a resolved experiment: the seeded phantoms of `data.domains` (generated here, kept in
 * memory), or the on-disk datasets of `data.dir` opened with `@pedseg/data`'s readers (file lists and
 * label names only; volumes are read by `load`). Checks what needs the data: the domain folders
 * exist, label values are 0..K, every domain has ≥ 3 (and ≥ `data.cases`) cases, `folds` are in range.
 *
 * @throws {@link TrainConfigError} naming the field (`data.dir`, `data.domain(s)`, `data.cases`, `folds`).
 */
export async function openExperimentCohort(cfg: ResolvedExperimentConfig): Promise<ExperimentCohort> {
  const cohort = cfg.data.dir === null ? phantomCohort(cfg) : await diskCohort(cfg, cfg.data.dir);
  const folds = Math.min(...cohort.domains.map((d) => (cohort.caseIds[d] as readonly string[]).length));
  for (const f of cfg.folds ?? []) {
    if (f >= folds) throw new TrainConfigError(`experiment config: fold ${f} is out of range [0, ${folds})`);
  }
  return cohort;
}

/**
 * The 2D slices of some cases of one domain at network size (`@pedseg/data`'s `extractSlices`, which
 * resizes each slice of any in-plane size), read one case at a time so only one volume is in memory.
 */
export async function cohortSlices(
  cohort: ExperimentCohort,
  domain: string,
  ids: readonly string[],
  options: { readonly size: readonly [number, number]; readonly emptyFraction: number; readonly seed: number },
): Promise<SliceSet> {
  const sets: SliceSet[] = [];
  for (const id of ids) {
    const c = await cohort.load(domain, id);
    sets.push(extractSlices(c.image, c.label, { size: options.size, emptyFraction: options.emptyFraction, seed: options.seed, caseId: id }));
  }
  return concatSliceSets(sets);
}

/** What the run's `config.json` records of a cohort: the case ids and label names of each domain. */
export function cohortSummary(cohort: ExperimentCohort): Record<string, { cases: readonly string[]; labels: readonly string[] }> {
  return Object.fromEntries(cohort.domains.map((d) => [d, { cases: cohort.caseIds[d] ?? [], labels: cohort.labels[d] ?? [] }]));
}
