// The seat map on the event page: a canvas driven by SeatMapView, its zoom buttons, a help
// line, and the live region that tells keyboard and screen reader users which seat the
// cursor is on.

import { useEffect, useId, useRef, useState } from 'preact/hooks';
import type { SeatLayout } from './layout';
import { wordOf, type SeatStatuses } from './status';
import { SeatMapView } from './view';

const BUTTON_ZOOM = 1.6;

export interface SeatMapProps {
  layout: SeatLayout;
  statuses: SeatStatuses;
  /** Seats drawn as "yours": the current picks and the seats of your hold. */
  highlighted: ReadonlySet<number>;
  /** Changes whenever statuses change, so the map redraws. */
  revision: number;
  onToggle(seat: number): void;
  onArea(block: number): void;
  describeSeat(seat: number): string;
}

export function SeatMap(props: SeatMapProps) {
  const { layout, statuses, highlighted, revision } = props;
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const viewRef = useRef<SeatMapView | null>(null);
  // The view outlives renders; it calls the latest props through this ref.
  const propsRef = useRef(props);
  propsRef.current = props;
  const [cursorText, setCursorText] = useState('');
  const helpId = useId();

  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const view = new SeatMapView(canvas, layout, statuses, {
      onToggle: (seat) => propsRef.current.onToggle(seat),
      onArea: (block) => propsRef.current.onArea(block),
      onCursor: (seat) => setCursorText(propsRef.current.describeSeat(seat)),
    });
    view.picked = propsRef.current.highlighted;
    viewRef.current = view;
    const detach = view.attach();
    window.boxofficeSeatMap = {
      seatCenter: (seatId) => view.seatCentre(layout.indexOf.get(seatId) ?? -1),
      seatCount: layout.count,
      statusOf: (seatId) => {
        const index = layout.indexOf.get(seatId);
        return index === undefined ? null : wordOf(statuses.statusOf(index));
      },
      get version() {
        return statuses.version ?? '';
      },
      get frames() {
        return view.frames;
      },
    };
    return () => {
      detach();
      viewRef.current = null;
      delete window.boxofficeSeatMap;
    };
  }, [layout, statuses]);

  useEffect(() => {
    const view = viewRef.current;
    if (!view) return;
    view.picked = highlighted;
    view.invalidate();
    if (view.cursor >= 0) setCursorText(propsRef.current.describeSeat(view.cursor));
  }, [highlighted, revision]);

  return (
    <div class="seat-map" data-testid="seat-map">
      <div class="seat-map__tools" role="group" aria-label="Map view">
        <button type="button" class="button button--small" onClick={() => viewRef.current?.zoomBy(BUTTON_ZOOM)}>
          Zoom in
        </button>
        <button type="button" class="button button--small" onClick={() => viewRef.current?.zoomBy(1 / BUTTON_ZOOM)}>
          Zoom out
        </button>
        <button type="button" class="button button--small" onClick={() => viewRef.current?.resetView()}>
          Reset view
        </button>
      </div>
      <canvas
        ref={canvasRef}
        class="seat-map__canvas"
        tabIndex={0}
        role="application"
        aria-label="Seat map"
        aria-describedby={helpId}
      />
      <p id={helpId} class="seat-map__help">
        Drag to move, scroll or pinch to zoom, click a seat to pick it. Keyboard: arrow keys move between seats,
        Enter or Space picks, + and − zoom.
      </p>
      <p class="seat-map__cursor" aria-live="polite" data-testid="seat-cursor">
        {cursorText}
      </p>
    </div>
  );
}
