/** The bundled sample incidents: one file per supported event format, under public/samples/. */
export const SAMPLE_FORMATS = ["ecs", "falco", "tetragon", "datadog"] as const;
export type SampleFormat = (typeof SAMPLE_FORMATS)[number];

export const SAMPLE_LABELS: Record<SampleFormat, string> = {
  ecs: "ECS",
  falco: "Falco",
  tetragon: "Tetragon",
  datadog: "Datadog",
};

/** File name of a format's sample under public/samples/. */
export function sampleFileName(format: SampleFormat): string {
  return `incident-${format}.ndjson`;
}

/** The upload name a loaded sample gets, e.g. "Sample incident (ECS)". */
export function sampleUploadName(format: SampleFormat): string {
  return `Sample incident (${SAMPLE_LABELS[format]})`;
}
