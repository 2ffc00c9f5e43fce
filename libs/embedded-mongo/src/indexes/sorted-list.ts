/**
 * A sorted multiset kept as a list of bounded-size sorted blocks (a two-level B+-tree).
 * Lookups are two binary searches (O(log n)); inserts/deletes shift at most one block
 * (O(B) with B = 512) and a split or merge touches the block list only occasionally, which keeps
 * it fast at millions of entries without the complexity of a general B-tree.
 */
const MAX_BLOCK = 512;

export type Comparator<T> = (a: T, b: T) => number;

/** A position in the list: block index and offset inside the block. */
export interface Position {
  block: number;
  offset: number;
}

export class SortedList<T> {
  private blocks: T[][] = [];
  private count = 0;

  constructor(private readonly cmp: Comparator<T>) {}

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.blocks = [];
    this.count = 0;
  }

  /** Position of the first element >= probe (probeCmp(elem) >= 0 means elem >= probe). */
  lowerBound(probeCmp: (elem: T) => number): Position {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = blocks[mid];
      if (probeCmp(b[b.length - 1]) < 0) lo = mid + 1;
      else hi = mid;
    }
    if (lo === blocks.length) return { block: lo, offset: 0 };
    const b = blocks[lo];
    let l = 0;
    let h = b.length;
    while (l < h) {
      const m = (l + h) >>> 1;
      if (probeCmp(b[m]) < 0) l = m + 1;
      else h = m;
    }
    return { block: lo, offset: l };
  }

  /** Position of the first element > probe. */
  upperBound(probeCmp: (elem: T) => number): Position {
    return this.lowerBound((e) => (probeCmp(e) <= 0 ? -1 : 1));
  }

  insert(value: T): void {
    const cmp = this.cmp;
    if (this.blocks.length === 0) {
      this.blocks.push([value]);
      this.count = 1;
      return;
    }
    let pos = this.lowerBound((e) => cmp(e, value));
    if (pos.block === this.blocks.length)
      pos = { block: pos.block - 1, offset: this.blocks[pos.block - 1].length };
    const b = this.blocks[pos.block];
    b.splice(pos.offset, 0, value);
    this.count++;
    if (b.length > MAX_BLOCK) {
      const half = b.length >>> 1;
      this.blocks.splice(pos.block + 1, 0, b.splice(half));
    }
  }

  /** Removes one element equal (per comparator) to value; returns whether it was found. */
  delete(value: T): boolean {
    const pos = this.lowerBound((e) => this.cmp(e, value));
    if (pos.block >= this.blocks.length) return false;
    const b = this.blocks[pos.block];
    if (pos.offset >= b.length || this.cmp(b[pos.offset], value) !== 0) return false;
    b.splice(pos.offset, 1);
    this.count--;
    if (b.length === 0) this.blocks.splice(pos.block, 1);
    else if (b.length < MAX_BLOCK / 4 && pos.block + 1 < this.blocks.length) {
      const next = this.blocks[pos.block + 1];
      if (b.length + next.length <= MAX_BLOCK) {
        b.push(...next);
        this.blocks.splice(pos.block + 1, 1);
      }
    }
    return true;
  }

  at(pos: Position): T | undefined {
    return this.blocks[pos.block]?.[pos.offset];
  }

  /** Iterates forward from pos (inclusive). */
  *forward(pos: Position): Generator<T> {
    let { block, offset } = pos;
    while (block < this.blocks.length) {
      const b = this.blocks[block];
      for (; offset < b.length; offset++) yield b[offset];
      block++;
      offset = 0;
    }
  }

  /** Iterates backward from the element just before pos. */
  *backward(pos: Position): Generator<T> {
    let block = pos.block;
    let offset = pos.offset - 1;
    if (block >= this.blocks.length) {
      block = this.blocks.length - 1;
      offset = block >= 0 ? this.blocks[block].length - 1 : -1;
    }
    while (block >= 0) {
      const b = this.blocks[block];
      for (; offset >= 0; offset--) yield b[offset];
      block--;
      if (block >= 0) offset = this.blocks[block].length - 1;
    }
  }

  *all(): Generator<T> {
    for (const b of this.blocks) yield* b;
  }
}
