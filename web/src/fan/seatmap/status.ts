// Seat statuses as one byte per seat, in the order of GET /seats, with per-block counts kept
// alongside so the zoomed-out view shades sections without counting seats every frame.
// A delta from the availability endpoint is applied in O(number of changes).

import type { SeatStatusWord } from '../../api/types';
import type { SeatLayout } from './layout';

export const AVAILABLE = 0;
export const HELD = 1;
export const SOLD = 2;
export type StatusCode = typeof AVAILABLE | typeof HELD | typeof SOLD;

const WORDS: readonly SeatStatusWord[] = ['available', 'held', 'sold'];

export function codeOfLetter(letter: string): StatusCode {
  return letter === 'h' ? HELD : letter === 's' ? SOLD : AVAILABLE;
}

export function codeOfWord(word: string | undefined): StatusCode {
  return word === 'held' ? HELD : word === 'sold' ? SOLD : AVAILABLE;
}

export function wordOf(code: number): SeatStatusWord {
  return WORDS[code] ?? 'available';
}

export class SeatStatuses {
  readonly codes: Uint8Array;
  /** Per block, three counters: available, held, sold (index block * 3 + code). */
  readonly blockCounts: Int32Array;
  version: string | null = null;
  /** Counts local guesses (see markLocally); a poll begun before one must not undo it. */
  localEdits = 0;

  constructor(private readonly layout: SeatLayout) {
    this.codes = new Uint8Array(layout.count);
    this.blockCounts = new Int32Array(layout.blocks.length * 3);
    this.recount();
  }

  private recount(): void {
    this.blockCounts.fill(0);
    const { block } = this.layout;
    for (let i = 0; i < this.codes.length; i += 1) {
      const slot = (block[i] as number) * 3 + (this.codes[i] as number);
      this.blockCounts[slot] = (this.blockCounts[slot] as number) + 1;
    }
  }

  /** Sets every status from the seat list's own `status` fields (before any poll answered). */
  fromSeatWords(): void {
    this.layout.seats.forEach((seat, i) => {
      this.codes[i] = codeOfWord(seat.status);
    });
    this.recount();
  }

  /** The full form: one letter per seat. A string of another length is a different map: ignored. */
  replaceAll(letters: string, version: string): boolean {
    if (letters.length !== this.codes.length) return false;
    for (let i = 0; i < letters.length; i += 1) this.codes[i] = codeOfLetter(letters[i] as string);
    this.recount();
    this.version = version;
    return true;
  }

  /** Sets one seat, keeping block counts right; returns whether anything changed. */
  set(index: number, code: StatusCode): boolean {
    const old = this.codes[index];
    if (old === undefined || old === code) return false;
    const base = (this.layout.block[index] as number) * 3;
    this.blockCounts[base + old] = (this.blockCounts[base + old] as number) - 1;
    this.blockCounts[base + code] = (this.blockCounts[base + code] as number) + 1;
    this.codes[index] = code;
    return true;
  }

  /**
   * A status the page inferred itself (a 409 naming taken seats, its own hold or release).
   * The server's version no longer describes these codes, so it is forgotten: the next poll
   * asks without `since` and the full answer replaces every guess, right or wrong.
   */
  markLocally(index: number, code: StatusCode): boolean {
    this.version = null;
    this.localEdits += 1;
    return this.set(index, code);
  }

  /** The delta form; returns the seat indices whose status changed. */
  applyChanges(changes: ReadonlyArray<readonly [number, string]>, version: string): number[] {
    const changed: number[] = [];
    for (const [index, letter] of changes) {
      if (Number.isInteger(index) && this.set(index, codeOfLetter(letter))) changed.push(index);
    }
    this.version = version;
    return changed;
  }

  statusOf(index: number): StatusCode {
    return (this.codes[index] ?? AVAILABLE) as StatusCode;
  }

  countsOfBlock(block: number): { available: number; held: number; sold: number } {
    const base = block * 3;
    return {
      available: this.blockCounts[base] ?? 0,
      held: this.blockCounts[base + 1] ?? 0,
      sold: this.blockCounts[base + 2] ?? 0,
    };
  }
}
