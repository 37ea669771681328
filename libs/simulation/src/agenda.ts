/** A min-heap of things to do at a simulated time; ties keep the order they were added in. */
export interface AgendaItem<T> {
  at: number;
  seq: number;
  value: T;
}

export class Agenda<T> {
  private readonly heap: AgendaItem<T>[] = [];
  private added = 0;

  get size(): number {
    return this.heap.length;
  }

  add(at: number, value: T): void {
    const item = { at, seq: this.added++, value };
    const heap = this.heap;
    heap.push(item);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  peek(): AgendaItem<T> | undefined {
    return this.heap[0];
  }

  pop(): AgendaItem<T> | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length && last) {
      heap[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < heap.length && before(heap[l], heap[smallest])) smallest = l;
        if (r < heap.length && before(heap[r], heap[smallest])) smallest = r;
        if (smallest === i) break;
        [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
        i = smallest;
      }
    }
    return top;
  }
}

function before<T>(a: AgendaItem<T>, b: AgendaItem<T>): boolean {
  return a.at < b.at || (a.at === b.at && a.seq < b.seq);
}
