// The read-only seat map hook for browser tests and profiling (see the UI contract).
export interface SeatMapTestHook {
  seatCenter(seatId: string): { x: number; y: number } | null;
  readonly seatCount: number;
  statusOf(seatId: string): 'available' | 'held' | 'sold' | null;
  readonly version: string;
  readonly frames: number;
}

declare global {
  interface Window {
    boxofficeSeatMap?: SeatMapTestHook;
  }
}
