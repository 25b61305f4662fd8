import { SAMPLE_FORMATS, type SampleFormat } from "./formats";
import { buildIncident } from "./incident";
import type { SampleStory } from "./model";
import { deltaToEndBefore, shiftStory } from "./shift";
import { writeDatadog } from "./writers/datadog";
import { writeEcs } from "./writers/ecs";
import { writeFalco } from "./writers/falco";
import { writeTetragon } from "./writers/tetragon";

const WRITERS: Record<SampleFormat, (story: SampleStory) => string> = {
  ecs: writeEcs,
  falco: writeFalco,
  tetragon: writeTetragon,
  datadog: writeDatadog,
};

/** Every sample file's NDJSON text, from one build of the incident. Same input, same bytes. */
export function generateSamples(): Record<SampleFormat, string> {
  const story = buildIncident();
  return Object.fromEntries(SAMPLE_FORMATS.map((format) => [format, WRITERS[format](story)])) as Record<
    SampleFormat,
    string
  >;
}

/**
 * One sample file's NDJSON text with the incident moved to end just before
 * `now`: what "Load sample incident" ingests, so the story is recent.
 */
export function generateRecentSample(format: SampleFormat, now: number): string {
  const story = buildIncident();
  return WRITERS[format](shiftStory(story, deltaToEndBefore(story, now)));
}
