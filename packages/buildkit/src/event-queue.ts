/**
 * An unbounded single-consumer async queue: the producer pushes, the consumer iterates; iteration ends after
 * `close()` once everything pushed was taken. Progress volume is bounded by the engine (it clips step logs),
 * so buffering everything a slow or absent consumer has not taken yet is fine.
 */
export class EventQueue<T> implements AsyncIterable<T> {
  readonly #items: T[] = [];
  #closed = false;
  #wake: (() => void) | undefined;
  #iterated = false;

  push(item: T): void {
    if (this.#closed) {
      return;
    }
    this.#items.push(item);
    this.#wake?.();
  }

  close(): void {
    this.#closed = true;
    this.#wake?.();
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<T, void, undefined> {
    if (this.#iterated) {
      throw new Error("this event stream can be iterated only once");
    }
    this.#iterated = true;
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) {
        yield item;
        continue;
      }
      if (this.#closed) {
        return;
      }
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
      this.#wake = undefined;
    }
  }
}
