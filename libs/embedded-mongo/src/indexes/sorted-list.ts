/**
 * A sorted multiset of strings (index entries, see key-string.ts) kept as a list of bounded-size
 * sorted blocks (a two-level B+-tree). Lookups are two binary searches (O(log n)) comparing
 * strings directly; inserts/deletes shift at most one block (O(B) with B = 512) and a split or
 * merge touches the block list only occasionally, which keeps it fast at millions of entries
 * without the complexity of a general B-tree.
 */
const MAX_BLOCK = 512;

/** A position in the list: block index and offset inside the block. */
export interface Position {
  block: number;
  offset: number;
}

export class SortedList {
  private blocks: string[][] = [];
  private count = 0;

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.blocks = [];
    this.count = 0;
  }

  /** Position of the first element >= value. */
  lowerBound(value: string): Position {
    const blocks = this.blocks;
    let lo = 0;
    let hi = blocks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const b = blocks[mid];
      if (b[b.length - 1] < value) lo = mid + 1;
      else hi = mid;
    }
    if (lo === blocks.length) return { block: lo, offset: 0 };
    const b = blocks[lo];
    let l = 0;
    let h = b.length;
    while (l < h) {
      const m = (l + h) >>> 1;
      if (b[m] < value) l = m + 1;
      else h = m;
    }
    return { block: lo, offset: l };
  }

  insert(value: string): void {
    this.insertAt(this.lowerBound(value), value);
  }

  /**
   * Inserts at `pos`, which must be where `value` belongs (a lowerBound answer for it, or for a
   * prefix of it that no element extends, taken since the last change).
   */
  insertAt(pos: Position, value: string): void {
    if (this.blocks.length === 0) {
      this.blocks.push([value]);
      this.count = 1;
      return;
    }
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

  /** Removes one element equal to value; returns whether it was found. */
  delete(value: string): boolean {
    const pos = this.lowerBound(value);
    if (pos.block >= this.blocks.length) return false;
    const b = this.blocks[pos.block];
    if (pos.offset >= b.length || b[pos.offset] !== value) return false;
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

  at(pos: Position): string | undefined {
    return this.blocks[pos.block]?.[pos.offset];
  }

  /** The position after `pos` (moved in place, and returned). */
  advance(pos: Position): Position {
    pos.offset++;
    const block = this.blocks[pos.block];
    if (block && pos.offset >= block.length) {
      pos.block++;
      pos.offset = 0;
    }
    return pos;
  }

  /** Iterates forward from pos (inclusive). */
  *forward(pos: Position): Generator<string> {
    let { block, offset } = pos;
    while (block < this.blocks.length) {
      const b = this.blocks[block];
      for (; offset < b.length; offset++) yield b[offset];
      block++;
      offset = 0;
    }
  }

  /** Iterates backward from the element just before pos. */
  *backward(pos: Position): Generator<string> {
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

  *all(): Generator<string> {
    for (const b of this.blocks) yield* b;
  }
}
