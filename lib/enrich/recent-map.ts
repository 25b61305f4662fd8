/**
 * A map that remembers at least the last `capacity / 2` and at most
 * `capacity` keys written or found, forgetting older ones a generation at a
 * time.
 *
 * A key found in the older generation is written again into the newer one.
 * Without that, a key could be forgotten between two reads close together:
 * ancestry checks `has(parent)` for each event of a chunk, and annotates the
 * chunk afterwards; a generation change in between dropped parents that had
 * only been read, and their children were stored without ancestors (169 of
 * the 1,000,000 bench events with chunks of 250, 74 with chunks of 50).
 *
 * Why not one Map evicting its oldest key on each insert: V8 leaves deleted
 * entries as holes at the front of a Map until it rehashes, so finding the
 * oldest live key with `keys().next()` walks all of them — quadratic once
 * the map is full (1M process events took minutes). Swapping two maps is
 * constant time per write.
 */
export class RecentMap<K, V> {
  private current = new Map<K, V>();
  private previous = new Map<K, V>();
  private readonly generation: number;

  constructor(capacity: number) {
    this.generation = Math.max(1, Math.floor(capacity / 2));
  }

  get(key: K): V | undefined {
    if (this.current.has(key)) return this.current.get(key);
    return this.previous.has(key) ? this.promote(key) : undefined;
  }

  has(key: K): boolean {
    if (this.current.has(key)) return true;
    if (!this.previous.has(key)) return false;
    this.promote(key);
    return true;
  }

  /** Writes a key of the older generation again, into the newer one, and returns its value. */
  private promote(key: K): V {
    const value = this.previous.get(key) as V;
    this.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.current.set(key, value);
    if (this.current.size >= this.generation) {
      this.previous = this.current;
      this.current = new Map();
    }
  }

  /** Keys currently remembered (a key written in both generations counts once). */
  get size(): number {
    let size = this.current.size;
    for (const key of this.previous.keys()) if (!this.current.has(key)) size++;
    return size;
  }
}
