import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { DOMAIN_LABELS, PHANTOM_DOMAINS } from '@pedseg/data';
import type { PhantomDomain } from '@pedseg/data';
import { TrainConfigError } from '../errors.js';
import { channelLayout } from './multi_domain.js';
import type { ChannelLayout } from './multi_domain.js';

/** The joints a multi-domain model was trained on, read from its run's `config.json`. */
export interface ModelDomains {
  /** Joints (or on-disk domain names) in domain-index order (the order of `data.domains`). */
  readonly domains: readonly string[];
  /** `shared` or `dsl` head. */
  readonly domainStrategy: 'shared' | 'dsl';
  /** Head channel of every label of every joint. */
  readonly layout: ChannelLayout;
  /** The `config.json` the facts came from. */
  readonly source: string;
}

/** Folder levels searched above a model folder (`RUN/fold-i/checkpoints/best/networks/segmentation`). */
const SEARCH_LEVELS = 6;

function parseDomains(text: string, source: string): ModelDomains | null {
  let cfg: { data?: { domains?: unknown; multiDomain?: unknown }; domainStrategy?: unknown; cohort?: Record<string, { labels?: unknown } | undefined> };
  try {
    cfg = JSON.parse(text) as typeof cfg;
  } catch {
    throw new TrainConfigError(`${source} is not valid JSON`);
  }
  const domains = cfg.data?.domains;
  if (cfg.data?.multiDomain !== true || !Array.isArray(domains)) return null;
  // Runs record each domain's label names under `cohort` (on-disk domains have their own); older
  // phantom runs only name the joints.
  const classCounts = domains.map((d) => {
    const labels = typeof d === 'string' ? cfg.cohort?.[d]?.labels : undefined;
    if (Array.isArray(labels) && labels.length >= 2 && labels.every((l) => typeof l === 'string')) return labels.length;
    if (PHANTOM_DOMAINS.includes(d as PhantomDomain)) return DOMAIN_LABELS[d as PhantomDomain].length;
    throw new TrainConfigError(`${source}: unknown domain '${String(d)}' in data.domains (no cohort.${String(d)}.labels)`);
  });
  const domainStrategy = cfg.domainStrategy === 'shared' ? 'shared' : 'dsl';
  return { domains: domains as string[], domainStrategy, layout: channelLayout(domainStrategy, classCounts), source };
}

/**
 * The joints of a multi-domain model: from `configPath` if given, else from the nearest `config.json`
 * of a multi-domain run above `modelDir` (what `runExperiment` writes into its output folder). Null
 * for single-domain runs or when no run config is found.
 *
 * @throws {@link TrainConfigError} if a config file is unreadable or names unknown joints.
 */
export async function findModelDomains(modelDir: string, configPath?: string): Promise<ModelDomains | null> {
  if (configPath !== undefined) {
    let text: string;
    try {
      text = await readFile(configPath, 'utf8');
    } catch {
      throw new TrainConfigError(`run config ${configPath} cannot be read`);
    }
    return parseDomains(text, configPath);
  }
  let dir = resolve(modelDir);
  for (let level = 0; level <= SEARCH_LEVELS; level += 1) {
    const candidate = join(dir, 'config.json');
    const text = await readFile(candidate, 'utf8').catch(() => null);
    if (text !== null) {
      const found = parseDomains(text, candidate);
      if (found !== null) return found;
    }
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}
