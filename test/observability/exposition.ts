import parsePrometheusTextFormat, { type ParsedFamily } from 'parse-prometheus-text-format';

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export interface Exposition {
  /** Family name to its type: `COUNTER`, `GAUGE`, `HISTOGRAM`… */
  types: Map<string, string>;
  /** Samples by sample name: a histogram `h` has `h_bucket`, `h_sum` and `h_count`. */
  samples(name: string): Sample[];
}

/**
 * Parses a Prometheus text exposition with an independent parser. That parser merges the
 * series of a labelled histogram into one and drops their labels
 * (https://github.com/yunyu/parse-prometheus-text-format/issues/13), so histograms are
 * parsed a second time without their HELP and TYPE lines, as plain labelled samples.
 */
export function parseExposition(text: string): Exposition {
  const families = parsePrometheusTextFormat(text);
  const types = new Map(families.map((family) => [family.name, family.type]));
  const histograms = families
    .filter((family) => family.type === 'HISTOGRAM')
    .map(({ name }) => name);
  const untyped = text
    .split('\n')
    .filter((line) => !histograms.some((name) => isMetadataOf(line, name)))
    .join('\n');
  const histogramSamples = new Set(
    histograms.flatMap((name) => [`${name}_bucket`, `${name}_sum`, `${name}_count`]),
  );
  const samples = new Map<string, Sample[]>();
  for (const family of families) {
    if (family.type !== 'HISTOGRAM') samples.set(family.name, samplesOf(family));
  }

  for (const family of parsePrometheusTextFormat(untyped)) {
    if (!histogramSamples.has(family.name)) continue;
    // Without a TYPE line, each run of one sample name comes back as a family of its own.
    samples.set(family.name, [...(samples.get(family.name) ?? []), ...samplesOf(family)]);
  }

  return { types, samples: (name) => samples.get(name) ?? [] };
}

/** The value of the one sample whose labels include `labels`; throws when there is none. */
export function valueOf(exposition: Exposition, name: string, labels: Record<string, string> = {}) {
  const wanted = Object.entries(labels);
  const matching = exposition
    .samples(name)
    .filter((sample) => wanted.every(([key, value]) => sample.labels[key] === value));
  if (matching.length !== 1) {
    throw new Error(`${matching.length} samples of ${name} match ${JSON.stringify(labels)}`);
  }

  return matching[0]!.value;
}

function isMetadataOf(line: string, name: string): boolean {
  return line.startsWith(`# HELP ${name} `) || line.startsWith(`# TYPE ${name} `);
}

function samplesOf(family: ParsedFamily): Sample[] {
  return family.metrics.map((sample) => ({
    labels: sample.labels ?? {},
    value: Number(sample.value),
  }));
}

/** Like `valueOf`, but a series that has not been written yet counts as 0. */
export function valueOrZero(exposition: Exposition, name: string, labels: Record<string, string>) {
  const wanted = Object.entries(labels);
  const matching = exposition
    .samples(name)
    .filter((sample) => wanted.every(([key, value]) => sample.labels[key] === value));

  return matching.length === 0 ? 0 : valueOf(exposition, name, labels);
}
