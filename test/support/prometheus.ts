/**
 * Reads the Prometheus text exposition format as a scraper does: `# TYPE` lines and samples
 * (`name{label="value",…} number`), so tests assert on what `/metrics` serves.
 */
import { expect } from '@jest/globals';

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface Scrape {
  status: number;
  contentType: string | null;
  /** Metric family name → its `# TYPE`. */
  types: Map<string, string>;
  samples: Sample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)(?:\s+\d+)?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g;

export function parsePrometheusText(text: string): Pick<Scrape, 'types' | 'samples'> {
  const types = new Map<string, string>();
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice('# TYPE '.length).split(' ');
      if (name !== undefined && type !== undefined) types.set(name, type);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a Prometheus sample line: ${line}`);
    const [, name = '', labelText = '', value = ''] = match;
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of labelText.matchAll(LABEL)) {
      labels[key] = raw.replace(/\\(.)/g, (_all, char: string) => (char === 'n' ? '\n' : char));
    }
    samples.push({ name, labels, value: Number(value) });
  }
  return { types, samples };
}

export async function scrape(
  metricsUrl: URL | string,
  headers: Record<string, string> = {},
): Promise<Scrape> {
  const response = await fetch(metricsUrl, { headers });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    ...(response.status === 200 ? parsePrometheusText(text) : { types: new Map(), samples: [] }),
  };
}

/** The value of the one sample with exactly these labels (0 when there is none yet). */
export function valueOf(
  scraped: Scrape,
  name: string,
  labels: Record<string, string> = {},
): number {
  const found = scraped.samples.filter(
    (sample) =>
      sample.name === name &&
      Object.keys(sample.labels).length === Object.keys(labels).length &&
      Object.entries(labels).every(([key, value]) => sample.labels[key] === value),
  );
  expect(found.length).toBeLessThanOrEqual(1);
  return found[0]?.value ?? 0;
}

/** Every series as `name{sorted labels}`, to compare two scrapes' sets. */
export function seriesOf(scraped: Scrape, prefix = ''): Set<string> {
  return new Set(
    scraped.samples
      .filter((sample) => sample.name.startsWith(prefix))
      .map(
        ({ name, labels }) =>
          `${name}{${Object.entries(labels)
            .sort(([a], [b]) => a.localeCompare(b))
            .map(([key, value]) => `${key}=${JSON.stringify(value)}`)
            .join(',')}}`,
      ),
  );
}
