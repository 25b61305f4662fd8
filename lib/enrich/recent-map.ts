/**
 * A map that remembers at least the last `capacity / 2` and at most
 * `capacity` keys written, forgetting older ones a generation at a time.
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
    return this.current.has(key) ? this.current.get(key) : this.previous.get(key);
  }

  has(key: K): boolean {
    return this.current.has(key) || this.previous.has(key);
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
