import { ancestors, type SampleContainer, type SampleProcess, type SampleStory } from "./model";

/**
 * Moves a freshly built story in time by deltaMs: every event, process start
 * and container start. The story is changed in place (its processes are shared
 * between events, so each is moved exactly once) and returned.
 */
export function shiftStory(story: SampleStory, deltaMs: number): SampleStory {
  if (deltaMs === 0) return story;
  const processes = new Set<SampleProcess>();
  const containers = new Set<SampleContainer>();
  for (const event of story.events) {
    event.time += deltaMs;
    for (const process of [event.process, ...ancestors(event.process)]) {
      processes.add(process);
      if (process.container) containers.add(process.container);
    }
  }
  for (const process of processes) process.start += deltaMs;
  for (const container of containers) container.startedAt += deltaMs;
  return story;
}

const MINUTE = 60_000;

/**
 * The shift that makes a story end a few minutes before `now`, in whole
 * minutes so the story keeps its seconds: a sample loaded today is today's
 * incident, inside every "last 24 hours" view.
 */
export function deltaToEndBefore(story: SampleStory, now: number, marginMs = 5 * MINUTE): number {
  const last = story.events.reduce((latest, event) => Math.max(latest, event.time), Number.NEGATIVE_INFINITY);
  if (!Number.isFinite(last)) return 0;
  return Math.floor((now - marginMs - last) / MINUTE) * MINUTE;
}
