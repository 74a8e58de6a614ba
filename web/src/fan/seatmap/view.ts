// The seat map's behaviour, kept out of Preact: it owns the canvas, the camera and the
// pointer and keyboard input, and draws on the next animation frame only when something
// changed, so an idle map costs nothing and a burst of pointer moves costs one frame.

import { blockAt, seatAt } from './hitTest';
import {
  type Camera,
  centreOn,
  fitCamera,
  scaleLimits,
  seatsVisible,
  SEAT_DETAIL_PITCH_PX,
  toScreen,
  toWorld,
  zoomAt,
} from './camera';
import { firstSeat, moveCursor, type Direction } from './keyboard';
import { SEAT_PITCH, type SeatLayout } from './layout';
import { renderFrame } from './render';
import type { SeatStatuses } from './status';

export interface SeatMapEvents {
  /** A numbered seat was clicked or chosen with Enter/Space. */
  onToggle(seat: number): void;
  /** The keyboard cursor moved (or the seat under it changed). */
  onCursor(seat: number): void;
  /** A standing area was clicked: its places are not picked one by one. */
  onArea(block: number): void;
}

const DRAG_THRESHOLD_PX = 4;
const BUTTON_ZOOM = 1.6;
const KEYS: Record<string, Direction> = { ArrowLeft: 'left', ArrowRight: 'right', ArrowUp: 'up', ArrowDown: 'down' };

export class SeatMapView {
  camera: Camera = { scale: 1, tx: 0, ty: 0 };
  picked: ReadonlySet<number> = new Set();
  cursor = -1;
  frames = 0;
  private width = 0;
  private height = 0;
  private dpr = 1;
  private limits = { min: 0.01, max: 10 };
  private frameRequest = 0;
  private keyboardMode = false;
  private focused = false;
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private press: { x: number; y: number; dragged: boolean } | null = null;
  private pinchDistance = 0;
  private readonly context: CanvasRenderingContext2D;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly layout: SeatLayout,
    private readonly statuses: SeatStatuses,
    private readonly events: SeatMapEvents,
  ) {
    const context = canvas.getContext('2d', { alpha: false });
    if (!context) throw new Error('2D canvas is not available');
    this.context = context;
  }

  /** Starts listening; returns the function that stops everything again. */
  attach(): () => void {
    const { canvas } = this;
    const listeners: Array<[string, EventListener, AddEventListenerOptions?]> = [
      ['pointerdown', this.onPointerDown as EventListener],
      ['pointermove', this.onPointerMove as EventListener],
      ['pointerup', this.onPointerUp as EventListener],
      ['pointercancel', this.onPointerCancel as EventListener],
      ['wheel', this.onWheel as EventListener, { passive: false }],
      ['keydown', this.onKeyDown as EventListener],
      ['focus', this.onFocus],
      ['blur', this.onBlur],
    ];
    for (const [type, listener, options] of listeners) canvas.addEventListener(type, listener, options);
    const resize = new ResizeObserver(() => this.resize());
    resize.observe(canvas);
    this.resize();
    return () => {
      for (const [type, listener, options] of listeners) canvas.removeEventListener(type, listener, options);
      resize.disconnect();
      if (this.frameRequest) cancelAnimationFrame(this.frameRequest);
      this.frameRequest = 0;
    };
  }

  invalidate(): void {
    if (this.frameRequest) return;
    this.frameRequest = requestAnimationFrame(() => {
      this.frameRequest = 0;
      this.draw();
    });
  }

  zoomBy(factor: number): void {
    this.camera = zoomAt(this.camera, factor, this.width / 2, this.height / 2, this.limits);
    this.invalidate();
  }

  resetView(): void {
    this.camera = this.fitAll();
    this.invalidate();
  }

  /** Viewport CSS pixels of a seat's centre, or null when it is off screen or drawn only as part of its section. */
  seatCentre(seat: number): { x: number; y: number } | null {
    if (seat < 0 || seat >= this.layout.count) return null;
    const isArea = this.layout.row[seat] === -1;
    if (!isArea && !seatsVisible(this.camera)) return null;
    const point = toScreen(this.camera, this.layout.x[seat]!, this.layout.y[seat]!);
    if (point.x < 0 || point.y < 0 || point.x > this.width || point.y > this.height) return null;
    const rect = this.canvas.getBoundingClientRect();
    return { x: rect.left + point.x, y: rect.top + point.y };
  }

  private fitAll(): Camera {
    const { layout } = this;
    return fitCamera({ x: 0, y: 0, w: layout.width, h: layout.height }, this.width, this.height);
  }

  private resize(): void {
    const rect = this.canvas.getBoundingClientRect();
    const width = Math.max(1, Math.round(rect.width));
    const height = Math.max(1, Math.round(rect.height));
    const dpr = Math.min(3, window.devicePixelRatio || 1);
    if (width === this.width && height === this.height && dpr === this.dpr) return;
    const first = this.width === 0;
    const centre = first ? null : toWorld(this.camera, this.width / 2, this.height / 2);
    this.width = width;
    this.height = height;
    this.dpr = dpr;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
    const fit = this.fitAll();
    this.limits = scaleLimits(fit.scale);
    this.camera = centre ? centreOn(this.camera, centre.x, centre.y, width, height) : fit;
    this.draw();
  }

  private draw(): void {
    renderFrame(this.context, {
      layout: this.layout,
      statuses: this.statuses,
      camera: this.camera,
      width: this.width,
      height: this.height,
      dpr: this.dpr,
      picked: this.picked,
      cursor: this.cursor,
      showCursor: this.focused && this.keyboardMode,
    });
    this.frames += 1;
  }

  private localPoint(event: PointerEvent | WheelEvent): { x: number; y: number } {
    const rect = this.canvas.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private readonly onPointerDown = (event: PointerEvent): void => {
    if (event.pointerType === 'mouse' && event.button !== 0) return;
    this.keyboardMode = false;
    const point = this.localPoint(event);
    this.pointers.set(event.pointerId, point);
    this.canvas.setPointerCapture(event.pointerId);
    if (this.pointers.size === 1) this.press = { ...point, dragged: false };
    else {
      // A second finger turns the gesture into a pinch; it is never a click.
      if (this.press) this.press.dragged = true;
      this.pinchDistance = this.currentPinchDistance();
    }
  };

  private currentPinchDistance(): number {
    const [a, b] = [...this.pointers.values()];
    return a && b ? Math.hypot(a.x - b.x, a.y - b.y) : 0;
  }

  private readonly onPointerMove = (event: PointerEvent): void => {
    const point = this.localPoint(event);
    const previous = this.pointers.get(event.pointerId);
    if (!previous) {
      this.updateHoverCursor(point);
      return;
    }
    this.pointers.set(event.pointerId, point);
    if (this.pointers.size >= 2) {
      const distance = this.currentPinchDistance();
      if (this.pinchDistance > 0 && distance > 0) {
        const [a, b] = [...this.pointers.values()] as [{ x: number; y: number }, { x: number; y: number }];
        this.camera = zoomAt(this.camera, distance / this.pinchDistance, (a.x + b.x) / 2, (a.y + b.y) / 2, this.limits);
        this.invalidate();
      }
      this.pinchDistance = distance;
      return;
    }
    if (this.press && !this.press.dragged && Math.hypot(point.x - this.press.x, point.y - this.press.y) > DRAG_THRESHOLD_PX) {
      this.press.dragged = true;
      this.canvas.classList.add('seat-map__canvas--dragging');
    }
    if (this.press?.dragged) {
      this.camera = { ...this.camera, tx: this.camera.tx + point.x - previous.x, ty: this.camera.ty + point.y - previous.y };
      this.invalidate();
    }
  };

  private readonly onPointerUp = (event: PointerEvent): void => {
    const point = this.localPoint(event);
    const wasClick = this.pointers.size === 1 && this.press !== null && !this.press.dragged;
    this.endPointer(event.pointerId);
    if (wasClick) this.click(point);
  };

  private readonly onPointerCancel = (event: PointerEvent): void => {
    this.endPointer(event.pointerId);
  };

  private endPointer(pointerId: number): void {
    this.pointers.delete(pointerId);
    if (this.canvas.hasPointerCapture(pointerId)) this.canvas.releasePointerCapture(pointerId);
    if (this.pointers.size === 0) {
      this.press = null;
      this.canvas.classList.remove('seat-map__canvas--dragging');
    }
    this.pinchDistance = this.pointers.size >= 2 ? this.currentPinchDistance() : 0;
  }

  private updateHoverCursor(point: { x: number; y: number }): void {
    const world = toWorld(this.camera, point.x, point.y);
    const pickable = seatsVisible(this.camera) ? seatAt(this.layout, world.x, world.y) >= 0 : blockAt(this.layout, world.x, world.y) >= 0;
    this.canvas.classList.toggle('seat-map__canvas--pointer', pickable);
  }

  private click(point: { x: number; y: number }): void {
    const world = toWorld(this.camera, point.x, point.y);
    const block = blockAt(this.layout, world.x, world.y);
    if (block < 0) return;
    const info = this.layout.blocks[block]!;
    if (info.kind === 'area') {
      this.events.onArea(block);
      return;
    }
    if (!seatsVisible(this.camera)) {
      this.zoomToBlock(block);
      return;
    }
    const seat = seatAt(this.layout, world.x, world.y);
    if (seat < 0) return;
    this.cursor = seat;
    this.events.onToggle(seat);
    this.invalidate();
  }

  /** Zooms so the section fills the view, at least far enough in that its seats are drawn. */
  private zoomToBlock(block: number): void {
    const info = this.layout.blocks[block]!;
    const fit = fitCamera(info, this.width, this.height, 24);
    const detailScale = (SEAT_DETAIL_PITCH_PX * 1.6) / SEAT_PITCH;
    const scale = Math.min(this.limits.max, Math.max(fit.scale, detailScale));
    this.camera = centreOn({ scale, tx: 0, ty: 0 }, info.x + info.w / 2, info.y + info.h / 2, this.width, this.height);
    this.invalidate();
  }

  /** Brings the cursor's seat into view, zooming in to seat level if the map shows sections. */
  private revealCursor(): void {
    const seat = this.cursor;
    if (seat < 0) return;
    const wx = this.layout.x[seat]!;
    const wy = this.layout.y[seat]!;
    if (!seatsVisible(this.camera)) {
      const scale = Math.min(this.limits.max, (SEAT_DETAIL_PITCH_PX * 2.4) / SEAT_PITCH);
      this.camera = centreOn({ scale, tx: 0, ty: 0 }, wx, wy, this.width, this.height);
      return;
    }
    const point = toScreen(this.camera, wx, wy);
    const margin = Math.min(40, this.width / 4, this.height / 4);
    if (point.x < margin || point.y < margin || point.x > this.width - margin || point.y > this.height - margin) {
      this.camera = centreOn(this.camera, wx, wy, this.width, this.height);
    }
  }

  private readonly onWheel = (event: WheelEvent): void => {
    event.preventDefault();
    const point = this.localPoint(event);
    // Line-based wheels report ~3 per notch, pixel-based ones ~100: normalise to pixels.
    const delta = event.deltaMode === 1 ? event.deltaY * 33 : event.deltaY;
    this.camera = zoomAt(this.camera, Math.exp(-delta * 0.0015), point.x, point.y, this.limits);
    this.invalidate();
  };

  private readonly onKeyDown = (event: KeyboardEvent): void => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const direction = KEYS[event.key];
    this.keyboardMode = true;
    if (direction) {
      event.preventDefault();
      this.cursor = this.cursor < 0 ? this.firstCursor() : moveCursor(this.layout, this.cursor, direction);
      this.revealCursor();
      this.events.onCursor(this.cursor);
      this.invalidate();
    } else if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      if (this.cursor < 0) {
        this.cursor = this.firstCursor();
        this.events.onCursor(this.cursor);
      } else {
        this.events.onToggle(this.cursor);
      }
      this.revealCursor();
      this.invalidate();
    } else if (event.key === '+' || event.key === '=') {
      event.preventDefault();
      this.zoomBy(BUTTON_ZOOM);
    } else if (event.key === '-' || event.key === '_') {
      event.preventDefault();
      this.zoomBy(1 / BUTTON_ZOOM);
    }
  };

  /** The first seat in view, else the first seat of the map. */
  private firstCursor(): number {
    const centre = toWorld(this.camera, this.width / 2, this.height / 2);
    const seat = seatAt(this.layout, centre.x, centre.y);
    return seat >= 0 ? seat : firstSeat(this.layout);
  }

  private readonly onFocus = (): void => {
    this.focused = true;
    // Tabbing in shows the cursor ring at once; a mouse press does not.
    if (this.canvas.matches(':focus-visible')) this.keyboardMode = true;
    if (this.cursor < 0) {
      this.cursor = this.firstCursor();
    }
    if (this.cursor >= 0) this.events.onCursor(this.cursor);
    this.invalidate();
  };

  private readonly onBlur = (): void => {
    this.focused = false;
    this.invalidate();
  };
}
